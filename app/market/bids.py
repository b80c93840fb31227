"""Bids of a deployment while its orders are open: an async iterator of snapshots, polled with backoff.

Polling speeds up again whenever something changed (a new bid, an order leased) and slows down to
`max_interval_s` while nothing happens. A node that briefly fails does not end the watch: the snapshot
keeps the last data and says what went wrong. compare_bids() turns a snapshot into comparison rows.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace

from app.chain import market
from app.chain.errors import ChainError
from app.chain.market import BidInfo, MarketFilters, Order, OrderState
from app.market.compare import BidRow, OrderKey, build_rows
from app.market.context import MarketContext
from app.market.funding import akt_price
from app.market.providers import ProviderDirectory

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BidSnapshot:
    """The orders and bids of one deployment at one height."""

    dseq: int
    height: int
    taken_at: float
    orders: tuple[Order, ...]
    bids: tuple[BidInfo, ...]
    error: str = ""  # the last poll failed (the data is from the poll before)

    @property
    def open_orders(self) -> tuple[Order, ...]:
        return tuple(o for o in self.orders if o.state is OrderState.OPEN)

    @property
    def done(self) -> bool:
        """Every order is leased or closed: no more bids will come."""
        return bool(self.orders) and not self.open_orders

    def bids_for(self, order: OrderKey) -> tuple[BidInfo, ...]:
        return tuple(b for b in self.bids if (b.bid.id.gseq, b.bid.id.oseq) == order)

    @property
    def open_bids(self) -> tuple[BidInfo, ...]:
        open_keys = {(o.id.gseq, o.id.oseq) for o in self.open_orders}
        return tuple(b for b in self.bids if b.bid.state.value == "open" and (b.bid.id.gseq, b.bid.id.oseq)
                     in open_keys)

    def order_age_blocks(self, order: Order) -> int:
        return max(0, self.height - order.created_at)

    def signature(self) -> tuple:
        return (tuple((o.id.gseq, o.id.oseq, o.state.value) for o in self.orders),
                tuple((b.bid.id.provider, b.bid.id.gseq, b.bid.id.oseq, b.bid.state.value, str(b.bid.price.amount))
                      for b in self.bids))


async def snapshot(ctx: MarketContext, dseq: int) -> BidSnapshot:
    """One poll: the deployment's orders, all its bids (any state), and the height."""
    filters = MarketFilters(owner=ctx.owner, dseq=int(dseq))
    tip = await ctx.clock.tip()
    orders = (await market.orders_page(ctx.chain, filters)).items
    bids = (await market.bids(ctx.chain, filters)).items
    return BidSnapshot(int(dseq), tip.height, time.time(), tuple(orders), tuple(bids))


async def watch_bids(ctx: MarketContext, dseq: int, *, min_interval_s: float = 2.0, max_interval_s: float = 15.0,
                     timeout_s: float | None = None, stop_when_done: bool = True,
                     every_poll: bool = False) -> AsyncIterator[BidSnapshot]:
    """Yield a snapshot after every poll that changed something (every poll with `every_poll`; and on
    errors), until every order is leased or closed (when `stop_when_done`), the timeout, or the consumer
    stops iterating."""
    interval = min_interval_s
    deadline = None if timeout_s is None else time.monotonic() + timeout_s
    last: BidSnapshot | None = None
    while True:
        try:
            snap = await snapshot(ctx, dseq)
        except ChainError as exc:
            log.info("bids of %s: poll failed: %s", dseq, exc)
            snap = replace(last, error=str(exc), taken_at=time.time()) if last is not None else \
                BidSnapshot(int(dseq), 0, time.time(), (), (), str(exc))
            interval = min(max_interval_s, interval * 2)
            yield snap
        else:
            changed = last is None or snap.signature() != last.signature() or bool(last.error)
            interval = min_interval_s if changed else min(max_interval_s, interval * 1.5)
            last = snap
            if changed or every_poll:
                yield snap
            if stop_when_done and snap.done:
                return
        if deadline is not None and time.monotonic() >= deadline:
            return
        await asyncio.sleep(interval)


def gpu_orders(snap: BidSnapshot) -> list[OrderKey]:
    return [(o.id.gseq, o.id.oseq) for o in snap.orders if any(u.resources.gpu_units > 0 for u in o.spec.resources)]


async def compare_bids(ctx: MarketContext, snap: BidSnapshot, directory: ProviderDirectory, *,
                       probe: bool = True, include_closed: bool = False) -> list[BidRow]:
    """Comparison rows for the snapshot's bids: providers from the chain, online probes, our history, prices."""
    await directory.refresh()
    bids = snap.bids if include_closed else snap.open_bids
    if probe:
        await directory.probe({b.bid.id.provider for b in bids})
    return build_rows(bids, directory, height=snap.height, block_time_s=await ctx.clock.block_time_s(),
                      history=ctx.records.provider_history(ctx.owner), favourites=ctx.favourites,
                      akt_price_usd=await akt_price(ctx.chain), gpu_orders=gpu_orders(snap))
