"""The account's deployments: chain state and the local records joined (name, status, cost, escrow, runway, leases)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.chain import deployment as chain_deployment
from app.chain import market
from app.chain.deployment import DeploymentInfo, DeploymentState, GroupState
from app.chain.market import LeaseInfo, LeaseState, MarketFilters
from app.config import DENOM_ACT
from app.market.context import MarketContext
from app.market.providers import ProviderDirectory
from app.market.reasons import lease_state_text, reason_text
from app.market.records import ACTIVE, CLOSED, CREATING, DeploymentRecord, now_iso
from app.market.runway import Runway, compute_runway
from app.sdl.cost import DAYS_PER_MONTH

MICRO = Decimal(1_000_000)


@dataclass(frozen=True)
class LeaseLine:
    gseq: int
    oseq: int
    provider: str
    provider_name: str
    state: str
    state_text: str
    price_per_block: Decimal
    denom: str
    act_per_month: Decimal | None
    close_reason: str  # words, "" while active


@dataclass(frozen=True)
class DeploymentLine:
    """One row of the deployments list."""

    dseq: int
    name: str
    state: str  # active / closed / creating (not on chain yet) / missing (local record only)
    state_text: str
    created_height: int
    act_per_month: Decimal | None
    escrow_uact: Decimal | None
    runway: Runway | None
    leases: tuple[LeaseLine, ...]
    record: DeploymentRecord | None

    def to_json(self) -> dict[str, Any]:
        return {
            "dseq": self.dseq, "name": self.name, "state": self.state, "state_text": self.state_text,
            "created_height": self.created_height,
            "act_per_month": None if self.act_per_month is None else f"{self.act_per_month:.2f}",
            "escrow_act": None if self.escrow_uact is None else f"{self.escrow_uact / MICRO:.6f}",
            "runway": None if self.runway is None else {
                "blocks_left": self.runway.blocks_left, "seconds_left": None if self.runway.seconds_left is None
                else int(self.runway.seconds_left), "overdrawn": self.runway.overdrawn, "text": self.runway.words()},
            "leases": [{"gseq": le.gseq, "oseq": le.oseq, "provider": le.provider, "provider_name": le.provider_name,
                        "state": le.state, "state_text": le.state_text, "price_per_block": str(le.price_per_block),
                        "denom": le.denom, "close_reason": le.close_reason} for le in self.leases],
            "has_local_record": self.record is not None,
        }


def _month_factor(block_time_s: Decimal) -> Decimal:
    return DAYS_PER_MONTH * 24 * 3600 / block_time_s


def deployment_state_text(info: DeploymentInfo, leases: list[LeaseInfo]) -> str:
    """"Active", or why it closed: out of funds, closed by you, by the provider..."""
    if info.deployment.state is DeploymentState.ACTIVE:
        if any(le.lease.state is LeaseState.ACTIVE for le in leases):
            return "Active"
        return "Waiting for bids" if any(g.state is GroupState.OPEN for g in info.groups) else "Active (no lease)"
    if any(g.state is GroupState.INSUFFICIENT_FUNDS for g in info.groups):
        return "Closed: out of funds"
    reasons = [le.lease.reason for le in leases if le.lease.reason.value != "lease_closed_invalid"]
    if reasons:
        words = reason_text(reasons[-1])
        return words.label if words.label.startswith("Closed") else f"Closed: {words.label.lower()}"
    return "Closed"


def _lease_lines(leases: list[LeaseInfo], directory: ProviderDirectory | None, factor: Decimal) -> tuple[LeaseLine, ...]:
    out = []
    for le in leases:
        lease = le.lease
        name = directory.card(lease.id.provider).name if directory else lease.id.provider
        per_month = lease.price.amount * factor / MICRO if lease.price.denom == DENOM_ACT else None
        closed = lease.state is not LeaseState.ACTIVE
        out.append(LeaseLine(lease.id.gseq, lease.id.oseq, lease.id.provider, name, lease.state.value,
                             lease_state_text(lease.state, lease.reason), lease.price.amount, lease.price.denom,
                             per_month, reason_text(lease.reason).sentence if closed else ""))
    return tuple(out)


def _reconcile(ctx: MarketContext, record: DeploymentRecord, info: DeploymentInfo,
               leases: list[LeaseInfo]) -> DeploymentRecord:
    """Bring the local record up to what the chain says: closed leases (with their reasons), a closed deployment."""
    closed = {(le.lease.id.gseq, le.lease.id.oseq, le.lease.id.provider): le.lease.reason.value
              for le in leases if le.lease.state is not LeaseState.ACTIVE}
    gone = info.deployment.state is DeploymentState.CLOSED
    stale = [le for le in record.leases if le.key in closed and not le.closed_at]
    if not stale and not (gone and record.state != CLOSED) and not (not gone and record.state == CREATING):
        return record

    def update(r: DeploymentRecord) -> None:
        for le in r.leases:
            if le.key in closed and not le.closed_at:
                le.closed_at, le.close_reason = now_iso(), closed[le.key]
        if gone and r.state != CLOSED:
            reasons = [closed[k] for k in (le.key for le in r.leases) if k in closed]
            out_of_funds = any(g.state is GroupState.INSUFFICIENT_FUNDS for g in info.groups)
            r.state, r.closed_at = CLOSED, now_iso()
            r.close_reason = "lease_closed_reason_insufficient_funds" if out_of_funds else (reasons[-1] if reasons
                                                                                             else "closed")
        elif not gone and r.state == CREATING:
            r.state, r.created_height = ACTIVE, info.deployment.created_at

    return ctx.records.mutate(record.owner, record.dseq, update) or record


async def deployments_overview(ctx: MarketContext, *, directory: ProviderDirectory | None = None,
                               include_closed: bool = True) -> list[DeploymentLine]:
    """Every deployment of the owner on chain, joined with its local record; records not on chain too."""
    state = None if include_closed else DeploymentState.ACTIVE
    infos, leases, tip, block_time = await asyncio.gather(
        chain_deployment.deployments(ctx.chain, ctx.owner, state=state),
        market.leases(ctx.chain, MarketFilters(owner=ctx.owner)),
        ctx.clock.tip(), ctx.clock.block_time_s())
    if directory is not None:
        await directory.refresh()
    by_dseq: dict[int, list[LeaseInfo]] = {}
    for le in leases.items:
        by_dseq.setdefault(le.lease.id.dseq, []).append(le)
    records = {r.dseq: r for r in ctx.records.of_owner(ctx.owner)}
    factor = _month_factor(block_time)
    lines = []
    for info in infos.items:
        d = info.deployment
        mine = by_dseq.get(d.id.dseq, [])
        record = records.pop(d.id.dseq, None)
        if record is not None:
            record = _reconcile(ctx, record, info, mine)
        active = [le for le in mine if le.lease.state is LeaseState.ACTIVE]
        rates = [le.lease.price.amount for le in active if le.lease.price.denom == DENOM_ACT]
        is_active = d.state is DeploymentState.ACTIVE
        runway = compute_runway(d.id.dseq, info.escrow_account, rates, tip.height, block_time) if is_active else None
        per_month = sum(rates, Decimal(0)) * factor / MICRO if active else None
        escrow = info.escrow_account.funds_of(DENOM_ACT) if info.escrow_account is not None else None
        lines.append(DeploymentLine(d.id.dseq, record.name if record else "", d.state.value,
                                    deployment_state_text(info, mine), d.created_at, per_month, escrow, runway,
                                    _lease_lines(mine, directory, factor), record))
    for record in records.values():  # known here but not (or no longer) on chain
        if not include_closed and record.state == CLOSED:
            continue
        waiting = record.state == CREATING
        lines.append(DeploymentLine(record.dseq, record.name, "creating" if waiting else "missing",
                                    "Being created (not on chain yet)" if waiting else
                                    "Not found on chain (local record only)" if record.state == ACTIVE else
                                    "Closed (local record)", record.created_height, None, None, None, (), record))
    return sorted(lines, key=lambda line: line.dseq, reverse=True)
