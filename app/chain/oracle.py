"""Oracle prices (akash.oracle.v2 from node v2.1.0): the aggregated AKT price, its health, history, params."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from app.chain.common import Page
from app.chain.jsonread import Obj
from app.chain.pagination import PageRequest, fetch_page
from app.chain.params import segment

if TYPE_CHECKING:
    from app.chain.client import ChainClient

AGGREGATED = "/akash/oracle/v2/aggregated_price/{denom}"
PRICES = "/akash/oracle/v2/prices"
PARAMS = "/akash/oracle/v2/params"


@dataclass(frozen=True)
class PriceHealth:
    denom: str
    is_healthy: bool
    has_min_sources: bool
    deviation_ok: bool
    all_sources_fresh: bool
    failure_reasons: tuple[str, ...]

    @classmethod
    def parse(cls, o: Obj) -> PriceHealth:
        return cls(
            o.text("denom"), o.flag("is_healthy"), o.flag("has_min_sources"), o.flag("deviation_ok"),
            o.flag("all_sources_fresh"), o.texts("failure_reason"),
        )  # fmt: skip


@dataclass(frozen=True)
class AggregatedPrice:
    denom: str
    twap: Decimal  # USD per whole token
    median_price: Decimal
    min_price: Decimal
    max_price: Decimal
    timestamp: datetime | None
    num_sources: int
    deviation_bps: int
    health: PriceHealth | None

    @classmethod
    def parse_response(cls, o: Obj) -> AggregatedPrice:
        p = o.need("aggregated_price")
        h = o.child("price_health")
        return cls(
            p.text("denom"), p.decimal("twap"), p.decimal("median_price"), p.decimal("min_price"),
            p.decimal("max_price"), p.time("timestamp"), p.integer("num_sources"), p.integer("deviation_bps"),
            PriceHealth.parse(h) if h is not None else None,
        )  # fmt: skip

    @property
    def healthy(self) -> bool:
        return self.health is None or self.health.is_healthy


@dataclass(frozen=True)
class PricePoint:
    source: int
    denom: str
    base_denom: str
    height: int
    price: Decimal
    timestamp: datetime | None

    @classmethod
    def parse(cls, o: Obj) -> PricePoint:
        pid = o.child("id") or Obj({}, o.where, o.path + ".id")
        state = o.child("state") or Obj({}, o.where, o.path + ".state")
        return cls(
            pid.integer("source"), pid.text("denom"), pid.text("base_denom"), pid.integer("height"),
            state.decimal("price"), state.time("timestamp"),
        )  # fmt: skip


@dataclass(frozen=True)
class OracleParams:
    sources: tuple[str, ...]
    min_price_sources: int
    max_price_staleness_period: int  # seconds
    twap_window: timedelta | None
    max_price_deviation_bps: int

    @classmethod
    def parse(cls, o: Obj) -> OracleParams:
        return cls(
            o.texts("sources"), o.integer("min_price_sources"), o.integer("max_price_staleness_period"),
            o.duration("twap_window"), o.integer("max_price_deviation_bps"),
        )  # fmt: skip


async def aggregated_price(client: ChainClient, denom: str = "akt") -> AggregatedPrice:
    path = AGGREGATED.format(denom=segment(denom))
    return AggregatedPrice.parse_response(Obj(await client.get(path), path))


async def prices(
    client: ChainClient, *, asset_denom: str = "", base_denom: str = "", page: PageRequest = PageRequest(limit=50, reverse=True)
) -> Page[PricePoint]:
    params = {"filters.asset_denom": asset_denom or None, "filters.base_denom": base_denom or None}
    return await fetch_page(client, PRICES, "prices", PricePoint.parse, params=params, page=page)


async def params(client: ChainClient) -> OracleParams:
    return OracleParams.parse(Obj(await client.get(PARAMS), PARAMS).need("params"))
