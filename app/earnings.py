"""The Provider tab's service: a provider's leases and earnings (own account or watch-only), withdraw-all, CSV.

How the figures are made is in app/earnings_math.py: totals come from each lease's escrow payment
(withdrawn + balance + unsettled + accrued since the last settlement); windows (24 h / 7 d / 30 d) and the
per-day series are rate x blocks active in them, with the block time measured from the chain.
Loading is one paged lease list (500 per page) plus, for running leases, the tenants' escrow accounts and
group specs: one deployments list per tenant with many leases, one deployment info per tenant with few.
"""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from app import blocktime
from app import earnings_fetch as fetch
from app.blocktime import BlockClock
from app.chain.deployment import DeploymentSummary
from app.chain.escrow import EscrowState
from app.chain.market import LeaseClosedReason, LeaseID, LeaseInfo, LeaseState
from app.chain.resources import ResourceTotals
from app.denoms import DenomBook
from app.earnings_math import (
    RUNNING,
    ZERO,
    Accrual,
    DayEarning,
    PaymentFigures,
    add,
    earned_between,
    overlap,
    total_earned,
)
from app.fsutil import atomic_write_text
from app.tx import msgs
from app.txplan import PlanError, PreparedTx, check_fee_funds
from app.wallet.address import validate_address

if TYPE_CHECKING:
    from app.chain.client import ChainClient

WINDOWS = {"24h": 86_400, "7d": 7 * 86_400, "30d": 30 * 86_400}
DAYS = 30
WITHDRAW_PER_TX = 100  # messages per transaction (a block's gas limit bounds one tx)


@dataclass(frozen=True)
class LeaseEarning:
    id: LeaseID
    state: LeaseState
    reason: LeaseClosedReason
    denom: str
    rate: Decimal  # base units per block
    per_month: Decimal  # base units per month at the measured block time
    created_at: int
    closed_on: int
    payment: PaymentFigures
    accrual: Accrual
    windows: Mapping[str, Decimal]  # "24h" / "7d" / "30d" -> earned in it
    resources: ResourceTotals | None  # running leases only (from the deployment's group spec)

    @property
    def running(self) -> bool:
        return self.state in RUNNING

    @property
    def total(self) -> Decimal:
        return total_earned(self.payment, self.accrual.accrued)

    @property
    def withdrawable(self) -> bool:
        """A MsgWithdrawLease would succeed and pay something (open payment, at least one whole unit)."""
        return self.running and self.payment.payment_open and int(self.accrual.collectable) >= 1


@dataclass(frozen=True)
class ProviderEarnings:
    provider: str
    clock: BlockClock
    leases: tuple[LeaseEarning, ...]  # running first, then the newest
    daily: tuple[DayEarning, ...]  # the last DAYS days, oldest first
    truncated: bool  # the lease list hit LEASE_CAP

    def _sum(self, pick: Callable[[LeaseEarning], Decimal]) -> dict[str, Decimal]:
        out: dict[str, Decimal] = {}
        for lease in self.leases:
            add(out, lease.denom, pick(lease))
        return out

    @property
    def total(self) -> dict[str, Decimal]:
        return self._sum(lambda e: e.total)

    @property
    def withdrawn(self) -> dict[str, Decimal]:
        return self._sum(lambda e: e.payment.withdrawn)

    @property
    def collectable(self) -> dict[str, Decimal]:
        return self._sum(lambda e: e.accrual.collectable if e.payment.payment_open else e.payment.balance)

    @property
    def at_risk(self) -> dict[str, Decimal]:
        return self._sum(lambda e: e.accrual.at_risk)

    def window(self, name: str) -> dict[str, Decimal]:
        return self._sum(lambda e: e.windows.get(name, ZERO))

    @property
    def monthly_rate(self) -> dict[str, Decimal]:
        return self._sum(lambda e: e.per_month if e.running else ZERO)

    @property
    def running(self) -> tuple[LeaseEarning, ...]:
        return tuple(e for e in self.leases if e.running)

    @property
    def resources(self) -> ResourceTotals:
        out = ResourceTotals()
        for e in self.leases:
            if e.running and e.resources is not None:
                out = out + e.resources
        return out


# ---- figures ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Frame:
    """The clock's figures computed once per load (Decimal divisions are not free for 1,000 leases)."""

    clock: BlockClock
    per_month: Decimal
    window_starts: dict[str, int]

    @classmethod
    def of(cls, clock: BlockClock) -> _Frame:
        return cls(clock, clock.blocks_per_month,
                   {name: clock.height - int(clock.blocks_in(s)) for name, s in WINDOWS.items()})


