"""The signer object: the only thing outside app/wallet that can sign. Holds a key, never shows it."""

from __future__ import annotations

import hashlib

import coincurve

from app.config import BECH32_PREFIX
from app.wallet.address import address_from_pubkey


class SignerLocked(RuntimeError):
    """The signer's key was dropped (its wallet was locked)."""

    def __init__(self, address: str) -> None:
        super().__init__(f"the key for {address} was locked; unlock the wallet again to sign")


class Signer:
    """secp256k1 signer: sign(bytes) -> 64-byte r||s over sha256(bytes), RFC 6979, low-S.

    The private key stays inside; repr() and str() never show it.
    """

    __slots__ = ("_key", "public_key", "address")

    def __init__(self, private_key: bytes, prefix: str = BECH32_PREFIX) -> None:
        if len(private_key) != 32:
            raise ValueError("a secp256k1 private key has 32 bytes")
        self._key: coincurve.PrivateKey | None = coincurve.PrivateKey(private_key)
        self.public_key: bytes = coincurve.PublicKey.from_secret(private_key).format(compressed=True)
        self.address: str = address_from_pubkey(self.public_key, prefix)

    @classmethod
    def from_mnemonic(cls, mnemonic: str, account: int = 0, index: int = 0, passphrase: str = "") -> Signer:
        from app.wallet.hd import derive_private_key

        return cls(derive_private_key(mnemonic, account, index, passphrase))

    def sign(self, message: bytes) -> bytes:
        """Compact 64-byte signature of sha256(message); libsecp256k1 is deterministic and low-S."""
        return self.sign_digest(hashlib.sha256(message).digest())

    def sign_digest(self, digest32: bytes) -> bytes:
        if len(digest32) != 32:
            raise ValueError("a digest has 32 bytes")
        if self._key is None:
            raise SignerLocked(self.address)
        return self._key.sign_recoverable(digest32, hasher=None)[:64]

    def forget(self) -> None:
        """Drop the private key (wallet lock); sign() raises SignerLocked afterwards."""
        self._key = None

    @property
    def locked(self) -> bool:
        return self._key is None

    def __reduce__(self):  # a signer is never pickled (e.g. into a process pool) with its key
        raise TypeError("a Signer cannot be pickled")

    def __repr__(self) -> str:
        return f"Signer(address={self.address!r})"

    __str__ = __repr__


def verify_signature(pubkey33: bytes, message: bytes, signature64: bytes) -> bool:
    """Cosmos secp256k1 verification: sha256 of the message, 64-byte r||s, high-S rejected."""
    if len(signature64) != 64:
        return False
    s = int.from_bytes(signature64[32:], "big")
    if s > 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0:
        return False
    try:
        pub = coincurve.PublicKey(pubkey33)
        der = coincurve.ecdsa.cdata_to_der(coincurve.ecdsa.deserialize_compact(signature64))
        return pub.verify(der, hashlib.sha256(message).digest(), hasher=None)
    except Exception:  # malformed key or signature is simply "not valid"
        return False
