"""Money: integer base denoms and 18-decimal LegacyDec amounts. Never floats."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal, InvalidOperation, localcontext

DEC_PRECISION = 18
_DEC_SCALE = 10**DEC_PRECISION
MICRO = 10**6

# Display units for the denoms we know (base denom -> (symbol, exponent)).
DISPLAY: dict[str, tuple[str, int]] = {
    "uakt": ("AKT", 6),
    "uact": ("ACT", 6),
}


class AmountError(ValueError):
    """An amount string that is not a valid number for its field."""


def parse_dec(text: str | int | Decimal) -> Decimal:
    """A LegacyDec value from its human form ("2.526488000000000000", "1000", "-0.1")."""
    try:
        with localcontext() as ctx:
            ctx.prec = 80
            value = Decimal(str(text).strip())
    except InvalidOperation as exc:
        raise AmountError(f"not a decimal number: {text!r}") from exc
    if not value.is_finite():
        raise AmountError(f"not a finite number: {text!r}")
    if value.as_tuple().exponent < -DEC_PRECISION:  # type: ignore[operator]
        raise AmountError(f"more than {DEC_PRECISION} decimals: {text!r}")
    return value


def dec_to_atomics(value: str | int | Decimal) -> str:
    """LegacyDec on the protobuf wire: the integer string of value x 10^18."""
    dec = parse_dec(value)
    with localcontext() as ctx:
        ctx.prec = 80
        return str(int(dec * _DEC_SCALE))


def atomics_to_dec(atomics: str | int) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 80
        return Decimal(int(atomics)) / _DEC_SCALE


def format_dec18(value: str | int | Decimal) -> str:
    """The REST/JSON form of a LegacyDec: always exactly 18 decimals ("500000.000000000000000000")."""
    dec = parse_dec(value)
    with localcontext() as ctx:
        ctx.prec = 80
        q = dec.quantize(Decimal(1).scaleb(-DEC_PRECISION), rounding=ROUND_DOWN)
    text = f"{q:f}"
    if "." not in text:
        text += "." + "0" * DEC_PRECISION
    return text


def parse_int_amount(text: str | int, what: str = "amount") -> int:
    """A Coin amount (cosmos Int): a non-negative integer string."""
    s = str(text).strip()
    if not s.isdigit():
        raise AmountError(f"{what} must be a whole number of the base denom, got {text!r}")
    return int(s)


def to_base(amount: str | Decimal, exponent: int = 6) -> int:
    """'1.5' (AKT) -> 1500000 (uakt). Refuses more decimals than the denom has."""
    try:
        dec = Decimal(str(amount).strip().replace(",", ""))
    except InvalidOperation as exc:
        raise AmountError(f"not a number: {amount!r}") from exc
    if not dec.is_finite() or dec < 0:
        raise AmountError(f"amount must be a positive number, got {amount!r}")
    scaled = dec.scaleb(exponent)
    if scaled != scaled.to_integral_value():
        raise AmountError(f"at most {exponent} decimals are allowed, got {amount!r}")
    return int(scaled)


def from_base(base: int | str | Decimal, exponent: int = 6) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 80
        return Decimal(base) / (Decimal(10) ** exponent)


def format_amount(base: int | str | Decimal, denom: str, places: int | None = None) -> str:
    """Human text for an amount of a base denom: 1500000 uakt -> '1.5 AKT'."""
    symbol, exp = DISPLAY.get(denom, (denom, 0))
    return format_display(from_base(base, exp), symbol, places)


def plain_decimal(value: Decimal | int) -> str:
    """A decimal as people write it, exactly: no exponent, no trailing zeros ("500", "0.25", "12.5")."""
    value = Decimal(value)
    if not value.is_finite():
        return str(value)
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_display(value: Decimal, symbol: str, places: int | None = None) -> str:
    """'1,234.5 AKT': thousands separated, trailing zeros dropped; `places` truncates (never rounds up money)."""
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)
    text = f"{value:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text} {symbol}"
