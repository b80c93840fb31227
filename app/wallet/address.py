"""Bech32 addresses: encoding, pubkey -> address, and validation with errors a person understands."""

from __future__ import annotations

import hashlib

from app.config import BECH32_PREFIX, VALOPER_PREFIX

_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_CHARSET_MAP = {c: i for i, c in enumerate(_CHARSET)}
_GEN = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)


class AddressError(ValueError):
    """An address that cannot be used; the message says what is wrong with it."""


def _polymod(values: list[int]) -> int:
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            if (top >> i) & 1:
                chk ^= _GEN[i]
    return chk


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def _convertbits(data: bytes | list[int], frombits: int, tobits: int, pad: bool) -> list[int]:
    acc = 0
    bits = 0
    out: list[int] = []
    maxv = (1 << tobits) - 1
    for value in data:
        acc = (acc << frombits) | value
        bits += frombits
        while bits >= tobits:
            bits -= tobits
            out.append((acc >> bits) & maxv)
    if pad:
        if bits:
            out.append((acc << (tobits - bits)) & maxv)
    elif bits >= frombits or ((acc << (tobits - bits)) & maxv):
        raise AddressError("the address has invalid padding bits")
    return out


def bech32_encode(hrp: str, data: bytes) -> str:
    five = _convertbits(data, 8, 5, True)
    values = _hrp_expand(hrp) + five
    polymod = _polymod(values + [0] * 6) ^ 1
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(_CHARSET[d] for d in five + checksum)


def bech32_decode(text: str) -> tuple[str, bytes]:
    """(hrp, payload bytes) of a bech32 string; AddressError says what is wrong."""
    if not isinstance(text, str) or not text:
        raise AddressError("the address is empty")
    s = text.strip()
    if s != text:
        raise AddressError("the address has spaces around it")
    if any(ord(c) < 33 or ord(c) > 126 for c in s):
        raise AddressError("the address contains characters that are not allowed")
    if s.lower() != s and s.upper() != s:
        raise AddressError("the address mixes upper and lower case")
    s = s.lower()
    pos = s.rfind("1")
    if pos < 1:
        raise AddressError("the address has no prefix (it should start with 'akash1')")
    if pos + 7 > len(s):
        raise AddressError("the address is too short")
    if len(s) > 90:
        raise AddressError("the address is too long")
    hrp, data_part = s[:pos], s[pos + 1 :]
    bad = [c for c in data_part if c not in _CHARSET]
    if bad:
        raise AddressError(f"the address contains the character {bad[0]!r}, which bech32 does not use")
    data = [_CHARSET_MAP[c] for c in data_part]
    if _polymod(_hrp_expand(hrp) + data) != 1:
        raise AddressError("the address checksum is wrong: a character is mistyped or missing")
    return hrp, bytes(_convertbits(data[:-6], 5, 8, False))


def address_bytes_from_pubkey(pubkey33: bytes) -> bytes:
    """Cosmos secp256k1 account bytes: ripemd160(sha256(compressed pubkey))."""
    if len(pubkey33) != 33:
        raise AddressError("a secp256k1 public key has 33 bytes (compressed)")
    return hashlib.new("ripemd160", hashlib.sha256(pubkey33).digest()).digest()


def address_from_pubkey(pubkey33: bytes, prefix: str = BECH32_PREFIX) -> str:
    return bech32_encode(prefix, address_bytes_from_pubkey(pubkey33))


def validate_address(text: str, prefix: str = BECH32_PREFIX) -> bytes:
    """The 20 (or 32) payload bytes of an address with the expected prefix, else AddressError."""
    hrp, payload = bech32_decode(text)
    if hrp != prefix:
        if prefix == BECH32_PREFIX and hrp == VALOPER_PREFIX:
            raise AddressError(
                "this is a validator operator address (akashvaloper1...), not an account address"
            )
        raise AddressError(f"the address starts with '{hrp}1' but an '{prefix}1' address is needed")
    if len(payload) not in (20, 32):
        raise AddressError(f"the address holds {len(payload)} bytes; an Akash address holds 20 (or 32)")
    return payload


def is_valid_address(text: str, prefix: str = BECH32_PREFIX) -> bool:
    try:
        validate_address(text, prefix)
    except AddressError:
        return False
    return True


def convert_prefix(address: str, prefix: str) -> str:
    """The same account bytes under another prefix (akash1... <-> akashvaloper1...)."""
    _, payload = bech32_decode(address)
    return bech32_encode(prefix, payload)