def _figures(li: LeaseInfo, dep: DeploymentSummary | None, shares: Mapping[tuple[str, int], Decimal]) -> PaymentFigures:
    pay = li.escrow_payment
    lease = li.lease
    denom = pay.rate.denom if pay and pay.rate.denom else lease.price.denom
    acc = dep.escrow_account if dep else None
    total_rate = shares.get((lease.id.owner, lease.id.dseq), ZERO)
    rate = pay.rate.amount if pay else lease.price.amount
    return PaymentFigures(
        rate=rate,
        withdrawn=Decimal(pay.withdrawn.amount) if pay else ZERO,
        balance=pay.balance.amount if pay else ZERO,
        unsettled=pay.unsettled.amount if pay else ZERO,
        payment_open=bool(pay and pay.state == EscrowState.OPEN and lease.state in RUNNING
                          and acc is not None and acc.state == EscrowState.OPEN),
        settled_at=acc.settled_at if acc else 0,
        funds=acc.funds_of(denom) if acc else ZERO,
        funds_share=rate / total_rate if total_rate else Decimal(1),
    )


def _earning(li: LeaseInfo, dep: DeploymentSummary | None, shares: Mapping[tuple[str, int], Decimal],
             frame: _Frame | BlockClock) -> LeaseEarning:
    frame = frame if isinstance(frame, _Frame) else _Frame.of(frame)
    height = frame.clock.height
    lease = li.lease
    p = _figures(li, dep, shares)
    accrual = Accrual.of(p, height)
    total = total_earned(p, accrual.accrued)
    end = height if lease.state in RUNNING or not lease.closed_on else lease.closed_on
    windows = {name: earned_between(p.rate, lease.created_at, end, lo, height, total)
               for name, lo in frame.window_starts.items()}
    denom = li.escrow_payment.rate.denom if li.escrow_payment and li.escrow_payment.rate.denom else lease.price.denom
    resources = dep.group_totals.get(lease.id.gseq) if dep is not None and lease.state in RUNNING else None
    return LeaseEarning(lease.id, lease.state, lease.reason, denom, p.rate, p.rate * frame.per_month,
                        lease.created_at, lease.closed_on, p, accrual, windows, resources)


def _day_bounds(clock: BlockClock, days: int) -> list[tuple[str, int, int]]:
    today = clock.time.astimezone(UTC).date()
    out = []
    for back in range(days - 1, -1, -1):
        day = today - timedelta(days=back)
        start = datetime.combine(day, time.min, UTC)
        lo = max(0, clock.height_at(start))
        out.append((day.isoformat(), lo, min(clock.height, clock.height_at(start + timedelta(days=1)))))
    return out


def daily_series(leases: tuple[LeaseEarning, ...], clock: BlockClock, days: int = DAYS) -> tuple[DayEarning, ...]:
    """Earnings per UTC day for the last `days` days (today included, up to the latest block).

    Exact integer arithmetic on the 18-decimal rates (LegacyDec atomics): fast for thousands of leases.
    A lease whose recorded total is below rate x its active blocks (paid less than its rate) is capped.
    """
    bounds = _day_bounds(clock, days)
    sums: list[dict[str, int]] = [{} for _ in bounds]
    capped: list[dict[str, Decimal]] = [{} for _ in bounds]
    for e in leases:
        end = clock.height if e.running or not e.closed_on else e.closed_on
        atomics = int(e.rate.scaleb(18))
        exact = e.total >= e.rate * max(0, end - e.created_at)
        for i, (_, lo, hi) in enumerate(bounds):
            blocks = overlap(e.created_at, end, lo, hi)
            if not blocks:
                continue
            if exact:
                sums[i][e.denom] = sums[i].get(e.denom, 0) + atomics * blocks
            else:
                add(capped[i], e.denom, earned_between(e.rate, e.created_at, end, lo, hi, e.total))
    out = []
    for (day, lo, hi), ints, decs in zip(bounds, sums, capped, strict=True):
        amounts = dict(decs)
        for denom, value in ints.items():
            add(amounts, denom, Decimal(value).scaleb(-18))
        out.append(DayEarning(day, lo, hi, amounts))
    return tuple(out)


