"""The wallet file format: versioned header (authenticated as AEAD associated data), labels, ciphertext.

Layout (all integers big-endian):

    magic     8 bytes  b"\\x89AKDWLT\\n"  (non-ASCII first byte and a newline catch text-mode damage)
    version   u16      FORMAT_VERSION
    hlen      u32      length of the header
    header    hlen     UTF-8 JSON: wallet name, watch_only, accounts [{account, index, address}],
                       kdf {name, params, salt}, cipher {name, nonce}, password_check
    llen      u32      length of the labels
    labels    llen     UTF-8 JSON: {"accounts": [display name per account, same order]}
    body      ...      AES-256-GCM ciphertext of the payload (empty for watch-only wallets)
    checksum  32 bytes sha256 of everything above

The AEAD associated data is magic..header (every byte of the header), so changing any of it makes
decryption fail. Labels sit outside it on purpose: renaming an account needs no password. They are
display text only; which key signs is decided by the authenticated account/index/address entries.
The checksum is not a security boundary (anyone can recompute it); it tells damage (truncation, a
flipped bit, a foreign file) from a wrong password before the slow KDF runs.

The KDF yields 48 bytes: a 32-byte AES key and a 16-byte password check stored in the header, which
lets a wrong password be told from a tampered file (it gives an attacker nothing the ciphertext does not).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.wallet.errors import KeystoreCorrupt, UnsupportedFormat
from app.wallet.kdf import KdfParamError, KdfParams, kdf_from_header, password_bytes

MAGIC = b"\x89AKDWLT\n"
FORMAT_VERSION = 1
CIPHER = "aes-256-gcm"
_PREFIX = struct.Struct(">8sHI")
_U32 = struct.Struct(">I")
_CHECKSUM_LEN = 32
_SALT_LEN = 16
_NONCE_LEN = 12
_CHECK_LEN = 16
MAX_FILE_BYTES = 16 * 1024 * 1024  # a wallet file is a few KiB; anything huge is not ours


def b64e(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64d(text: Any, what: str) -> bytes:
    if not isinstance(text, str):
        raise ValueError(f"{what} is missing")
    try:
        return base64.b64decode(text, validate=True)
    except ValueError:
        raise ValueError(f"{what} is not valid base64") from None


def _json_bytes(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


@dataclass(frozen=True)
class WalletFile:
    """A parsed wallet file: the authenticated header (parsed and raw), the labels, the ciphertext."""

    path: Path
    header: dict[str, Any]
    aad: bytes
    labels: list[str]
    body: bytes

    @property
    def watch_only(self) -> bool:
        return bool(self.header.get("watch_only"))


@dataclass(frozen=True)
class Sealer:
    """What is needed to encrypt: the derived key, and the KDF section that reproduces it from the password."""

    key: bytes
    kdf_section: dict[str, Any]
    password_check: bytes

    def __repr__(self) -> str:
        return f"Sealer(kdf={self.kdf_section.get('name')!r}, key=<redacted>)"

    __str__ = __repr__


def new_sealer(password: str, kdf: KdfParams) -> Sealer:
    """A fresh random salt and the key it gives (runs the slow KDF)."""
    salt = secrets.token_bytes(_SALT_LEN)
    key, check = _derive(password, kdf, salt)
    return Sealer(key, {**kdf.to_header(), "salt": b64e(salt)}, check)


def _derive(password: str, kdf: KdfParams, salt: bytes) -> tuple[bytes, bytes]:
    out = kdf.derive(password_bytes(password), salt, 32 + _CHECK_LEN)
    return out[:32], out[32:]


def encode(header: dict[str, Any], labels: list[str], sealer: Sealer | None, payload: bytes | None) -> bytes:
    """The bytes of a wallet file. With a sealer the payload is encrypted under a fresh nonce."""
    header = dict(header)
    nonce = b""
    if sealer is not None:
        nonce = secrets.token_bytes(_NONCE_LEN)
        header["kdf"] = sealer.kdf_section
        header["cipher"] = {"name": CIPHER, "nonce": b64e(nonce)}
        header["password_check"] = b64e(sealer.password_check)
    head = _json_bytes(header)
    aad = _PREFIX.pack(MAGIC, FORMAT_VERSION, len(head)) + head
    body = b"" if sealer is None else AESGCM(sealer.key).encrypt(nonce, payload or b"", aad)
    lab = _json_bytes({"accounts": labels})
    data = aad + _U32.pack(len(lab)) + lab + body
    return data + hashlib.sha256(data).digest()


def decode(path: Path, data: bytes) -> WalletFile:
    """Parse and check the framing of a wallet file; KeystoreCorrupt (naming the file) if anything is off."""
    if not data:
        raise KeystoreCorrupt(path, "the file is empty")
    if data[:8] != MAGIC[: len(data)]:
        raise KeystoreCorrupt(path, "it is not an Akash Desk wallet file (unknown file signature)")
    if len(data) < _PREFIX.size + _CHECKSUM_LEN:
        raise KeystoreCorrupt(path, "the file is truncated")
    _, version, hlen = _PREFIX.unpack_from(data)
    if version != FORMAT_VERSION:
        if version > FORMAT_VERSION:
            raise UnsupportedFormat(
                path,
                f"it was written by a newer Akash Desk (wallet format {version}; this version reads "
                f"format {FORMAT_VERSION}); update Akash Desk to open it",
            )
        raise KeystoreCorrupt(path, f"unknown wallet format version {version}")
    if hashlib.sha256(data[:-32]).digest() != data[-32:]:
        raise KeystoreCorrupt(path, "the file is truncated or damaged (its checksum does not match)")
    end = _PREFIX.size + hlen
    limit = len(data) - _CHECKSUM_LEN
    if end + 4 > limit or end + 4 + _U32.unpack_from(data, end)[0] > limit:
        raise KeystoreCorrupt(path, "the section lengths do not fit the file")
    (llen,) = _U32.unpack_from(data, end)
    try:
        header = json.loads(data[_PREFIX.size : end].decode("utf-8"))
        labels_obj = json.loads(data[end + 4 : end + 4 + llen].decode("utf-8"))
    except ValueError as exc:
        raise KeystoreCorrupt(path, f"the header cannot be read ({type(exc).__name__})") from None
    body = data[end + 4 + llen : limit]
    labels = labels_obj.get("accounts") if isinstance(labels_obj, dict) else None
    if (
        not isinstance(header, dict)
        or not isinstance(labels, list)
        or not all(isinstance(s, str) for s in labels)
    ):
        raise KeystoreCorrupt(path, "the header has an unexpected shape")
    wf = WalletFile(path=path, header=header, aad=data[:end], labels=labels, body=body)
    _check_crypto_sections(wf)
    return wf


def _check_crypto_sections(wf: WalletFile) -> None:
    if not isinstance(wf.header.get("watch_only"), bool):
        raise KeystoreCorrupt(wf.path, "the watch-only flag is missing")
    if wf.watch_only:
        if wf.body:
            raise KeystoreCorrupt(wf.path, "a watch-only wallet file carries encrypted data")
        return
    try:
        kdf_from_header(wf.header.get("kdf"))
        salt = b64d(wf.header["kdf"].get("salt"), "the KDF salt")
        cipher = wf.header.get("cipher")
        if not isinstance(cipher, dict) or cipher.get("name") != CIPHER:
            raise ValueError("the cipher is not aes-256-gcm")
        nonce = b64d(cipher.get("nonce"), "the nonce")
        check = b64d(wf.header.get("password_check"), "the password check")
    except (KdfParamError, ValueError) as exc:
        raise KeystoreCorrupt(wf.path, str(exc)) from None
    if len(salt) < _SALT_LEN or len(nonce) != _NONCE_LEN or len(check) != _CHECK_LEN or len(wf.body) < 16:
        raise KeystoreCorrupt(wf.path, "the encryption parameters have the wrong sizes")


def open_payload(wf: WalletFile, password: str) -> tuple[bytes, Sealer]:
    """(decrypted payload, a sealer reusing this file's key and salt). Runs the KDF.

    Raises _WrongPasswordSignal (the caller turns it into WrongPassword with the wallet name) or
    KeystoreCorrupt when the password is right but the header or ciphertext was changed.
    """
    kdf = kdf_from_header(wf.header["kdf"])
    salt = b64d(wf.header["kdf"]["salt"], "the KDF salt")
    key, check = _derive(password, kdf, salt)
    if not hmac.compare_digest(check, b64d(wf.header["password_check"], "the password check")):
        raise WrongPasswordSignal
    nonce = b64d(wf.header["cipher"]["nonce"], "the nonce")
    try:
        payload = AESGCM(key).decrypt(nonce, wf.body, wf.aad)
    except InvalidTag:
        raise KeystoreCorrupt(
            wf.path,
            "the password is right but the file was changed after it was written (authentication failed)",
        ) from None
    return payload, Sealer(key, dict(wf.header["kdf"]), check)


class WrongPasswordSignal(Exception):
    """Internal: the password check did not match (carries nothing)."""


def relabel(wf: WalletFile, labels: list[str]) -> bytes:
    """The same file with new display labels: header and ciphertext byte-identical, no key needed."""
    lab = _json_bytes({"accounts": labels})
    data = wf.aad + _U32.pack(len(lab)) + lab + wf.body
    return data + hashlib.sha256(data).digest()
