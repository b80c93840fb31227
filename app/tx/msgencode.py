"""Decoded JSON values -> generated protobuf messages, with each library's binary-writer rules and patches."""

from __future__ import annotations

import math
import re
from typing import Any

from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

from app.tx.flavors import LEGACY_DEC_FIELDS, Flavor, json_fields
from app.tx.splice import Splicer, cosmjs_int64_bits, serialize_spliced

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


def _number(f: FieldDescriptor, fl: Flavor, x: float, repeated: bool, sp: Splicer | None) -> Any:
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
        if sp is None:
            raise EncodeError(f"{x} would be written as an explicit 0; use encode_exact")
        return sp.explicit_zero()
    if kind in _INT32_KINDS and u >= 2**31:
        raise EncodeError(f"{x} does not fit an int32 field")
    return u


def _int64(f: FieldDescriptor, fl: Flavor, v: int, repeated: bool, sp: Splicer | None) -> Any:
    if not repeated and v == 0:
        return _SKIP
    unsigned = f.type in _UNSIGNED64
    if fl.writer == "bufbuild":
        if unsigned and not 0 <= v < 1 << 64:
            raise EncodeError(f"invalid uint64: {v}")
        if not unsigned and not -(1 << 63) <= v < 1 << 63:
            raise EncodeError(f"invalid int64: {v}")
        return v
    bits = cosmjs_int64_bits(v) if fl.writer == "cosmjs" else v % (1 << 64)
    if bits == 0 and not repeated:
        if sp is None:
            raise EncodeError(f"{v} would be written as an explicit 0; use encode_exact")
        return sp.explicit_zero()
    if fl.writer == "cosmjs":
        if sp is None and (1 << 31) <= bits < (1 << 32):
            raise EncodeError(f"{v}: cosmjs-types writes values in [2^31, 2^32) malformed; use encode_exact")
        if sp is not None:
            bits = sp.cosmjs_u64(bits)
    return bits if unsigned else (bits - (1 << 64) if bits >= 1 << 63 else bits)


def _string(fl: Flavor, s: str, sp: Splicer | None) -> str:
    if sp is None:
        try:
            s.encode("utf-8")
        except UnicodeEncodeError:
            if fl.writer != "bufbuild":
                raise EncodeError("the text contains an unpaired UTF-16 surrogate") from None
        else:
            return s
        return Splicer().text(s, replace_surrogates=True)
    return sp.text(s, replace_surrogates=fl.writer == "bufbuild")  # TextEncoder: U+FFFD


def _scalar(f: FieldDescriptor, fl: Flavor, v: Any, repeated: bool, sp: Splicer | None) -> Any:
    t = f.type
    if t == T.TYPE_STRING:
        return _SKIP if (v == "" and not repeated) else _string(fl, v, sp)
    if t == T.TYPE_BYTES:
        return _SKIP if (not v and not repeated) else v
    if t == T.TYPE_BOOL:
        return _SKIP if (not v and not repeated) else bool(v)
    if t in _INT64_KINDS:
        return _int64(f, fl, v, repeated, sp)
    if t in (T.TYPE_DOUBLE, T.TYPE_FLOAT):
        return _SKIP if (v == 0 and not repeated) else float(v)
    return _number(f, fl, float(v), repeated, sp)


def _fill_timestamp(msg: Message, fl: Flavor, ms: float, sp: Splicer | None) -> None:
    if ms != ms or math.isinf(ms):
        raise EncodeError("invalid date")
    seconds = math.trunc(ms / 1000)
    nanos = math.fmod(ms, 1000) * 1_000_000
    if seconds:
        bits = seconds % (1 << 64)
        if fl.writer == "cosmjs" and sp is not None:
            bits = sp.cosmjs_u64(bits)
        elif fl.writer == "cosmjs" and (1 << 31) <= bits < (1 << 32):
            raise EncodeError("cosmjs-types writes this timestamp malformed; use encode_exact")
        msg.seconds = bits - (1 << 64) if bits >= 1 << 63 else bits
    if nanos:
        if not float(nanos).is_integer():
            raise EncodeError("sub-nanosecond timestamps are not reproducible")
        msg.nanos = int(nanos)


def _fill(msg: Message, fl: Flavor, dec: dict[str, Any], sp: Splicer | None) -> None:
    desc = msg.DESCRIPTOR
    if desc.full_name == _TIMESTAMP:
        _fill_timestamp(msg, fl, dec["$ts"], sp)
        return
    dec = _patched(desc, fl, dec)
    for f, _key in json_fields(desc, fl):
        v = dec[f.name]
        target = getattr(msg, f.name) if (f.is_repeated or f.message_type is not None) else None
        if f.is_repeated:
            if f.message_type is not None:
                for e in v:
                    _fill(target.add(), fl, e, sp)
            else:
                target.extend(_scalar(f, fl, e, True, sp) for e in v)
        elif f.message_type is not None:
            if v is not None:
                target.SetInParent()
                _fill(target, fl, v, sp)
        else:
            w = _scalar(f, fl, v, False, sp)
            if w is not _SKIP:
                setattr(msg, f.name, w)


def _built(cls: type[Message], fl: Flavor, dec: dict[str, Any], sp: Splicer | None) -> Message:
    msg = cls()
    try:
        _fill(msg, fl, dec, sp)
    except EncodeError:
        raise
    except (TypeError, ValueError, OverflowError) as exc:
        raise EncodeError(str(exc)) from None
    return msg


def build_message(cls: type[Message], fl: Flavor, dec: dict[str, Any]) -> Message:
    """The generated message for a decoded value (EncodeError where the library would throw)."""
    return _built(cls, fl, dec, None)


def encode_exact(cls: type[Message], fl: Flavor, dec: dict[str, Any]) -> bytes:
    """The exact bytes the library writes, including the writer quirks the runtime cannot produce."""
    return serialize_spliced(lambda sp: _built(cls, fl, dec, sp))
