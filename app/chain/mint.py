"""Inflation (cosmos.mint.v1beta1): the mint parameters and the current annual provisions."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from app.chain.jsonread import Obj

if TYPE_CHECKING:
    from app.chain.client import ChainClient

PARAMS = "/cosmos/mint/v1beta1/params"
ANNUAL_PROVISIONS = "/cosmos/mint/v1beta1/annual_provisions"


@dataclass(frozen=True)
class MintParams:
    mint_denom: str
    inflation_rate_change: Decimal
    inflation_max: Decimal
    inflation_min: Decimal
    goal_bonded: Decimal
    blocks_per_year: int  # what x/mint assumes: it pays annual_provisions / blocks_per_year every block

    @classmethod
    def parse(cls, o: Obj) -> MintParams:
        return cls(o.text("mint_denom"), o.decimal("inflation_rate_change"), o.decimal("inflation_max"),
                   o.decimal("inflation_min"), o.decimal("goal_bonded"), o.integer("blocks_per_year"))


async def params(client: ChainClient) -> MintParams:
    return MintParams.parse(Obj(await client.get(PARAMS), PARAMS).need("params"))


async def annual_provisions(client: ChainClient) -> Decimal:
    """Base units (uakt) minted a year at the current inflation."""
    return Obj(await client.get(ANNUAL_PROVISIONS), ANNUAL_PROVISIONS).decimal("annual_provisions")
