"""Validators, delegations, unbonding and redelegations, pool and params (cosmos.staking.v1beta1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from app.chain.common import Coin, Page, coin_or_zero
from app.chain.jsonread import ChainEnum, Obj
from app.chain.pagination import Listing, PageRequest, fetch_all, fetch_page
from app.chain.params import segment

if TYPE_CHECKING:
    from app.chain.client import ChainClient

VALIDATORS = "/cosmos/staking/v1beta1/validators"
VALIDATOR = "/cosmos/staking/v1beta1/validators/{validator}"
DELEGATIONS = "/cosmos/staking/v1beta1/delegations/{delegator}"
UNBONDING = "/cosmos/staking/v1beta1/delegators/{delegator}/unbonding_delegations"
REDELEGATIONS = "/cosmos/staking/v1beta1/delegators/{delegator}/redelegations"
POOL = "/cosmos/staking/v1beta1/pool"
PARAMS = "/cosmos/staking/v1beta1/params"


class BondStatus(ChainEnum):
    UNSPECIFIED = "BOND_STATUS_UNSPECIFIED"
    UNBONDED = "BOND_STATUS_UNBONDED"
    UNBONDING = "BOND_STATUS_UNBONDING"
    BONDED = "BOND_STATUS_BONDED"


BOND_STATUS_NUMBERS = dict(enumerate(BondStatus))


@dataclass(frozen=True)
class Description:
    moniker: str
    identity: str
    website: str
    security_contact: str
    details: str


@dataclass(frozen=True)
class Commission:
    rate: Decimal
    max_rate: Decimal
    max_change_rate: Decimal
    update_time: datetime | None


@dataclass(frozen=True)
class Validator:
    operator_address: str
    consensus_pubkey_b64: str
    jailed: bool
    status: BondStatus
    tokens: int  # uakt bonded (voting power x 10^6)
    delegator_shares: Decimal
    description: Description
    unbonding_height: int
    unbonding_time: datetime | None
    commission: Commission
    min_self_delegation: int

    @classmethod
    def parse(cls, o: Obj) -> Validator:
        d = o.child("description") or Obj({}, o.where, o.path + ".description")
        c = o.child("commission") or Obj({}, o.where, o.path + ".commission")
        rates = c.child("commission_rates") or Obj({}, o.where, c.path + ".commission_rates")
        pk = o.child("consensus_pubkey")
        return cls(
            operator_address=o.text("operator_address", required=True),
            consensus_pubkey_b64=pk.text("key") if pk is not None else "",
            jailed=o.flag("jailed"),
            status=o.enum("status", BondStatus, BOND_STATUS_NUMBERS),
            tokens=o.integer("tokens"),
            delegator_shares=o.decimal("delegator_shares"),
            description=Description(
                d.text("moniker"), d.text("identity"), d.text("website"), d.text("security_contact"), d.text("details")
            ),
            unbonding_height=o.integer("unbonding_height"),
            unbonding_time=o.time("unbonding_time"),
            commission=Commission(
                rates.decimal("rate"), rates.decimal("max_rate"), rates.decimal("max_change_rate"), c.time("update_time")
            ),
            min_self_delegation=o.integer("min_self_delegation"),
        )

    @property
    def moniker(self) -> str:
        return self.description.moniker


@dataclass(frozen=True)
class Delegation:
    delegator_address: str
    validator_address: str
    shares: Decimal
    balance: Coin

    @classmethod
    def parse(cls, o: Obj) -> Delegation:
        d = o.need("delegation")
        return cls(
            d.text("delegator_address"),
            d.text("validator_address", required=True),
            d.decimal("shares"),
            coin_or_zero(o, "balance"),
        )


@dataclass(frozen=True)
class UnbondingEntry:
    creation_height: int
    completion_time: datetime | None
    initial_balance: int
    balance: int


@dataclass(frozen=True)
class UnbondingDelegation:
    delegator_address: str
    validator_address: str
    entries: tuple[UnbondingEntry, ...]

    @classmethod
    def parse(cls, o: Obj) -> UnbondingDelegation:
        entries = tuple(
            UnbondingEntry(e.integer("creation_height"), e.time("completion_time"), e.integer("initial_balance"), e.integer("balance"))
            for e in o.children("entries")
        )
        return cls(o.text("delegator_address"), o.text("validator_address", required=True), entries)


@dataclass(frozen=True)
class RedelegationEntry:
    creation_height: int
    completion_time: datetime | None
    initial_balance: int
    shares_dst: Decimal
    balance: int


@dataclass(frozen=True)
class Redelegation:
    delegator_address: str
    validator_src_address: str
    validator_dst_address: str
    entries: tuple[RedelegationEntry, ...]

    @classmethod
    def parse(cls, o: Obj) -> Redelegation:
        r = o.need("redelegation")
        entries = []
        # RedelegationResponse.entries carry the balance; redelegation.entries are the bare entries.
        for e in o.children("entries") or r.children("entries"):
            inner = e.child("redelegation_entry") or e
            entries.append(
                RedelegationEntry(
                    inner.integer("creation_height"),
                    inner.time("completion_time"),
                    inner.integer("initial_balance"),
                    inner.decimal("shares_dst"),
                    e.integer("balance"),
                )
            )
        return cls(
            r.text("delegator_address"),
            r.text("validator_src_address", required=True),
            r.text("validator_dst_address", required=True),
            tuple(entries),
        )


@dataclass(frozen=True)
class Pool:
    bonded_tokens: int
    not_bonded_tokens: int

    @classmethod
    def parse(cls, o: Obj) -> Pool:
        return cls(o.integer("bonded_tokens"), o.integer("not_bonded_tokens"))


@dataclass(frozen=True)
class StakingParams:
    unbonding_time: timedelta | None
    max_validators: int
    max_entries: int
    historical_entries: int
    bond_denom: str
    min_commission_rate: Decimal

    @classmethod
    def parse(cls, o: Obj) -> StakingParams:
        return cls(
            o.duration("unbonding_time"),
            o.integer("max_validators"),
            o.integer("max_entries"),
            o.integer("historical_entries"),
            o.text("bond_denom"),
            o.decimal("min_commission_rate"),
        )


async def validators_page(
    client: ChainClient, status: BondStatus | None = None, page: PageRequest = PageRequest()
) -> Page[Validator]:
    params = {"status": status.value} if status else None
    return await fetch_page(client, VALIDATORS, "validators", Validator.parse, params=params, page=page)


async def validators(client: ChainClient, status: BondStatus | None = None, *, cap: int = 2000) -> Listing[Validator]:
    params = {"status": status.value} if status else None
    return await fetch_all(client, VALIDATORS, "validators", Validator.parse, params=params, page_size=200, cap=cap)


async def validator(client: ChainClient, operator_address: str) -> Validator:
    path = VALIDATOR.format(validator=segment(operator_address))
    return Validator.parse(Obj(await client.get(path), path).need("validator"))


async def delegations(client: ChainClient, delegator: str) -> Listing[Delegation]:
    path = DELEGATIONS.format(delegator=segment(delegator))
    return await fetch_all(client, path, "delegation_responses", Delegation.parse, cap=1000)


async def unbonding_delegations(client: ChainClient, delegator: str) -> Listing[UnbondingDelegation]:
    path = UNBONDING.format(delegator=segment(delegator))
    return await fetch_all(client, path, "unbonding_responses", UnbondingDelegation.parse, cap=1000)


async def redelegations(client: ChainClient, delegator: str) -> Listing[Redelegation]:
    path = REDELEGATIONS.format(delegator=segment(delegator))
    return await fetch_all(client, path, "redelegation_responses", Redelegation.parse, cap=1000)


async def pool(client: ChainClient) -> Pool:
    return Pool.parse(Obj(await client.get(POOL), POOL).need("pool"))


async def params(client: ChainClient) -> StakingParams:
    return StakingParams.parse(Obj(await client.get(PARAMS), PARAMS).need("params"))
