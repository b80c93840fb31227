"""akash oracle v2: the AKT price in USD, drifting slowly and deterministically with the block height."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

from app.localnet import decmath as dm
from app.localnet.errors import not_found
from app.localnet.module import Module, Route
from app.localnet.rest import Query, dec, paged, rfc3339

BASE_PRICE = Decimal("1.250000000000000000")  # USD per AKT at genesis
SWING = Decimal("0.150000000000000000")  # the price moves within BASE +/- SWING / 2
PERIOD = 7200  # blocks for one up-and-down cycle
HISTORY = 100  # price records served by /prices


def akt_price(height: int) -> Decimal:
    """A triangle wave plus a tiny hash jitter: smooth, bounded, the same for the same height."""
    phase = height % PERIOD
    tri = dm.quo(abs(2 * phase - PERIOD), PERIOD)  # 1 -> 0 -> 1
    jitter = Decimal(int.from_bytes(hashlib.sha256(str(height).encode()).digest()[:2], "big") % 2001 - 1000)
    price = dm.add(dm.sub(BASE_PRICE, dm.quo(SWING, 2)), dm.mul(SWING, dm.sub(1, tri)))
    return dm.add(price, dm.mul(jitter, Decimal("0.000001")))


def price_of(denom: str, height: int) -> Decimal | None:
    """Oracle price in USD of a denom ("akt"/"uakt" or "act"/"uact"); None if the oracle has none."""
    if denom in ("akt", "uakt"):
        return akt_price(height)
    if denom in ("act", "uact"):
        return dm.ONE
    return None


class OracleModule(Module):
    name = "oracle"
    order = 50

    def price(self, denom: str, height: int) -> Decimal | None:
        return price_of(denom, height)

    def routes(self) -> list[Route]:
        p = "/akash/oracle/v2"
        return [
            Route("GET", f"{p}/aggregated_price/{{denom:.+}}", self.q_aggregated),
            Route("GET", f"{p}/prices", self.q_prices),
            Route("GET", f"{p}/params", self.q_params),
        ]

    def _height(self) -> int:
        return self.chain.height

    def q_aggregated(self, q: Query) -> dict:
        denom = q.path["denom"]
        height = self._height()
        price = price_of(denom, height)
        if price is None:
            raise not_found(f"aggregated price for {denom} not found")
        return {
            "aggregated_price": {"denom": denom, "twap": dec(price), "median_price": dec(price),
                                 "min_price": dec(price), "max_price": dec(price),
                                 "timestamp": rfc3339(self.chain.time_at(height)), "num_sources": 1,
                                 "deviation_bps": "0"},
            "price_health": {"denom": denom, "is_healthy": True, "has_min_sources": True, "deviation_ok": True,
                             "total_sources": 1, "total_healthy_sources": 1, "failure_reason": []},
        }

    def q_prices(self, q: Query) -> dict:
        asset = q.str("filters.asset_denom") or "akt"
        base = q.str("filters.base_denom") or "usd"
        height = self._height()
        entries: list[tuple[str, Any]] = []
        if price_of(asset, height) is not None and base == "usd":
            for h in range(max(1, height - HISTORY + 1), height + 1):
                entries.append((f"{h:020d}", {
                    "id": {"source": 1, "denom": asset, "base_denom": base,
                           "timestamp": rfc3339(self.chain.time_at(h)), "sequence": "0"},
                    "state": {"price": dec(price_of(asset, h) or 0)},
                }))
        return paged(q, "prices", entries)

    def q_params(self, q: Query) -> dict:
        return {"params": {"sources": [], "min_price_sources": 1, "max_price_staleness_period": "60",
                           "twap_window": "5s", "max_price_deviation_bps": "150", "feed_contracts_params": [],
                           "price_retention": "86400s", "prune_epoch": "hour", "max_prune_per_epoch": "1000",
                           "max_future_time_drift": "60s"}}


MODULE = OracleModule
