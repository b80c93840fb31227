"""Addresses: our HD derivation gives the official libraries' address and pubkey; bech32 validation."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from app.config import VALOPER_PREFIX
from app.wallet.address import (
    AddressError,
    address_from_pubkey,
    bech32_decode,
    bech32_encode,
    convert_prefix,
    is_valid_address,
    validate_address,
)
from app.wallet.hd import derive_private_key, hd_path
from app.wallet.mnemonic import MnemonicError
from app.wallet.signer import Signer

VECTOR_DIR = Path(__file__).resolve().parents[1] / "vectors" / "wallet"
CASES = sorted(p for p in VECTOR_DIR.glob("address-*.json") if not p.name.endswith(".out.json"))
ABANDON_0 = "akash19rl4cm2hmr8afy4kldpxz3fka4jguq0a3mq6x0"


def test_there_are_vectors() -> None:
    assert len(CASES) >= 12
    assert {"address-abandon-0.json", "address-abandon-1.json"} <= {p.name for p in CASES}


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_derivation_matches_the_official_library(case: Path) -> None:
    request = json.loads(case.read_text())
    expected = json.loads(case.with_name(case.stem + ".out.json").read_text())
    key = derive_private_key(
        request["mnemonic"],
        request.get("account", 0),
        request.get("index", 0),
        request.get("bip39_password", ""),
    )
    signer = Signer(key, prefix=request.get("prefix", "akash"))
    assert signer.address == expected["address"]
    assert base64.b64encode(signer.public_key).decode() == expected["pubkey_b64"]
    assert signer.public_key.hex() == expected["pubkey_hex"]
    assert hd_path(request.get("account", 0), request.get("index", 0)) == expected["hd_path"]


def test_valoper_is_the_same_bytes_under_another_prefix() -> None:
    valoper = convert_prefix(ABANDON_0, VALOPER_PREFIX)
    assert valoper == "akashvaloper19rl4cm2hmr8afy4kldpxz3fka4jguq0amewuk9"
    assert validate_address(valoper, VALOPER_PREFIX) == validate_address(ABANDON_0)
    assert convert_prefix(valoper, "akash") == ABANDON_0


def test_bech32_roundtrip_and_case() -> None:
    payload = bytes(range(20))
    text = bech32_encode("akash", payload)
    assert bech32_decode(text) == ("akash", payload)
    assert bech32_decode(text.upper()) == ("akash", payload)
    assert (
        address_from_pubkey(
            bytes.fromhex("024f4e2ad99c34d60b9ba6283c9431a8418af8673212961f97a77b6377fcd05b62")
        )
        == ABANDON_0
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        (" " + ABANDON_0, "spaces"),
        (ABANDON_0[:-1] + ("x" if ABANDON_0[-1] != "x" else "y"), "checksum is wrong"),
        (ABANDON_0[:10] + ABANDON_0[10:].upper(), "mixes upper and lower case"),
        (convert_prefix(ABANDON_0, "cosmos"), "starts with 'cosmos1'"),
        ("akashvaloper19rl4cm2hmr8afy4kldpxz3fka4jguq0amewuk9", "validator operator address"),
        ("akash1qqqqqqqq", "checksum|too short|padding"),
        ("akash1" + "b" * 60, "checksum|bech32"),
        ("9rl4cm2hmr8afy4kldpxz3fka4jguq0a3mq6x0", "no prefix"),
        (bech32_encode("akash", bytes(10)), "holds 10 bytes"),
        ("akash1ioqqqqqq", "character 'i'|'o'"),
    ],
)
def test_bad_addresses_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(AddressError, match=message):
        validate_address(text)
    assert not is_valid_address(text)


def test_32_byte_module_addresses_are_accepted() -> None:
    assert len(validate_address(bech32_encode("akash", bytes(32)))) == 32


def test_derivation_rejects_bad_paths_and_phrases() -> None:
    with pytest.raises(ValueError, match="account"):
        derive_private_key("abandon " * 11 + "about", -1, 0)
    with pytest.raises(ValueError, match="index"):
        derive_private_key("abandon " * 11 + "about", 0, 2**31)
    with pytest.raises(MnemonicError, match="checksum"):
        derive_private_key("abandon " * 12, 0, 0)
