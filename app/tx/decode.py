"""Transaction bytes -> a readable dict: messages with their fields, fee, gas, memo, timeout, signer."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from google.protobuf import any_pb2
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import DecodeError, Message

from app.proto.gen.cosmos.crypto.secp256k1.keys_pb2 import PubKey
from app.proto.gen.cosmos.tx.signing.v1beta1.signing_pb2 import SignMode
from app.proto.gen.cosmos.tx.v1beta1 import tx_pb2
from app.proto.registry import UnknownTypeUrl, message_class
from app.tx.builder import SECP256K1_PUBKEY_URL
from app.tx.flavors import LEGACY_DEC_FIELDS
from app.units import atomics_to_dec, plain_decimal
from app.wallet.address import address_from_pubkey

T = FieldDescriptor
_INT64_KINDS = (T.TYPE_INT64, T.TYPE_UINT64, T.TYPE_SINT64, T.TYPE_FIXED64, T.TYPE_SFIXED64)


class TxDecodeError(ValueError):
    """Bytes that are not a Cosmos transaction."""


def _human_dec(atomics: str) -> str:
    """A LegacyDec's wire form (value x 10^18) in human form: "500000000000000000" -> "0.5"."""
    neg = atomics.startswith("-")
    digits = atomics[1:] if neg else atomics
    if not digits.isdigit():
        return atomics  # not a LegacyDec; show it as it is
    value = atomics_to_dec(digits)
    return ("-" if neg and value != Decimal(0) else "") + plain_decimal(value)


def _scalar(f: FieldDescriptor, v: Any) -> Any:
    if f.type == T.TYPE_BYTES:
        return base64.b64encode(v).decode("ascii")
    if f.type in _INT64_KINDS:
        return str(v)
    if f.type == T.TYPE_ENUM:
        ev = f.enum_type.values_by_number.get(v)
        return ev.name if ev is not None else v
    return v


def msg_to_dict(msg: Message) -> dict[str, Any]:
    """Proto-JSON with proto field names: set fields only, bytes base64, 64-bit ints as strings, enums by
    name, LegacyDec amounts (DecCoin etc.) in human form, Any values unpacked as {"@type", ...}."""
    desc = msg.DESCRIPTOR
    if desc.full_name == "google.protobuf.Any":
        return any_to_dict(msg)  # type: ignore[arg-type]
    if desc.full_name in ("google.protobuf.Timestamp", "google.protobuf.Duration"):
        from google.protobuf import json_format

        return json_format.MessageToDict(msg)  # type: ignore[return-value]  # an RFC 3339 / '3600s' string
    dec_fields = LEGACY_DEC_FIELDS.get(desc.full_name, ())
    out: dict[str, Any] = {}
    for f, value in msg.ListFields():
        if f.message_type is not None:
            if f.message_type.GetOptions().map_entry:
                out[f.name] = {str(k): (msg_to_dict(v) if isinstance(v, Message) else v) for k, v in value.items()}
            elif f.is_repeated:
                out[f.name] = [msg_to_dict(v) for v in value]
            else:
                out[f.name] = msg_to_dict(value)
        elif f.name in dec_fields and f.type == T.TYPE_STRING:
            out[f.name] = [_human_dec(v) for v in value] if f.is_repeated else _human_dec(value)
        elif f.is_repeated:
            out[f.name] = [_scalar(f, v) for v in value]
        else:
            out[f.name] = _scalar(f, value)
    return out


def any_to_dict(packed: any_pb2.Any) -> dict[str, Any]:
    """{"@type": type_url, ...fields}; for an unknown type {"@type", "value_b64", "error"}."""
    try:
        inner = message_class(packed.type_url).FromString(packed.value)
    except (UnknownTypeUrl, DecodeError) as exc:
        return {"@type": packed.type_url, "value_b64": base64.b64encode(packed.value).decode(), "error": str(exc)}
    return {"@type": packed.type_url, **msg_to_dict(inner)}


@dataclass(frozen=True)
class DecodedTx:
    txhash: str
    messages: tuple[dict[str, Any], ...]  # {"@type": type URL, ...fields}
    memo: str
    timeout_height: int
    fee: tuple[dict[str, str], ...]  # [{"denom", "amount"}]
    gas: int
    granter: str
    payer: str
    signer_address: str | None
    signer_pubkey_b64: str | None
    sequence: int | None
    sign_mode: str | None
    signatures: int
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "txhash": self.txhash, "messages": list(self.messages), "memo": self.memo,
            "timeout_height": str(self.timeout_height), "fee": list(self.fee), "gas": str(self.gas),
            "granter": self.granter, "payer": self.payer, "signer": self.signer_address,
            "signer_pubkey_b64": self.signer_pubkey_b64,
            "sequence": None if self.sequence is None else str(self.sequence),
            "sign_mode": self.sign_mode, "signatures": self.signatures, **self.extra,
        }


def _parse(cls: type[Message], data: bytes, what: str) -> Any:
    try:
        msg = cls.FromString(data)
    except DecodeError as exc:
        raise TxDecodeError(f"not a transaction: the {what} cannot be decoded ({exc})") from None
    return msg


def decode_tx(tx_bytes: bytes) -> DecodedTx:
    """Decode TxRaw bytes (as broadcast) into a readable form; TxDecodeError if they are not a tx."""
    if not tx_bytes:
        raise TxDecodeError("not a transaction: no bytes")
    raw = _parse(tx_pb2.TxRaw, tx_bytes, "TxRaw")
    body = _parse(tx_pb2.TxBody, raw.body_bytes, "body")
    auth = _parse(tx_pb2.AuthInfo, raw.auth_info_bytes, "auth info")
    if not body.messages:
        raise TxDecodeError("not a transaction: the body has no messages")
    address = pubkey_b64 = sign_mode = None
    sequence = None
    if auth.signer_infos:
        info = auth.signer_infos[0]
        sequence = info.sequence
        if info.mode_info.HasField("single"):
            mode = info.mode_info.single.mode
            sign_mode = SignMode.Name(mode) if mode in SignMode.values() else str(mode)
        if info.public_key.type_url == SECP256K1_PUBKEY_URL:
            try:
                key = PubKey.FromString(info.public_key.value).key
                address = address_from_pubkey(key)
                pubkey_b64 = base64.b64encode(key).decode()
            except (DecodeError, ValueError):
                pass
    return DecodedTx(
        txhash=hashlib.sha256(tx_bytes).hexdigest().upper(),
        messages=tuple(any_to_dict(m) for m in body.messages),
        memo=body.memo,
        timeout_height=body.timeout_height,
        fee=tuple({"denom": c.denom, "amount": c.amount} for c in auth.fee.amount),
        gas=auth.fee.gas_limit,
        granter=auth.fee.granter,
        payer=auth.fee.payer,
        signer_address=address,
        signer_pubkey_b64=pubkey_b64,
        sequence=sequence,
        sign_mode=sign_mode,
        signatures=len(raw.signatures),
    )
