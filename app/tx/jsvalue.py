"""JavaScript value semantics (String(), Number(), BigInt(), Long, base64, Date) as the official TS libraries apply them."""

from __future__ import annotations

import json
import math
import re
from typing import Any

from app.jsnumber import JS_WHITESPACE, number_to_string, parse_int10

UINT64 = 1 << 64
INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1


class JSError(ValueError):
    """What would be a thrown TypeError/SyntaxError/RangeError in the JavaScript library."""


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not valid JSON")


def loads(text: str | bytes) -> Any:
    """JSON.parse: every number becomes a float (a JS double); NaN/Infinity literals are rejected."""
    return json.loads(text, parse_int=float, parse_float=float, parse_constant=_reject_constant)


def is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def to_string(v: Any) -> str:
    """String(v) for a JSON value (arrays join their elements, objects are '[object Object]')."""
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if is_number(v):
        return number_to_string(v)
    if isinstance(v, str):
        return v
    if isinstance(v, list):
        return ",".join("" if e is None else to_string(e) for e in v)
    return "[object Object]"


_DEC_LITERAL = re.compile(r"[+-]?(?:Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)")


def string_to_number(s: str) -> float:
    """Number(string): StringToNumber of ECMAScript."""
    s = s.strip(JS_WHITESPACE)
    if s == "":
        return 0.0
    low = s[:2].lower()
    for prefix, base, digits in (("0x", 16, "0123456789abcdefABCDEF"), ("0o", 8, "01234567"), ("0b", 2, "01")):
        if low == prefix:
            body = s[2:]
            if body and all(c in digits for c in body):
                return float(int(body, base))
            return math.nan
    if not _DEC_LITERAL.fullmatch(s):
        return math.nan
    if s.lstrip("+-") == "Infinity":
        return -math.inf if s.startswith("-") else math.inf
    return float(s)


def to_number(v: Any) -> float:
    """Number(v) for a JSON value."""
    if v is None:
        return 0.0
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if is_number(v):
        return float(v)
    if isinstance(v, str):
        return string_to_number(v)
    if isinstance(v, list):
        return string_to_number(to_string(v))
    return math.nan


def truthy(v: Any) -> bool:
    """Boolean(v)."""
    if v is None or v is False:
        return False
    if is_number(v):
        return v == v and v != 0
    if isinstance(v, str):
        return v != ""
    return True


def string_to_bigint(s: str) -> int:
    """BigInt(string); raises JSError (a SyntaxError in JS) for anything that is not an integer literal."""
    t = s.strip(JS_WHITESPACE)
    if t == "":
        return 0
    low = t[:2].lower()
    for prefix, base in (("0x", 16), ("0o", 8), ("0b", 2)):
        if low == prefix:
            try:
                if not t[2:] or not t[2:].isascii() or "_" in t:
                    raise ValueError
                return int(t[2:], base)
            except ValueError:
                raise JSError(f"Cannot convert {s} to a BigInt") from None
    if not re.fullmatch(r"[+-]?[0-9]+", t):
        raise JSError(f"Cannot convert {s} to a BigInt")
    return int(t)


def bigint_of(v: Any) -> int:
    """BigInt(v.toString()) as cosmjs-types reads 64-bit integers."""
    if isinstance(v, dict):
        raise JSError("Cannot convert [object Object] to a BigInt")
    return string_to_bigint(to_string(v))


def _to_int32(x: float) -> int:
    if x != x or math.isinf(x):
        return 0
    n = int(x) % (1 << 32)
    return n - (1 << 32) if n >= 1 << 31 else n


def wrap_int64(n: int) -> int:
    n %= UINT64
    return n - UINT64 if n > INT64_MAX else n


def long_from_number(x: float) -> int:
    """Long.fromNumber(x) (signed): NaN -> 0, clamps to the int64 range, truncates fractions."""
    if x != x:
        return 0
    if x <= -(2.0**63):
        return INT64_MIN
    if x + 1 >= 2.0**63:
        return INT64_MAX
    return int(x)


def long_from_string(s: str) -> int:
    """Long.fromString(s) (signed, radix 10), including its 8-digit chunking quirks and int64 wrap-around."""
    if s == "":
        raise JSError("empty string")
    if s in ("NaN", "Infinity", "+Infinity", "-Infinity"):
        return 0
    p = s.find("-")
    if p > 0:
        raise JSError("interior hyphen")
    if p == 0:
        return wrap_int64(-long_from_string(s[1:]))
    result = 0
    for i in range(0, len(s), 8):
        chunk = s[i : i + 8]
        value = long_from_number(parse_int10(chunk))
        result = wrap_int64(result * 10 ** len(chunk) + value)
    return result


