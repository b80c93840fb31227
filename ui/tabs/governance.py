"""Governance tab: proposals with a status filter and search; the detail shows the tally bars, quorum and
turnout, time left, what would happen if voting ended now, the account's vote, and the vote dialog."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app import gov
from app.chain import bank
from app.chain.gov import ProposalStatus
from app.config import DENOM_AKT
from ui import ops, shortcuts
from ui.context import AppContext
from ui.models.proposals import ProposalsModel, status_label
from ui.models.rows import SortFilter, row_of
from ui.models.timefmt import local, span
from ui.models.validators import akt, pct
from ui.tabs.holder import HolderTab
from ui.widgets.tables import empty_text, table_defaults
from ui.widgets.tally_bar import COLORS, LABELS, ORDER, Tally, TallyBar

FILTERS = (("All proposals", None), ("Voting now", ProposalStatus.VOTING_PERIOD),
           ("Deposit period", ProposalStatus.DEPOSIT_PERIOD), ("Passed", ProposalStatus.PASSED),
           ("Rejected", ProposalStatus.REJECTED), ("Failed", ProposalStatus.FAILED))


@dataclass(frozen=True)
class GovSnapshot:
    proposals: tuple[gov.ProposalView, ...]
    power_uakt: int
    liquid_uakt: int


class ProposalDetail(QWidget):
    """The selected proposal: status, dates, summary, tally bar with legend, quorum/turnout, my vote."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.proposal: gov.ProposalView | None = None
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 0, 0, 0)
        self.title = QLabel("Select a proposal", self)
        self.title.setObjectName("proposalTitle")
        self.title.setWordWrap(True)
        self.form = form = QWidget(self)
        form_layout = QFormLayout(form)
        form_layout.setContentsMargins(0, 0, 0, 0)
        self.status = QLabel(self)
        self.when = QLabel(self)
        self.when.setObjectName("proposalTimeLeft")
        self.mine = QLabel(self)
        self.mine.setObjectName("myVote")
        form_layout.addRow("Status", self.status)
        form_layout.addRow("Voting", self.when)
        form_layout.addRow("Your vote", self.mine)
        self.bar = TallyBar(self)
        self.legend = QLabel(self)
        self.legend.setObjectName("tallyLegend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self.rules = QLabel(self)
        self.rules.setObjectName("tallyRules")
        self.rules.setWordWrap(True)
        self.summary = QTextBrowser(self)
        self.summary.setObjectName("proposalSummary")
        self.summary.setOpenExternalLinks(False)
        self.vote_button = QPushButton("Vote…", self)
        self.vote_button.setObjectName("voteButton")
        self.vote_button.setToolTip(shortcuts.tip("Vote on this proposal", "governance.vote"))
        for w in (self.title,):
            column.addWidget(w)
        column.addWidget(form)
        column.addWidget(self.bar)
        column.addWidget(self.legend)
        column.addWidget(self.rules)
        column.addWidget(self.summary, 1)
        column.addStretch(0)  # takes the room while no proposal (and no summary) is shown
        column.addWidget(self.vote_button)
        self.show_proposal(None)

    def show_proposal(self, p: gov.ProposalView | None) -> None:
        self.proposal = p
        self.vote_button.setEnabled(bool(p and p.voting))
        for w in (self.form, self.bar, self.legend, self.rules, self.summary):
            w.setVisible(p is not None)  # no empty fields and bars before a proposal is chosen
        if p is None:
            self.title.setText("Select a proposal in the list to see its tally, quorum and time left.")
            for w in (self.status, self.when, self.mine, self.legend, self.rules):
                w.clear()
            self.summary.clear()
            self.bar.set_tally(Tally())
            return
        self.title.setText(f"<b>#{p.id} {p.title}</b>" + (" <small>(expedited)</small>" if p.expedited else ""))
        label = status_label(p)
        self.status.setText(label if label.lower() == p.status_text.lower() else f"{label}: {p.status_text}")
        if p.voting and p.time_left is not None:
            self.when.setText(f"{span(p.time_left)} left (ends {local(p.voting_end)})")
        elif p.voting_end:
            self.when.setText(f"{local(p.voting_start)} → {local(p.voting_end)}")
        else:
            self.when.setText("Not started: the proposal still needs its deposit")
        self.mine.setText(p.my_vote_text or ("You have not voted" if p.voting else
                                             "Not known (the chain deletes votes after the tally)"))
        t = p.tally
        self.bar.set_tally(Tally(t.yes, t.no, t.abstain, t.no_with_veto, t.bonded, t.quorum))
        parts = [f"<span style='color:{COLORS[o].name()}'>■</span> {LABELS[o]} {pct(t.share(getattr(t, o)), '0.1')}"
                 for o in ORDER]
        self.legend.setText("&nbsp;&nbsp; ".join(parts))
        self.rules.setText(self._rules(p))
        self.summary.setPlainText(p.summary or "(no summary)")

    @staticmethod
    def _rules(p: gov.ProposalView) -> str:
        t = p.tally
        lines = [f"Turnout {pct(t.turnout)} of {akt(t.bonded)} bonded; quorum {pct(t.quorum, '0.1')} "
                 f"({'reached' if t.quorum_reached else 'not reached'}).",
                 f"Yes {pct(t.yes_ratio, '0.1')} of the non-abstaining votes; passes above {pct(t.threshold, '0.1')}; "
                 f"vetoed above {pct(t.veto_threshold, '0.1')} No with veto."]
        if p.voting:
            lines.append("If voting ended now it would " + ("pass." if t.would_pass else "not pass."))
        elif not p.tally_is_live:
            lines.append("Final tally recorded by the chain; turnout is measured against today's bonded AKT.")
        return "\n".join(lines)


class GovernanceTab(HolderTab):
    key = "governance"
    block_interval_s = 60.0  # tallies move slowly and every proposal is re-read: once a minute

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.proposals: tuple[gov.ProposalView, ...] = ()
        self.power = 0
        self.liquid = 0
        self.voter = ""  # whose power/liquid/votes are loaded
        line = QHBoxLayout()
        self.filter = QComboBox(self)
        self.filter.setObjectName("proposalFilter")
        for label, status in FILTERS:
            self.filter.addItem(label, status)
        self.filter.setToolTip("Show proposals in one status")
        self.search = QLineEdit(self)
        self.search.setObjectName("proposalSearch")
        self.search.setPlaceholderText("Search titles and summaries (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.count = QLabel(self)
        line.addWidget(self.filter)
        line.addWidget(self.search, 1)
        line.addWidget(self.count)
        self.layout_.addLayout(line)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.model = ProposalsModel(self)
        self.proxy = SortFilter(self.model, self, search_text=lambda p: f"#{p.id} {p.title}\n{p.summary}")
        self.view = QTableView(splitter)
        self.view.setObjectName("proposalsTable")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table_defaults(self.view, {0: "0000", 2: "Deposit period", 3: "2026-12-31 23:59", 4: "100.0 %",
                                   5: "No with veto"}, stretch=1)
        empty_text(self.view, lambda: "" if self.voter == "" and not self.proposals else
                   "No proposal matches the search." if self.search.text().strip() else "No proposal in this view.")
        self.detail = ProposalDetail(splitter)
        splitter.addWidget(self.view)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.layout_.addWidget(splitter, 1)
        self.filter.currentIndexChanged.connect(lambda _i: self._fill())
        self.search.textChanged.connect(self._search)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.view.doubleClicked.connect(lambda _i: self.open_vote())
        self.detail.vote_button.clicked.connect(lambda: self.open_vote())
        shortcuts.bind(self, "governance.vote", self.open_vote)
        shortcuts.bind(self, "governance.search", self.search.setFocus)

    def reload(self, full: bool) -> None:
        account = self.ctx.session.account
        voter = account.address if account else ""
        client = self.ctx.client

        async def work() -> GovSnapshot:
            proposals = await gov.load_proposals(client, voter=voter)
            if not voter:
                return GovSnapshot(proposals, 0, 0)
            power, coin = await asyncio.gather(gov.voting_power(client, voter), bank.balance(client, voter, DENOM_AKT))
            return GovSnapshot(proposals, power, coin.amount)

        ops.run_op(self, work, success=lambda s: self._show(voter, s), failure=self.load_failed,
                   progress_label="Reading proposals…", key="gov-load")

    def _show(self, voter: str, snap: GovSnapshot) -> None:
        account = self.ctx.session.account
        if (account.address if account else "") != voter:
            return
        self.clear_problem()
        self.proposals, self.power, self.liquid = snap.proposals, snap.power_uakt, snap.liquid_uakt
        self.voter = voter
        self._fill()

    def _fill(self) -> None:
        chosen = self.current()
        status = self.filter.currentData()
        rows = [p for p in self.proposals if status is None or p.status == status]
        self.model.set_rows(rows)
        voting = sum(1 for p in self.proposals if p.voting)
        self.count.setText(f"{len(rows)} shown · {voting} in voting")
        first = next((p for p in rows if p.voting), rows[0] if rows else None)  # what needs attention first
        self.select(chosen.id if chosen else first.id if first else None)

    def _search(self, text: str) -> None:
        self.proxy.set_search(text)

    def current(self) -> gov.ProposalView | None:
        rows = self.view.selectionModel().selectedRows()
        return row_of(rows[0]) if rows else None

    def select(self, proposal_id: int | None) -> None:
        for r in range(self.proxy.rowCount()):
            if row_of(self.proxy.index(r, 0)).id == proposal_id:
                self.view.selectRow(r)
                self._selected()
                return
        self.detail.show_proposal(None)

    def _selected(self) -> None:
        self.detail.show_proposal(self.current())
        if self.ctx.session.watch_only or self.ctx.session.account is None:
            self.detail.vote_button.setEnabled(False)
            self.detail.vote_button.setToolTip("This wallet only watches: it cannot vote")

    def open_vote(self):
        from ui.dialogs.vote import VoteDialog

        p = self.current()
        account = self.ctx.session.account
        if p is None or not p.voting or account is None or self.ctx.session.watch_only or account.address != self.voter:
            return None
        dialog = VoteDialog(self.ctx, p, self.power, self.liquid, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog
