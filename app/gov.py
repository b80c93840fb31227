"""The Governance tab's service: proposals with live tally, quorum and turnout, the account's vote, voting."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from app.chain import gov as chain_gov
from app.chain import staking as chain_staking
from app.chain import tendermint
from app.chain.errors import ChainError, NotFound
from app.chain.gov import GovParams, Proposal, ProposalStatus, TallyResult, VoteOption
from app.tx import msgs
from app.txplan import PlanError, PreparedTx, check_fee_funds
from app.wallet.address import validate_address

if TYPE_CHECKING:
    from app.chain.client import ChainClient

STATUS_WORDS = {
    ProposalStatus.DEPOSIT_PERIOD: "collecting its deposit",
    ProposalStatus.VOTING_PERIOD: "voting",
    ProposalStatus.PASSED: "passed",
    ProposalStatus.REJECTED: "rejected",
    ProposalStatus.FAILED: "passed but failed to execute",
}
OPTION_WORDS = {VoteOption.YES: "Yes", VoteOption.NO: "No", VoteOption.ABSTAIN: "Abstain",
                VoteOption.NO_WITH_VETO: "No with veto"}
_OPTION_INPUT = {"yes": VoteOption.YES, "y": VoteOption.YES, "no": VoteOption.NO, "n": VoteOption.NO,
                 "abstain": VoteOption.ABSTAIN, "no_with_veto": VoteOption.NO_WITH_VETO,
                 "nowithveto": VoteOption.NO_WITH_VETO, "veto": VoteOption.NO_WITH_VETO, "nwv": VoteOption.NO_WITH_VETO}
WHO_CAN_VOTE = ("Any account can vote, but only staked AKT counts. A vote from an account with nothing staked is "
                "recorded with no weight. If you stake and do not vote, your validator's vote counts for your stake; "
                "your own vote overrides it.")


@dataclass(frozen=True)
class TallyView:
    """Votes in uakt of voting power, with the rules that decide the outcome."""

    yes: int
    no: int
    abstain: int
    no_with_veto: int
    bonded: int  # all bonded tokens now (turnout and quorum are measured against it)
    quorum: Decimal
    threshold: Decimal
    veto_threshold: Decimal

    @classmethod
    def of(cls, t: TallyResult, bonded: int, params: GovParams, expedited: bool = False) -> TallyView:
        threshold = params.expedited_threshold if expedited and params.expedited_threshold else params.threshold
        return cls(t.yes, t.no, t.abstain, t.no_with_veto, bonded, params.quorum, threshold, params.veto_threshold)

    @property
    def total(self) -> int:
        return self.yes + self.no + self.abstain + self.no_with_veto

    @property
    def turnout(self) -> Decimal:
        return Decimal(self.total) / self.bonded if self.bonded else Decimal(0)

    @property
    def quorum_reached(self) -> bool:
        return self.bonded > 0 and self.turnout >= self.quorum

    def share(self, votes: int) -> Decimal:
        """A share of all votes cast (abstain included), as the UI's bars show them."""
        return Decimal(votes) / self.total if self.total else Decimal(0)

    @property
    def yes_ratio(self) -> Decimal:
        """Yes over the non-abstaining votes: what is compared with the threshold."""
        decided = self.total - self.abstain
        return Decimal(self.yes) / decided if decided else Decimal(0)

    @property
    def vetoed(self) -> bool:
        return self.total > 0 and Decimal(self.no_with_veto) / self.total > self.veto_threshold

    @property
    def would_pass(self) -> bool:
        """The outcome if voting ended now (x/gov tally rules)."""
        return self.quorum_reached and not self.vetoed and self.total > self.abstain and self.yes_ratio > self.threshold


@dataclass(frozen=True)
class ProposalView:
    id: int
    title: str
    summary: str
    status: ProposalStatus
    status_text: str
    submit_time: datetime | None
    voting_start: datetime | None
    voting_end: datetime | None
    time_left: timedelta | None  # while voting; None otherwise
    tally: TallyView
    tally_is_live: bool  # True: counted now (voting period); False: the final result recorded by the chain
    my_vote: VoteOption | None
    expedited: bool
    message_types: tuple[str, ...]

    @property
    def voting(self) -> bool:
        return self.status == ProposalStatus.VOTING_PERIOD

    @property
    def my_vote_text(self) -> str:
        return OPTION_WORDS.get(self.my_vote, "") if self.my_vote else ""


