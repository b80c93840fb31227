"""Proto-JSON message values (the oracle's signing-request format) -> generated protobuf messages, byte-exact.

The official libraries read a message value with their generated fromJSON(), and the oracle accepts it
only if the library understands every key (tried as given, then all snake_case, then all lowerCamelCase).
This module reproduces that: the same JSON-to-value rules per library (String(), Number(), BigInt() or
Long, base64 flavours, enum names or numbers), the same "understood" test, and the same encoding
(writer checks, 64-bit wrap-around, the DecCoin/LegacyDec patches). On top of that it checks what a
wallet must not sign: malformed addresses and amounts. Every error names the field path.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from google.protobuf import any_pb2
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

from app.proto.registry import UnknownTypeUrl, message_class
from app.tx import jsvalue as js
from app.tx.flavors import (
    COSMJS,
    COSMJS_PRESENT_BY_DEFAULT,
    NEWER_THAN_ORACLE_ENUM_VALUES,
    NEWER_THAN_ORACLE_TYPES,
    Flavor,
    flavor_for,
    json_fields,
    lower_camel,
)
from app.tx.msgencode import EncodeError, build_message, encode_exact
from app.tx.oracle_registry import oracle_type_urls
from app.tx.validate import FieldError, validate_fields

T = FieldDescriptor
_UNDEF = object()  # a key that is absent (JS undefined)
_SENTINEL = "\u0000sentinel"
_TIMESTAMP = "google.protobuf.Timestamp"
_INT64_KINDS = (T.TYPE_INT64, T.TYPE_UINT64, T.TYPE_SINT64, T.TYPE_FIXED64, T.TYPE_SFIXED64)
_NUMBER_KINDS = (T.TYPE_INT32, T.TYPE_UINT32, T.TYPE_SINT32, T.TYPE_FIXED32, T.TYPE_SFIXED32,
                 T.TYPE_DOUBLE, T.TYPE_FLOAT)

Path = tuple[str | int, ...]


class MsgJsonError(ValueError):
    """A message value the signer refuses; the text names the field path."""


def format_path(path: Path) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out


# ---------------------------------------------------------------------------------------------- reading


class _Reader:
    """One fromJSON() pass of one flavor: the decoded value plus the input paths it read."""

    def __init__(self, flavor: Flavor) -> None:
        self.fl = flavor
        self.reads: set[Path] = set()

    def message(self, desc: Descriptor, obj: Any, path: Path) -> dict[str, Any]:
        if desc.full_name == _TIMESTAMP:
            return {"$ts": self._timestamp(obj, path)}
        out: dict[str, Any] = {}
        is_obj = isinstance(obj, dict)
        for f, key in json_fields(desc, self.fl):
            if f.message_type is not None and f.message_type.GetOptions().map_entry:
                raise MsgJsonError(f"{format_path(path + (key,))}: map fields are not supported")
            if is_obj and key in obj:
                self.reads.add(path + (key,))
                v = obj[key]
            else:
                v = _UNDEF
            if (v is _UNDEF or v is None) and f.name in self._present_by_default(desc):
                out[f.name] = _from_partial_empty(f.message_type)
                continue
            out[f.name] = self.field(f, v, path + (key,))
        return out

    def _present_by_default(self, desc: Descriptor) -> frozenset[str]:
        if self.fl.name != "cosmjs":
            return frozenset()
        return COSMJS_PRESENT_BY_DEFAULT.get(desc.full_name, frozenset())

    def field(self, f: FieldDescriptor, v: Any, path: Path) -> Any:
        if f.is_repeated:
            if not isinstance(v, list):
                return []
            items = []
            for i, e in enumerate(v):
                self.reads.add(path + (i,))
                if f.message_type is not None and e is None:
                    raise js.JSError(f"Cannot read properties of null (reading '{path[-1]}[{i}]')")
                items.append(self.element(f, e, path + (i,)))
            return items
        if v is _UNDEF or v is None:
            return None if f.message_type is not None else _default(f, self.fl)
        return self.element(f, v, path)

    def _list_reads(self, v: Any, path: Path) -> None:
        # String()/Number()/BigInt() of an array join its elements, which reads every index
        if isinstance(v, list):
            for i, e in enumerate(v):
                self.reads.add(path + (i,))
                self._list_reads(e, path + (i,))

    def element(self, f: FieldDescriptor, v: Any, path: Path) -> Any:
        t = f.type
        if f.message_type is not None:
            return self.message(f.message_type, v, path)
        if t == T.TYPE_ENUM:
            return _enum_from_json(f, v)
        if t == T.TYPE_BYTES:
            if self.fl.strict_base64 or not isinstance(v, list):
                self._list_reads(v, path)
            else:
                for i in range(len(v)):
                    self.reads.add(path + (i,))
            return js.atob(v) if self.fl.strict_base64 else js.buffer_from_base64(v)
        self._list_reads(v, path)
        if t == T.TYPE_STRING:
            return js.to_string(v)
        if t == T.TYPE_BOOL:
            return js.truthy(v)
        if t in _INT64_KINDS:
            if self.fl.bigint:
                return js.bigint_of(v)
            if isinstance(v, dict):
                for k in ("low", "high", "unsigned"):
                    if k in v:
                        self.reads.add(path + (k,))
            return js.long_from_value(v)
        return js.to_number(v)

    def _timestamp(self, v: Any, path: Path) -> float:
        """fromJsonTimestamp(): a date string (Date.parse) or {seconds, nanos}; the value is epoch ms."""
        if isinstance(v, str):
            ms = js.date_parse_ms(v)
            if ms != ms:
                raise js.JSError(f"Invalid time value: {v!r}")
            return ms
        if isinstance(v, dict):
            secs = 0.0
            nanos = 0.0
            if "seconds" in v:
                self.reads.add(path + ("seconds",))
                if v["seconds"] is not None:
                    secs = float(js.bigint_of(v["seconds"]) if self.fl.bigint else js.long_from_value(v["seconds"]))
            if "nanos" in v:
                self.reads.add(path + ("nanos",))
                if v["nanos"] is not None:
                    nanos = js.to_number(v["nanos"])
            return secs * 1000 + nanos / 1_000_000
        return 0.0


def _from_partial_empty(desc: Descriptor) -> dict[str, Any]:
    """X.fromPartial({}): every field at its default, nested messages absent."""
    if desc.full_name == _TIMESTAMP:
        return {"$ts": 0.0}
    return {f.name: ([] if f.is_repeated else None if f.message_type is not None else _default(f, COSMJS))
            for f, _ in json_fields(desc, COSMJS)}


def _default(f: FieldDescriptor, fl: Flavor) -> Any:
    t = f.type
    if t == T.TYPE_STRING:
        return ""
    if t == T.TYPE_BYTES:
        return b""
    if t == T.TYPE_BOOL:
        return False
    if t == T.TYPE_ENUM:
        return 0
    if t in _INT64_KINDS:
        return 0
    return 0.0


def _enum_from_json(f: FieldDescriptor, v: Any) -> int:
    """xFromJSON(): the value's name or number (strict equality), anything else UNRECOGNIZED (-1)."""
    enum = f.enum_type
    unknown = NEWER_THAN_ORACLE_ENUM_VALUES.get(enum.full_name, frozenset())
    number = -1
    if isinstance(v, str):
        ev = enum.values_by_name.get(v)
        number = ev.number if ev is not None else -1
    elif js.is_number(v) and float(v).is_integer() and int(v) in enum.values_by_number:
        number = int(v)
    return -1 if number in unknown else number


