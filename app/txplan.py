"""A transaction prepared by a service: the messages to sign and their plain words, signed only after a confirmation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_UP, Decimal
from typing import Any

from google.protobuf.message import Message

from app.config import DEFAULT_GAS_PRICE_UAKT, DENOM_AKT
from app.tx.describe import DescribeContext, MsgDescription, describe_msgs

# Gas a later transaction typically needs (claim, undelegate, send: 100k-250k simulated, x1.3 adjustment).
RESERVE_GAS_PER_TX = 300_000
RESERVE_TXS = 3  # this transaction and two more (e.g. undelegate later, then send) stay affordable


class PlanError(ValueError):
    """A transaction that must not be signed as asked; the text says why and what to do instead."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class PreparedTx:
    """What a service wants signed. Nothing here is signed: the UI (ui/sign.sign_and_send) or the CLI shows
    `describe()` with the fee and asks before `app.txplan.send` signs and broadcasts.

    `spends` is what leaves the account besides the fee (per base denom), so a caller can show the balance
    after; `notes` are facts worth showing (expected output, what happens next); `warnings` need attention.
    """

    title: str
    msgs: tuple[Message, ...]
    memo: str = ""
    spends: Mapping[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    names: Mapping[str, str] = field(default_factory=dict)  # address -> moniker / contact name
    proposal_titles: Mapping[int, str] = field(default_factory=dict)

    def describe_context(self) -> DescribeContext:
        return DescribeContext(names=dict(self.names), proposal_titles=dict(self.proposal_titles))

    def describe(self) -> list[MsgDescription]:
        return describe_msgs(self.msgs, self.describe_context())

    def balance_after(self, balances: Mapping[str, int], fee_uakt: int = 0) -> dict[str, int]:
        """Balances once the tx is in: spends and the fee taken (may be negative: the UI says 'not enough')."""
        out = dict(balances)
        for denom, amount in self.spends.items():
            out[denom] = out.get(denom, 0) - amount
        out[DENOM_AKT] = out.get(DENOM_AKT, 0) - fee_uakt
        return out


def fee_reserve_uakt(gas_price_uakt: Decimal | str = DEFAULT_GAS_PRICE_UAKT, txs: int = RESERVE_TXS) -> int:
    """AKT (in uakt) a MAX amount leaves behind so the account can still pay fees (Keplr #1449).

    `txs` transactions of RESERVE_GAS_PER_TX gas at the gas price, rounded up: 900,000 gas x 0.025 =
    22,500 uakt (0.0225 AKT) with the defaults. It covers this transaction's own fee too.
    """
    gas = Decimal(RESERVE_GAS_PER_TX * max(1, txs))
    return int((gas * Decimal(gas_price_uakt)).to_integral_value(rounding=ROUND_UP))


def max_spendable(available: int, denom: str, reserve_uakt: int) -> int:
    """The largest amount of `denom` that leaves the fee reserve (only AKT pays fees)."""
    if denom != DENOM_AKT:
        return max(0, available)
    return max(0, available - reserve_uakt)


def check_fee_funds(akt_available: int, akt_spent: int, reserve_uakt: int) -> None:
    """Refuse a transaction that would leave too little AKT to pay its own fee."""
    left = akt_available - akt_spent
    if left < reserve_uakt:
        from app.units import format_amount

        raise PlanError(
            f"this leaves {format_amount(max(left, 0), DENOM_AKT)}, less than the "
            f"{format_amount(reserve_uakt, DENOM_AKT)} kept for fees; lower the amount "
            f"(MAX leaves the reserve) or add AKT", field="amount")


async def send(broadcaster: Any, signer: Any, prepared: PreparedTx, *, estimate: Any = None) -> Any:
    """Sign and broadcast a prepared tx through the one pipeline (app.tx.broadcast); its TxResult.

    Call only after the person confirmed what `prepared.describe()` says, with the fee of `estimate`.
    """
    return await broadcaster.send(signer, list(prepared.msgs), memo=prepared.memo, estimate=estimate)


def merge(title: str, parts: Sequence[PreparedTx], *, memo: str = "") -> PreparedTx:
    """Several prepared txs as one (e.g. claim + delegate = compound): messages in order, spends added."""
    spends: dict[str, int] = {}
    names: dict[str, str] = {}
    titles: dict[int, str] = {}
    for p in parts:
        for denom, amount in p.spends.items():
            spends[denom] = spends.get(denom, 0) + amount
        names.update(p.names)
        titles.update(p.proposal_titles)
    return PreparedTx(
        title, tuple(m for p in parts for m in p.msgs), memo, spends,
        tuple(n for p in parts for n in p.notes), tuple(dict.fromkeys(w for p in parts for w in p.warnings)),
        names, titles,
    )
