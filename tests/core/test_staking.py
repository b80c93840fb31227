"""Staking logic: ranking and status, MAX with the gas reserve, claim-all, compound, refusals, uptime and APR."""

from __future__ import annotations

import base64
import hashlib
from decimal import Decimal

import pytest

from app.chain.jsonread import Obj
from app.chain.staking import Validator
from app.staking import (
    ACTIVE,
    INACTIVE,
    JAILED,
    DelegationRow,
    RedelegationRow,
    StakingPosition,
    UnbondingRow,
    build_claim_all,
    build_compound,
    build_delegate,
    build_redelegate,
    build_undelegate,
    max_delegatable,
    rank_validators,
    validator_by,
)
from app.staking_stats import apr_from, consensus_address, uptime
from app.txplan import PlanError
from app.wallet.address import bech32_encode

ME = "akash1c2qvxwatpml5he5apgkwlc62qa3aj58cdhlqj5"
V = [bech32_encode("akashvaloper", bytes([i]) * 20) for i in range(1, 6)]


def validator(op: str, moniker: str, tokens: int, *, status: str = "BOND_STATUS_BONDED", jailed: bool = False,
              rate: str = "0.05") -> Validator:
    key = base64.b64encode(hashlib.sha256(op.encode()).digest()).decode()
    return Validator.parse(Obj({
        "operator_address": op, "jailed": jailed, "status": status, "tokens": str(tokens),
        "delegator_shares": f"{tokens}.0", "consensus_pubkey": {"@type": "/cosmos.crypto.ed25519.PubKey", "key": key},
        "description": {"moniker": moniker}, "commission": {"commission_rates": {"rate": rate}},
    }))


VALIDATORS = (validator(V[0], "Small", 100), validator(V[1], "Big", 300), validator(V[2], "Jailed", 500, jailed=True),
              validator(V[3], "Outside", 50, status="BOND_STATUS_UNBONDED"), validator(V[4], "Big Two", 200))


def rows():
    return rank_validators(VALIDATORS)


def test_validators_are_ranked_by_power_with_status() -> None:
    r = rows()
    assert [(x.moniker, x.rank, x.status) for x in r] == [
        ("Big", 1, ACTIVE), ("Big Two", 2, ACTIVE), ("Small", 3, ACTIVE), ("Outside", None, INACTIVE),
        ("Jailed", None, JAILED)]
    assert r[0].power_share == Decimal("0.5") and r[3].power_share == 0
    assert all(x.uptime is None and "signing info" in x.uptime_note for x in r)


def test_uptime_is_matched_through_the_consensus_address() -> None:
    key = VALIDATORS[1].consensus_pubkey_b64
    valcons = consensus_address(key)
    assert valcons.startswith("akashvalcons1")
    assert valcons == bech32_encode("akashvalcons", hashlib.sha256(base64.b64decode(key)).digest()[:20])
    r = rank_validators(VALIDATORS, {valcons: Decimal("0.99")}, "no info")
    big = validator_by(r, "big")
    assert big.uptime == Decimal("0.99") and big.uptime_note == ""
    assert validator_by(r, "Small").uptime_note == "no info"
    assert uptime(500, 10_000) == Decimal("0.95") and uptime(20_000, 10_000) == 0 and uptime(1, 0) is None


def test_validator_lookup_by_address_moniker_or_unique_prefix() -> None:
    r = rows()
    assert validator_by(r, V[0]).moniker == "Small"
    assert validator_by(r, "BIG").moniker == "Big"  # exact moniker wins over the prefix "Big Two"
    assert validator_by(r, "out").moniker == "Outside"
    with pytest.raises(PlanError, match="no validator"):
        validator_by(r, "nobody")
    with pytest.raises(PlanError, match="matches 2"):
        validator_by(rank_validators(VALIDATORS[:2] + (validator(V[4], "Smaller", 1),)), "sma")


def position(rewards: dict[int, str] | None = None, *, unbonding: int = 0, redelegated_to: int | None = None):
    rewards = rewards or {}
    status = {r.operator: r.status for r in rows()}
    dels = tuple(DelegationRow(V[i], f"v{i}", 10_000_000, Decimal(rewards.get(i, "0")), status[V[i]])
                 for i in (0, 1, 2))
    unb = tuple(UnbondingRow(V[0], "v0", 1, 5, None) for _ in range(unbonding))
    red = (RedelegationRow(V[1], V[redelegated_to], "", "", 5, None),) if redelegated_to is not None else ()
    return StakingPosition(ME, dels, unb, red)


def test_max_delegate_keeps_the_reserve_so_later_fees_can_be_paid() -> None:
    big = rows()[0]
    top = max_delegatable(5_000_000, 22_500)
    plan = build_delegate(ME, big, top, liquid_uakt=5_000_000, reserve_uakt=22_500)
    assert plan.msgs[0].amount.amount == "4977500" and plan.spends == {"uakt": 4_977_500}
    with pytest.raises(PlanError, match="kept for fees"):
        build_delegate(ME, big, top + 1, liquid_uakt=5_000_000, reserve_uakt=22_500)
    assert max_delegatable(10_000, 22_500) == 0
    with pytest.raises(PlanError, match="more than zero"):
        build_delegate(ME, big, 0, liquid_uakt=5_000_000, reserve_uakt=22_500)


