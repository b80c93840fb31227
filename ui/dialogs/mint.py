"""Mint ACT from AKT, or burn ACT back into AKT (BME): live quote with the chain's minimum and spread, signing
through ui.sign.sign_and_send, then the pending ledger record followed until executed or cancelled."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QWidget,
)

from app import bme
from app.account import WalletOverview
from app.chain.common import Coin
from app.config import DENOM_ACT, DENOM_AKT
from app.txplan import PlanError, fee_reserve_uakt, max_spendable
from app.units import AmountError, format_amount
from ui import ops
from ui.context import AppContext
from ui.sign import sign_and_send
from ui.widgets.amount_input import AmountInput
from ui.widgets.tables import fit_to_content

MINT, BURN = "mint", "burn"


class MintDialog(QDialog):
    """Window-modal (open()). `converted(ConversionResult)` fires when the ledger record is settled."""

    converted = Signal(object)

    def __init__(self, ctx: AppContext, overview: WalletOverview, parent: QWidget | None = None,
                 mode: str = MINT) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.overview = overview
        self.state: bme.BmeState | None = None
        self.op: ops.Op | None = None
        self.follow_op: ops.Op | None = None
        self.reserve = fee_reserve_uakt(ctx.settings.gas_price)
        self.setWindowTitle("Mint or burn ACT")
        self.setObjectName("mintDialog")
        self.setMinimumWidth(540)
        form = QFormLayout(self)
        self.mint_choice = QRadioButton("Mint ACT (burn AKT)", self)
        self.burn_choice = QRadioButton("Burn ACT (get AKT back)", self)
        group = QButtonGroup(self)
        group.addButton(self.mint_choice)
        group.addButton(self.burn_choice)
        (self.mint_choice if mode == MINT else self.burn_choice).setChecked(True)
        choice = QHBoxLayout()
        choice.addWidget(self.mint_choice)
        choice.addWidget(self.burn_choice)
        self.amount_input = AmountInput("mintAmount", "All of it (for AKT: minus the reserve kept for fees)", self)
        self.amount, self.max_button = self.amount_input.edit, self.amount_input.max_button
        self.chain_state = QLabel("Reading the chain's price and limits…", self)
        self.chain_state.setWordWrap(True)
        self.quote = QLabel(self)
        self.quote.setObjectName("mintQuote")
        self.quote.setWordWrap(True)
        self.warning = QLabel(self)
        self.warning.setObjectName("mintWarning")
        self.warning.setWordWrap(True)
        self.progress = QLabel(self)
        self.progress.setObjectName("mintProgress")
        self.progress.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.submit_button = self.buttons.addButton("Convert…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.submit_button.setObjectName("convertButton")
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.clicked.connect(self.reject)
        self.submit_button.clicked.connect(self.submit)
        form.addRow(choice)
        form.addRow("Amount", self.amount_input)
        form.addRow(self.chain_state)
        form.addRow(self.quote)
        form.addRow(self.warning)
        form.addRow(self.progress)
        form.addRow(self.buttons)
        for w in (self.mint_choice, self.burn_choice):
            w.toggled.connect(lambda _on: self._update())
        self.amount.textChanged.connect(lambda _t: self._update())
        self.max_button.clicked.connect(self.fill_max)
        self._update()
        ops.run_op(self, lambda: bme.load_state(ctx.client), success=self._loaded, failure=self._load_failed,
                   progress_label="Reading the BME state…", key="bme-state")

    @property
    def mode(self) -> str:
        return MINT if self.mint_choice.isChecked() else BURN

    @property
    def denom(self) -> str:
        return DENOM_AKT if self.mode == MINT else DENOM_ACT

    def _loaded(self, state: bme.BmeState) -> None:
        self.state = state
        price = f"${state.akt_price:.4f} per AKT" if state.akt_price else "no AKT price"
        health = "" if state.price_healthy else " (unhealthy: conversions are halted)"
        self.chain_state.setText(f"Oracle: {price}{health}. Minimum mint {format_amount(state.min_uact, DENOM_ACT)}; "
                                 f"executed at the next epoch (every {state.params.min_epoch_blocks} blocks).")
        self._update()

    def _load_failed(self, exc: BaseException) -> None:
        from ui.errors import user_message

        message = user_message(exc)
        self.chain_state.setText(f"{message.title}: {message.text}")

    def _parsed(self) -> int | None:
        text = self.amount.text().strip()
        return self.overview.denoms.parse(text, self.denom) if text else None

    def plan(self):
        """(PreparedTx, quote) for the current input; PlanError / AmountError say what is wrong."""
        if self.state is None:
            raise PlanError("the chain's price and limits are still loading")
        amount = self._parsed()
        if amount is None:
            raise PlanError("enter an amount")
        owner = self.ctx.session.account.address if self.ctx.session.account else ""
        liquid = self.overview.amount_of(DENOM_AKT)
        if self.mode == MINT:
            return bme.build_mint(owner, amount, self.state, liquid_uakt=liquid, reserve_uakt=self.reserve)
        return bme.build_burn(owner, amount, self.state, act_balance=self.overview.amount_of(DENOM_ACT),
                              liquid_uakt=liquid, fee_uakt=self.reserve)

    def _update(self) -> None:
        self.amount.setPlaceholderText("AKT to burn" if self.mode == MINT else "ACT to burn")
        try:
            prepared, _quote = self.plan()
        except (PlanError, AmountError) as exc:
            self.quote.setText("")
            self.warning.setText(str(exc)[:1].upper() + str(exc)[1:] + "." if self.amount.text().strip() else "")
            self.submit_button.setEnabled(False)
            fit_to_content(self)
            return
        self.quote.setText(f"{prepared.title}.\n" + "\n".join(prepared.notes))
        self.warning.setText("\n".join(prepared.warnings))
        self.submit_button.setEnabled(not self.ctx.session.watch_only and not (self.op and self.op.running))
        fit_to_content(self)

    def fill_max(self) -> None:
        best = max_spendable(self.overview.amount_of(self.denom), self.denom, self.reserve)
        self.amount_input.fill(best, self.overview.denoms.info(self.denom).exponent)

    def submit(self) -> None:
        try:
            prepared, _quote = self.plan()
        except (PlanError, AmountError) as exc:
            self.warning.setText(f"{exc}.")
            return
        burned = Coin(self.denom, next(iter(prepared.spends.values())))
        balances = self.overview.as_dict()

        owner = self.ctx.session.account.address if self.ctx.session.account else ""
        self.op = ops.run_op(
            self, lambda: sign_and_send(self, self.ctx, prepared.msgs, context=prepared.describe_context(),
                                        balance_after=prepared.balance_after(balances)),
            success=lambda result: self._sent(result, owner, burned), progress_label="Converting…",
            disable=[self.submit_button, self.amount, self.max_button])

    def _sent(self, result, owner: str, burned: Coin) -> None:
        """In a block: follow the ledger record. The wallet tab owns that work, so closing this dialog
        does not stop it; the outcome is announced in the status bar and as a notification."""
        if result is None:
            return  # cancelled at the confirmation
        self.progress.setText(f"Sent in block {result.height:,}. Waiting for the chain to convert "
                              f"{format_amount(burned.amount, burned.denom)}… (you may close this window)")
        fit_to_content(self)
        holder = self.parentWidget() or self
        client, ctx = self.ctx.client, self.ctx
        dialog = self

        def followed(outcome: bme.ConversionResult) -> None:
            ctx.status.emit(outcome.message)
            if ctx.notifier is not None:
                ctx.notifier.notify("ACT conversion", outcome.message, "tx_finished")
            if shiboken6.isValid(dialog):
                dialog._followed(outcome)

        self.follow_op = ops.run_op(holder, lambda: bme.follow(client, owner, result.height, burned, timeout_s=600.0),
                                    success=followed, progress_label="Waiting for the ACT conversion…",
                                    key=f"bme-follow-{result.txhash}", busy_delay_ms=60_000)

    def _followed(self, outcome: bme.ConversionResult) -> None:
        self.progress.setText(outcome.message)
        fit_to_content(self)
        self.converted.emit(outcome)
        self._update()
