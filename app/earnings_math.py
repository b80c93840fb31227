"""Provider earnings arithmetic on one lease's escrow payment: totals, what is owed now, windows and days.

Definitions (amounts in the lease's base denom, usually uact; Decimal because escrow keeps 18 decimals):
- withdrawn: paid out to the provider already (payment.withdrawn);
- balance: settled by the chain but not yet withdrawn (payment.balance);
- unsettled: owed while the tenant's escrow was overdrawn (payment.unsettled): earned, not yet paid, and
  only paid if the tenant deposits again;
- accrued: owed since the account's last settlement (settlement is lazy, fact sheet §6):
  rate x (latest height - account.settled_at) for an open payment. Of it, `collectable` is what the
  escrow funds can still cover (funds shared in proportion to the rates of the leases we know of); the
  rest would become unsettled at the next settlement;
- total earned = withdrawn + balance + unsettled + accrued.
A window (24 h, 7 d, 30 d, one day) earns rate x the blocks the lease was active in it, capped by the
lease's total; heights map to times with the chain's measured block time (app.blocktime).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from app.chain.market import LeaseState

ZERO = Decimal(0)
RUNNING = (LeaseState.ACTIVE, LeaseState.RECLAIMING)


@dataclass(frozen=True)
class PaymentFigures:
    """One lease's escrow payment and the account facts settlement depends on."""

    rate: Decimal  # per block
    withdrawn: Decimal
    balance: Decimal
    unsettled: Decimal
    payment_open: bool  # the payment can still accrue and be withdrawn (state open)
    settled_at: int  # the escrow account's last settlement height (0 = unknown)
    funds: Decimal  # the escrow account's remaining funds in this denom (may be negative)
    funds_share: Decimal = Decimal(1)  # this lease's share of the funds (its rate over the known rates)


@dataclass(frozen=True)
class Accrual:
    accrued: Decimal  # owed since the last settlement
    collectable: Decimal  # balance + what the funds cover of `accrued`: what a withdrawal pays about now
    at_risk: Decimal  # unsettled + the accrued part the funds do not cover

    @classmethod
    def of(cls, p: PaymentFigures, height: int) -> Accrual:
        accrued = p.rate * max(0, height - p.settled_at) if p.payment_open and p.settled_at else ZERO
        covered = min(accrued, max(ZERO, p.funds) * p.funds_share)
        return cls(accrued, p.balance + covered, p.unsettled + accrued - covered)


def total_earned(p: PaymentFigures, accrued: Decimal) -> Decimal:
    return p.withdrawn + p.balance + p.unsettled + accrued


def overlap(start: int, end: int, lo: int, hi: int) -> int:
    """Blocks of [start, end) inside [lo, hi)."""
    return max(0, min(end, hi) - max(start, lo))


def earned_between(rate: Decimal, created_at: int, end_height: int, lo: int, hi: int, cap: Decimal) -> Decimal:
    """rate x the lease's active blocks in [lo, hi), never more than what the lease earned in all (`cap`)."""
    return min(rate * overlap(created_at, end_height, lo, hi), cap)


def add(into: dict[str, Decimal], denom: str, amount: Decimal) -> None:
    if amount:
        into[denom] = into.get(denom, ZERO) + amount


def sum_by_denom(items: Iterable[tuple[str, Decimal]]) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for denom, amount in items:
        add(out, denom, amount)
    return out


@dataclass(frozen=True)
class DayEarning:
    day: str  # YYYY-MM-DD (UTC)
    start_height: int
    end_height: int
    amounts: Mapping[str, Decimal] = field(default_factory=dict)
