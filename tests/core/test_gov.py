"""Governance logic: tally rules (quorum, threshold over non-abstain votes, veto), vote options, vote checks."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from app.chain.gov import GovParams, ProposalStatus, TallyResult, VoteOption
from app.gov import ProposalView, TallyView, build_vote, parse_option
from app.txplan import PlanError

ME = "akash1c2qvxwatpml5he5apgkwlc62qa3aj58cdhlqj5"
PARAMS = GovParams((), (), None, None, None, Decimal("0.334"), Decimal("0.5"), Decimal("0.667"), Decimal("0.334"),
                   Decimal(0))


def tally(yes: int, no: int, abstain: int, veto: int, bonded: int = 1000, expedited: bool = False) -> TallyView:
    return TallyView.of(TallyResult(yes, abstain, no, veto), bonded, PARAMS, expedited)


def test_turnout_quorum_and_threshold_over_non_abstaining_votes() -> None:
    t = tally(yes=200, no=100, abstain=100, veto=0)
    assert t.total == 400 and t.turnout == Decimal("0.4") and t.quorum_reached
    assert t.yes_ratio == Decimal(2) / 3 and t.would_pass
    assert t.share(t.abstain) == Decimal("0.25")


def test_no_quorum_veto_and_all_abstain_do_not_pass() -> None:
    assert not tally(300, 0, 0, 0).quorum_reached and not tally(300, 0, 0, 0).would_pass  # 30 % < 33.4 %
    vetoed = tally(yes=600, no=0, abstain=0, veto=350)
    assert vetoed.vetoed and not vetoed.would_pass
    assert not tally(0, 0, 500, 0).would_pass
    assert not tally(200, 200, 0, 0).would_pass  # exactly 50 % is not more than the threshold
    assert tally(1, 0, 0, 0, bonded=0).turnout == 0 and not tally(1, 0, 0, 0, bonded=0).quorum_reached


def test_expedited_proposals_use_the_higher_threshold() -> None:
    assert tally(600, 400, 0, 0).would_pass
    assert not tally(600, 400, 0, 0, expedited=True).would_pass


@pytest.mark.parametrize(("text", "option"), [
    ("yes", VoteOption.YES), ("Y", VoteOption.YES), ("No", VoteOption.NO), ("abstain", VoteOption.ABSTAIN),
    ("no_with_veto", VoteOption.NO_WITH_VETO), ("No with veto", VoteOption.NO_WITH_VETO), ("veto", VoteOption.NO_WITH_VETO),
    ("VOTE_OPTION_NO_WITH_VETO", VoteOption.NO_WITH_VETO), ("no-with-veto", VoteOption.NO_WITH_VETO),
])
def test_vote_options_in_words(text: str, option: VoteOption) -> None:
    assert parse_option(text) == option


def test_unknown_vote_option_is_refused() -> None:
    with pytest.raises(PlanError, match="is not a vote"):
        parse_option("maybe")


def proposal(status: ProposalStatus = ProposalStatus.VOTING_PERIOD, mine: VoteOption | None = None) -> ProposalView:
    return ProposalView(7, "Upgrade", "", status, "voting", None, None, None, timedelta(hours=1),
                        tally(1, 0, 0, 0), True, mine, False, ())


def test_vote_message_and_notes() -> None:
    plan = build_vote(ME, proposal(mine=VoteOption.NO), "yes", power_uakt=5, liquid_uakt=10_000, fee_uakt=1)
    (msg,) = plan.msgs
    assert (msg.proposal_id, msg.voter, msg.option) == (7, ME, 1)
    assert plan.warnings == () and "replaces your earlier vote (No)" in plan.notes[0]
    assert plan.describe()[0].lines[0] == ("Proposal", "#7 Upgrade")
    veto = build_vote(ME, proposal(), "veto", power_uakt=5, liquid_uakt=10_000, fee_uakt=1)
    assert veto.msgs[0].option == 4 and "burned" in veto.notes[0]


def test_vote_without_stake_warns_that_it_carries_no_weight() -> None:
    plan = build_vote(ME, proposal(), "abstain", power_uakt=0, liquid_uakt=10_000, fee_uakt=1)
    assert "no weight" in plan.warnings[0]


def test_vote_outside_the_voting_period_is_refused() -> None:
    with pytest.raises(PlanError, match="not open for voting"):
        build_vote(ME, proposal(ProposalStatus.PASSED), "yes", power_uakt=5, liquid_uakt=10_000, fee_uakt=1)
    with pytest.raises(PlanError, match="kept for fees"):
        build_vote(ME, proposal(), "yes", power_uakt=5, liquid_uakt=0, fee_uakt=1)
