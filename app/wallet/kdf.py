"""Memory-hard password KDFs (Argon2id, scrypt) whose parameters live in the wallet file's header."""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass
from typing import Any

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

# Upper bounds accepted when reading a file: a tampered header must not make unlock eat all memory or hang.
MAX_MEMORY_KIB = 4 * 1024 * 1024
MAX_ITERATIONS = 64
MAX_LANES = 16


class KdfParamError(ValueError):
    """KDF parameters that are missing, of the wrong type, or outside the accepted bounds."""


def password_bytes(password: str) -> bytes:
    """NFC so that the same password typed through different input methods gives the same key."""
    if not isinstance(password, str):
        raise TypeError("the password must be text")
    return unicodedata.normalize("NFC", password).encode("utf-8")


def _int_field(params: dict[str, Any], name: str, low: int, high: int) -> int:
    value = params.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise KdfParamError(f"KDF parameter '{name}' must be a whole number from {low} to {high}")
    return value


@dataclass(frozen=True)
class Argon2idParams:
    """RFC 9106 Argon2id: memory in KiB, passes over memory, parallel lanes."""

    memory_kib: int = 131072
    iterations: int = 3
    lanes: int = 1
    name: str = "argon2id"

    def derive(self, password: bytes, salt: bytes, length: int) -> bytes:
        kdf = Argon2id(
            salt=salt,
            length=length,
            iterations=self.iterations,
            lanes=self.lanes,
            memory_cost=self.memory_kib,
        )
        return kdf.derive(password)

    def to_header(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_header(cls, params: dict[str, Any]) -> Argon2idParams:
        lanes = _int_field(params, "lanes", 1, MAX_LANES)
        return cls(
            memory_kib=_int_field(params, "memory_kib", 8 * lanes, MAX_MEMORY_KIB),
            iterations=_int_field(params, "iterations", 1, MAX_ITERATIONS),
            lanes=lanes,
        )

    def describe(self) -> str:
        return f"argon2id, {self.memory_kib // 1024} MiB, {self.iterations} passes, {self.lanes} lane(s)"


@dataclass(frozen=True)
class ScryptParams:
    """scrypt (RFC 7914): cost n (a power of two), block size r, parallelism p; memory = 128 * n * r bytes."""

    n: int = 2**17
    r: int = 8
    p: int = 1
    name: str = "scrypt"

    def derive(self, password: bytes, salt: bytes, length: int) -> bytes:
        return Scrypt(salt=salt, length=length, n=self.n, r=self.r, p=self.p).derive(password)

    def to_header(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_header(cls, params: dict[str, Any]) -> ScryptParams:
        n = _int_field(params, "n", 2, 2**24)
        if n & (n - 1):
            raise KdfParamError("KDF parameter 'n' must be a power of two")
        r = _int_field(params, "r", 1, 64)
        p = _int_field(params, "p", 1, MAX_LANES)
        if 128 * n * r > MAX_MEMORY_KIB * 1024:
            raise KdfParamError("scrypt parameters ask for more than 4 GiB of memory")
        return cls(n=n, r=r, p=p)

    def describe(self) -> str:
        return f"scrypt, n=2^{self.n.bit_length() - 1}, r={self.r}, p={self.p} ({128 * self.n * self.r >> 20} MiB)"


KdfParams = Argon2idParams | ScryptParams

# Calibrated on the development machine to ~0.35 s per unlock (bench/b_keystore.py prints the figure);
# files record their own parameters, and change_password re-encrypts with whatever this is then.
DEFAULT_KDF: KdfParams = Argon2idParams(memory_kib=131072, iterations=3, lanes=1)


def kdf_from_header(params: Any) -> KdfParams:
    if not isinstance(params, dict):
        raise KdfParamError("the KDF section is missing")
    name = params.get("name")
    if name == "argon2id":
        return Argon2idParams.from_header(params)
    if name == "scrypt":
        return ScryptParams.from_header(params)
    raise KdfParamError(f"unknown KDF {name!r}")
