"""Typed, path-aware reading of gateway JSON: every wrong field becomes a MalformedResponse naming it."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation, localcontext
from enum import Enum, StrEnum
from typing import Any, TypeVar

from app.chain.errors import MalformedResponse

E = TypeVar("E", bound=Enum)
T = TypeVar("T")
_INT_RE = re.compile(r"^-?\d+$")
_DURATION_RE = re.compile(r"^(-?\d+(?:\.\d+)?)s$")
_GO_DURATION_RE = re.compile(r"(\d+(?:\.\d+)?)(h|m|s|ms|us|µs|ns)")


class Obj:
    """A JSON object of a gateway answer, with its JSON path (for errors) and the request path it came from.

    Proto3 JSON may leave out fields at their default value, so a missing scalar reads as its default
    (0, "", False); a present field of the wrong type is always an error. `required=True` marks the
    fields without which the answer is meaningless.
    """

    __slots__ = ("_d", "path", "where")

    def __init__(self, data: Any, where: str = "", path: str = "$") -> None:
        if not isinstance(data, dict):
            raise MalformedResponse(where, path, f"expected an object, got {_kind(data)}")
        self._d = data
        self.where = where
        self.path = path

    # -- generic --------------------------------------------------------------------------------------
    def has(self, key: str) -> bool:
        return self._d.get(key) is not None

    def raw(self, key: str) -> Any:
        return self._d.get(key)

    def field_names(self) -> list[str]:
        return list(self._d)

    def fail(self, key: str, problem: str) -> MalformedResponse:
        return MalformedResponse(self.where, self._at(key), problem)

    def _at(self, key: str) -> str:
        return f"{self.path}.{key}"

    def _get(self, key: str, required: bool) -> Any:
        value = self._d.get(key)
        if value is None and required:
            raise self.fail(key, "missing")
        return value

    # -- scalars --------------------------------------------------------------------------------------
    def text(self, key: str, *, required: bool = False) -> str:
        value = self._get(key, required)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise self.fail(key, f"expected a string, got {_kind(value)}")
        return value

    def integer(self, key: str, *, required: bool = False) -> int:
        """uint64/int64 come as strings, (u)int32 as numbers: both are accepted, nothing fractional."""
        value = self._get(key, required)
        if value is None:
            return 0
        if isinstance(value, bool):
            raise self.fail(key, "expected an integer, got a boolean")
        if isinstance(value, int):
            return value
        if isinstance(value, str) and _INT_RE.match(value.strip()):
            return int(value.strip())
        raise self.fail(key, f"expected an integer, got {value!r}"[:200])

    def decimal(self, key: str, *, required: bool = False) -> Decimal:
        """A LegacyDec ("2.526488000000000000", may be negative) as an exact Decimal."""
        value = self._get(key, required)
        if value is None or value == "":
            return Decimal(0)
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise self.fail(key, f"expected a decimal string, got {_kind(value)}")
        try:
            with localcontext() as ctx:
                ctx.prec = 80
                dec = Decimal(str(value).strip()) + 0
        except InvalidOperation:
            raise self.fail(key, f"expected a decimal number, got {value!r}"[:200]) from None
        if not dec.is_finite():
            raise self.fail(key, f"expected a finite decimal, got {value!r}")
        return dec

    def flag(self, key: str) -> bool:
        value = self._d.get(key)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self.fail(key, f"expected true or false, got {_kind(value)}")
        return value

    def time(self, key: str, *, required: bool = False) -> datetime | None:
        """An RFC 3339 timestamp (nanoseconds are cut to microseconds), always timezone-aware UTC."""
        value = self.text(key, required=required)
        if not value:
            return None
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise self.fail(key, f"expected an RFC 3339 time, got {value!r}"[:200]) from None
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)

    def duration(self, key: str) -> timedelta | None:
        """A protobuf Duration ("1814400s", "0.5s"); Go's "1h0m0s" is accepted too."""
        value = self.text(key)
        if not value:
            return None
        parsed = parse_duration(value)
        if parsed is None:
            raise self.fail(key, f"expected a duration like '3600s', got {value!r}"[:200])
        return parsed

    def base64(self, key: str) -> bytes:
        value = self.text(key)
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise self.fail(key, "expected standard base64") from None

    def enum(self, key: str, cls: type[E], numbers: dict[int, E] | None = None) -> E:
        """An enum by name (the gateway's form) or by number; unknown names from newer chains are kept."""
        value = self._d.get(key)
        if value is None:
            return cls(_default_member(cls))
        if isinstance(value, int) and not isinstance(value, bool) and numbers is not None:
            if value in numbers:
                return numbers[value]
            raise self.fail(key, f"unknown {cls.__name__} number {value}")
        if not isinstance(value, str):
            raise self.fail(key, f"expected an enum name, got {_kind(value)}")
        return cls(value)

    # -- containers -----------------------------------------------------------------------------------
    def child(self, key: str, *, required: bool = False) -> Obj | None:
        value = self._get(key, required)
        if value is None:
            return None
        return Obj(value, self.where, self._at(key))

    def optional(self, key: str, parse: Callable[[Obj], T]) -> T | None:
        """The child object parsed, or None when the field is left out."""
        child = self.child(key)
        return parse(child) if child is not None else None

    def need(self, key: str) -> Obj:
        obj = self.child(key, required=True)
        assert obj is not None
        return obj

    def children(self, key: str, *, required: bool = False) -> list[Obj]:
        value = self._get(key, required)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(key, f"expected a list, got {_kind(value)}")
        return [Obj(item, self.where, f"{self._at(key)}[{i}]") for i, item in enumerate(value)]

    def texts(self, key: str) -> tuple[str, ...]:
        value = self._d.get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "expected a list of strings")
        return tuple(value)


def parse_duration(text: str) -> timedelta | None:
    text = text.strip()
    m = _DURATION_RE.match(text)
    if m:
        return timedelta(seconds=float(Decimal(m.group(1))))
    parts = _GO_DURATION_RE.findall(text)
    if parts and "".join(n + u for n, u in parts) == text:
        scale = {"h": 3600, "m": 60, "s": 1, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "ns": 1e-9}
        return timedelta(seconds=sum(float(n) * scale[u] for n, u in parts))
    return None


class ChainEnum(StrEnum):
    """A string enum of chain state names that keeps names it does not know (a newer chain's states)."""

    @classmethod
    def _missing_(cls, value: object) -> ChainEnum | None:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = f"UNKNOWN_{value}"
        member._value_ = value
        return member

    @property
    def known(self) -> bool:
        return not self._name_.startswith("UNKNOWN_")


def _default_member(cls: type[Enum]) -> Any:
    return next(iter(cls)).value  # the proto zero value is listed first


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