# ---------------------------------------------------------------------------------------------- toJSON


def _emit_message(desc: Descriptor, fl: Flavor, dec: dict[str, Any]) -> dict[str, Any]:
    if desc.full_name == _TIMESTAMP:
        raise AssertionError("Timestamp is emitted by its parent")
    out: dict[str, Any] = {}
    for f, key in json_fields(desc, fl):
        v = dec[f.name]
        if f.is_repeated:
            if fl.emit_all or v:
                out[key] = [_emit_value(f, fl, e) for e in v]
            continue
        if f.message_type is not None:
            if v is not None:
                out[key] = _emit_value(f, fl, v)
            continue
        if fl.emit_all or not _is_zero(f, v):
            out[key] = _emit_value(f, fl, v)
    return out


def _is_zero(f: FieldDescriptor, v: Any) -> bool:
    if f.type == T.TYPE_BOOL:
        return v is False
    if f.type in (T.TYPE_STRING, T.TYPE_BYTES):
        return len(v) == 0
    return v == 0  # NaN is not zero, as in JS


def _emit_value(f: FieldDescriptor, fl: Flavor, v: Any) -> Any:
    if f.message_type is not None:
        if f.message_type.full_name == _TIMESTAMP:
            ms = v["$ts"]
            if ms != ms or abs(ms) > 8.64e15:
                raise js.JSError("Invalid time value")
            return ms
        return _emit_message(f.message_type, fl, v)
    if f.type == T.TYPE_ENUM:
        ev = f.enum_type.values_by_number.get(v)
        return ev.name if ev is not None else "UNRECOGNIZED"
    if f.type == T.TYPE_BYTES:
        return js.base64(v)
    if f.type in _NUMBER_KINDS:
        return None if v != v else round(v)  # Math.round; NaN serialises as null
    return v


