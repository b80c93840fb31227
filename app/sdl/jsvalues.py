"""JavaScript value semantics the official SDL library relies on: numbers, String(), parseInt/parseFloat, Dates."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta

from app.jsnumber import JS_WHITESPACE, number_to_string

# A YAML document becomes these Python values, mirroring what js-yaml gives JavaScript:
#   null -> None, booleans -> bool, every number -> float (JS numbers are doubles), strings -> str,
#   mappings -> JSObject (dict), sequences -> JSArray (list), timestamps -> JSDate, !!binary -> bytes.


class JSObject(dict):
    """A YAML mapping (a plain JS object), remembering where it and each key/value sit in the file."""

    __slots__ = ("pos", "kpos")

    def __init__(self, pos: tuple[int, int] = (0, 0)) -> None:
        super().__init__()
        self.pos = pos  # (line, column), 1-based
        self.kpos: dict[str, tuple[int, int, int, int]] = {}  # key -> (key line, key col, value line, value col)


class JSArray(list):
    """A YAML sequence (a JS array) with the position of the sequence and of each item."""

    __slots__ = ("pos", "ipos")

    def __init__(self, pos: tuple[int, int] = (0, 0)) -> None:
        super().__init__()
        self.pos = pos
        self.ipos: list[tuple[int, int]] = []


class JSDate:
    """A js-yaml timestamp: a JS Date (milliseconds since the epoch, UTC)."""

    __slots__ = ("ms",)

    def __init__(self, ms: float) -> None:
        self.ms = ms

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JSDate) and other.ms == self.ms

    def __hash__(self) -> int:
        return hash(self.ms)

    def to_js_string(self) -> str:
        """Date.prototype.toString in UTC (the zone the reference runs in)."""
        if math.isnan(self.ms):
            return "Invalid Date"
        dt = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=self.ms)
        return dt.strftime("%a %b %d %Y %H:%M:%S") + " GMT+0000 (Coordinated Universal Time)"


def make_utc_date(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0,
                  ms: int = 0) -> float:
    """ECMAScript Date.UTC (months 0-based; out-of-range fields roll over like JS)."""
    year += month // 12
    month %= 12
    try:
        base = datetime(year, month + 1, 1, tzinfo=UTC)
    except ValueError:
        return math.nan
    delta = timedelta(days=day - 1, hours=hour, minutes=minute, seconds=second, milliseconds=ms)
    return (base - datetime(1970, 1, 1, tzinfo=UTC) + delta) / timedelta(milliseconds=1)


# --- numbers -------------------------------------------------------------------------------------

UINT32_MAX = 4294967295


_PARSE_FLOAT = re.compile(r"[+-]?(?:Infinity|[0-9]+\.?[0-9]*(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)")


def int_to_float(n: int) -> float:
    """An integer as the nearest double, Infinity beyond the double range (as JS does)."""
    try:
        return float(n)
    except OverflowError:
        return math.inf if n > 0 else -math.inf


def parse_float(text: str) -> float:
    """parseFloat(text)."""
    m = _PARSE_FLOAT.match(text.lstrip(JS_WHITESPACE))
    if not m:
        return math.nan
    s = m.group(0)
    if s.endswith("Infinity"):
        return -math.inf if s.startswith("-") else math.inf
    try:
        return float(s)
    except (ValueError, OverflowError):  # pragma: no cover - the pattern only admits float syntax
        return math.nan


def is_js_integer(x: object) -> bool:
    """ajv's "integer" type: a number with no fraction (Infinity passes, NaN does not)."""
    return type(x) is float and not math.isnan(x) and (math.isinf(x) or x.is_integer())


# --- String() ------------------------------------------------------------------------------------

MAX_STRING = 1 << 20  # String() of aliased nested arrays can explode; JS would hang, we refuse


class ValueTooLarge(Exception):
    """String() of a value would exceed MAX_STRING characters."""


def js_string(value: object) -> str:
    """String(value) as JavaScript computes it for a js-yaml value."""
    out = _js_string(value, set())
    if len(out) > MAX_STRING:
        raise ValueTooLarge
    return out


def _js_string(value: object, seen: set[int]) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is float:
        return number_to_string(value)
    if isinstance(value, list):
        if id(value) in seen:  # Array.prototype.join skips cycles
            return ""
        seen.add(id(value))
        parts: list[str] = []
        size = 0
        for item in value:
            part = "" if item is None else _js_string(item, seen)
            size += len(part) + 1
            if size > MAX_STRING:
                raise ValueTooLarge
            parts.append(part)
        seen.discard(id(value))
        return ",".join(parts)
    if isinstance(value, JSDate):
        return value.to_js_string()
    if isinstance(value, bytes):
        return ",".join(str(b) for b in value)
    return "[object Object]"


# --- keys ----------------------------------------------------------------------------------------

def is_array_index(key: str) -> bool:
    """Keys that JS objects enumerate first, in numeric order."""
    return key.isdigit() and key.isascii() and (key == "0" or key[0] != "0") and int(key) < UINT32_MAX


def js_key_order(keys: list[str]) -> list[str]:
    """Object.keys() order: array-index keys ascending, then the others in insertion order."""
    index = [k for k in keys if is_array_index(k)]
    if not index:
        return keys
    index.sort(key=int)
    return index + [k for k in keys if not is_array_index(k)]


def utf16_key(s: str) -> bytes:
    """Sort key of JavaScript's default Array.prototype.sort on strings (UTF-16 code units)."""
    return s.encode("utf-16-be", "surrogatepass")


# Names that every JS object inherits: the library looks user names up in plain objects, so these
# behave differently there (they resolve to Object.prototype members).
OBJECT_PROTOTYPE_NAMES = frozenset({
    "constructor", "__proto__", "__defineGetter__", "__defineSetter__", "__lookupGetter__",
    "__lookupSetter__", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable", "toLocaleString",
    "toString", "valueOf",
})