def long_from_value(v: Any) -> int:
    """Long.fromValue(v) as chain-sdk and akash-api read 64-bit JSON values (signed 64-bit result)."""
    if is_number(v):
        return long_from_number(float(v))
    if isinstance(v, str):
        return long_from_string(v)
    if isinstance(v, dict):
        low = _to_int32(to_number(v.get("low"))) & 0xFFFFFFFF
        high = _to_int32(to_number(v.get("high"))) & 0xFFFFFFFF
        return wrap_int64((high << 32) | low)
    return 0  # booleans and arrays: Long.fromBits(undefined, undefined)


_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_B64_LENIENT = {c: i for i, c in enumerate(_B64)} | {"-": 62, "_": 63}


def _decode_sextets(vals: list[int]) -> bytes:
    out = bytearray()
    for i in range(0, len(vals) - len(vals) % 4, 4):
        n = (vals[i] << 18) | (vals[i + 1] << 12) | (vals[i + 2] << 6) | vals[i + 3]
        out += n.to_bytes(3, "big")
    rest = vals[len(vals) - len(vals) % 4 :]
    if len(rest) == 2:
        out.append(((rest[0] << 2) | (rest[1] >> 4)) & 0xFF)
    elif len(rest) == 3:
        n = (rest[0] << 10) | (rest[1] << 4) | (rest[2] >> 2)
        out += n.to_bytes(2, "big")
    return bytes(out)


def buffer_from_base64(v: Any) -> bytes:
    """Uint8Array.from(Buffer.from(v, "base64")) (Node): lenient, skips junk, stops at '=', URL-safe too."""
    if isinstance(v, list):
        return bytes(_to_int32(to_number(e)) & 0xFF for e in v)
    if not isinstance(v, str):
        raise JSError('The first argument must be of type string or an instance of Buffer, ArrayBuffer, or Array')
    vals = []
    for c in v:
        if c == "=":
            break
        i = _B64_LENIENT.get(c)
        if i is not None:
            vals.append(i)
    return _decode_sextets(vals)


def atob(v: Any) -> bytes:
    """globalThis.atob (WHATWG forgiving-base64), as cosmjs-types decodes bytes; strict."""
    s = "".join(c for c in to_string(v) if c not in "\t\n\x0c\r ")
    if len(s) % 4 == 0:
        if s.endswith("=="):
            s = s[:-2]
        elif s.endswith("="):
            s = s[:-1]
    if len(s) % 4 == 1 or any(c not in _B64 for c in s):
        raise JSError("The string to be decoded is not correctly encoded.")
    return _decode_sextets([_B64.index(c) for c in s])


def base64(data: bytes) -> str:
    import base64 as b64

    return b64.b64encode(data).decode("ascii")


_ISO_DATE = re.compile(
    r"([+-]\d{6}|\d{4})(?:-(\d{2})(?:-(\d{2}))?)?"
    r"(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?)?"
)


def date_parse_ms(s: str) -> float:
    """Date.parse for the ECMAScript date-time string format (UTC when no offset is given); NaN otherwise.

    V8 also accepts many legacy formats; those are rejected here (NaN), which the callers turn into an error.
    """
    m = _ISO_DATE.fullmatch(s)
    if not m:
        return math.nan
    year_s, mon, day, hh, mm, ss, frac, tz = m.groups()
    if year_s == "-000000":
        return math.nan
    year = int(year_s)
    month, dday = int(mon or 1), int(day or 1)
    hour, minute, sec = int(hh or 0), int(mm or 0), int(ss or 0)
    if not (1 <= month <= 12 and 1 <= dday <= _month_days(year, month)):
        return math.nan
    if not (0 <= minute < 60 and 0 <= sec < 60 and hour <= 24):
        return math.nan
    if hour == 24 and (minute or sec or (frac and int(frac))):
        return math.nan
    days = _days_from_civil(year, month, dday)
    ms = ((days * 24 + hour) * 60 + minute) * 60_000 + sec * 1000 + int((frac or "0")[:3].ljust(3, "0"))
    if tz and tz != "Z" and (hh is not None):
        sign = 1 if tz[0] == "+" else -1
        ms -= sign * (int(tz[1:3]) * 60 + int(tz[4:6])) * 60_000
    if abs(ms) > 8.64e15:
        return math.nan
    return float(ms)


def _month_days(year: int, month: int) -> int:
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]


def _days_from_civil(y: int, m: int, d: int) -> int:
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def utf8_bytes(s: str) -> bytes:
    """UTF-8 of a JS string; lone surrogates become U+FFFD (TextEncoder)."""
    try:
        return s.encode("utf-8")
    except UnicodeEncodeError:
        fixed = s.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        return fixed.encode("utf-8")
