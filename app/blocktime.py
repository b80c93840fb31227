"""The chain's block time, measured from two block headers, and conversions between heights and times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from app.chain import tendermint
from app.chain.errors import ChainError
from app.config import DEFAULT_BLOCK_TIME_S

if TYPE_CHECKING:
    from app.chain.client import ChainClient

MEASURE_WINDOW = 10_000  # blocks between the two headers (~17 h on mainnet): smooths single slow blocks
MONTH_S = Decimal("30.437") * 24 * 3600  # Console's month (fact sheet §6)


@dataclass(frozen=True)
class BlockClock:
    """The latest block and the average seconds per block; maps heights to times and back (linear)."""

    height: int
    time: datetime
    seconds_per_block: Decimal
    measured: bool  # False: the default figure was used (a chain too young, or the old block unavailable)

    def time_at(self, height: int) -> datetime:
        return self.time + timedelta(seconds=float(Decimal(height - self.height) * self.seconds_per_block))

    def height_at(self, when: datetime) -> int:
        seconds = Decimal(str((when - self.time).total_seconds()))
        return self.height + int(seconds / self.seconds_per_block)

    def blocks_in(self, seconds: Decimal | int) -> Decimal:
        return Decimal(seconds) / self.seconds_per_block

    @property
    def blocks_per_month(self) -> Decimal:
        return MONTH_S / self.seconds_per_block

    @property
    def blocks_per_year(self) -> Decimal:
        return Decimal(365 * 24 * 3600) / self.seconds_per_block


async def measure(client: ChainClient, window: int = MEASURE_WINDOW) -> BlockClock:
    """Latest block, and the block time averaged over up to `window` blocks (pruned nodes: fall back)."""
    latest = await tendermint.latest_block(client)
    back = min(window, latest.height - 1)
    if back >= 1:
        try:
            old = await tendermint.block_at(client, latest.height - back)
        except ChainError:
            old = None  # a pruned node no longer has it
        if old is not None:
            seconds = Decimal(str((latest.time - old.time).total_seconds()))
            if seconds > 0:
                return BlockClock(latest.height, latest.time, seconds / (latest.height - old.height), True)
    return BlockClock(latest.height, latest.time, Decimal(DEFAULT_BLOCK_TIME_S), False)
