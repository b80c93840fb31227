"""Delegate, undelegate or move stake: validator pickers, amount with MAX (the fee reserve kept when
delegating), the plan checked as you type; signing through ui.sign.sign_and_send."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QWidget,
)

from app import staking
from app.config import DENOM_AKT
from app.txplan import PlanError, PreparedTx, fee_reserve_uakt
from app.units import AmountError, to_base
from ui import ops
from ui.context import AppContext
from ui.models.validators import STATUS_WORDS, akt, pct
from ui.sign import sign_and_send
from ui.widgets.amount_input import AmountInput
from ui.widgets.tables import fit_to_content

DELEGATE, UNDELEGATE, REDELEGATE = "delegate", "undelegate", "redelegate"
TITLES = {DELEGATE: "Delegate", UNDELEGATE: "Undelegate", REDELEGATE: "Move stake"}


class DelegateDialog(QDialog):
    """Window-modal (open()); `done_tx(result)` once the transaction is in a block."""

    done_tx = Signal(object)

    def __init__(self, ctx: AppContext, mode: str, validators: tuple[staking.ValidatorRow, ...],
                 position: staking.StakingPosition, liquid_uakt: int, parent: QWidget | None = None,
                 validator: str = "", unbonding_time=None) -> None:
        super().__init__(parent)
        self.ctx, self.mode, self.validators, self.position = ctx, mode, validators, position
        self.liquid = liquid_uakt
        self.unbonding_time = unbonding_time
        self.reserve = fee_reserve_uakt(ctx.settings.gas_price)
        self.fee = fee_reserve_uakt(ctx.settings.gas_price, txs=1)
        self.op: ops.Op | None = None
        self.setWindowTitle(TITLES[mode])
        self.setObjectName(f"{mode}Dialog")
        self.setMinimumWidth(520)
        form = QFormLayout(self)
        self.source = QComboBox(self)
        self.source.setObjectName("validatorPicker")
        # Undelegating or moving only makes sense from validators the account has stake with.
        choices = validators if mode == DELEGATE else [v for v in validators if position.staked_with(v.operator)]
        for v in choices:
            self.source.addItem(self._label(v), v.operator)
        self.target = QComboBox(self)
        self.target.setObjectName("targetPicker")
        for v in validators:
            self.target.addItem(self._label(v), v.operator)
        self.amount_input = AmountInput("stakeAmount", "All of it; when delegating, the AKT needed for the next fees "
                                        "stays liquid", self, placeholder="AKT")
        self.amount, self.max_button = self.amount_input.edit, self.amount_input.max_button
        self.info = QLabel(self)
        self.info.setObjectName("stakeInfo")
        self.info.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.ok = self.buttons.addButton(f"{TITLES[mode]}…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("stakeOk")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        self.ok.clicked.connect(self.submit)
        form.addRow("Validator" if mode != REDELEGATE else "From", self.source)
        if mode == REDELEGATE:
            form.addRow("To", self.target)
        else:
            self.target.hide()
        form.addRow("Amount", self.amount_input)
        form.addRow(self.info)
        form.addRow(self.error)
        form.addRow(self.buttons)
        if validator:
            self.source.setCurrentIndex(max(0, self.source.findData(validator)))
        for combo in (self.source, self.target):
            combo.currentIndexChanged.connect(lambda _i: self._update())
        self.amount.textChanged.connect(lambda _t: self._update())
        self.max_button.clicked.connect(self.fill_max)
        self._update()
        self.amount.setFocus()

    def _label(self, v: staking.ValidatorRow) -> str:
        mine = self.position.staked_with(v.operator)
        extra = f", yours {akt(mine)}" if mine else ""
        return f"{v.moniker} — {STATUS_WORDS.get(v.status, v.status)}, commission {pct(v.commission)}{extra}"

    def _row(self, combo: QComboBox) -> staking.ValidatorRow | None:
        operator = combo.currentData()
        return next((v for v in self.validators if v.operator == operator), None)

    def max_amount(self) -> int:
        src = self._row(self.source)
        if self.mode == DELEGATE:
            return staking.max_delegatable(self.liquid, self.reserve)
        return self.position.staked_with(src.operator) if src else 0

    def fill_max(self) -> None:
        self.amount_input.fill(self.max_amount())

    def plan(self) -> PreparedTx:
        src = self._row(self.source)
        if src is None:
            raise PlanError("choose a validator" if self.mode == DELEGATE else "you have no stake to move or undelegate")
        text = self.amount.text().strip()
        if not text:
            raise PlanError("enter an amount")
        amount = to_base(text, 6)
        me = self.ctx.session.account.address if self.ctx.session.account else ""
        if self.mode == DELEGATE:
            return staking.build_delegate(me, src, amount, liquid_uakt=self.liquid, reserve_uakt=self.reserve)
        if self.mode == UNDELEGATE:
            return staking.build_undelegate(me, src, amount, self.position, liquid_uakt=self.liquid,
                                            fee_uakt=self.fee, unbonding_time=self.unbonding_time)
        dst = self._row(self.target)
        if dst is None:
            raise PlanError("choose the validator to move the stake to")
        return staking.build_redelegate(me, src, dst, amount, self.position, liquid_uakt=self.liquid, fee_uakt=self.fee)

    def _update(self) -> None:
        liquid = f"Liquid: {akt(self.liquid)}; MAX is {akt(self.max_amount())}."
        try:
            prepared = self.plan()
        except (PlanError, AmountError) as exc:
            self.info.setText(liquid)
            typed = bool(self.amount.text().strip())
            self.error.setText(f"{str(exc)[:1].upper()}{str(exc)[1:]}." if typed or self.source.count() == 0 else "")
            self.ok.setEnabled(False)
            fit_to_content(self)
            return
        self.info.setText("\n".join((liquid, *prepared.notes)))
        self.error.setText("\n".join(prepared.warnings))
        self.ok.setEnabled(not self.ctx.session.watch_only)
        fit_to_content(self)

    def submit(self) -> None:
        try:
            prepared = self.plan()
        except (PlanError, AmountError) as exc:
            self.error.setText(f"{exc}.")
            return
        balance_after = prepared.balance_after({DENOM_AKT: self.liquid})
        self.op = ops.run_op(
            self, lambda: sign_and_send(self, self.ctx, prepared.msgs, context=prepared.describe_context(),
                                        balance_after=balance_after),
            success=self._done, progress_label=f"{TITLES[self.mode]}…", disable=[self.ok])

    def _done(self, result: object) -> None:
        if result is None:
            return
        self.done_tx.emit(result)
        self.accept()
