"""Voter end to end: vote on a proposal in its voting period, see the own vote and the tally move by the voter's
stake; an account with nothing staked is warned that its vote carries no weight."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from app import gov, staking
from app.chain.client import ChainClient
from app.chain.gov import ProposalStatus, VoteOption
from app.tx import msgs
from app.txplan import PreparedTx, fee_reserve_uakt
from app.wallet.signer import Signer
from tests.e2e.holder_kit import balance, chain_fixture, sign_and_send  # noqa: F401 - the chain fixture
from tests.localnet_fixtures import NodeClient

AKT = 1_000_000
FEE = fee_reserve_uakt(txs=1)


async def _open_proposal(chain: ChainClient, localnet: NodeClient, signer: Signer) -> gov.ProposalView:
    """A proposal with time left to vote: a genesis one while it lasts, else our own (session order varies)."""
    for p in await gov.load_proposals(chain, ProposalStatus.VOTING_PERIOD):
        if p.time_left is not None and p.time_left > timedelta(seconds=60):
            return p
    localnet.fund(signer.address, {"uakt": 1_500 * AKT})
    submit = msgs.msg_submit_proposal([msgs.text_proposal("e2e", "a signal")], [("uakt", 1_000 * AKT)],
                                      signer.address, title="E2E signal", summary="voted on by the e2e test")
    await sign_and_send(chain, localnet, signer, PreparedTx("submit", (submit,)))
    mine = [p for p in await gov.load_proposals(chain, ProposalStatus.VOTING_PERIOD) if p.title == "E2E signal"]
    assert mine, "the proposal did not enter its voting period"
    return mine[0]


async def test_vote_shows_own_vote_and_moves_the_tally(chain: ChainClient, localnet: NodeClient,
                                                        fresh_signer: Signer) -> None:
    me = fresh_signer.address
    proposal = await _open_proposal(chain, localnet, fresh_signer)
    rows = await staking.load_validators(chain)
    validator = next(r for r in rows if r.status == staking.ACTIVE)
    liquid = await balance(chain, me)
    await sign_and_send(chain, localnet, fresh_signer, staking.build_delegate(
        me, validator, 300 * AKT, liquid_uakt=liquid, reserve_uakt=FEE))
    power = await gov.voting_power(chain, me)
    assert power == 300 * AKT

    before = await gov.load_proposal(chain, proposal.id, voter=me)
    assert before.voting and before.my_vote is None and before.tally_is_live
    assert before.tally.bonded > 0 and before.tally.quorum > 0
    plan = gov.build_vote(me, before, "no_with_veto", power_uakt=power, liquid_uakt=await balance(chain, me),
                          fee_uakt=FEE)
    assert plan.warnings == () and plan.describe()[0].title == f"Vote No with veto on proposal #{proposal.id}"
    await sign_and_send(chain, localnet, fresh_signer, plan)

    after = await gov.load_proposal(chain, proposal.id, voter=me)
    assert after.my_vote == VoteOption.NO_WITH_VETO and after.my_vote_text == "No with veto"
    assert abs(after.tally.no_with_veto - before.tally.no_with_veto - power) <= 1
    assert after.tally.total >= before.tally.total  # our stake moved from the validator's vote (if any) to ours
    assert after.tally.turnout == Decimal(after.tally.total) / after.tally.bonded

    # vote again: it replaces the first one
    plan = gov.build_vote(me, after, "yes", power_uakt=power, liquid_uakt=await balance(chain, me), fee_uakt=FEE)
    assert "replaces your earlier vote (No with veto)" in plan.notes[0]
    await sign_and_send(chain, localnet, fresh_signer, plan)
    again = await gov.load_proposal(chain, proposal.id, voter=me)
    assert again.my_vote == VoteOption.YES and abs(again.tally.no_with_veto - before.tally.no_with_veto) <= 1


async def test_vote_without_stake_is_allowed_with_a_warning(chain: ChainClient, localnet: NodeClient,
                                                             fresh_signer: Signer) -> None:
    me = fresh_signer.address
    proposal = await _open_proposal(chain, localnet, fresh_signer)
    view = await gov.load_proposal(chain, proposal.id, voter=me)
    plan = gov.build_vote(me, view, "abstain", power_uakt=await gov.voting_power(chain, me),
                          liquid_uakt=await balance(chain, me), fee_uakt=FEE)
    assert "no weight" in plan.warnings[0]
    await sign_and_send(chain, localnet, fresh_signer, plan)
    after = await gov.load_proposal(chain, proposal.id, voter=me)
    assert after.my_vote == VoteOption.ABSTAIN and after.tally.abstain == view.tally.abstain


async def test_ended_proposals_show_their_final_tally(chain: ChainClient) -> None:
    passed = await gov.load_proposals(chain, ProposalStatus.PASSED)
    assert passed and all(not p.tally_is_live and p.time_left is None and p.my_vote is None for p in passed)
    assert any(p.tally.yes > 0 and p.tally.quorum_reached and p.tally.would_pass for p in passed)
