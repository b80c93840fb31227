"""What a wallet refuses to sign in a message value: malformed bech32 addresses and coin amounts."""

from __future__ import annotations

import re
from typing import Any

from google.protobuf.descriptor import Descriptor, FieldDescriptor

from app.tx.flavors import Flavor, json_fields
from app.wallet.address import AddressError, bech32_decode

# Fields that hold a bech32 account (or validator operator) address in the Cosmos and Akash messages.
ADDRESS_FIELDS = frozenset({
    "owner", "provider", "from_address", "to_address", "delegator_address", "validator_address",
    "validator_src_address", "validator_dst_address", "voter", "depositor", "proposer", "granter",
    "grantee", "signer", "auditor", "to", "withdraw_address", "authority", "address", "tipper", "admin", "sender",
})
VALIDATOR_FIELDS = frozenset({"validator_address", "validator_src_address", "validator_dst_address"})
_INT_AMOUNT = re.compile(r"[0-9]+")
_DEC_AMOUNT = re.compile(r"[0-9]*(\.[0-9]+)?")


class FieldError(ValueError):
    """A field value a wallet must not sign; the text names the field path."""


def check_address(value: str, where: str, *, validator: bool = False) -> None:
    """A non-empty bech32 address with a valid checksum and a 20- or 32-byte payload."""
    try:
        hrp, payload = bech32_decode(value)
    except AddressError as exc:
        raise FieldError(f"{where}: bad address {value!r}: {exc}") from None
    if len(payload) not in (20, 32):
        raise FieldError(f"{where}: bad address {value!r}: it holds {len(payload)} bytes, not 20 or 32")
    if validator and not hrp.endswith("valoper"):
        raise FieldError(f"{where}: {value!r} is not a validator operator address (…valoper1…)")


def check_int_amount(value: str, where: str) -> None:
    if value == "":
        return  # not given (the chain will say it is missing); only malformed amounts are refused here
    if not _INT_AMOUNT.fullmatch(value):
        raise FieldError(f"{where}: malformed amount {value!r}: a whole number of the base denom is needed (e.g. \"1000000\")")


def check_dec_amount(value: str, where: str) -> None:
    if value == "":
        return
    m = _DEC_AMOUNT.fullmatch(value)
    if not m or not any(c.isdigit() for c in value):
        raise FieldError(f"{where}: malformed amount {value!r}: a decimal number is needed (e.g. \"1000\" or \"0.5\")")
    frac = (m.group(1) or ".")[1:].rstrip("0")
    if len(frac) > 18:
        raise FieldError(f"{where}: malformed amount {value!r}: at most 18 decimal places")


def validate_fields(desc: Descriptor, fl: Flavor, dec: dict[str, Any], where: str) -> None:
    """Raise FieldError for the first bad address or amount inside a decoded message value."""
    _walk(desc, fl, dec, where)


def _walk(desc: Descriptor, fl: Flavor, dec: dict[str, Any], where: str) -> None:
    if desc.full_name == "google.protobuf.Timestamp":
        return
    full = desc.full_name
    for f, key in json_fields(desc, fl):
        v = dec[f.name]
        path = f"{where}.{key}"
        if f.message_type is not None:
            items = v if f.is_repeated else ([v] if v is not None else [])
            for i, item in enumerate(items):
                sub = f"{path}[{i}]" if f.is_repeated else path
                _walk(f.message_type, fl, item, sub)
            continue
        if f.type != FieldDescriptor.TYPE_STRING:
            continue
        values = v if f.is_repeated else [v]
        for i, s in enumerate(values):
            sub = f"{path}[{i}]" if f.is_repeated else path
            if full == "cosmos.base.v1beta1.Coin" and f.name == "amount":
                check_int_amount(s, sub)
            elif full == "cosmos.base.v1beta1.DecCoin" and f.name == "amount":
                check_dec_amount(s, sub)
            elif f.name in ADDRESS_FIELDS and s != "" and full.startswith(("cosmos.", "akash.", "ibc.")):
                # checksum and length only: the prefix (akash1 / akashvaloper1) is the chain's to judge,
                # as in the libraries' request format; app.tx.msgs checks prefixes for the app's own txs
                check_address(s, sub)
