"""Timeouts and the retry policy (exponential backoff with jitter) of the chain client."""

from __future__ import annotations

import random
from dataclasses import dataclass

# HTTP statuses that mean "this endpoint cannot answer right now", not "your request is wrong".
TRANSIENT_STATUSES = frozenset({429, 502, 503, 504})


@dataclass(frozen=True)
class Timeouts:
    connect_s: float = 5.0
    read_s: float = 20.0
    write_s: float = 10.0
    pool_s: float = 10.0


@dataclass(frozen=True)
class RetryPolicy:
    """A request goes round every endpoint up to `rounds` times, sleeping between rounds.

    Within a round a failed endpoint is left for the next one at once (failover needs no wait); the
    backoff is between rounds, when every endpoint has just failed.
    """

    rounds: int = 3
    base_delay_s: float = 0.4
    max_delay_s: float = 8.0

    def delay(self, round_index: int, rng: random.Random | None = None) -> float:
        """Equal jitter: half the exponential step for sure, half at random (spreads clients apart)."""
        step = min(self.max_delay_s, self.base_delay_s * (2**round_index))
        return step / 2 + (rng or random).uniform(0, step / 2)


NO_RETRY = RetryPolicy(rounds=1)
