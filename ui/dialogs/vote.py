"""The vote dialog: Yes / No / Abstain / No with veto, who can vote and with what weight; signing through
ui.sign.sign_and_send."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app import gov
from app.chain.gov import VoteOption
from app.config import DENOM_AKT
from app.txplan import PlanError, fee_reserve_uakt
from ui import ops
from ui.context import AppContext
from ui.models.validators import akt
from ui.sign import sign_and_send
from ui.widgets.tables import fit_to_content

OPTIONS = (VoteOption.YES, VoteOption.NO, VoteOption.NO_WITH_VETO, VoteOption.ABSTAIN)


class VoteDialog(QDialog):
    voted = Signal(object)

    def __init__(self, ctx: AppContext, proposal: gov.ProposalView, power_uakt: int, liquid_uakt: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.proposal = ctx, proposal
        self.power, self.liquid = power_uakt, liquid_uakt
        self.op: ops.Op | None = None
        self.setWindowTitle(f"Vote on proposal #{proposal.id}")
        self.setObjectName("voteDialog")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        title = QLabel(f"<b>#{proposal.id} {proposal.title}</b>", self)
        title.setWordWrap(True)
        layout.addWidget(title)
        self.group = QButtonGroup(self)
        self.choices: dict[VoteOption, QRadioButton] = {}
        for option in OPTIONS:
            button = QRadioButton(gov.OPTION_WORDS[option], self)
            button.setObjectName(f"vote_{option.name.lower()}")
            self.group.addButton(button)
            self.choices[option] = button
            layout.addWidget(button)
            button.toggled.connect(lambda _on: self._update())
        if proposal.my_vote in self.choices:
            self.choices[proposal.my_vote].setChecked(True)
        weight = (f"Your vote weighs {akt(power_uakt)} (your stake)." if power_uakt
                  else "You have nothing staked: the vote is recorded but carries no weight.")
        who = QLabel(f"{weight} {gov.WHO_CAN_VOTE}", self)
        who.setWordWrap(True)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        layout.addWidget(who)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(self)
        self.ok = self.buttons.addButton("Vote…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("voteOk")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        self.ok.clicked.connect(self.submit)
        layout.addWidget(self.buttons)
        self._update()

    def choice(self) -> VoteOption | None:
        return next((o for o, b in self.choices.items() if b.isChecked()), None)

    def plan(self):
        option = self.choice()
        if option is None:
            raise PlanError("choose Yes, No, No with veto or Abstain")
        voter = self.ctx.session.account.address if self.ctx.session.account else ""
        return gov.build_vote(voter, self.proposal, option, power_uakt=self.power, liquid_uakt=self.liquid,
                              fee_uakt=fee_reserve_uakt(self.ctx.settings.gas_price, txs=1))

    def _update(self) -> None:
        try:
            prepared = self.plan()
        except PlanError as exc:
            self.note.setText("")
            self.error.setText(f"{str(exc)[:1].upper()}{str(exc)[1:]}." if self.choice() else "")
            self.ok.setEnabled(False)
            return
        self.note.setText("\n".join((*prepared.notes, *prepared.warnings)))
        self.error.setText("")
        self.ok.setEnabled(not self.ctx.session.watch_only)
        fit_to_content(self)

    def submit(self) -> None:
        try:
            prepared = self.plan()
        except PlanError as exc:
            self.error.setText(f"{exc}.")
            return
        self.op = ops.run_op(
            self, lambda: sign_and_send(self, self.ctx, prepared.msgs, context=prepared.describe_context(),
                                        balance_after={DENOM_AKT: self.liquid}),
            success=self._done, progress_label="Voting…", disable=[self.ok])

    def _done(self, result: object) -> None:
        if result is None:
            return
        self.voted.emit(result)
        self.accept()
