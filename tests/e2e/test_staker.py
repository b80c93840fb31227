"""Staker end to end on the local network: delegate -> rewards grow -> claim -> compound -> MAX delegate keeps
the fee reserve -> undelegate -> the unbonding entry completes after the unbonding time."""

from __future__ import annotations

from decimal import Decimal

from app import history, staking
from app.chain import staking as chain_staking
from app.chain.client import ChainClient
from app.txplan import fee_reserve_uakt
from app.units import format_amount
from app.wallet.signer import Signer
from tests.e2e.holder_kit import balance, chain_fixture, sign_and_send  # noqa: F401 - the chain fixture
from tests.localnet_fixtures import NodeClient

AKT = 1_000_000
RESERVE = fee_reserve_uakt()
FEE = fee_reserve_uakt(txs=1)


async def _position(chain: ChainClient, who: str) -> staking.StakingPosition:
    return await staking.load_position(chain, who)


async def test_staker_flow(chain: ChainClient, localnet: NodeClient, fresh_signer: Signer) -> None:
    me = fresh_signer.address
    rows = await staking.load_validators(chain)
    target = next(r for r in rows if r.status == staking.ACTIVE)
    assert target.rank == 1 and target.power_share > 0 and target.uptime is None and "signing info" in target.uptime_note

    # delegate 100 AKT
    liquid = await balance(chain, me)
    plan = staking.build_delegate(me, target, 100 * AKT, liquid_uakt=liquid, reserve_uakt=RESERVE)
    await sign_and_send(chain, localnet, fresh_signer, plan)
    pos = await _position(chain, me)
    assert [(d.validator, d.amount) for d in pos.delegations] == [(target.operator, 100 * AKT)]

    # rewards grow as blocks pass
    localnet.advance(10)
    first = (await _position(chain, me)).total_rewards
    localnet.advance(10)
    second = (await _position(chain, me)).total_rewards
    assert Decimal(0) < first < second

    # claim all: the rewards arrive (minus the fee)
    pos = await _position(chain, me)
    before = await balance(chain, me)
    result = await sign_and_send(chain, localnet, fresh_signer, staking.build_claim_all(
        me, pos, liquid_uakt=before, fee_uakt=FEE))
    gained = await balance(chain, me) - before + result.fee[0].amount
    assert gained >= int(pos.total_rewards) and (await _position(chain, me)).total_rewards < pos.total_rewards
    entry = (await history.HistoryLoader(chain, me, names=staking.monikers(rows)).more(1))[0]
    assert entry.sentences == (f"Claimed {format_amount(gained, 'uakt')} of rewards from {target.moniker}",)

    # compound: claim + delegate in one transaction
    localnet.advance(15)
    pos = await _position(chain, me)
    plan = staking.build_compound(me, pos, liquid_uakt=await balance(chain, me), fee_uakt=FEE)
    restaked = sum(int(m.amount.amount) for m in plan.msgs if type(m).__name__ == "MsgDelegate")
    assert restaked == int(pos.total_rewards) > 0 and len(plan.msgs) == 2
    await sign_and_send(chain, localnet, fresh_signer, plan)
    assert (await _position(chain, me)).staked_with(target.operator) == 100 * AKT + restaked

    # MAX delegate leaves the reserve: a later transaction still pays its fee
    liquid = await balance(chain, me)
    top = staking.max_delegatable(liquid, RESERVE)
    await sign_and_send(chain, localnet, fresh_signer, staking.build_delegate(
        me, target, top, liquid_uakt=liquid, reserve_uakt=RESERVE))
    left = await balance(chain, me)
    assert 0 < left < RESERVE
    localnet.advance(3)
    pos = await _position(chain, me)
    await sign_and_send(chain, localnet, fresh_signer, staking.build_claim_all(me, pos, liquid_uakt=left, fee_uakt=FEE
                                                                               if left >= FEE else left))

    # undelegate 40 AKT: an unbonding entry that completes after the unbonding time
    pos = await _position(chain, me)
    params = await chain_staking.params(chain)
    plan = staking.build_undelegate(me, target, 40 * AKT, pos, liquid_uakt=await balance(chain, me), fee_uakt=1,
                                    unbonding_time=params.unbonding_time)
    assert "3 minutes" in plan.notes[0]
    await sign_and_send(chain, localnet, fresh_signer, plan)
    pos = await _position(chain, me)
    (entry,) = pos.unbonding
    assert entry.amount == 40 * AKT and entry.validator == target.operator and entry.completion_time is not None
    before = await balance(chain, me)
    localnet.advance(int(params.unbonding_time.total_seconds()) + 5)
    assert (await _position(chain, me)).unbonding == ()
    assert await balance(chain, me) >= before + 40 * AKT