# ---------------------------------------------------------------------------------- the oracle's checks


def _is_default(v: Any) -> bool:
    return (
        v is None or v == "" or v is False or v == "0" or (js.is_number(v) and v == 0)
        or (isinstance(v, (list, dict)) and len(v) == 0)
    )


def _unread(inp: Any, path: Path, reads: set[Path], acc: list[Path]) -> None:
    items = enumerate(inp) if isinstance(inp, list) else inp.items() if isinstance(inp, dict) else ()
    for k, v in items:
        p = path + (k,)
        if p in reads:
            _unread(v, p, reads, acc)
        else:
            acc.append(p)


def _not_re_emitted(inp: Any, out: Any, path: Path, acc: list[Path]) -> None:
    if isinstance(inp, list):
        for i, v in enumerate(inp):
            o = out[i] if isinstance(out, list) and i < len(out) else _UNDEF
            _not_re_emitted(v, o, path + (i,), acc)
    elif isinstance(inp, dict):
        for k, v in inp.items():
            o = out.get(k, _UNDEF) if isinstance(out, dict) else _UNDEF
            if o is _UNDEF:
                if not _is_default(v):
                    acc.append(path + (k,))
            else:
                _not_re_emitted(v, o, path + (k,), acc)


def _set_at(root: Any, path: Path, value: Any) -> None:
    node = root
    for step in path[1:-1]:
        node = node[step]
    node[path[-1]] = value


def _decode(desc: Descriptor, fl: Flavor, value: Any) -> tuple[dict[str, Any], set[Path]]:
    reader = _Reader(fl)
    dec = reader.message(desc, value, ("value",))
    return dec, reader.reads


def _not_understood(desc: Descriptor, fl: Flavor, value: Any, dec: dict[str, Any], reads: set[Path]) -> list[Path]:
    acc: list[Path] = []
    _unread(value, ("value",), reads, acc)
    emitted = _emit_message(desc, fl, dec)
    suspects: list[Path] = []
    _not_re_emitted(value, emitted, ("value",), suspects)
    for p in suspects:
        if p in acc:
            continue
        probe = copy.deepcopy(value)
        _set_at(probe, p, _SENTINEL)
        try:
            changed = _emit_message(desc, fl, _decode(desc, fl, probe)[0]) != emitted
        except (js.JSError, MsgJsonError, ValueError, OverflowError):
            changed = True
        if not changed:
            acc.append(p)
    return acc


def _snake(k: str) -> str:
    return "".join("_" + c.lower() if "A" <= c <= "Z" else c for c in k)


def _camel(k: str) -> str:
    return lower_camel(k)


def _rename(v: Any, f: Callable[[str], str]) -> Any:
    if isinstance(v, list):
        return [_rename(x, f) for x in v]
    if isinstance(v, dict):
        return {f(k): _rename(x, f) for k, x in v.items()}
    return v


