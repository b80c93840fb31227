"""Staking tab: validators (sortable, searchable: commission, voting power and rank, status, uptime), the
account's delegations and rewards, delegate / undelegate / move / claim all / compound, unbondings with dates."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import staking
from app.chain import bank
from app.chain import staking as chain_staking
from app.config import DENOM_AKT
from app.staking_stats import estimate_apr
from app.txplan import PlanError, PreparedTx, fee_reserve_uakt
from ui import ops, shortcuts
from ui.context import AppContext
from ui.models.delegations import DelegationsModel, PendingStake, UnbondingModel
from ui.models.rows import SortFilter, row_of
from ui.models.validators import ValidatorsModel, akt, pct
from ui.sign import sign_and_send
from ui.tabs.holder import HolderTab
from ui.widgets.tables import empty_text, table_defaults

VALIDATORS_EVERY_S = 60.0  # the heavy list: at most once a minute from new blocks


@dataclass(frozen=True)
class StakingSnapshot:
    validators: tuple[staking.ValidatorRow, ...] | None  # None: kept from the previous load
    position: staking.StakingPosition
    liquid_uakt: int


def _table(parent: QWidget, name: str, model, stretch: int, widths: dict[int, str]) -> tuple[QTableView, SortFilter]:
    proxy = SortFilter(model, parent)
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table_defaults(view, widths, stretch)
    return view, proxy


class StakingTab(HolderTab):
    key = "staking"
    block_interval_s = 8.0  # rewards grow every block; reading them every 8 s is plenty

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.validators: tuple[staking.ValidatorRow, ...] = ()
        self.position: staking.StakingPosition | None = None
        self.liquid = 0
        self.unbonding_time: timedelta | None = None
        self._validators_at = 0.0
        self.summary = QLabel("Loading…", self)
        self.summary.setObjectName("stakingSummary")
        self.summary.setWordWrap(True)
        self.layout_.addWidget(self.summary)
        self._build_actions()
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self._build_validators())
        splitter.addWidget(self._build_mine())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.layout_.addWidget(splitter, 1)
        self._update_buttons()

    # -- layout --------------------------------------------------------------------------------------

    def _button(self, text: str, tip: str, shortcut_id: str, slot) -> QPushButton:
        button = QPushButton(text, self)
        button.setToolTip(shortcuts.tip(tip, shortcut_id))
        button.clicked.connect(lambda: slot())
        shortcuts.bind(self, shortcut_id, slot)
        return button

    def _build_actions(self) -> None:
        row = QHBoxLayout()
        self.delegate_button = self._button("Delegate…", "Stake AKT with the selected validator", "staking.delegate",
                                            self.open_delegate)
        self.undelegate_button = self._button("Undelegate…", "Start unbonding stake", "staking.undelegate",
                                              self.open_undelegate)
        self.redelegate_button = self._button("Move stake…", "Move stake to another validator, no unbonding wait",
                                              "staking.redelegate", self.open_redelegate)
        self.claim_button = self._button("Claim all", "Claim the rewards of every validator in one transaction",
                                         "staking.claim", self.claim_all)
        self.compound_button = self._button("Compound", "Claim the rewards and stake them again, in one transaction",
                                            "staking.compound", self.compound)
        for b in (self.delegate_button, self.undelegate_button, self.redelegate_button):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.claim_button)
        row.addWidget(self.compound_button)
        self.layout_.addLayout(row)

    def _build_validators(self) -> QWidget:
        box = QWidget(self)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        line = QHBoxLayout()
        self.search = QLineEdit(box)
        self.search.setObjectName("validatorSearch")
        self.search.setPlaceholderText("Search validators (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.show_inactive = QCheckBox("Show jailed and inactive", box)
        self.show_inactive.setChecked(True)
        self.show_inactive.setToolTip("Validators outside the active set earn no rewards")
        line.addWidget(QLabel("<b>Validators</b>", box))
        line.addWidget(self.search, 1)
        line.addWidget(self.show_inactive)
        self.validators_model = ValidatorsModel(self)
        self.validators_view, self.validators_proxy = _table(
            box, "validatorsTable", self.validators_model, 1,
            {0: "000", 2: "Inactive", 3: "100.00 %", 4: "100,000,000 AKT  (100.00 %)", 5: "100.00 %", 6: "1,000,000 AKT"})
        self.validators_view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.validators_view.doubleClicked.connect(lambda _i: self.open_delegate())
        self.validators_view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.search.textChanged.connect(self.validators_proxy.set_search)
        self.show_inactive.toggled.connect(lambda _on: self._fill_validators())
        shortcuts.bind(self, "staking.search", self.search.setFocus)
        column.addLayout(line)
        column.addWidget(self.validators_view, 1)
        return box

    def _build_mine(self) -> QWidget:
        self.mine = QTabWidget(self)
        self.mine.setObjectName("stakingMine")
        self.delegations_model = DelegationsModel(self)
        self.delegations_view, _p = _table(self.mine, "delegationsTable", self.delegations_model, 0,
                                              {1: "1,000,000.000000 AKT", 2: "1,000.000000 AKT", 3: "Inactive"})
        self.delegations_view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.delegations_view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.unbonding_model = UnbondingModel(self)
        self.unbonding_view, _p2 = _table(self.mine, "unbondingTable", self.unbonding_model, 1,
                                              {0: "Unbonding", 2: "1,000,000.000000 AKT",
                                               3: "2026-12-31 23:59  (in 21 days)"})
        self.unbonding_view.sortByColumn(3, Qt.SortOrder.AscendingOrder)
        empty_text(self.delegations_view, lambda: "" if self.position is None else
                   "You have not staked yet: select a validator above and press Delegate… (Ctrl+Shift+D).")
        empty_text(self.unbonding_view, lambda: "" if self.position is None else "Nothing is unbonding or moving.")
        empty_text(self.validators_view, lambda: "Reading the validators…" if not self.validators else
                   "No validator matches the search.")
        self.mine.addTab(self.delegations_view, "My delegations")
        self.mine.addTab(self.unbonding_view, "Unbonding and moves")
        return self.mine

    # -- loading -------------------------------------------------------------------------------------

    def refresh(self) -> None:
        account = self.ctx.session.account
        if self.position is not None and (account is None or self.position.delegator != account.address):
            self.position = None  # another account: its stake is not this one's
            self.validators_model.set_mine({})
            self.delegations_model.set_rows([])
            self.unbonding_model.set_rows([])
            self.summary.setText("Loading…")
            self._update_buttons()
        super().refresh()

    def reload(self, full: bool) -> None:
        account = self.ctx.session.account
        if account is None:
            return
        heavy = full or not self.validators or time.monotonic() - self._validators_at > VALIDATORS_EVERY_S
        client, address = self.ctx.client, account.address
        if self.unbonding_time is None:
            ops.run_op(self, lambda: chain_staking.params(client), success=self._params, failure=lambda _e: None,
                       key="staking-params", busy_delay_ms=5000)
            ops.run_op(self, lambda: estimate_apr(client), success=self._apr, failure=lambda _e: None,
                       key="staking-apr", busy_delay_ms=5000)

        async def work() -> StakingSnapshot:
            rows = await staking.load_validators(client) if heavy else None
            position, coin = await asyncio.gather(staking.load_position(client, address, rows or self.validators),
                                                  bank.balance(client, address, DENOM_AKT))
            return StakingSnapshot(rows, position, coin.amount)

        ops.run_op(self, work, success=lambda s: self._show(address, s), failure=self.load_failed,
                   progress_label="Reading validators and your stake…" if heavy else "Reading your rewards…",
                   key="staking-load")

    def _params(self, params) -> None:
        self.unbonding_time = params.unbonding_time

    def _apr(self, result) -> None:
        estimate, why = result
        self.apr = estimate
        self.apr_note = why
        self._summary()

    def _show(self, address: str, snap: StakingSnapshot) -> None:
        if self.ctx.session.account is None or self.ctx.session.account.address != address:
            return
        self.clear_problem()
        if snap.validators is not None:
            self.validators = snap.validators
            self._validators_at = time.monotonic()
            self._fill_validators()
        self.position, self.liquid = snap.position, snap.liquid_uakt
        self.validators_model.set_mine({d.validator: d.amount for d in snap.position.delegations})
        self.delegations_model.set_rows(snap.position.delegations)
        pending = [PendingStake.of_unbonding(u) for u in snap.position.unbonding]
        pending += [PendingStake.of_move(r) for r in snap.position.redelegations]
        self.unbonding_model.set_rows(pending)
        self.mine.setTabText(1, f"Unbonding and moves ({len(pending)})" if pending else "Unbonding and moves")
        self._summary()
        self._update_buttons()

    def _fill_validators(self) -> None:
        rows = [v for v in self.validators if self.show_inactive.isChecked() or v.status == staking.ACTIVE]
        self.validators_model.set_rows(rows)

    def _summary(self) -> None:
        p = self.position
        if p is None:
            return
        apr = getattr(self, "apr", None)
        apr_text = f" · Estimated APR {pct(apr.apr, '0.1')} before commission" if apr else ""
        self.summary.setText(
            f"<b>Staked {akt(p.total_staked)}</b> · Rewards {akt(int(p.total_rewards))} · "
            f"Unbonding {akt(p.total_unbonding)} · Liquid {akt(self.liquid)}{apr_text}")
        if apr:
            self.summary.setToolTip(apr.method)

    # -- actions -------------------------------------------------------------------------------------

    def selected_validator(self) -> str:
        if self.mine.currentIndex() == 0 and self.delegations_view.hasFocus():
            rows = self.delegations_view.selectionModel().selectedRows()
            if rows:
                return row_of(rows[0]).validator
        rows = self.validators_view.selectionModel().selectedRows()
        if rows:
            return row_of(rows[0]).operator
        rows = self.delegations_view.selectionModel().selectedRows()
        return row_of(rows[0]).validator if rows else ""

    def _update_buttons(self) -> None:
        can_sign = self.ctx.session.account is not None and not self.ctx.session.watch_only
        ready = can_sign and self.position is not None and bool(self.validators)
        has_stake = ready and bool(self.position.delegations)
        has_rewards = has_stake and self.position.total_rewards >= 1
        self.delegate_button.setEnabled(ready)
        self.undelegate_button.setEnabled(has_stake)
        self.redelegate_button.setEnabled(has_stake)
        self.claim_button.setEnabled(has_rewards)
        self.compound_button.setEnabled(has_rewards)

    def _dialog(self, mode: str):
        from ui.dialogs.delegate import DelegateDialog

        if self.position is None or not self.validators or self.ctx.session.account is None:
            return None
        dialog = DelegateDialog(self.ctx, mode, self.validators, self.position, self.liquid, self,
                                validator=self.selected_validator(), unbonding_time=self.unbonding_time)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def open_delegate(self):
        return self._dialog("delegate")

    def open_undelegate(self):
        return self._dialog("undelegate")

    def open_redelegate(self):
        return self._dialog("redelegate")

    def _sign(self, build, claims: bool) -> ops.Op | None:
        """Build a claim/compound plan and go straight to THE confirmation dialog (it lists every message)."""
        account = self.ctx.session.account
        if self.position is None or account is None:
            return None
        fee = fee_reserve_uakt(self.ctx.settings.gas_price, txs=1)
        try:
            prepared: PreparedTx = build(account.address, self.position, liquid_uakt=self.liquid, fee_uakt=fee)
        except PlanError as exc:
            ops.show_error(self, exc)
            return None
        after = prepared.balance_after({DENOM_AKT: self.liquid})
        if claims:  # the rewards arrive in the same transaction
            after[DENOM_AKT] += sum(int(d.reward) for d in self.position.delegations if d.reward >= 1)
        return ops.run_op(self, lambda: sign_and_send(self, self.ctx, prepared.msgs, context=prepared.describe_context(),
                                                      balance_after=after),
                          success=lambda _r: None, progress_label=prepared.title,
                          disable=[self.claim_button, self.compound_button])

    def claim_all(self) -> ops.Op | None:
        return self._sign(staking.build_claim_all, claims=True)

    def compound(self) -> ops.Op | None:
        return self._sign(staking.build_compound, claims=False)