def test_delegating_to_a_jailed_or_inactive_validator_warns() -> None:
    jailed = validator_by(rows(), "Jailed")
    plan = build_delegate(ME, jailed, 1_000, liquid_uakt=5_000_000, reserve_uakt=0)
    assert "jailed" in plan.warnings[0] and "no rewards" in plan.warnings[0]
    assert "outside the active set" in build_delegate(ME, validator_by(rows(), "Outside"), 1, liquid_uakt=10,
                                                      reserve_uakt=0).warnings[0]


def test_undelegate_checks_the_stake_the_entry_limit_and_the_fee() -> None:
    small = validator_by(rows(), "Small")
    plan = build_undelegate(ME, small, 10_000_000, position(), liquid_uakt=10_000, fee_uakt=7_500)
    assert plan.msgs[0].validator_address == V[0] and "unbonding time" in plan.notes[0]
    with pytest.raises(PlanError, match="staked with Small"):
        build_undelegate(ME, small, 10_000_001, position(), liquid_uakt=10_000, fee_uakt=7_500)
    with pytest.raises(PlanError, match="7 unbondings"):
        build_undelegate(ME, small, 1, position(unbonding=7), liquid_uakt=10_000, fee_uakt=7_500)
    with pytest.raises(PlanError, match="kept for fees"):
        build_undelegate(ME, small, 1, position(), liquid_uakt=7_499, fee_uakt=7_500)


def test_redelegate_refuses_the_same_validator_and_transitive_moves() -> None:
    r = rows()
    small, big = validator_by(r, "Small"), validator_by(r, "Big")
    plan = build_redelegate(ME, small, big, 5, position(), liquid_uakt=10_000, fee_uakt=1)
    assert (plan.msgs[0].validator_src_address, plan.msgs[0].validator_dst_address) == (V[0], V[1])
    with pytest.raises(PlanError, match="different validator"):
        build_redelegate(ME, small, small, 5, position(), liquid_uakt=10_000, fee_uakt=1)
    with pytest.raises(PlanError, match="transitive"):
        build_redelegate(ME, small, big, 5, position(redelegated_to=0), liquid_uakt=10_000, fee_uakt=1)


def test_claim_all_makes_one_message_per_validator_with_whole_rewards() -> None:
    plan = build_claim_all(ME, position({0: "1500.9", 1: "0.7", 2: "3"}), liquid_uakt=10_000, fee_uakt=7_500)
    assert [m.validator_address for m in plan.msgs] == [V[0], V[2]]
    assert "0.001503 AKT" in plan.title and "2 validators" in plan.title
    with pytest.raises(PlanError, match="no rewards"):
        build_claim_all(ME, position({1: "0.9"}), liquid_uakt=10_000, fee_uakt=7_500)
    with pytest.raises(PlanError, match="no rewards"):
        build_claim_all(ME, position({0: "900"}), liquid_uakt=10_000, fee_uakt=1, min_uakt=1_000)


def test_compound_claims_and_restakes_in_one_transaction_skipping_jailed() -> None:
    plan = build_compound(ME, position({0: "2500000.8", 1: "1000", 2: "9999"}), liquid_uakt=10_000, fee_uakt=7_500)
    kinds = [(type(m).__name__, m.validator_address) for m in plan.msgs]
    assert kinds == [("MsgWithdrawDelegatorReward", V[0]), ("MsgDelegate", V[0]),
                     ("MsgWithdrawDelegatorReward", V[1]), ("MsgDelegate", V[1]),
                     ("MsgWithdrawDelegatorReward", V[2])]
    assert [m.amount.amount for m in plan.msgs if type(m).__name__ == "MsgDelegate"] == ["2500000", "1000"]
    assert "2.501 AKT" in plan.title and "jailed" in plan.warnings[0] and plan.spends == {}
    with pytest.raises(PlanError, match="claim instead"):
        build_compound(ME, position({2: "50"}), liquid_uakt=10_000, fee_uakt=7_500)
    with pytest.raises(PlanError, match="kept for fees"):
        build_compound(ME, position({0: "50"}), liquid_uakt=10, fee_uakt=7_500)


def test_apr_from_mint_and_distribution_figures() -> None:
    # 20 M AKT a year minted, 2 % to the community pool, 100 M bonded: 19.6 %; blocks twice as fast: double.
    per_year = Decimal(5_256_000)
    assert apr_from(Decimal(20_000_000_000_000), Decimal("0.02"), 100_000_000_000_000, per_year, per_year) == \
        Decimal("0.196")
    assert apr_from(Decimal(20_000_000_000_000), Decimal("0.02"), 100_000_000_000_000, per_year,
                    per_year * 2) == Decimal("0.392")
    assert apr_from(Decimal(1), Decimal(0), 0, per_year, per_year) == 0
