"""ECMAScript numbers as text and back (Number::toString, parseInt, JS whitespace), exactly as the official
TypeScript libraries see them: shared by the SDL engine (app/sdl) and the signing-request reader (app/tx)."""

from __future__ import annotations

import math
import re
from decimal import Decimal

JS_WHITESPACE = "\t\n\x0b\x0c\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
                "\u2028\u2029\u202f\u205f\u3000\ufeff"
_PARSE_INT = re.compile(r"([+-]?)([0-9]+)")


def number_to_string(x: float) -> str:
    """Number.prototype.toString() (ECMAScript Number::toString, radix 10)."""
    x = float(x)
    if x != x:
        return "NaN"
    if x == 0:
        return "0"
    if x < 0:
        return "-" + number_to_string(-x)
    if math.isinf(x):
        return "Infinity"
    _, digits_t, exp = Decimal(repr(x)).as_tuple()
    digits = "".join(map(str, digits_t)).rstrip("0") or "0"
    exp += len(digits_t) - len(digits)  # type: ignore[operator]
    k = len(digits)
    n = exp + k  # x = 0.digits x 10^n
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + digits
    e = n - 1
    mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{mantissa}e{'+' if e > 0 else '-'}{abs(e)}"


def parse_int10(text: str) -> float:
    """parseInt(text, 10): leading whitespace, a sign, then the longest run of digits; NaN if none."""
    m = _PARSE_INT.match(text.lstrip(JS_WHITESPACE))
    if not m:
        return math.nan
    value = float(m.group(2))  # float() of a digit string rounds correctly and has no length limit
    return -value if m.group(1) == "-" else value
