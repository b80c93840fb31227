"""Protobuf messages to gateway JSON (proto names, EmitDefaults, null for unset messages, Any with @type)."""

from __future__ import annotations

import base64
from typing import Any

from google.protobuf.descriptor import FieldDescriptor as FD
from google.protobuf.message import Message

from app.localnet.rest import duration, rfc3339
from app.proto import registry
from app.units import atomics_to_dec, format_dec18

# gogoproto customtype LegacyDec fields: the wire holds value x 10^18, JSON shows 18 decimals.
LEGACY_DEC_FIELDS: set[tuple[str, str]] = {
    ("cosmos.base.v1beta1.DecCoin", "amount"),
    ("cosmos.gov.v1beta1.WeightedVoteOption", "weight"),
    ("cosmos.staking.v1beta1.CommissionRates", "rate"),
    ("cosmos.staking.v1beta1.CommissionRates", "max_rate"),
    ("cosmos.staking.v1beta1.CommissionRates", "max_change_rate"),
    ("cosmos.staking.v1beta1.MsgEditValidator", "commission_rate"),
}
_INT64 = {FD.TYPE_INT64, FD.TYPE_UINT64, FD.TYPE_SINT64, FD.TYPE_FIXED64, FD.TYPE_SFIXED64}


def to_json(msg: Message) -> dict[str, Any]:
    """Every field, as grpc-gateway with OrigName + EmitDefaults writes it."""
    name = msg.DESCRIPTOR.full_name
    out: dict[str, Any] = {}
    for f in msg.DESCRIPTOR.fields:
        oneof = f.containing_oneof
        if oneof is not None and msg.WhichOneof(oneof.name) != f.name:
            continue  # jsonpb writes only the set member of a oneof
        value = getattr(msg, f.name)
        if f.is_repeated:
            if f.message_type is not None and f.message_type.GetOptions().map_entry:
                out[f.name] = {str(k): _scalar(name, f, v) if f.message_type.fields_by_name["value"].message_type
                               is None else _message(v) for k, v in value.items()}
            else:
                out[f.name] = [_message(v) if f.message_type is not None else _scalar(name, f, v) for v in value]
        elif f.message_type is not None:
            out[f.name] = _message(value) if msg.HasField(f.name) else None
        else:
            out[f.name] = _scalar(name, f, value)
    return out


def _message(msg: Message) -> Any:
    full = msg.DESCRIPTOR.full_name
    if full == "google.protobuf.Any":
        return any_to_json(msg)
    if full == "google.protobuf.Timestamp":
        return rfc3339(msg.seconds * 1_000_000_000 + msg.nanos)
    if full == "google.protobuf.Duration":
        return duration(msg.seconds * 1_000_000_000 + msg.nanos)
    return to_json(msg)


def any_to_json(packed: Any) -> dict[str, Any]:
    try:
        inner = registry.unpack_any(packed)
    except (registry.UnknownTypeUrl, ValueError):
        return {"@type": packed.type_url, "value": base64.b64encode(packed.value).decode()}
    return {"@type": packed.type_url, **to_json(inner)}


def _scalar(owner: str, f: Any, value: Any) -> Any:
    if (owner, f.name) in LEGACY_DEC_FIELDS and isinstance(value, str):
        try:
            return format_dec18(atomics_to_dec(value)) if value else value
        except (ValueError, ArithmeticError):
            return value
    if f.type in _INT64:
        return str(value)
    if f.type == FD.TYPE_BYTES:
        return base64.b64encode(value).decode()
    if f.type == FD.TYPE_ENUM:
        ev = f.enum_type.values_by_number.get(value)
        return ev.name if ev is not None else value
    return value
