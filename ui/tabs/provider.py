"""Provider tab: a provider address (your own account or a watched one): earnings cards (24 h, 7 d, 30 d,
total), earnings per day (chart and table), active leases with resources, withdraw all, CSV export."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import earnings as earnings_svc
from app.chain import bank
from app.chain import provider as chain_provider
from app.config import DENOM_AKT
from app.denoms import DenomBook
from app.txplan import PlanError, fee_reserve_uakt
from app.wallet.address import AddressError, validate_address
from ui import ops, shortcuts
from ui.context import AppContext
from ui.models.earnings import DailyEarningsModel
from ui.models.provider_leases import ProviderLeasesModel, resources_text
from ui.models.rows import SortFilter
from ui.sign import sign_and_send
from ui.tabs.holder import HolderTab
from ui.widgets.earnings_chart import EarningsChart
from ui.widgets.stat_card import StatCard
from ui.widgets.tables import empty_text, table_defaults

CARDS = (("24h", "Last 24 hours"), ("7d", "Last 7 days"), ("30d", "Last 30 days"), ("total", "Total earned"))


@dataclass(frozen=True)
class ProviderSnapshot:
    earnings: earnings_svc.ProviderEarnings
    liquid_uakt: int | None  # None when the address is not one of your accounts


def amounts_text(amounts: dict[str, Decimal], book: DenomBook) -> str:
    parts = [book.format(int(v), d, places=4) for d, v in sorted(amounts.items()) if int(v)]
    return " + ".join(parts) or "0 ACT"  # leases are paid in ACT (or AKT); nothing yet reads as 0 ACT


class ProviderTab(HolderTab):
    key = "provider"
    block_interval_s = 60.0  # every lease is re-read (thousands for a big provider): once a minute

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.earnings: earnings_svc.ProviderEarnings | None = None
        self.liquid: int | None = None
        self.denoms = DenomBook()
        self.provider = ""
        self._build_picker()
        self._build_cards()
        self._build_body()
        self._build_actions()
        self.use_own_account()

    # -- layout --------------------------------------------------------------------------------------

    def _build_picker(self) -> None:
        row = QHBoxLayout()
        self.address = QComboBox(self)
        self.address.setObjectName("providerAddress")
        self.address.setEditable(True)
        self.address.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.address.setMinimumContentsLength(46)
        self.address.lineEdit().setPlaceholderText("akash1... provider address (your account or one to watch)")
        self.address.setToolTip("Type or pick a provider address; press Enter to show it")
        self.address.lineEdit().returnPressed.connect(self.show_typed)
        self.address.activated.connect(lambda _i: self.show_typed())
        self.address.lineEdit().textEdited.connect(self._check_typed)
        self.mine_button = QPushButton("My account", self)
        self.mine_button.setToolTip("Show the selected account's provider earnings")
        self.mine_button.clicked.connect(self.use_own_account)
        self.address_problem = QLabel(self)
        self.address_problem.setObjectName("errorText")
        self.address_problem.hide()
        row.addWidget(QLabel("Provider", self))
        row.addWidget(self.address, 1)
        row.addWidget(self.mine_button)
        self.layout_.addLayout(row)
        self.layout_.addWidget(self.address_problem)
        self.mode = QLabel(self)
        self.mode.setObjectName("providerMode")
        self.layout_.addWidget(self.mode)

    def _build_cards(self) -> None:
        row = QHBoxLayout()
        self.cards: dict[str, StatCard] = {}
        tips = {"total": "Withdrawn + waiting in the leases' payments + accrued since the last settlement",
                "24h": "Rate x blocks each lease was active in the window"}
        for key, caption in CARDS:
            card = StatCard(caption, tips.get(key, tips["24h"]), self)
            card.setObjectName(f"card_{key}")
            self.cards[key] = card
            row.addWidget(card)
        self.withdrawable = StatCard("Withdrawable now", "What a withdrawal pays about now", self)
        self.withdrawable.setObjectName("card_withdrawable")
        row.addWidget(self.withdrawable)
        self.layout_.addLayout(row)

    def _build_body(self) -> None:
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.per_day = QTabWidget(splitter)
        self.chart = EarningsChart(self.per_day)
        self.daily_model = DailyEarningsModel(self)
        self.daily_view = QTableView(self.per_day)
        self.daily_view.setObjectName("dailyEarningsTable")
        self.daily_view.setModel(self.daily_model)
        table_defaults(self.daily_view, {0: "2026-12-31", 1: "100,000", 2: "1,234.5678 ACT"})
        self.per_day.addTab(self.chart, "Earnings per day")
        self.per_day.addTab(self.daily_view, "Per day (table)")
        leases = QWidget(splitter)
        column = QVBoxLayout(leases)
        column.setContentsMargins(0, 0, 0, 0)
        line = QHBoxLayout()
        self.leases_title = QLabel("<b>Active leases</b>", leases)
        self.show_closed = QCheckBox("Show closed leases", leases)
        self.show_closed.setToolTip("Also list the leases that ended, with what they earned")
        self.show_closed.toggled.connect(lambda _on: self._fill_leases())
        self.resources = QLabel(leases)
        self.resources.setObjectName("leasedResources")
        line.addWidget(self.leases_title)
        line.addWidget(self.resources, 1)
        line.addWidget(self.show_closed)
        self.leases_model = ProviderLeasesModel(self)
        self.leases_proxy = SortFilter(self.leases_model, self)
        self.leases_view = QTableView(leases)
        self.leases_view.setObjectName("providerLeasesTable")
        self.leases_view.setModel(self.leases_proxy)
        self.leases_view.setSortingEnabled(True)
        self.leases_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table_defaults(self.leases_view, {0: "akash1abcd…abcdef", 1: "12345678/1/1", 2: "active", 4: "1,234.5678 ACT",
                                          5: "1,234.5678 ACT", 6: "12,345.6789 ACT", 7: "1,234.5678 ACT"}, stretch=3)
        empty_text(self.leases_view, lambda: "" if self.earnings is None else
                   "No lease with this provider yet." if self.show_closed.isChecked() else
                   "No running lease. Tick Show closed leases to see the ended ones.")
        column.addLayout(line)
        column.addWidget(self.leases_view, 1)
        splitter.addWidget(self.per_day)
        splitter.addWidget(leases)
        self.layout_.addWidget(splitter, 1)

    def _build_actions(self) -> None:
        row = QHBoxLayout()
        self.withdraw_button = QPushButton("Withdraw all…", self)
        self.withdraw_button.setObjectName("withdrawAll")
        self.withdraw_button.setToolTip(shortcuts.tip("Withdraw the earnings of every running lease",
                                                      "provider.withdraw"))
        self.withdraw_button.clicked.connect(lambda: self.withdraw_all())
        self.export_button = QPushButton("Export CSV…", self)
        self.export_button.setToolTip(shortcuts.tip("Save every lease and the per-day earnings as CSV",
                                                    "provider.export"))
        self.export_button.clicked.connect(self.export_csv)
        shortcuts.bind(self, "provider.withdraw", self.withdraw_all)
        shortcuts.bind(self, "provider.export", self.export_csv)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        row.addWidget(self.note, 1)
        row.addWidget(self.export_button)
        row.addWidget(self.withdraw_button)
        self.layout_.addLayout(row)
        self._update_buttons()

    # -- which provider --------------------------------------------------------------------------------

    def own_addresses(self) -> dict[str, str]:
        return {a.address: a.name for w in self.ctx.session.wallets if not w.watch_only for a in w.accounts}

    def _problem(self, text: str) -> None:
        self.address_problem.setText(text)
        self.address_problem.setVisible(bool(text))

    def use_own_account(self) -> None:
        account = self.ctx.session.account
        self.set_provider(account.address if account else "")

    def _check_typed(self, text: str) -> None:
        value = text.strip()
        try:
            if value:
                validate_address(value)
            self._problem("")
        except AddressError as exc:
            self._problem(f"Not a valid address: {exc}.")

    def show_typed(self) -> None:
        text = (self.address.currentData() if self.address.currentIndex() >= 0 and
                self.address.currentText() == self.address.itemText(self.address.currentIndex()) else None)
        value = (text or self.address.currentText()).strip()
        try:
            validate_address(value)
        except AddressError as exc:
            self._problem(f"Not a valid address: {exc}.")
            return
        self.set_provider(value)

    def set_provider(self, address: str) -> None:
        self._problem("")
        if address != self.provider:
            self.earnings = None
            self._show_empty()
        self.provider = address
        self.address.lineEdit().setText(address)
        own = address in self.own_addresses()
        self.mode.setText("" if not address else "Your account: you can withdraw its earnings." if own
                          else "Watching this provider: figures only (withdrawing needs its own key).")
        self._update_buttons()
        self.refresh()

    def refresh(self) -> None:
        if self.ctx.session.account is not None and not self.provider:
            self.provider = self.ctx.session.account.address
            self.address.lineEdit().setText(self.provider)
        super().refresh()

    # -- loading -------------------------------------------------------------------------------------

    def reload(self, full: bool) -> None:
        provider = self.provider
        if not provider:
            return
        client = self.ctx.client
        own = provider in self.own_addresses()
        if self.address.count() == 0:
            ops.run_op(self, lambda: chain_provider.providers(client), success=self._known_providers,
                       failure=lambda _e: None, key="provider-list", busy_delay_ms=5000)

        async def work() -> ProviderSnapshot:
            if own:
                earnings, coin = await asyncio.gather(earnings_svc.load(client, provider),
                                                      bank.balance(client, provider, DENOM_AKT))
                return ProviderSnapshot(earnings, coin.amount)
            return ProviderSnapshot(await earnings_svc.load(client, provider), None)

        ops.run_op(self, work, success=lambda s: self._show(provider, s), failure=self.load_failed,
                   progress_label="Reading the provider's leases…", key="provider-load")

    def _known_providers(self, listing) -> None:
        current = self.address.currentText()
        self.address.clear()
        for address, name in self.own_addresses().items():
            self.address.addItem(f"{address}  (your {name})", address)
        for p in listing.items:
            self.address.addItem(f"{p.owner}  ({p.host_uri})", p.owner)
        self.address.setCurrentIndex(-1)
        self.address.lineEdit().setText(current)

    def _show_empty(self) -> None:
        for card in (*self.cards.values(), self.withdrawable):
            card.set("—")
        self.leases_model.set_rows([])
        self.daily_model.set_days((), self.denoms)
        self.chart.set_series([], "")

    def _show(self, provider: str, snap: ProviderSnapshot) -> None:
        if provider != self.provider:
            return
        self.clear_problem()
        e = snap.earnings
        self.earnings, self.liquid = e, snap.liquid_uakt
        book = self.denoms
        for key, _caption in CARDS:
            amounts = e.total if key == "total" else e.window(key)
            detail = f"withdrawn {amounts_text(e.withdrawn, book)}" if key == "total" else ""
            self.cards[key].set(amounts_text(amounts, book), detail)
        at_risk = e.at_risk
        self.withdrawable.set(amounts_text(e.collectable, book),
                              f"at risk {amounts_text(at_risk, book)}" if any(int(v) for v in at_risk.values()) else "")
        denom = max(e.total, key=lambda d: e.total[d]) if e.total else ""
        points = [(date.fromisoformat(d.day), book.to_display(d.amounts.get(denom, Decimal(0)), denom) if denom
                   else Decimal(0)) for d in e.daily]
        self.chart.set_series(points, book.symbol(denom) if denom else "")
        self.daily_model.set_days(e.daily, book)
        self._fill_leases()
        running = e.running
        self.resources.setText(f"{len(running)} running · {resources_text(e.resources)} · "
                               f"{amounts_text(e.monthly_rate, book)} per month" if running else "No running lease")
        self.note.setText("The lease list was cut at 100,000 leases." if e.truncated else "")
        self._update_buttons()

    def _fill_leases(self) -> None:
        if self.earnings is None:
            return
        rows = self.earnings.leases if self.show_closed.isChecked() else self.earnings.running
        self.leases_model.set_rows(rows)
        self.leases_title.setText("<b>All leases</b>" if self.show_closed.isChecked() else "<b>Active leases</b>")

    # -- actions -------------------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        own = self.provider in self.own_addresses()
        ready = self.earnings is not None and any(e.withdrawable for e in self.earnings.leases)
        self.withdraw_button.setEnabled(own and ready)
        self.withdraw_button.setToolTip(
            "Withdraw the earnings of every running lease (Ctrl+Shift+W)" if own
            else "Only the provider's own key can withdraw: this address is watched")
        self.export_button.setEnabled(self.earnings is not None)

    def withdraw_all(self) -> ops.Op | None:
        e, account = self.earnings, self.ctx.session.account
        if e is None or account is None or account.address != self.provider:
            if e is not None and self.provider in self.own_addresses():
                ops.show_error(self, PlanError("choose this account in the account switcher to sign for it"))
            return None
        fee = fee_reserve_uakt(self.ctx.settings.gas_price, txs=1)
        try:
            plans = earnings_svc.build_withdraw_all(self.provider, e, liquid_uakt=self.liquid or 0, fee_uakt=fee,
                                                    denoms=self.denoms)
        except PlanError as exc:
            ops.show_error(self, exc)
            return None

        async def work() -> int:
            done = 0
            for plan in plans:  # one confirmation per transaction (100 leases each)
                result = await sign_and_send(self, self.ctx, plan.msgs, context=plan.describe_context())
                if result is None:
                    break
                done += 1
            return done

        return ops.run_op(self, work, success=self._withdrawn, progress_label="Withdrawing…",
                          disable=[self.withdraw_button])

    def _withdrawn(self, transactions: int) -> None:
        if transactions:
            self.ctx.status.emit(f"Earnings withdrawn ({transactions} transaction{'s' * (transactions != 1)})")
            self.refresh()

    def export_csv(self):
        from ui.dialogs.csv_save import ask_csv_path

        if self.earnings is None:
            return None
        return ask_csv_path(self, "Export provider earnings", "akash-provider-earnings.csv", self.export_to)

    def export_to(self, path: Path) -> ops.Op:
        earnings, denoms = self.earnings, self.denoms
        return ops.run_op(self, lambda: ops.in_thread(earnings_svc.export_csv, earnings, path, denoms),
                          success=lambda p: self.ctx.status.emit(f"Earnings saved to {p}"),
                          progress_label="Exporting…", disable=[self.export_button])
