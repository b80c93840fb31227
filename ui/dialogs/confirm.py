"""The ONE confirmation dialog of every signing action: messages in plain words, fee, balance, password."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.config import DENOM_AKT
from app.session import Session
from app.tx.describe import DescribeContext, MsgDescription, describe_msgs
from app.units import format_amount
from ui import ops
from ui.dialogs.awaited import accepted
from ui.errors import user_message


@dataclass
class ConfirmRequest:
    """What the person approves. Build it with `from_msgs` (the messages go through app.tx.describe)."""

    descriptions: Sequence[MsgDescription]
    fee_uakt: int | None = None  # None: not estimated yet
    gas: int | None = None
    balance_after: Mapping[str, int] = field(default_factory=dict)  # denom -> base units; may be negative
    memo: str = ""
    network_name: str = ""
    mainnet: bool = False
    signer: str = ""  # "Account 1 (akash1...)"

    @classmethod
    def from_msgs(cls, msgs: Sequence[object], context: DescribeContext | None = None, **kwargs) -> ConfirmRequest:
        return cls(describe_msgs(msgs, context), **kwargs)  # type: ignore[arg-type]

    @property
    def short_of_funds(self) -> list[str]:
        return [denom for denom, amount in self.balance_after.items() if amount < 0]


def _fee_text(request: ConfirmRequest) -> str:
    if request.fee_uakt is None:
        return "estimated when sent (a few thousand uakt at most)"
    gas = f", gas {request.gas:,}" if request.gas else ""
    return f"{format_amount(request.fee_uakt, DENOM_AKT)} ({request.fee_uakt:,} uakt{gas})"


class ConfirmDialog(QDialog):
    """Window-modal. Accepts only when approved and (if the wallet was locked) the password opened it."""

    def __init__(self, request: ConfirmRequest, session: Session | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.request = request
        self.session = session
        self.op: ops.Op | None = None
        self.setWindowTitle("Confirm and sign")
        self.setObjectName("confirmDialog")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        if request.mainnet:
            banner = QLabel("Akash Mainnet: real funds", self)
            banner.setObjectName("testOnlyWarning")
            layout.addWidget(banner)
        layout.addWidget(self._messages(), 1)
        layout.addLayout(self._summary())
        self.password = QLineEdit(self)
        self.password.setObjectName("confirmPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("Wallet password")
        self.password.textEdited.connect(lambda _t: self.error.clear())
        self.needs_password = session is not None and session.locked and not session.watch_only
        self.password.setVisible(self.needs_password)
        layout.addWidget(self.password)
        self.error = QLabel(self)
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(self)
        self.approve = self.buttons.addButton("Sign and send", QDialogButtonBox.ButtonRole.AcceptRole)
        self.approve.setObjectName("approveButton")
        self.cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel.setDefault(True)  # Enter alone never signs
        self.approve.clicked.connect(self.submit)
        self.cancel.clicked.connect(self.reject)
        layout.addWidget(self.buttons)
        short = request.short_of_funds
        if short:
            self.error.setText("Not enough funds: " + ", ".join(format_amount(-request.balance_after[d], d)
                                                                 + " missing" for d in short))
            self.approve.setEnabled(False)
        if self.needs_password:
            self.password.setFocus()

    def _messages(self) -> QScrollArea:
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(scroll)
        column = QVBoxLayout(body)
        count = len(self.request.descriptions)
        for i, d in enumerate(self.request.descriptions):
            title = QLabel(f"<b>{_escape(d.title)}</b>" + (f"  <small>({i + 1} of {count})</small>" if count > 1 else ""), body)
            title.setObjectName("msgTitle")
            title.setWordWrap(True)
            column.addWidget(title)
            form = QFormLayout()
            for label, value in d.lines:
                text = QLabel(value, body)
                text.setWordWrap(True)
                text.setTextFormat(Qt.TextFormat.PlainText)
                text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                form.addRow(label, text)
            column.addLayout(form)
            for warning in d.warnings:
                note = QLabel(warning, body)
                note.setObjectName("msgWarning")
                note.setWordWrap(True)
                column.addWidget(note)
        column.addStretch(1)
        scroll.setWidget(body)
        return scroll

    def _summary(self) -> QFormLayout:
        form = QFormLayout()
        r = self.request
        if r.signer:
            form.addRow("Signed by", QLabel(r.signer, self))
        if r.network_name:
            form.addRow("Network", QLabel(r.network_name, self))
        self.fee = QLabel(_fee_text(r), self)
        self.fee.setObjectName("feeText")
        form.addRow("Network fee", self.fee)
        if r.balance_after:
            text = ", ".join(format_amount(v, d) for d, v in r.balance_after.items() if v >= 0) or "—"
            self.balance = QLabel(text, self)
            self.balance.setObjectName("balanceAfter")
            form.addRow("Balance after", self.balance)
        if r.memo:
            memo = QLabel(r.memo, self)
            memo.setTextFormat(Qt.TextFormat.PlainText)
            form.addRow("Memo", memo)
        return form

    def submit(self) -> None:
        if not self.needs_password or self.session is None or not self.session.locked:
            self.accept()
            return
        password = self.password.text()
        if not password:
            self.error.setText("Enter the wallet password to sign.")
            return
        self.op = ops.run_op(
            self, lambda: self.session.unlock_async(password), success=lambda _r: self._unlocked(),
            failure=self._unlock_failed, progress_label="Unlocking…", cancellable=False,
            disable=[self.approve, self.password],
        )

    def _unlocked(self) -> None:
        self.password.clear()
        self.accept()

    def _unlock_failed(self, exc: BaseException) -> None:
        message = user_message(exc)
        self.error.setText(f"{message.title}. {message.hint}".strip())
        self.password.selectAll()
        self.password.setFocus()

    def reject(self) -> None:
        if self.op is not None and self.op.running:
            return  # the key is being derived; Esc waits for it
        self.password.clear()
        super().reject()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


async def ask_confirmation(parent: QWidget | None, request: ConfirmRequest, session: Session | None = None) -> bool:
    """Show the dialog without a nested event loop and wait for the answer (True = approved, signed-in)."""
    return await accepted(ConfirmDialog(request, session, parent))
