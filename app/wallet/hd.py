"""BIP39 seed -> BIP32/BIP44 secp256k1 keys on the Cosmos path m/44'/118'/{account}'/0/{index}."""

from __future__ import annotations

import hashlib
import unicodedata

from app.config import COIN_TYPE
from app.wallet.mnemonic import validate_mnemonic


def hd_path(account: int = 0, index: int = 0) -> str:
    return f"m/44'/{COIN_TYPE}'/{account}'/0/{index}"


def _check_index(name: str, value: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**31:
        raise ValueError(f"{name} must be a whole number from 0 to 2147483647")


def seed_from_mnemonic(mnemonic: str, passphrase: str = "") -> bytes:
    """The 64-byte BIP39 seed: PBKDF2-HMAC-SHA512(NFKD phrase, "mnemonic" + NFKD passphrase, 2048).

    The phrase is validated first (MnemonicError says which word is wrong); the passphrase is used as
    typed apart from NFKD, exactly like cosmjs and the BIP39 reference.
    """
    if not isinstance(passphrase, str):
        raise TypeError("the BIP39 passphrase must be text")
    phrase = validate_mnemonic(mnemonic)
    salt = "mnemonic" + unicodedata.normalize("NFKD", passphrase)
    return hashlib.pbkdf2_hmac("sha512", phrase.encode("utf-8"), salt.encode("utf-8"), 2048)


def derive_private_key_from_seed(seed: bytes, account: int = 0, index: int = 0) -> bytes:
    # Imported on first use: bip_utils loads every coin it knows, ~0.2 s of the app's cold start.
    from bip_utils import Bip32Secp256k1

    _check_index("account", account)
    _check_index("index", index)
    node = Bip32Secp256k1.FromSeed(seed).DerivePath(hd_path(account, index))
    return bytes(node.PrivateKey().Raw().ToBytes())


def derive_private_key(mnemonic: str, account: int = 0, index: int = 0, passphrase: str = "") -> bytes:
    """32-byte secp256k1 private key for m/44'/118'/{account}'/0/{index}."""
    return derive_private_key_from_seed(seed_from_mnemonic(mnemonic, passphrase), account, index)
