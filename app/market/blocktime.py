"""A cached clock of the chain: its tip, and the block time measured by app.blocktime (prices and runway use it)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from app import blocktime
from app.chain import tendermint
from app.chain.client import ChainClient
from app.chain.errors import ChainError
from app.config import DEFAULT_BLOCK_TIME_S

SAMPLE_BLOCKS = 200  # blocks between the two samples (about 20 minutes on mainnet)
CACHE_S = 300.0
MIN_S, MAX_S = Decimal("0.05"), Decimal("120")  # anything outside is a glitch, not a block time


@dataclass(frozen=True)
class ChainTip:
    height: int
    time: datetime


class BlockClock:
    """Latest height and the average block time of the last SAMPLE_BLOCKS blocks, cached for 5 minutes.

    When the node cannot give two blocks (fresh chain, pruned history) the Console figure (6.098 s) is used.
    """

    def __init__(self, chain: ChainClient, *, fallback_s: Decimal = Decimal(DEFAULT_BLOCK_TIME_S),
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.chain = chain
        self.fallback_s = fallback_s
        self._clock = clock
        self._cached: tuple[float, Decimal] | None = None
        self.measured = False  # True once a real measurement replaced the fallback

    async def tip(self) -> ChainTip:
        block = await tendermint.latest_block(self.chain)
        return ChainTip(block.height, block.time)

    async def block_time_s(self) -> Decimal:
        now = self._clock()
        if self._cached is not None and now - self._cached[0] < CACHE_S:
            return self._cached[1]
        value = await self._measure()
        self._cached = (now, value)
        return value

    async def _measure(self) -> Decimal:
        try:
            measured = await blocktime.measure(self.chain, SAMPLE_BLOCKS)
        except ChainError:
            return self.fallback_s
        if not measured.measured or not MIN_S <= measured.seconds_per_block <= MAX_S:
            return self.fallback_s
        self.measured = True
        return measured.seconds_per_block.quantize(Decimal("0.001"))

    def set(self, block_time_s: Decimal) -> None:
        """Use a known block time (e.g. the local node's own setting) instead of measuring."""
        self._cached = (self._clock(), Decimal(block_time_s))
        self.measured = True
