"""The Staking tab's service: validators, the account's stake and rewards, and delegate/claim/compound txs."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from app.chain import distribution
from app.chain import staking as chain_staking
from app.chain.staking import BondStatus, Validator
from app.config import DENOM_AKT
from app.staking_stats import consensus_address, signing_uptimes
from app.tx import msgs
from app.txplan import PlanError, PreparedTx, check_fee_funds, merge
from app.units import format_amount
from app.wallet.address import validate_address

if TYPE_CHECKING:
    from app.chain.client import ChainClient

ACTIVE, INACTIVE, JAILED = "active", "inactive", "jailed"


@dataclass(frozen=True)
class ValidatorRow:
    operator: str
    moniker: str
    website: str
    details: str
    commission: Decimal  # 0.05 = 5 %
    tokens: int  # voting power in uakt
    power_share: Decimal  # of all bonded tokens (0 for validators outside the active set)
    rank: int | None  # 1 = most voting power among the active set; None when not active
    status: str  # active / inactive / jailed
    uptime: Decimal | None  # share of signed blocks in the slashing window; None = unknown
    uptime_note: str  # why the uptime is unknown

    @property
    def earns_rewards(self) -> bool:
        return self.status == ACTIVE


async def load_validators(client: ChainClient) -> tuple[ValidatorRow, ...]:
    """Every validator, active ones first by voting power, with uptime when the node serves slashing info."""
    listing, (uptimes, note) = await asyncio.gather(chain_staking.validators(client), signing_uptimes(client))
    return rank_validators(listing.items, uptimes, note)


def rank_validators(validators: tuple[Validator, ...], uptimes: Mapping[str, Decimal] | None = None,
                    uptime_note: str = "") -> tuple[ValidatorRow, ...]:
    bonded = sorted((v for v in validators if v.status == BondStatus.BONDED and not v.jailed),
                    key=lambda v: v.tokens, reverse=True)
    total = sum(v.tokens for v in bonded) or 1
    ranks = {v.operator_address: i for i, v in enumerate(bonded, start=1)}
    rows = []
    for v in validators:
        status = JAILED if v.jailed else ACTIVE if v.operator_address in ranks else INACTIVE
        uptime = (uptimes or {}).get(consensus_address(v.consensus_pubkey_b64))
        rows.append(ValidatorRow(
            v.operator_address, v.moniker or v.operator_address, v.description.website, v.description.details,
            v.commission.rate, v.tokens, Decimal(v.tokens) / total if status == ACTIVE else Decimal(0),
            ranks.get(v.operator_address), status, uptime,
            "" if uptime is not None else (uptime_note or "the node has no signing info for this validator"),
        ))
    order = {ACTIVE: 0, INACTIVE: 1, JAILED: 2}
    return tuple(sorted(rows, key=lambda r: (order[r.status], r.rank or 0, -r.tokens)))


def monikers(rows: tuple[ValidatorRow, ...]) -> dict[str, str]:
    return {r.operator: r.moniker for r in rows}


@dataclass(frozen=True)
class DelegationRow:
    validator: str
    moniker: str
    amount: int  # uakt staked
    reward: Decimal  # uakt claimable now (fractional: only whole uakt are paid)
    status: str


@dataclass(frozen=True)
class UnbondingRow:
    validator: str
    moniker: str
    amount: int
    creation_height: int
    completion_time: datetime | None


@dataclass(frozen=True)
class RedelegationRow:
    src: str
    dst: str
    src_moniker: str
    dst_moniker: str
    amount: int
    completion_time: datetime | None


@dataclass(frozen=True)
class StakingPosition:
    delegator: str
    delegations: tuple[DelegationRow, ...]
    unbonding: tuple[UnbondingRow, ...]
    redelegations: tuple[RedelegationRow, ...]

    @property
    def total_staked(self) -> int:
        return sum(d.amount for d in self.delegations)

    @property
    def total_rewards(self) -> Decimal:
        return sum((d.reward for d in self.delegations), Decimal(0))

    @property
    def total_unbonding(self) -> int:
        return sum(u.amount for u in self.unbonding)

    def staked_with(self, validator: str) -> int:
        return next((d.amount for d in self.delegations if d.validator == validator), 0)

    def unbonding_entries(self, validator: str) -> int:
        return sum(1 for u in self.unbonding if u.validator == validator)

    def receiving_redelegation(self, validator: str) -> bool:
        return any(r.dst == validator for r in self.redelegations)


async def load_position(client: ChainClient, delegator: str,
                        validators: tuple[ValidatorRow, ...] | None = None) -> StakingPosition:
    """Delegations with rewards per validator, unbonding and redelegation entries with completion times."""
    validate_address(delegator)
    dels, rewards, unb, red = await asyncio.gather(
        chain_staking.delegations(client, delegator), distribution.rewards(client, delegator),
        chain_staking.unbonding_delegations(client, delegator), chain_staking.redelegations(client, delegator))
    rows = validators if validators is not None else await load_validators(client)
    names = monikers(rows)
    status = {r.operator: r.status for r in rows}
    reward_of = {r.validator_address: sum((c.amount for c in r.reward if c.denom == DENOM_AKT), Decimal(0))
                 for r in rewards.rewards}
    delegations = tuple(sorted(
        (DelegationRow(d.validator_address, names.get(d.validator_address, d.validator_address), d.balance.amount,
                       reward_of.get(d.validator_address, Decimal(0)), status.get(d.validator_address, INACTIVE))
         for d in dels.items), key=lambda d: d.amount, reverse=True))
    unbonding = tuple(sorted(
        (UnbondingRow(u.validator_address, names.get(u.validator_address, u.validator_address), e.balance,
                      e.creation_height, e.completion_time) for u in unb.items for e in u.entries),
        key=lambda u: (u.completion_time is None, u.completion_time or datetime.max)))
    redelegations = tuple(
        RedelegationRow(r.validator_src_address, r.validator_dst_address, names.get(r.validator_src_address, ""),
                        names.get(r.validator_dst_address, ""), e.balance, e.completion_time)
        for r in red.items for e in r.entries)
    return StakingPosition(delegator, delegations, unbonding, redelegations)


# ---- transactions ---------------------------------------------------------------------------------------


def _positive(amount: int, what: str = "amount") -> None:
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise PlanError(f"the {what} must be more than zero", field=what)


def _status_warning(row: ValidatorRow | None) -> tuple[str, ...]:
    if row is None or row.status == ACTIVE:
        return ()
    why = "is jailed" if row.status == JAILED else "is outside the active set"
    return (f"{row.moniker} {why}: stake with it earns no rewards until that changes.",)


def max_delegatable(liquid_uakt: int, reserve_uakt: int) -> int:
    """MAX for delegating: all liquid AKT except the fee reserve, so later claims and undelegations work."""
    return max(0, liquid_uakt - reserve_uakt)


def build_delegate(delegator: str, validator: ValidatorRow, amount: int, *, liquid_uakt: int,
                   reserve_uakt: int) -> PreparedTx:
    _positive(amount)
    check_fee_funds(liquid_uakt, amount, reserve_uakt)
    msg = msgs.msg_delegate(delegator, validator.operator, amount)
    return PreparedTx(f"Delegate {format_amount(amount, DENOM_AKT)} to {validator.moniker}", (msg,),
                      spends={DENOM_AKT: amount}, warnings=_status_warning(validator),
                      names={validator.operator: validator.moniker})


def build_undelegate(delegator: str, validator: ValidatorRow, amount: int, position: StakingPosition, *,
                     liquid_uakt: int, fee_uakt: int, max_entries: int = 7,
                     unbonding_time: timedelta | None = None) -> PreparedTx:
    _positive(amount)
    staked = position.staked_with(validator.operator)
    if amount > staked:
        raise PlanError(f"you have {format_amount(staked, DENOM_AKT)} staked with {validator.moniker}, "
                        f"not {format_amount(amount, DENOM_AKT)}", field="amount")
    if position.unbonding_entries(validator.operator) >= max_entries:
        raise PlanError(f"{validator.moniker} already has {max_entries} unbondings in progress from you (the "
                        "chain's limit); wait until one completes", field="validator")
    check_fee_funds(liquid_uakt, 0, fee_uakt)
    span = _span(unbonding_time) if unbonding_time else "the unbonding time (21 days on mainnet)"
    notes = (f"The AKT stays locked for {span} and earns nothing meanwhile.",)
    return PreparedTx(f"Undelegate {format_amount(amount, DENOM_AKT)} from {validator.moniker}",
                      (msgs.msg_undelegate(delegator, validator.operator, amount),), notes=notes,
                      names={validator.operator: validator.moniker})


def build_redelegate(delegator: str, src: ValidatorRow, dst: ValidatorRow, amount: int, position: StakingPosition,
                     *, liquid_uakt: int, fee_uakt: int) -> PreparedTx:
    _positive(amount)
    if src.operator == dst.operator:
        raise PlanError("choose a different validator to move the stake to", field="dst_validator")
    staked = position.staked_with(src.operator)
    if amount > staked:
        raise PlanError(f"you have {format_amount(staked, DENOM_AKT)} staked with {src.moniker}, "
                        f"not {format_amount(amount, DENOM_AKT)}", field="amount")
    if position.receiving_redelegation(src.operator):
        raise PlanError(f"stake moved to {src.moniker} less than the unbonding time ago cannot move again yet "
                        "(the chain refuses transitive redelegations); undelegate it or wait", field="src_validator")
    check_fee_funds(liquid_uakt, 0, fee_uakt)
    return PreparedTx(f"Move {format_amount(amount, DENOM_AKT)} of stake from {src.moniker} to {dst.moniker}",
                      (msgs.msg_redelegate(delegator, src.operator, dst.operator, amount),),
                      notes=("Moving stake is immediate: it keeps earning, with no unbonding wait.",),
                      warnings=_status_warning(dst), names={src.operator: src.moniker, dst.operator: dst.moniker})


def _span(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds >= 86_400:
        return f"{seconds // 86_400} days"
    return f"{seconds // 60} minutes" if seconds >= 120 else f"{seconds} seconds"


def _claimable(position: StakingPosition, min_uakt: int) -> list[DelegationRow]:
    return [d for d in position.delegations if int(d.reward) >= max(1, min_uakt)]


def build_claim_all(delegator: str, position: StakingPosition, *, liquid_uakt: int, fee_uakt: int,
                    min_uakt: int = 1) -> PreparedTx:
    """One MsgWithdrawDelegatorReward per validator with at least `min_uakt` of rewards."""
    rows = _claimable(position, min_uakt)
    if not rows:
        raise PlanError("there are no rewards to claim yet", field="rewards")
    total = sum(int(d.reward) for d in rows)
    check_fee_funds(liquid_uakt + total, 0, fee_uakt)
    return PreparedTx(
        f"Claim {format_amount(total, DENOM_AKT)} of rewards from {len(rows)} validator{'s' * (len(rows) != 1)}",
        tuple(msgs.msg_withdraw_reward(delegator, d.validator) for d in rows),
        notes=(f"About {format_amount(total, DENOM_AKT)} arrives (rewards keep growing until the block).",),
        names={d.validator: d.moniker for d in rows})


def build_compound(delegator: str, position: StakingPosition, *, liquid_uakt: int, fee_uakt: int,
                   min_uakt: int = 1) -> PreparedTx:
    """Claim and re-stake in ONE transaction: per validator, MsgWithdrawDelegatorReward then MsgDelegate of
    the whole uakt claimed. Jailed or inactive validators are only claimed (re-staking there earns nothing)."""
    rows = _claimable(position, min_uakt)
    if not rows:
        raise PlanError("there are no rewards to compound yet", field="rewards")
    check_fee_funds(liquid_uakt, 0, fee_uakt)  # the fee is paid before the rewards arrive
    parts, warnings = [], []
    restaked = 0
    for d in rows:
        amount = int(d.reward)
        m = [msgs.msg_withdraw_reward(delegator, d.validator)]
        if d.status == ACTIVE:
            m.append(msgs.msg_delegate(delegator, d.validator, amount))
            restaked += amount
        else:
            warnings.append(f"{d.moniker} is {d.status}: its rewards are claimed, not re-staked.")
        parts.append(PreparedTx("", tuple(m), names={d.validator: d.moniker}))
    if not restaked:
        raise PlanError("every validator with rewards is jailed or inactive; claim instead", field="rewards")
    plan = merge(f"Compound {format_amount(restaked, DENOM_AKT)} of rewards (claim and re-stake)", parts)
    return PreparedTx(plan.title, plan.msgs, notes=(
        "Rewards are claimed and staked again with the same validators in one transaction.",),
        warnings=tuple(warnings), names=plan.names)


def validator_by(rows: tuple[ValidatorRow, ...], text: str) -> ValidatorRow:
    """A validator by operator address or moniker (case-insensitive, unique prefix); PlanError otherwise."""
    wanted = text.strip()
    for r in rows:
        if r.operator == wanted:
            return r
    lower = wanted.lower()
    exact = [r for r in rows if r.moniker.lower() == lower]
    found = exact or [r for r in rows if r.moniker.lower().startswith(lower)]
    if len(found) == 1:
        return found[0]
    if not found:
        raise PlanError(f"no validator {text!r} (use its akashvaloper1... address or moniker)", field="validator")
    raise PlanError(f"{text!r} matches {len(found)} validators ({', '.join(r.moniker for r in found[:5])}); "
                    "be more precise", field="validator")
