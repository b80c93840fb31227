"""Validator liveness (cosmos.slashing.v1beta1): each validator's signing info and the signing window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from app.chain.jsonread import Obj
from app.chain.pagination import Listing, fetch_all

if TYPE_CHECKING:
    from app.chain.client import ChainClient

SIGNING_INFOS = "/cosmos/slashing/v1beta1/signing_infos"
PARAMS = "/cosmos/slashing/v1beta1/params"


@dataclass(frozen=True)
class SigningInfo:
    """How a validator (by its valcons address) signed lately: blocks missed in the current window."""

    address: str  # akashvalcons1...
    missed_blocks_counter: int
    jailed_until: datetime | None
    tombstoned: bool

    @classmethod
    def parse(cls, o: Obj) -> SigningInfo:
        return cls(o.text("address"), o.integer("missed_blocks_counter"), o.time("jailed_until"), o.flag("tombstoned"))


@dataclass(frozen=True)
class SlashingParams:
    signed_blocks_window: int
    min_signed_per_window: Decimal
    downtime_jail_duration: timedelta | None

    @classmethod
    def parse(cls, o: Obj) -> SlashingParams:
        return cls(o.integer("signed_blocks_window"), o.decimal("min_signed_per_window"),
                   o.duration("downtime_jail_duration"))


async def signing_infos(client: ChainClient, *, cap: int = 5000) -> Listing[SigningInfo]:
    """The signing info of every validator that ever signed (500 a page)."""
    return await fetch_all(client, SIGNING_INFOS, "info", SigningInfo.parse, page_size=500, cap=cap)


async def params(client: ChainClient) -> SlashingParams:
    return SlashingParams.parse(Obj(await client.get(PARAMS), PARAMS).need("params"))
