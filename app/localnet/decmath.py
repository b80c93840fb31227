"""LegacyDec arithmetic: 18 decimal places, truncation, and enough precision for any amount."""

from __future__ import annotations

from decimal import ROUND_DOWN, Context, Decimal

CTX = Context(prec=80, rounding=ROUND_DOWN)
_Q18 = Decimal(1).scaleb(-18)
ZERO = Decimal(0)
ONE = Decimal(1)


def D(value: Decimal | int | str) -> Decimal:  # noqa: N802 - reads like the SDK's math.LegacyNewDec
    return value if isinstance(value, Decimal) else Decimal(str(value))


def q18(value: Decimal) -> Decimal:
    """Truncate to 18 decimals, as LegacyDec keeps them."""
    return value.quantize(_Q18, rounding=ROUND_DOWN, context=CTX)


def mul(a: Decimal | int | str, b: Decimal | int | str) -> Decimal:
    return q18(CTX.multiply(D(a), D(b)))


def quo(a: Decimal | int | str, b: Decimal | int | str) -> Decimal:
    return q18(CTX.divide(D(a), D(b)))


def add(a: Decimal | int | str, b: Decimal | int | str) -> Decimal:
    return q18(CTX.add(D(a), D(b)))


def sub(a: Decimal | int | str, b: Decimal | int | str) -> Decimal:
    return q18(CTX.subtract(D(a), D(b)))


def trunc(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_DOWN, context=CTX))


def text(value: Decimal) -> str:
    """Storage form: plain decimal text with 18 places."""
    return f"{q18(value):f}"