async def _own_vote(client: ChainClient, proposal_id: int, voter: str) -> VoteOption | None:
    try:
        return (await chain_gov.vote(client, proposal_id, voter)).main_option
    except NotFound:
        return None


async def _view(client: ChainClient, p: Proposal, params: GovParams, bonded: int, voter: str,
                now: datetime) -> ProposalView:
    live = p.status == ProposalStatus.VOTING_PERIOD
    tally = await chain_gov.tally(client, p.id) if live else p.final_tally
    mine = await _own_vote(client, p.id, voter) if voter and live else None
    left = max(p.voting_end_time - now, timedelta(0)) if live and p.voting_end_time else None
    return ProposalView(
        p.id, p.title or f"Proposal #{p.id}", p.summary, p.status, STATUS_WORDS.get(p.status, p.status.value),
        p.submit_time, p.voting_start_time, p.voting_end_time, left, TallyView.of(tally, bonded, params, p.expedited),
        live, mine, p.expedited, tuple(m.type_url for m in p.messages))


async def _chain_now(client: ChainClient, now: datetime | None) -> datetime:
    """The latest block's time: voting ends by the chain's clock, not this computer's."""
    if now is not None:
        return now
    try:
        return (await tendermint.latest_block(client)).time
    except ChainError:
        return datetime.now(UTC)


async def load_proposals(client: ChainClient, status: ProposalStatus | None = None, *, voter: str = "",
                         now: datetime | None = None, cap: int = 500) -> tuple[ProposalView, ...]:
    """Proposals (newest first), with the live tally of those in voting and the voter's own vote on them.

    The chain deletes votes once a proposal is tallied, so `my_vote` is only known while voting. Turnout of
    ended proposals is measured against today's bonded tokens (the chain keeps no past figure).
    """
    if voter:
        validate_address(voter)
    listing, params, pool, when = await asyncio.gather(
        chain_gov.proposals(client, status, cap=cap), chain_gov.params(client), chain_staking.pool(client),
        _chain_now(client, now))
    views = await asyncio.gather(*(_view(client, p, params, pool.bonded_tokens, voter, when) for p in listing.items))
    return tuple(sorted(views, key=lambda v: v.id, reverse=True))


async def load_proposal(client: ChainClient, proposal_id: int, *, voter: str = "",
                        now: datetime | None = None) -> ProposalView:
    p, params, pool, when = await asyncio.gather(chain_gov.proposal(client, proposal_id), chain_gov.params(client),
                                                 chain_staking.pool(client), _chain_now(client, now))
    return await _view(client, p, params, pool.bonded_tokens, voter, when)


async def voting_power(client: ChainClient, voter: str) -> int:
    """The voter's own weight: the AKT it has staked (in uakt)."""
    return sum(d.balance.amount for d in (await chain_staking.delegations(client, voter)).items)


def parse_option(text: str | VoteOption) -> VoteOption:
    if isinstance(text, VoteOption):
        return text
    key = text.strip().lower().replace("-", "_").replace(" ", "_").removeprefix("vote_option_")
    if key in _OPTION_INPUT:
        return _OPTION_INPUT[key]
    raise PlanError(f"{text!r} is not a vote: use yes, no, abstain or no_with_veto", field="option")


def build_vote(voter: str, proposal: ProposalView, option: str | VoteOption, *, power_uakt: int,
               liquid_uakt: int, fee_uakt: int) -> PreparedTx:
    """gov v1 MsgVote. Refused outside the voting period; a warning when the account has no staked weight."""
    choice = parse_option(option)
    if not proposal.voting:
        raise PlanError(f"proposal #{proposal.id} is not open for voting (it is {proposal.status_text})",
                        field="proposal")
    check_fee_funds(liquid_uakt, 0, fee_uakt)
    warnings: list[str] = []
    if power_uakt == 0:
        warnings.append("This account has nothing staked: the vote is recorded but carries no weight. "
                        "Only staked AKT counts.")
    notes = []
    if proposal.my_vote is not None:
        notes.append(f"This replaces your earlier vote ({proposal.my_vote_text}).")
    if choice == VoteOption.NO_WITH_VETO:
        notes.append("No with veto also asks for the proposer's deposit to be burned if the veto passes.")
    msg = msgs.msg_vote(proposal.id, voter, choice.name.lower())
    return PreparedTx(f"Vote {OPTION_WORDS[choice]} on #{proposal.id}", (msg,), notes=tuple(notes),
                      warnings=tuple(warnings), proposal_titles={proposal.id: proposal.title})
