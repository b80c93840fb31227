"""Decoded JSON values -> generated protobuf messages, with each library's binary-writer rules and patches."""

from __future__ import annotations

import math
import re
from typing import Any

from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

from app.tx.flavors import LEGACY_DEC_FIELDS, Flavor, json_fields

T = FieldDescriptor
_SKIP = object()
_TIMESTAMP = "google.protobuf.Timestamp"
_UINT32_KINDS = (T.TYPE_UINT32, T.TYPE_FIXED32)
_INT32_KINDS = (T.TYPE_INT32, T.TYPE_SINT32, T.TYPE_SFIXED32, T.TYPE_ENUM)
_UNSIGNED64 = (T.TYPE_UINT64, T.TYPE_FIXED64)
_INT64_KINDS = (T.TYPE_INT64, T.TYPE_UINT64, T.TYPE_SINT64, T.TYPE_FIXED64, T.TYPE_SFIXED64)


class EncodeError(ValueError):
    """The library's encoder would throw, or would write bytes we cannot reproduce."""


def legacy_dec_atomics(value: str) -> str:
    """chain-sdk LegacyDec.encode: Decimal.fromUserInput(v, 18).atomics, keeping a leading '-'."""
    if value == "":
        return ""
    sign = ""
    if value[0] == "-":
        sign, value = "-", value[1:]
    bad = re.search(r"[^0-9.]", value)
    if bad:
        raise EncodeError(f"Invalid character at position {bad.start() + 1}")
    if value == "":
        whole, frac = "0", ""
    elif "." not in value:
        whole, frac = value, ""
    else:
        parts = value.split(".")
        if len(parts) > 2:
            raise EncodeError("More than one separator found")
        if not parts[1]:
            raise EncodeError("Fractional part missing")
        whole, frac = parts[0], parts[1].rstrip("0")
    if len(frac) > 18:
        raise EncodeError("Got more fractional digits than supported")
    quantity = whole + frac.ljust(18, "0")
    return sign + str(int(quantity))


def akash_api_dec(amount: str) -> str:
    """@akashnetwork/akash-api's DecCoin patch: whole part + fraction padded to 18 digits, by string."""
    parts = amount.split(".") if "." in amount else [amount, ""]
    return parts[0] + parts[1].ljust(18, "0")


def _patched(desc: Descriptor, fl: Flavor, dec: dict[str, Any]) -> dict[str, Any]:
    if fl.name == "akash-api" and desc.full_name == "cosmos.base.v1beta1.DecCoin":
        return {**dec, "amount": akash_api_dec(dec["amount"])}
    if fl.name == "chain-sdk":
        fields = LEGACY_DEC_FIELDS.get(desc.full_name)
        if fields:
            out = dict(dec)
            for name in fields:
                if isinstance(out.get(name), str):
                    out[name] = legacy_dec_atomics(out[name])
            return out
    return dec


def _to_uint32(x: float) -> int:
    if x != x or math.isinf(x):
        return 0
    return int(x) % (1 << 32)


def _number(f: FieldDescriptor, fl: Flavor, x: float, repeated: bool) -> Any:
    if not repeated and x == 0:
        return _SKIP
    kind = f.type
    if fl.writer == "bufbuild":
        whole = x == x and not math.isinf(x) and float(x).is_integer()
        if kind in _UINT32_KINDS and not (whole and 0 <= x <= 0xFFFFFFFF):
            raise EncodeError(f"invalid uint32: {x}")
        if kind in _INT32_KINDS and not (whole and -(2**31) <= x <= 2**31 - 1):
            raise EncodeError(f"invalid int32: {x}")
        return int(x)
    if kind in _INT32_KINDS and x < 0:
        if not float(x).is_integer() or x < -(2**63):
            raise EncodeError(f"cannot reproduce the encoding of {x} for an int32 field")
        return int(x)
    u = _to_uint32(x)
    if u == 0 and not repeated:
        raise EncodeError(f"{x} would be written as an explicit 0, which is not reproducible")
    if kind in _INT32_KINDS and u >= 2**31:
        raise EncodeError(f"{x} does not fit an int32 field")
    return u


def _cosmjs_int64_bits(v: int) -> int:
    """cosmjs-types int64FromString(v.toString()): the last 24 decimal digits, modulo 2^64."""
    s = str(v)
    neg = s.startswith("-")
    digits = s.lstrip("-")[-24:] or "0"
    n = int(digits) % (1 << 64)
    return (-n) % (1 << 64) if neg else n


def _int64(f: FieldDescriptor, fl: Flavor, v: int, repeated: bool) -> Any:
    if not repeated and v == 0:
        return _SKIP
    unsigned = f.type in _UNSIGNED64
    if fl.writer == "bufbuild":
        if unsigned and not 0 <= v < 1 << 64:
            raise EncodeError(f"invalid uint64: {v}")
        if not unsigned and not -(1 << 63) <= v < 1 << 63:
            raise EncodeError(f"invalid int64: {v}")
        return v
    bits = _cosmjs_int64_bits(v) if fl.writer == "cosmjs" else v % (1 << 64)
    if bits == 0 and not repeated:
        raise EncodeError(f"{v} would be written as an explicit 0, which is not reproducible")
    return bits if unsigned else (bits - (1 << 64) if bits >= 1 << 63 else bits)


class RawStrings:
    """Strings that are not valid UTF-8 on the JS side (lone surrogates), spliced in later as raw bytes.

    Each gets an ASCII placeholder of the same byte length ('a's, or 'b's for the one being located).
    """

    def __init__(self, mark: int | None = None) -> None:
        self.mark = mark
        self.items: list[bytes] = []

    def placeholder(self, data: bytes) -> str:
        index = len(self.items)
        self.items.append(data)
        return ("b" if index == self.mark else "a") * len(data)


def _string(fl: Flavor, s: str, raw: RawStrings | None) -> str:
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        pass
    if fl.writer == "bufbuild":  # TextEncoder: lone surrogates become U+FFFD
        return s.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    data = s.encode("utf-8", "surrogatepass")  # cosmjs-types / protobufjs write them as 3-byte sequences
    if raw is None:
        raise EncodeError("the text contains an unpaired UTF-16 surrogate")
    return raw.placeholder(data)


def _scalar(f: FieldDescriptor, fl: Flavor, v: Any, repeated: bool, raw: RawStrings | None) -> Any:
    t = f.type
    if t == T.TYPE_STRING:
        return _SKIP if (v == "" and not repeated) else _string(fl, v, raw)
    if t == T.TYPE_BYTES:
        return _SKIP if (not v and not repeated) else v
    if t == T.TYPE_BOOL:
        return _SKIP if (not v and not repeated) else bool(v)
    if t in _INT64_KINDS:
        return _int64(f, fl, v, repeated)
    if t in (T.TYPE_DOUBLE, T.TYPE_FLOAT):
        return _SKIP if (v == 0 and not repeated) else float(v)
    return _number(f, fl, float(v), repeated)


def _fill_timestamp(msg: Message, fl: Flavor, ms: float) -> None:
    if ms != ms or math.isinf(ms):
        raise EncodeError("invalid date")
    seconds = math.trunc(ms / 1000)
    nanos = math.fmod(ms, 1000) * 1_000_000
    if seconds:
        msg.seconds = seconds
    if nanos:
        if not float(nanos).is_integer():
            raise EncodeError("sub-nanosecond timestamps are not reproducible")
        msg.nanos = int(nanos)


def _fill(msg: Message, fl: Flavor, dec: dict[str, Any], raw: RawStrings | None) -> None:
    desc = msg.DESCRIPTOR
    if desc.full_name == _TIMESTAMP:
        _fill_timestamp(msg, fl, dec["$ts"])
        return
    dec = _patched(desc, fl, dec)
    for f, _key in json_fields(desc, fl):
        v = dec[f.name]
        target = getattr(msg, f.name) if (f.is_repeated or f.message_type is not None) else None
        if f.is_repeated:
            if f.message_type is not None:
                for e in v:
                    _fill(target.add(), fl, e, raw)
            else:
                target.extend(_scalar(f, fl, e, True, raw) for e in v)
        elif f.message_type is not None:
            if v is not None:
                target.SetInParent()
                _fill(target, fl, v, raw)
        else:
            w = _scalar(f, fl, v, False, raw)
            if w is not _SKIP:
                setattr(msg, f.name, w)


def _built(cls: type[Message], fl: Flavor, dec: dict[str, Any], raw: RawStrings | None) -> Message:
    msg = cls()
    try:
        _fill(msg, fl, dec, raw)
    except EncodeError:
        raise
    except (TypeError, ValueError, OverflowError) as exc:
        raise EncodeError(str(exc)) from None
    return msg


def build_message(cls: type[Message], fl: Flavor, dec: dict[str, Any]) -> Message:
    """The generated message for a decoded value (EncodeError where the library would throw)."""
    return _built(cls, fl, dec, None)


def encode_exact(cls: type[Message], fl: Flavor, dec: dict[str, Any]) -> bytes:
    """The exact bytes the library writes, including strings that are not valid UTF-8 (lone surrogates)."""
    raw = RawStrings()
    base = _built(cls, fl, dec, raw).SerializeToString()
    out = bytearray(base)
    for index, data in enumerate(raw.items):
        marked = _built(cls, fl, dec, RawStrings(mark=index)).SerializeToString()
        diff = [i for i in range(len(base)) if base[i] != marked[i]]
        if len(diff) != len(data) or diff[-1] - diff[0] + 1 != len(data):
            raise EncodeError("could not place a string that is not valid UTF-8")
        out[diff[0] : diff[0] + len(data)] = data
    return bytes(out)
