"""SDL quantities as the reference library computes them: sizes, CPU millicores, GPU counts, LegacyDec prices."""

from __future__ import annotations

import math
import re

from app.jsnumber import number_to_string, parse_int10
from app.sdl.jsvalues import parse_float

_SIZE = re.compile(r"([0-9.]+)([a-zA-Z])([a-zA-Z]*)")
_CPU = re.compile(r"([0-9.]+)([a-zA-Z]*)")
_PREFIXES = "kmgtpe"
LEGACY_DEC_DIGITS = 18


class QuantityError(ValueError):
    """A quantity the reference library cannot convert (it throws)."""


def size_bytes(text: str) -> float:
    """convertResourceString(): "512Mi" -> 536870912; suffixes k/M/G/T/P/E (x1000) and Ki/Mi/... (x1024),
    any case; fractions round up. A bare number without a suffix is refused, as the library does."""
    m = _SIZE.fullmatch(text.lower())
    if not m:
        raise QuantityError(f'"{text}" is not a size; write a number with a unit, e.g. 512Mi or 1Gi')
    value = parse_float(m.group(1))
    power = _PREFIXES.find(m.group(2))
    base = 1024.0 if m.group(3) == "i" else 1000.0
    result = value * math.pow(base, power + 1) if power != -1 else value
    return float(math.ceil(result)) if math.isfinite(result) else result


def cpu_millis(units: str | float) -> float:
    """parseCpuUnits(): 0.5 or "0.5" -> 500, "500m" -> 500."""
    if isinstance(units, str):
        m = _CPU.fullmatch(units.lower())
        if not m:  # the schema pattern makes this unreachable for validated SDLs
            raise QuantityError(f'"{units}" is not a CPU quantity')
        value = parse_float(m.group(1))
        return value if m.group(2) == "m" else value * 1e3
    return units * 1e3


def gpu_count(units: object) -> float:
    """parseGpuUnits(): strings through parseInt, numbers as they are, nothing as 0."""
    if units is None:
        return 0.0
    if isinstance(units, str):
        return parse_int10(units)
    return units  # type: ignore[return-value]


def resource_value(value: float) -> bytes:
    """encodeResourceValue(): the decimal string of the number, as bytes."""
    return number_to_string(value).encode()


def price_string(amount: str | float) -> str:
    """`pricing.amount.toString()`."""
    return amount if isinstance(amount, str) else number_to_string(amount)


def legacy_dec_atomics(amount: str) -> str:
    """LegacyDec on the wire (cosmjs Decimal.fromUserInput(amount, 18).atomics): "1000" -> "1" + 21 zeros."""
    if not amount:
        return ""
    sign = ""
    if amount[0] == "-":
        sign, amount = "-", amount[1:]
    bad = re.search(r"[^0-9.]", amount)
    if bad:
        raise QuantityError(f'price "{amount}" has an invalid character at position {bad.start() + 1}')
    if "." in amount:
        parts = amount.split(".")
        if len(parts) > 2:
            raise QuantityError(f'price "{amount}" has more than one decimal point')
        whole, frac = parts
        if not frac:
            raise QuantityError(f'price "{amount}" has no digits after the decimal point')
        frac = frac.rstrip("0")
    else:
        whole, frac = amount, ""
    if len(frac) > LEGACY_DEC_DIGITS:
        raise QuantityError(f'price "{amount}" has more than {LEGACY_DEC_DIGITS} decimals')
    digits = whole + frac.ljust(LEGACY_DEC_DIGITS, "0")
    if not digits.isdigit():
        raise QuantityError(f'price "{amount}" is not a number')
    return sign + str(int(digits))