async def load(client: ChainClient, provider: str, *, clock: BlockClock | None = None) -> ProviderEarnings:
    """Every lease of `provider` with its earnings; fast enough for thousands of leases (see the module doc)."""
    validate_address(provider)
    if clock is None:
        (infos, truncated), clock = await asyncio.gather(fetch.leases(client, provider), blocktime.measure(client))
    else:
        infos, truncated = await fetch.leases(client, provider)
    running = [li for li in infos if li.lease.state in RUNNING]
    deployments = await fetch.tenant_deployments(client, running)
    shares: dict[tuple[str, int], Decimal] = {}
    for li in running:
        key = (li.lease.id.owner, li.lease.id.dseq)
        shares[key] = shares.get(key, ZERO) + (li.escrow_payment.rate.amount if li.escrow_payment else ZERO)
    frame = _Frame.of(clock)
    leases = [_earning(li, deployments.get((li.lease.id.owner, li.lease.id.dseq)), shares, frame) for li in infos]
    leases.sort(key=lambda e: (not e.running, -e.created_at, e.id.dseq))
    ordered = tuple(leases)
    return ProviderEarnings(provider, clock, ordered, daily_series(ordered, clock), truncated)


# ---- withdraw-all -------------------------------------------------------------------------------------


def build_withdraw_all(provider: str, earnings: ProviderEarnings, *, liquid_uakt: int, fee_uakt: int,
                       per_tx: int = WITHDRAW_PER_TX, denoms: DenomBook | None = None) -> list[PreparedTx]:
    """One MsgWithdrawLease per running lease with something to withdraw, `per_tx` messages a transaction
    (one transaction for up to 100 leases). Overdrawn payments are left out: the chain refuses them."""
    if earnings.provider != provider:
        raise PlanError("these earnings belong to another provider address", field="provider")
    ready = [e for e in earnings.leases if e.withdrawable]
    if not ready:
        raise PlanError("no lease has earnings to withdraw right now", field="leases")
    book = denoms or DenomBook()
    batches = [ready[i:i + per_tx] for i in range(0, len(ready), per_tx)]
    check_fee_funds(liquid_uakt, 0, fee_uakt * len(batches))
    out = []
    for n, batch in enumerate(batches, start=1):
        amounts: dict[str, Decimal] = {}
        for e in batch:
            add(amounts, e.denom, Decimal(int(e.accrual.collectable)))
        what = ", ".join(book.format(int(a), d) for d, a in sorted(amounts.items()))
        part = f" (part {n} of {len(batches)})" if len(batches) > 1 else ""
        out.append(PreparedTx(
            f"Withdraw about {what} from {len(batch)} lease{'s' * (len(batch) != 1)}{part}",
            tuple(msgs.msg_withdraw_lease(e.id.owner, e.id.dseq, e.id.gseq, e.id.oseq, e.id.provider, e.id.bseq)
                  for e in batch),
            notes=("The chain settles each lease first; the amount is an estimate at the latest block.",)))
    return out


# ---- CSV ----------------------------------------------------------------------------------------------

LEASE_COLUMNS = ("owner", "dseq", "gseq", "oseq", "state", "close_reason", "created_at", "closed_on", "denom",
                 "rate_per_block", "per_month", "withdrawn", "balance", "unsettled", "accrued", "total",
                 "last_24h", "last_7d", "last_30d")


def _display(amount: Decimal, denom: str, book: DenomBook) -> str:
    value = book.to_display(amount, denom)
    return f"{value.quantize(Decimal('0.000001')):f}"


def to_csv(earnings: ProviderEarnings, denoms: DenomBook | None = None) -> str:
    """One row per lease, amounts in display units (ACT), then a blank line and the per-day series."""
    book = denoms or DenomBook()
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(LEASE_COLUMNS)
    for e in earnings.leases:
        d = e.denom
        w.writerow([e.id.owner, e.id.dseq, e.id.gseq, e.id.oseq, e.state.value, e.reason.value if not e.running else "",
                    e.created_at, e.closed_on or "", book.symbol(d), f"{e.rate.normalize():f}",
                    _display(e.per_month, d, book), _display(e.payment.withdrawn, d, book),
                    _display(e.payment.balance, d, book), _display(e.payment.unsettled, d, book),
                    _display(e.accrual.accrued, d, book), _display(e.total, d, book),
                    *(_display(e.windows.get(k, ZERO), d, book) for k in WINDOWS)])
    w.writerow([])
    denom_list = sorted({e.denom for e in earnings.leases})
    w.writerow(["day_utc", "start_height", "end_height", *(book.symbol(d) for d in denom_list)])
    for day in earnings.daily:
        w.writerow([day.day, day.start_height, day.end_height,
                    *(_display(day.amounts.get(d, ZERO), d, book) for d in denom_list)])
    return buf.getvalue()


def export_csv(earnings: ProviderEarnings, path: Path, denoms: DenomBook | None = None) -> Path:
    atomic_write_text(Path(path), to_csv(earnings, denoms))
    return Path(path)
