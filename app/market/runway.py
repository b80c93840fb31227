"""Runway: how long each deployment keeps running on its escrow, and a low-funds signal for the UI.

The chain settles lazily, so the client estimates (chain-sdk `escrow blocks-remaining`):
  remaining = funds[uact] - (latest_height - settled_at) x sum(active lease rates)
  blocks_left = floor(remaining / sum(rates));  time left = blocks_left x the measured block time.
A negative `remaining` means the account is already overdrawn: the next settlement closes the leases.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from app.chain import deployment as chain_deployment
from app.chain import market
from app.chain.escrow import EscrowAccount
from app.chain.market import LeaseState, MarketFilters
from app.config import DENOM_ACT
from app.market.context import MarketContext

MICRO = Decimal(1_000_000)
DEFAULT_LOW_FUNDS_S = Decimal(24 * 3600)


@dataclass(frozen=True)
class Runway:
    """A deployment's escrow against its spending. `blocks_left` is None when nothing is being spent."""

    dseq: int
    funds_uact: Decimal
    settled_at: int
    height: int
    rate_per_block: Decimal
    block_time_s: Decimal
    remaining_uact: Decimal
    blocks_left: int | None

    @property
    def overdrawn(self) -> bool:
        return self.remaining_uact < 0

    @property
    def seconds_left(self) -> Decimal | None:
        return None if self.blocks_left is None else Decimal(self.blocks_left) * self.block_time_s

    def runs_out_at(self, now: datetime | None = None) -> datetime | None:
        seconds = self.seconds_left
        if seconds is None:
            return None
        return (now or datetime.now(UTC)) + timedelta(seconds=float(seconds))

    @property
    def cost_per_hour_uact(self) -> Decimal:
        return self.rate_per_block * 3600 / self.block_time_s

    def words(self) -> str:
        if self.blocks_left is None:
            return f"{self.remaining_uact / MICRO:,.2f} ACT in escrow; nothing is being spent (no active lease)"
        if self.overdrawn:
            return (f"out of funds: {-self.remaining_uact / MICRO:,.4f} ACT owed; the leases close at the next "
                    "settlement unless you add funds")
        return f"{self.remaining_uact / MICRO:,.2f} ACT left, about {human_duration(self.seconds_left or 0)}"


def human_duration(seconds: Decimal | float | int) -> str:
    s = int(seconds)
    if s < 3600:
        return f"{max(0, s) // 60} min"
    if s < 48 * 3600:
        return f"{s // 3600} h {s % 3600 // 60} min"
    return f"{s // 86400} days {s % 86400 // 3600} h"


def compute_runway(dseq: int, account: EscrowAccount | None, rates: Iterable[Decimal], height: int,
                   block_time_s: Decimal) -> Runway:
    """The estimate for one escrow account and the per-block rates of its active leases (uact)."""
    funds = account.funds_of(DENOM_ACT) if account is not None else Decimal(0)
    settled_at = account.settled_at if account is not None else height
    rate = sum(rates, Decimal(0))
    remaining = funds - Decimal(max(0, height - settled_at)) * rate
    blocks_left = None if rate <= 0 else max(0, math.floor(remaining / rate))
    return Runway(int(dseq), funds, settled_at, height, rate, Decimal(block_time_s), remaining, blocks_left)


async def deployment_runway(ctx: MarketContext, dseq: int) -> Runway:
    """The runway of one of the owner's deployments, from the chain now."""
    info = await chain_deployment.deployment(ctx.chain, ctx.owner, int(dseq))
    leases = await market.leases(ctx.chain, MarketFilters(owner=ctx.owner, dseq=int(dseq)))
    tip = await ctx.clock.tip()
    rates = [le.lease.price.amount for le in leases.items
             if le.lease.state is LeaseState.ACTIVE and le.lease.price.denom == DENOM_ACT]
    return compute_runway(int(dseq), info.escrow_account, rates, tip.height, await ctx.clock.block_time_s())


@dataclass(frozen=True)
class LowFunds:
    """A signal for the UI: this deployment runs out soon ("low") or has run out ("empty")."""

    dseq: int
    level: str  # "low" or "empty"
    runway: Runway
    message: str


@dataclass
class LowFundsMonitor:
    """Edge-triggered: each deployment signals once when it falls below the threshold (and once when empty);
    topping it up above the threshold re-arms it. `notify` gets every new LowFunds."""

    threshold_s: Decimal = DEFAULT_LOW_FUNDS_S
    notify: Callable[[LowFunds], Any] | None = None
    _level: dict[int, str] = field(default_factory=dict)

    def update(self, runways: Iterable[Runway]) -> list[LowFunds]:
        fired = []
        for rw in runways:
            level = _level(rw, self.threshold_s)
            before = self._level.get(rw.dseq, "ok")
            self._level[rw.dseq] = level
            if level == before or level == "ok":
                continue
            if level == "low" and before == "empty":
                continue  # a partial top-up: not news
            signal = LowFunds(rw.dseq, level, rw, _message(rw, level))
            fired.append(signal)
            if self.notify is not None:
                self.notify(signal)
        return fired


def _level(rw: Runway, threshold_s: Decimal) -> str:
    if rw.blocks_left is None:
        return "ok"
    if rw.overdrawn or rw.blocks_left == 0:
        return "empty"
    seconds = rw.seconds_left or Decimal(0)
    return "low" if seconds < threshold_s else "ok"


def _message(rw: Runway, level: str) -> str:
    if level == "empty":
        return f"Deployment {rw.dseq} is out of funds: add ACT now or its leases close at the next settlement."
    return (f"Deployment {rw.dseq} runs out of funds in about {human_duration(rw.seconds_left or 0)} "
            f"({rw.remaining_uact / MICRO:,.2f} ACT left): add funds to keep it running.")
