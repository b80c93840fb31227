"""The send dialog: recipient checked as you type (address book, save contact), token, amount with MAX
keeping the fee reserve, memo with the recovery-phrase warning; signing goes through ui.sign.sign_and_send."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.account import SendRefused, WalletOverview, build_send
from app.config import DENOM_ACT, DENOM_AKT
from app.memo import SEED_WORDS, memo_warnings, seed_word_run
from app.txplan import PlanError, fee_reserve_uakt, max_spendable
from app.units import AmountError
from app.wallet.addressbook import AddressBook
from ui import ops
from ui.context import AppContext
from ui.sign import sign_and_send
from ui.widgets.address_input import AddressInput
from ui.widgets.amount_input import AmountInput
from ui.widgets.tables import fit_to_content

ACT_REFUSED = ("ACT cannot be sent: the chain disables transfers of this compute credit. Spend it on "
               "deployments, or burn it back into AKT (Mint/Burn ACT) and send AKT.")


class SendDialog(QDialog):
    """Window-modal, opened with open(); `sent(result)` fires once the transaction is in a block."""

    sent = Signal(object)

    def __init__(self, ctx: AppContext, overview: WalletOverview, book: AddressBook,
                 parent: QWidget | None = None, denom: str = DENOM_AKT) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.overview = overview
        self.book = book
        self.op: ops.Op | None = None
        self.reserve = fee_reserve_uakt(ctx.settings.gas_price)
        self.setWindowTitle("Send")
        self.setObjectName("sendDialog")
        self.setMinimumWidth(560)
        form = QFormLayout(self)
        self.recipient = AddressInput(book, self)
        self.save_contact = QPushButton("Save contact…", self)
        self.save_contact.setObjectName("saveContact")
        self.save_contact.setToolTip("Save this address in the address book")
        self.save_contact.hide()
        self.token = QComboBox(self)
        self.token.setObjectName("sendToken")
        for b in overview.balances:
            if b.amount > 0 or b.denom in (DENOM_AKT, DENOM_ACT):
                self.token.addItem(f"{b.symbol} — you have {overview.denoms.format(b.amount, b.denom)}", b.denom)
        self.amount_input = AmountInput("sendAmount", "Everything, minus the AKT kept to pay this and the next fees",
                                        self, placeholder="0.0")
        self.amount, self.max_button = self.amount_input.edit, self.amount_input.max_button
        self.reserve_note = QLabel(self)
        self.reserve_note.setObjectName("reserveNote")
        self.reserve_note.setWordWrap(True)
        self.memo = QLineEdit(self)
        self.memo.setObjectName("sendMemo")
        self.memo.setPlaceholderText("Optional; exchanges may ask for a tag. Public forever.")
        self.memo_warning = QLabel(self)
        self.memo_warning.setObjectName("memoWarning")
        self.memo_warning.setWordWrap(True)
        self.memo_warning.hide()
        self.error = QLabel(self)
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self._build_buttons()
        form.addRow("To", self.recipient)
        form.addRow("", self.save_contact)
        form.addRow("Token", self.token)
        form.addRow("Amount", self.amount_input)
        form.addRow("", self.reserve_note)
        form.addRow("Memo", self.memo)
        form.addRow(self.memo_warning)
        form.addRow(self.error)
        form.addRow(self.buttons)
        self._connect(denom)

    def _build_buttons(self) -> None:
        self.buttons = QDialogButtonBox(self)
        self.send_button = self.buttons.addButton("Send…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.send_button.setObjectName("sendButton")
        self.send_button.setToolTip("Review the transaction and its fee, then sign (Ctrl+Enter)")
        self.send_button.setShortcut("Ctrl+Return")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        self.send_button.clicked.connect(self.submit)

    def _connect(self, denom: str) -> None:
        self.recipient.resolved.connect(lambda *_: self._update())
        self.save_contact.clicked.connect(self._save_contact)
        self.token.currentIndexChanged.connect(lambda _i: self._update())
        self.amount.textChanged.connect(lambda _t: self._update())
        self.memo.textChanged.connect(lambda _t: self._update())
        self.max_button.clicked.connect(self.fill_max)
        index = self.token.findData(denom)
        self.token.setCurrentIndex(max(index, 0))
        self._update()
        self.recipient.edit.setFocus()

    # -- live checks ---------------------------------------------------------------------------------

    @property
    def denom(self) -> str:
        return self.token.currentData() or DENOM_AKT

    def _amount(self) -> int | None:
        text = self.amount.text().strip()
        if not text:
            return None
        return self.overview.denoms.parse(text, self.denom)  # AmountError says what is wrong

    def problem(self) -> str:
        """Why Send is disabled right now ("" when it can go ahead)."""
        if self.ctx.session.watch_only:
            return "This wallet only watches its address: it cannot sign. Import the recovery phrase to send."
        if self.denom == DENOM_ACT:
            return ACT_REFUSED
        if self.recipient.problem:
            return self.recipient.problem
        if not self.recipient.address:
            return "Enter the recipient."
        try:
            amount = self._amount()
        except AmountError as exc:
            return f"The amount is not valid: {exc}."
        if amount is None or amount <= 0:
            return "Enter an amount."
        if seed_word_run(self.memo.text()) >= SEED_WORDS:
            return "Remove the recovery phrase from the memo before sending."
        return ""

    def _update(self) -> None:
        warnings = memo_warnings(self.memo.text())
        self.memo_warning.setText("\n".join(warnings))
        self.memo_warning.setVisible(bool(warnings))
        self.save_contact.setVisible(bool(self.recipient.address) and not self.recipient.contact)
        self.max_button.setEnabled(self.denom != DENOM_ACT)
        self.amount.setEnabled(self.denom != DENOM_ACT)
        have = self.overview.amount_of(self.denom)
        book = self.overview.denoms
        if self.denom == DENOM_AKT:
            self.reserve_note.setText(f"{book.format(self.reserve, DENOM_AKT)} stays in the account for fees; "
                                      f"at most {book.format(max_spendable(have, DENOM_AKT, self.reserve), DENOM_AKT)}"
                                      " can be sent.")
        else:
            self.reserve_note.setText(f"The fee is paid in AKT (you have {book.format(self.overview.amount_of(DENOM_AKT), DENOM_AKT)}).")
        problem = self.problem()
        quiet = ("Enter the recipient.", "Enter an amount.", self.recipient.problem)  # shown elsewhere or obvious
        self.error.setText(problem if problem not in quiet else "")
        self.send_button.setEnabled(not problem and not (self.op is not None and self.op.running))
        fit_to_content(self)

    def fill_max(self) -> None:
        best = max_spendable(self.overview.amount_of(self.denom), self.denom, self.reserve)
        self.amount_input.fill(best, self.overview.denoms.info(self.denom).exponent)

    def _save_contact(self) -> None:
        from ui.dialogs.contacts import ContactEditor

        editor = ContactEditor(self.book, None, self, address=self.recipient.address)
        editor.accepted.connect(self.recipient.reload_contacts)
        editor.finished.connect(editor.deleteLater)
        editor.open()

    # -- sending -------------------------------------------------------------------------------------

    def submit(self) -> None:
        if self.problem():
            self._update()
            return
        account = self.ctx.session.account
        try:
            prepared = build_send(
                account.address if account else "", self.recipient.address, self._amount() or 0, self.denom,
                balances=self.overview.as_dict(), reserve_uakt=self.reserve, memo=self.memo.text(),
                recipient_name=self.recipient.contact, denoms=self.overview.denoms)
        except (SendRefused, PlanError, AmountError) as exc:
            self.error.setText(f"{exc}.")
            return
        balances = self.overview.as_dict()
        self.op = ops.run_op(
            self, lambda: sign_and_send(self, self.ctx, prepared.msgs, memo=prepared.memo,
                                        context=prepared.describe_context(),
                                        balance_after=prepared.balance_after(balances)),
            success=self._done, progress_label="Sending…", disable=[self.send_button])

    def _done(self, result: object) -> None:
        if result is None:
            return  # the person cancelled the confirmation: keep the form as it was
        self.sent.emit(result)
        self.accept()
