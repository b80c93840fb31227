"""Failover order over a network's REST endpoints: prefer the first healthy one, cool failed ones down."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass
class EndpointHealth:
    url: str
    rank: int  # position in the network's list: lower is preferred
    failures: int = 0  # consecutive failures
    failed_at: float | None = None
    last_error: str = ""
    latency_s: float | None = None


class EndpointPool:
    """Which endpoint to try first, and which next when it fails.

    A failed endpoint sits out a cooldown that doubles with each consecutive failure (capped), so a dead
    endpoint costs one attempt now and then, not one per request. When its cooldown ends it is tried again
    in its preferred place: that is the re-probe that moves the client back to a better endpoint.
    """

    def __init__(
        self,
        urls: Sequence[str],
        *,
        cooldown_s: float = 15.0,
        max_cooldown_s: float = 600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        cleaned = [u.rstrip("/") for u in urls if u and u.strip()]
        if not cleaned:
            raise ValueError("a network needs at least one REST endpoint")
        self._eps = [EndpointHealth(url, rank) for rank, url in enumerate(dict.fromkeys(cleaned))]
        self._by_url = {ep.url: ep for ep in self._eps}
        self.cooldown_s = cooldown_s
        self.max_cooldown_s = max_cooldown_s
        self._clock = clock
        self.current = self._eps[0].url  # the endpoint that answered last

    @property
    def urls(self) -> tuple[str, ...]:
        return tuple(ep.url for ep in self._eps)

    def health(self, url: str) -> EndpointHealth:
        return self._by_url[url]

    def cooling(self, ep: EndpointHealth, now: float | None = None) -> bool:
        if ep.failed_at is None:
            return False
        now = self._clock() if now is None else now
        wait = min(self.max_cooldown_s, self.cooldown_s * 2 ** max(0, ep.failures - 1))
        return now - ep.failed_at < wait

    def order(self) -> list[str]:
        """Endpoints in the order to try them: healthy by preference, then cooling ones, least recent first."""
        now = self._clock()
        ready = [ep for ep in self._eps if not self.cooling(ep, now)]
        cooling = sorted((ep for ep in self._eps if self.cooling(ep, now)), key=lambda ep: ep.failed_at or 0.0)
        return [ep.url for ep in ready] + [ep.url for ep in cooling]

    def cooling_urls(self) -> list[str]:
        now = self._clock()
        return [ep.url for ep in self._eps if self.cooling(ep, now)]

    def mark_ok(self, url: str, latency_s: float | None) -> None:
        ep = self._by_url[url]
        ep.failures = 0
        ep.failed_at = None
        ep.last_error = ""
        if latency_s is not None:
            ep.latency_s = latency_s
        self.current = url

    def mark_failed(self, url: str, reason: str) -> None:
        ep = self._by_url[url]
        ep.failures += 1
        ep.failed_at = self._clock()
        ep.last_error = reason
