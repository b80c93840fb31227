"""Staking rewards of a delegator, per validator and in total, and the module's params (cosmos.distribution.v1beta1)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from app.chain.common import DecCoin, dec_coins
from app.chain.jsonread import Obj
from app.chain.params import segment

if TYPE_CHECKING:
    from app.chain.client import ChainClient

REWARDS = "/cosmos/distribution/v1beta1/delegators/{delegator}/rewards"
REWARDS_FROM = "/cosmos/distribution/v1beta1/delegators/{delegator}/rewards/{validator}"
PARAMS = "/cosmos/distribution/v1beta1/params"


@dataclass(frozen=True)
class ValidatorRewards:
    validator_address: str
    reward: tuple[DecCoin, ...]


@dataclass(frozen=True)
class DelegatorRewards:
    rewards: tuple[ValidatorRewards, ...]
    total: tuple[DecCoin, ...]

    @classmethod
    def parse(cls, o: Obj) -> DelegatorRewards:
        per = tuple(
            ValidatorRewards(r.text("validator_address", required=True), dec_coins(r, "reward"))
            for r in o.children("rewards")
        )
        return cls(per, dec_coins(o, "total"))


async def rewards(client: ChainClient, delegator: str) -> DelegatorRewards:
    path = REWARDS.format(delegator=segment(delegator))
    return DelegatorRewards.parse(Obj(await client.get(path), path))


async def rewards_from(client: ChainClient, delegator: str, validator: str) -> tuple[DecCoin, ...]:
    path = REWARDS_FROM.format(delegator=segment(delegator), validator=segment(validator))
    return dec_coins(Obj(await client.get(path), path), "rewards")


@dataclass(frozen=True)
class DistributionParams:
    community_tax: Decimal  # the share of every block's rewards that goes to the community pool
    withdraw_addr_enabled: bool

    @classmethod
    def parse(cls, o: Obj) -> DistributionParams:
        return cls(o.decimal("community_tax"), o.flag("withdraw_addr_enabled"))


async def params(client: ChainClient) -> DistributionParams:
    return DistributionParams.parse(Obj(await client.get(PARAMS), PARAMS).need("params"))
