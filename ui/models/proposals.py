"""ProposalsModel: id, title, status, voting end, turnout and the account's own vote."""

from __future__ import annotations

from app.chain.gov import ProposalStatus
from app.gov import ProposalView
from ui.models.rows import BAD, GOOD, RIGHT, WARN, Column, RowsModel
from ui.models.timefmt import local, relative
from ui.models.validators import pct

STATUS_LABELS = {
    ProposalStatus.DEPOSIT_PERIOD: "Deposit period",
    ProposalStatus.VOTING_PERIOD: "Voting",
    ProposalStatus.PASSED: "Passed",
    ProposalStatus.REJECTED: "Rejected",
    ProposalStatus.FAILED: "Failed",
}


def status_label(p: ProposalView) -> str:
    return STATUS_LABELS.get(p.status, p.status_text)


def ends(p: ProposalView) -> str:
    if p.voting and p.voting_end:
        return f"{relative(p.voting_end)}"
    return local(p.voting_end) if p.voting_end else "—"


def _status_color(p: ProposalView):
    return {ProposalStatus.PASSED: GOOD, ProposalStatus.REJECTED: BAD, ProposalStatus.FAILED: BAD,
            ProposalStatus.VOTING_PERIOD: WARN}.get(p.status)


class ProposalsModel(RowsModel[ProposalView]):
    columns = (
        Column("#", lambda p: str(p.id), key=lambda p: p.id, align=RIGHT),
        Column("Title", lambda p: p.title, key=lambda p: p.title.casefold(), tip=lambda p: p.summary[:500]),
        Column("Status", status_label, color=_status_color, tip=lambda p: p.status_text),
        Column("Voting ends", ends, key=lambda p: p.voting_end.timestamp() if p.voting_end else 0.0,
               tip=lambda p: local(p.voting_end)),
        Column("Turnout", lambda p: pct(p.tally.turnout, "0.1") if p.tally.bonded else "—",
               key=lambda p: p.tally.turnout, align=RIGHT,
               tip=lambda p: f"Quorum {pct(p.tally.quorum, '0.1')}"),
        Column("My vote", lambda p: p.my_vote_text or ("not voted" if p.voting else ""),
               header_tip="Known while voting (the chain deletes votes once a proposal is tallied)"),
    )
