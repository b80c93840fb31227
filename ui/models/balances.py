"""BalancesModel: the account's tokens (AKT, ACT, USDC first), amount, USD value and whether it can be sent."""

from __future__ import annotations

from decimal import Decimal

from app.account import TokenBalance
from ui.models.rows import RIGHT, Column, RowsModel


def usd(value: Decimal | None) -> str:
    return "—" if value is None else f"${value.quantize(Decimal('0.01')):,}"


def token_amount(b: TokenBalance) -> str:
    text = f"{b.display:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


class BalancesModel(RowsModel[TokenBalance]):
    columns = (
        Column("Token", lambda b: b.symbol, tip=lambda b: f"{b.name} ({b.denom})" if b.name else b.denom),
        Column("Balance", token_amount, key=lambda b: b.display, align=RIGHT,
               tip=lambda b: f"{b.amount:,} {b.denom}"),
        Column("Value (USD)", lambda b: usd(b.usd_value), key=lambda b: b.usd_value or Decimal(-1), align=RIGHT,
               tip=lambda b: "" if b.usd_value is not None else "No price known for this token",
               header_tip="AKT at the chain oracle's price; ACT and USDC at $1"),
        Column("Note", lambda b: "" if b.transferable else "cannot be sent (spend it on deployments or burn it)",
               header_tip="ACT is a compute credit: the chain does not allow sending it"),
    )
