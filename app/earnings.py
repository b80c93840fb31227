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
from app.blocktime import BlockClock
from app.chain import deployment as chain_deployment
from app.chain import market
from app.chain.deployment import DeploymentInfo, DeploymentState
from app.chain.errors import NotFound
from app.chain.escrow import EscrowState
from app.chain.market import LeaseClosedReason, LeaseID, LeaseInfo, LeaseState
from app.chain.pagination import fetch_all
from app.denoms import DenomBook
from app.earnings_math import (
    RUNNING,
    ZERO,
    Accrual,
    DayEarning,
    LeasedResources,
    PaymentFigures,
    add,
    earned_between,
    total_earned,
)
from app.fsutil import atomic_write_text
from app.tx import msgs
from app.txplan import PlanError, PreparedTx, check_fee_funds
from app.wallet.address import validate_address

if TYPE_CHECKING:
    from app.chain.client import ChainClient

LEASE_PAGE = 500
LEASE_CAP = 100_000
INFO_PER_TENANT_MAX = 4  # up to this many running deployments of a tenant: fetch each; more: list the tenant's
PARALLEL = 8
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
    resources: LeasedResources | None  # running leases only (from the deployment's group spec)

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
    def resources(self) -> LeasedResources:
        out = LeasedResources()
        for e in self.leases:
            if e.running and e.resources is not None:
                out = out + e.resources
        return out


# ---- loading ------------------------------------------------------------------------------------------


async def _leases(client: ChainClient, provider: str) -> tuple[tuple[LeaseInfo, ...], bool]:
    listing = await fetch_all(client, market.LEASES, "leases", LeaseInfo.parse,
                              params={"filters.provider": provider}, page_size=LEASE_PAGE, cap=LEASE_CAP)
    return listing.items, listing.truncated


async def _deployments(client: ChainClient, running: list[LeaseInfo]) -> dict[tuple[str, int], DeploymentInfo]:
    """Escrow accounts and group specs of the deployments with running leases, in few requests."""
    by_owner: dict[str, set[int]] = {}
    for li in running:
        by_owner.setdefault(li.lease.id.owner, set()).add(li.lease.id.dseq)
    gate = asyncio.Semaphore(PARALLEL)
    found: dict[tuple[str, int], DeploymentInfo] = {}

    async def one_tenant(owner: str, dseqs: set[int]) -> None:
        async with gate:
            if len(dseqs) <= INFO_PER_TENANT_MAX:
                infos = [i for d in sorted(dseqs) if (i := await _info(client, owner, d)) is not None]
            else:
                infos = list((await chain_deployment.deployments(
                    client, owner, state=DeploymentState.ACTIVE, cap=LEASE_CAP)).items)
        for info in infos:
            if info.deployment.id.dseq in dseqs:
                found[(owner, info.deployment.id.dseq)] = info

    await asyncio.gather(*(one_tenant(o, d) for o, d in by_owner.items()))
    return found


async def _info(client: ChainClient, owner: str, dseq: int) -> DeploymentInfo | None:
    try:
        return await chain_deployment.deployment(client, owner, dseq)
    except NotFound:  # closed and pruned meanwhile: no accrual, no resources for it
        return None


def _resources(info: DeploymentInfo | None, gseq: int) -> LeasedResources | None:
    group = next((g for g in info.groups if g.id.gseq == gseq), None) if info else None
    if group is None:
        return None
    out = LeasedResources()
    for unit in group.spec.resources:
        r, n = unit.resources, unit.count
        out = out + LeasedResources(r.cpu_millis * n, r.memory_bytes * n, sum(s.quantity for s in r.storage) * n,
                                    r.gpu_units * n, len(r.endpoints) * n)
    return out


def _figures(li: LeaseInfo, info: DeploymentInfo | None, shares: Mapping[tuple[str, int], Decimal]) -> PaymentFigures:
    pay = li.escrow_payment
    lease = li.lease
    denom = pay.rate.denom if pay and pay.rate.denom else lease.price.denom
    acc = info.escrow_account if info else None
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


def _earning(li: LeaseInfo, info: DeploymentInfo | None, shares: Mapping[tuple[str, int], Decimal],
             clock: BlockClock) -> LeaseEarning:
    lease = li.lease
    p = _figures(li, info, shares)
    accrual = Accrual.of(p, clock.height)
    total = total_earned(p, accrual.accrued)
    end = clock.height if lease.state in RUNNING or not lease.closed_on else lease.closed_on
    windows = {name: earned_between(p.rate, lease.created_at, end, clock.height - int(clock.blocks_in(s)),
                                    clock.height, total) for name, s in WINDOWS.items()}
    denom = li.escrow_payment.rate.denom if li.escrow_payment and li.escrow_payment.rate.denom else lease.price.denom
    return LeaseEarning(lease.id, lease.state, lease.reason, denom, p.rate, p.rate * clock.blocks_per_month,
                        lease.created_at, lease.closed_on, p, accrual, windows,
                        _resources(info, lease.id.gseq) if lease.state in RUNNING else None)


def daily_series(leases: tuple[LeaseEarning, ...], clock: BlockClock, days: int = DAYS) -> tuple[DayEarning, ...]:
    """Earnings per UTC day for the last `days` days (today included, up to the latest block)."""
    today = clock.time.astimezone(UTC).date()
    out = []
    for back in range(days - 1, -1, -1):
        day = today - timedelta(days=back)
        start = datetime.combine(day, time.min, UTC)
        lo = max(0, clock.height_at(start))
        hi = min(clock.height, clock.height_at(start + timedelta(days=1)))
        amounts: dict[str, Decimal] = {}
        for e in leases:
            end = clock.height if e.running or not e.closed_on else e.closed_on
            add(amounts, e.denom, earned_between(e.rate, e.created_at, end, lo, hi, e.total))
        out.append(DayEarning(day.isoformat(), lo, hi, amounts))
    return tuple(out)


async def load(client: ChainClient, provider: str, *, clock: BlockClock | None = None) -> ProviderEarnings:
    """Every lease of `provider` with its earnings; fast enough for thousands of leases (see the module doc)."""
    validate_address(provider)
    if clock is None:
        (infos, truncated), clock = await asyncio.gather(_leases(client, provider), blocktime.measure(client))
    else:
        infos, truncated = await _leases(client, provider)
    running = [li for li in infos if li.lease.state in RUNNING]
    deployments = await _deployments(client, running)
    shares: dict[tuple[str, int], Decimal] = {}
    for li in running:
        key = (li.lease.id.owner, li.lease.id.dseq)
        shares[key] = shares.get(key, ZERO) + (li.escrow_payment.rate.amount if li.escrow_payment else ZERO)
    leases = [_earning(li, deployments.get((li.lease.id.owner, li.lease.id.dseq)), shares, clock) for li in infos]
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
