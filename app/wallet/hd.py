"""BIP39 seed -> BIP32/BIP44 secp256k1 keys on the Cosmos path m/44'/118'/{account}'/0/{index}."""

from __future__ import annotations

from bip_utils import Bip32Secp256k1, Bip39SeedGenerator

from app.config import COIN_TYPE


def hd_path(account: int = 0, index: int = 0) -> str:
    return f"m/44'/{COIN_TYPE}'/{account}'/0/{index}"


def _check_index(name: str, value: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**31:
        raise ValueError(f"{name} must be a whole number from 0 to 2147483647")


def seed_from_mnemonic(mnemonic: str, passphrase: str = "") -> bytes:
    """The 64-byte BIP39 seed (PBKDF2-HMAC-SHA512, 2048 rounds). Callers validate the mnemonic first."""
    return bytes(Bip39SeedGenerator(mnemonic).Generate(passphrase))


def derive_private_key_from_seed(seed: bytes, account: int = 0, index: int = 0) -> bytes:
    _check_index("account", account)
    _check_index("index", index)
    node = Bip32Secp256k1.FromSeed(seed).DerivePath(hd_path(account, index))
    return bytes(node.PrivateKey().Raw().ToBytes())


def derive_private_key(mnemonic: str, account: int = 0, index: int = 0, passphrase: str = "") -> bytes:
    """32-byte secp256k1 private key for m/44'/118'/{account}'/0/{index}."""
    return derive_private_key_from_seed(seed_from_mnemonic(mnemonic, passphrase), account, index)
