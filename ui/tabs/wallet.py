"""Wallet tab: AKT/ACT/USDC balances with the USD value, send, receive (QR), mint/burn ACT, the address book,
and the decoded history (loaded as you scroll) with CSV export."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QToolButton,
    QWidget,
)

from app import account as account_svc
from app import history as history_svc
from app.denoms import DenomBook
from app.wallet.addressbook import AddressBook
from ui import ops, shortcuts
from ui.context import AppContext
from ui.models.balances import BalancesModel, usd
from ui.models.history import HistoryModel
from ui.resources import icon
from ui.tabs.holder import HolderTab
from ui.widgets.tables import table_defaults

HISTORY_EVERY_S = 30.0  # new blocks look for new transactions at most this often


class WalletTab(HolderTab):
    key = "wallet"
    block_interval_s = 6.0  # balances; new transactions are looked for every HISTORY_EVERY_S

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.overview: account_svc.WalletOverview | None = None
        self.loader: history_svc.HistoryLoader | None = None
        self._book: AddressBook | None = None
        self._monikers: dict[str, str] | None = None
        self._history_at = 0.0
        ctx.network_changed.connect(self._forget_network)
        self._build_header()
        self._build_balances()
        self._build_actions()
        self._build_history()
        self._update_account()

    # -- layout --------------------------------------------------------------------------------------

    def _build_header(self) -> None:
        self.account = QLabel(self)
        self.account.setObjectName("tabTitle")
        row = QHBoxLayout()
        self.address = QLabel(self)
        self.address.setObjectName("accountAddress")
        self.address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy = QToolButton(self)
        self.copy.setIcon(icon("copy"))
        self.copy.setToolTip("Copy the address (cleared from the clipboard after a minute)")
        self.copy.clicked.connect(self._copy)
        row.addWidget(self.address)
        row.addWidget(self.copy)
        row.addStretch(1)
        self.layout_.addWidget(self.account)
        self.layout_.addLayout(row)

    def _build_balances(self) -> None:
        self.total = QLabel(self)
        self.total.setObjectName("walletTotal")
        self.price = QLabel(self)
        self.price.setObjectName("aktPrice")
        self.price.setToolTip("The AKT price of the chain's oracle (time-weighted average)")
        line = QHBoxLayout()
        line.addWidget(self.total)
        line.addStretch(1)
        line.addWidget(self.price)
        self.balances_model = BalancesModel(self)
        self.balances = QTableView(self)
        self.balances.setObjectName("walletBalances")
        self.balances.setModel(self.balances_model)
        self.balances.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table_defaults(self.balances, {0: "USDC ", 1: "000,000,000.000000", 2: "$000,000,000.00"}, stretch=3)
        rows = 3.4  # AKT, ACT, USDC without a scroll bar; more tokens scroll
        self.balances.setFixedHeight(int(self.balances.horizontalHeader().sizeHint().height()
                                         + rows * self.balances.verticalHeader().defaultSectionSize()) + 4)
        self.layout_.addLayout(line)
        self.layout_.addWidget(self.balances)

    def _button(self, text: str, tip: str, shortcut_id: str, slot) -> QPushButton:
        button = QPushButton(text, self)
        button.setToolTip(shortcuts.tip(tip, shortcut_id))
        button.clicked.connect(slot)
        shortcuts.bind(self, shortcut_id, slot)  # only while this tab is visible
        return button

    def _build_actions(self) -> None:
        row = QHBoxLayout()
        self.send_button = self._button("Send…", "Send AKT or USDC", "wallet.send", self.open_send)
        self.receive_button = self._button("Receive…", "Show the address and its QR code", "wallet.receive",
                                           self.open_receive)
        self.mint_button = self._button("Mint / burn ACT…", "Convert AKT into ACT (compute credits) or back",
                                        "wallet.mint", self.open_mint)
        self.contacts_button = self._button("Address book…", "Your saved contacts", "wallet.contacts", self.open_contacts)
        self.export_button = self._button("Export CSV…", "Save the whole history as a CSV file", "wallet.export",
                                          self.export_csv)
        for b in (self.send_button, self.receive_button, self.mint_button, self.contacts_button):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.export_button)
        self.layout_.addLayout(row)

    def _build_history(self) -> None:
        self.history_model = HistoryModel(self)
        self.history_model.fetch_requested.connect(self.load_more_history)
        self.history = QTableView(self)
        self.history.setObjectName("walletHistory")
        self.history.setModel(self.history_model)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table_defaults(self.history, {0: "2026-12-31 23:59", 2: "−12,345.678901 AKT", 3: "0.012345 AKT",
                                      4: "Failed (code 11)"}, stretch=1)
        self.history.doubleClicked.connect(self._copy_txhash)
        self.history_note = QLabel(self)
        self.history_note.setObjectName("historyNote")
        title = QLabel("<b>History</b>", self)
        self.layout_.addWidget(title)
        self.layout_.addWidget(self.history, 1)
        self.layout_.addWidget(self.history_note)

    # -- state ---------------------------------------------------------------------------------------

    @property
    def book(self) -> AddressBook:
        if self._book is None:
            self._book = AddressBook()
        return self._book

    def _update_account(self) -> None:
        account = self.ctx.session.account
        self.account.setText(account.name if account else "No wallet yet")
        self.address.setText(account.address if account else "")
        self.copy.setEnabled(account is not None)
        has = account is not None and self.ctx.client is not None
        for b in (self.send_button, self.mint_button):
            b.setEnabled(has and self.overview is not None and not self.ctx.session.watch_only)
            b.setToolTip(b.toolTip() if not self.ctx.session.watch_only else "This wallet only watches: it cannot sign")
        self.receive_button.setEnabled(account is not None)
        self.export_button.setEnabled(has)

    def refresh(self) -> None:
        account = self.ctx.session.account
        if self.overview is not None and (account is None or self.overview.address != account.address):
            self.overview = None  # another account: never act on the previous one's balances
            self.loader = None
            self.balances_model.set_rows([])
            self.history_model.set_rows([])
            self.history_model.exhausted = True
            self.total.clear()
            self.history_note.clear()
        self._update_account()
        super().refresh()

    def reload(self, full: bool) -> None:
        account = self.ctx.session.account
        if account is None:
            self.balances_model.set_rows([])
            self.history_model.set_rows([])
            return
        address = account.address
        ops.run_op(self, lambda: account_svc.load_overview(self.ctx.client, address, self.ctx.network.usdc_denom),
                   success=lambda o: self._show_overview(address, o), failure=self.load_failed,
                   progress_label="Reading balances…", key="wallet-balances")
        if full or self.loader is None:
            self.reload_history()
        elif time.monotonic() - self._history_at >= HISTORY_EVERY_S:
            self.refresh_history_top()

    def _show_overview(self, address: str, overview: account_svc.WalletOverview) -> None:
        if self.ctx.session.account is None or self.ctx.session.account.address != address:
            return  # an answer for an account no longer shown
        self.clear_problem()
        self.overview = overview
        self.balances_model.set_rows(overview.balances)
        self.total.setText(f"<b>Total ≈ {usd(overview.total_usd)}</b>")
        self.price.setText(f"AKT {usd(overview.akt_price_usd)}" if overview.akt_price_usd else "AKT price unknown")
        if overview.price_note:
            self.price.setToolTip(f"Note: {overview.price_note}")
        self.history_model.denoms = overview.denoms
        self._update_account()

    # -- history -------------------------------------------------------------------------------------

    async def _validator_names(self) -> dict[str, str]:
        """Validator monikers for the history's sentences (once per network; none if the node has no list)."""
        if self._monikers is None:
            from app.chain import staking as chain_staking
            from app.chain.errors import ChainError

            try:
                listing = await chain_staking.validators(self.ctx.client)
                self._monikers = {v.operator_address: v.moniker for v in listing.items if v.moniker}
            except ChainError:
                return {}
        return dict(self._monikers)

    def _names(self) -> dict[str, str]:
        names = {c.address: c.name for c in self.book.contacts()}
        names.update({a.address: f"your {a.name}" for w in self.ctx.session.wallets for a in w.accounts})
        return names

    def reload_history(self) -> None:
        account = self.ctx.session.account
        if account is None or self.ctx.client is None:
            return
        names = self._names()
        loader = history_svc.HistoryLoader(self.ctx.client, account.address, names=names,
                                           denoms=self.overview.denoms if self.overview else DenomBook())
        self.history_model.loading = True

        async def first_page():
            loader.names.update({a: n for a, n in (await self._validator_names()).items() if a not in names})
            return await loader.more(history_svc.PAGE_SIZE)

        ops.run_op(self, first_page,
                   success=lambda entries: self._history_page(loader, entries, replace=True),
                   failure=self._history_failed, progress_label="Reading the history…", key="wallet-history")

    def refresh_history_top(self) -> None:
        """New blocks: put transactions newer than the shown ones on top, keeping the older pages loaded."""
        account = self.ctx.session.account
        if account is None or self.ctx.client is None or self.loader is None:
            return
        self._history_at = time.monotonic()
        names = dict(self.loader.names)
        fresh = history_svc.HistoryLoader(self.ctx.client, account.address, names=names, denoms=self.loader.denoms)
        ops.run_op(self, lambda: fresh.more(history_svc.PAGE_SIZE),
                   success=lambda entries: self._history_top(account.address, entries),
                   failure=self._history_failed, key="wallet-history-top", busy_delay_ms=5000)

    def _history_top(self, address: str, entries) -> None:
        account = self.ctx.session.account
        if account is None or account.address != address:
            return
        known = {e.txhash for e in self.history_model.rows()}
        newer = [e for e in entries if e.txhash not in known]
        if not newer:
            return
        if len(newer) == len(entries):  # more new ones than a page: start over rather than leave a gap
            self.reload_history()
            return
        self.history_model.prepend_rows(newer)
        self._history_page(self.loader, (), replace=False)

    def load_more_history(self) -> None:
        loader = self.loader
        if loader is None or loader.exhausted:
            return
        self.history_model.loading = True
        ops.run_op(self, lambda: loader.more(history_svc.PAGE_SIZE),
                   success=lambda entries: self._history_page(loader, entries, replace=False),
                   failure=self._history_failed, progress_label="Reading older transactions…",
                   key="wallet-history")

    def _history_page(self, loader: history_svc.HistoryLoader, entries, *, replace: bool) -> None:
        account = self.ctx.session.account
        if account is None or loader.address != account.address:
            return
        self.loader = loader
        if replace:
            self._history_at = time.monotonic()
        self.history_model.loading = False
        self.history_model.exhausted = loader.exhausted
        if replace:
            self.history_model.set_rows(entries)
        else:  # newer transactions shift the older pages: never list one twice
            known = {e.txhash for e in self.history_model.rows()}
            self.history_model.append_rows([e for e in entries if e.txhash not in known])
        count = self.history_model.rowCount()
        more = "" if loader.exhausted else " (scroll down for older ones)"
        self.history_note.setText(f"{count} transaction{'s' * (count != 1)}{more}" if count else "No transactions yet")

    def _history_failed(self, exc: BaseException) -> None:
        self.history_model.loading = False
        self.load_failed(exc)

    def _forget_network(self) -> None:
        self._monikers = None

    def _copy_txhash(self, index) -> None:
        entry = self.history_model.row_at(index.row())
        if entry is not None:
            QApplication.clipboard().setText(entry.txhash)
            self.ctx.status.emit(f"Transaction hash {entry.txhash[:12]}… copied")

    def export_csv(self):
        from ui.dialogs.csv_save import ask_csv_path

        if self.ctx.session.account is None or self.ctx.client is None:
            return None
        return ask_csv_path(self, "Export history", "akash-history.csv", self.export_to)

    def export_to(self, path: Path) -> ops.Op:
        address = self.ctx.session.account.address
        denoms = self.overview.denoms if self.overview else DenomBook()
        client, names = self.ctx.client, self._names()

        async def work() -> Path:
            names.update({a: n for a, n in (await self._validator_names()).items() if a not in names})
            entries = await history_svc.load_all(client, address, names=names, denoms=denoms)
            return await ops.in_thread(history_svc.export_csv, entries, path, denoms)

        return ops.run_op(self, work, success=lambda p: self.ctx.status.emit(f"History saved to {p}"),
                          progress_label="Exporting the history…", disable=[self.export_button])

    # -- dialogs -------------------------------------------------------------------------------------

    def _copy(self) -> None:
        from ui.dialogs.receive import copy_for_a_while

        if self.ctx.session.account:
            copy_for_a_while(self.ctx.session.account.address)
            self.ctx.status.emit("Address copied (the clipboard is cleared in a minute)")

    def _open(self, dialog):
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def open_send(self, denom: str = "uakt"):
        from ui.dialogs.send import SendDialog

        if self.overview is None or self.ctx.session.account is None:
            return None
        return self._open(SendDialog(self.ctx, self.overview, self.book, self, denom=denom if isinstance(denom, str) else "uakt"))

    def open_receive(self):
        from ui.dialogs.receive import ReceiveDialog

        account = self.ctx.session.account
        if account is None:
            return None
        return self._open(ReceiveDialog(account.address, account.name, self))

    def open_mint(self):
        from ui.dialogs.mint import MintDialog

        if self.overview is None or self.ctx.session.account is None:
            return None
        dialog = MintDialog(self.ctx, self.overview, self)
        dialog.converted.connect(lambda _r: self.refresh())
        return self._open(dialog)

    def open_contacts(self):
        from ui.dialogs.contacts import ContactsDialog

        dialog = ContactsDialog(self.book, self)
        return self._open(dialog)