def decode_value(type_url: str, value: Any, *, cosmos_types: str = "cosmjs", where: str = "msgs[0]") -> tuple[dict[str, Any], str, Descriptor, Flavor]:
    """The oracle's decodeValue(): (decoded value, key style, descriptor, flavor) or MsgJsonError."""
    full = type_url.rsplit("/", 1)[-1]
    if type_url not in oracle_type_urls(cosmos_types) or full in NEWER_THAN_ORACLE_TYPES:
        raise MsgJsonError(f"{where}: unknown type URL {type_url} (see `python -m app tx types` for the list)")
    try:
        desc = message_class(type_url).DESCRIPTOR
    except UnknownTypeUrl:
        raise MsgJsonError(f"{where}: unknown type URL {type_url} (see `python -m app tx types` for the list)") from None
    fl = flavor_for(type_url, cosmos_types)
    variants = (("as_given", value), ("snake_case", _rename(value, _snake)), ("camelCase", _rename(value, _camel)))
    best_error: str | None = None
    best_ignored: list[Path] | None = None
    for style, v in variants:
        try:
            dec, reads = _decode(desc, fl, v)
            ignored = _not_understood(desc, fl, v, dec, reads)
        except (js.JSError, ValueError, OverflowError) as exc:
            if best_error is None and best_ignored is None:
                best_error = str(exc)
            continue
        if not ignored:
            return dec, style, desc, fl
        if best_ignored is None or len(ignored) < len(best_ignored):
            best_ignored, best_error = ignored, None
    label = f"{where} ({type_url})"
    if best_ignored is None:
        raise MsgJsonError(f"{label}: cannot decode value: {best_error}")
    names = ", ".join(f"{where}.{format_path(p)}" for p in best_ignored)
    raise MsgJsonError(
        f"{label}: field(s) not known to {fl.source} (check spelling / field-name style): {names}"
    )


@dataclass(frozen=True)
class JsonMsg:
    """One message of a signing request, encoded exactly as the official library encodes it."""

    type_url: str
    value: bytes  # the encoded message (Any.value)
    key_style: str  # "as_given" | "snake_case" | "camelCase": which key variant the library understood
    flavor: Flavor

    def to_any(self) -> any_pb2.Any:
        return any_pb2.Any(type_url=self.type_url, value=self.value)

    def message(self) -> Message:
        return message_class(self.type_url).FromString(self.value)


def _prepare(type_url: str, value: Any, cosmos_types: str, where: str, check: bool) -> tuple[Descriptor, Flavor, dict[str, Any], str]:
    if value is None:
        value = {}
    if not isinstance(value, dict):
        raise MsgJsonError(f"{where}.value must be an object")
    dec, style, desc, fl = decode_value(type_url, value, cosmos_types=cosmos_types, where=where)
    if check:
        try:
            validate_fields(desc, fl, dec, f"{where}.value")
        except FieldError as exc:
            raise MsgJsonError(str(exc)) from None
    return desc, fl, dec, style


def encode_json_msg(type_url: str, value: Any, *, cosmos_types: str = "cosmjs", where: str = "msgs[0]",
                    check: bool = True) -> JsonMsg:
    """Encode one request message {typeUrl, value} exactly as the oracle's library would.

    `check` also refuses malformed addresses and amounts (which the libraries would sign).
    """
    desc, fl, dec, style = _prepare(type_url, value, cosmos_types, where, check)
    try:
        data = encode_exact(message_class(type_url), fl, dec)
    except EncodeError as exc:
        raise MsgJsonError(f"{where} ({type_url}): cannot encode: {exc}") from None
    return JsonMsg(type_url, data, style, fl)


def message_from_json(type_url: str, value: Any, *, cosmos_types: str = "cosmjs", where: str = "msgs[0]",
                      check: bool = True) -> Message:
    """The generated message for a proto-JSON value (as encode_json_msg, returned as a message object)."""
    desc, fl, dec, _ = _prepare(type_url, value, cosmos_types, where, check)
    try:
        return build_message(message_class(type_url), fl, dec)
    except EncodeError as exc:
        raise MsgJsonError(f"{where} ({type_url}): cannot encode: {exc}") from None
