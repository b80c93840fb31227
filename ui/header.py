"""The header bar: account switcher, network, block height, connection state, lock button."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from app.wallet.accounts import AccountInfo
from ui.context import AppContext
from ui.resources import icon

_STATUS_WORDS = {
    "connecting": "Connecting",
    "ok": "Connected",
    "slow": "Slow",
    "failing_over": "Failing over",
    "offline": "Offline",
}


def short_address(address: str) -> str:
    return address if len(address) < 20 else f"{address[:10]}…{address[-6:]}"


def account_label(wallet: str, account: AccountInfo) -> str:
    return f"{wallet} · {account.name} ({short_address(account.address)})"


class HeaderBar(QFrame):
    """Emits add_wallet_requested / unlock_requested; locks directly through the context."""

    add_wallet_requested = Signal()
    unlock_requested = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("headerBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)

        self.accounts = QComboBox(self)
        self.accounts.setObjectName("accountSwitcher")
        self.accounts.setMinimumContentsLength(44)
        self.accounts.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.accounts.setToolTip("The account every tab works with")
        self.accounts.activated.connect(self._account_chosen)
        self.add_wallet = QToolButton(self)
        self.add_wallet.setIcon(icon("plus"))
        self.add_wallet.setToolTip("Create, import or watch another wallet")
        self.add_wallet.clicked.connect(self.add_wallet_requested)

        self.network = QLabel(self)
        self.network.setObjectName("networkBadge")
        self.height = QLabel("Block —", self)
        self.height.setObjectName("blockHeight")
        self.height.setToolTip("The latest block height of the network")
        self.dot = QLabel(self)
        self.dot.setObjectName("connectionDot")
        self.connection = QLabel(self)
        self.connection.setObjectName("connectionState")
        self.lock_button = QToolButton(self)
        self.lock_button.setObjectName("lockButton")
        self.lock_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.lock_button.clicked.connect(self._lock_clicked)

        layout.addWidget(self.accounts)
        layout.addWidget(self.add_wallet)
        layout.addStretch(1)
        for widget in (self.network, self.height, self.dot, self.connection, self.lock_button):
            layout.addWidget(widget)

        ctx.wallets_changed.connect(self.reload_accounts)
        ctx.account_changed.connect(self.reload_accounts)
        ctx.lock_changed.connect(lambda _locked: self.update_lock())
        ctx.network_changed.connect(self.update_network)
        ctx.height_changed.connect(self.set_height)
        ctx.connection_changed.connect(self.set_connection)
        self.reload_accounts()
        self.update_network()
        self.set_connection(getattr(ctx.client, "state", None))

    # -- accounts --------------------------------------------------------------------------------------

    def reload_accounts(self) -> None:
        session = self.ctx.session
        self.accounts.blockSignals(True)
        self.accounts.clear()
        current = -1
        for wallet in session.wallets:
            for account in wallet.accounts:
                suffix = " — watch-only" if wallet.watch_only else ""
                self.accounts.addItem(account_label(wallet.name, account) + suffix, (wallet.name, account.address))
                self.accounts.setItemData(self.accounts.count() - 1, account.address, Qt.ItemDataRole.ToolTipRole)
                if session.wallet and session.wallet.name == wallet.name and session.account == account:
                    current = self.accounts.count() - 1
        if self.accounts.count() == 0:
            self.accounts.addItem("No wallet yet: press + to create one", None)
        self.accounts.setCurrentIndex(max(current, 0))
        self.accounts.blockSignals(False)
        self.update_lock()

    def _account_chosen(self, index: int) -> None:
        data = self.accounts.itemData(index)
        if data:
            wallet, address = data
            self.ctx.session.select_wallet(wallet, address)

    # -- network and connection ------------------------------------------------------------------------

    def update_network(self) -> None:
        net = self.ctx.network
        self.network.setText(net.name)
        self.network.setProperty("network", net.key)
        self.network.setToolTip(f"Chain {net.chain_id}" + (" (test network on this computer)" if net.local else ""))
        self._repolish(self.network)
        self.height.setText("Block —")

    def set_height(self, height: int) -> None:
        self.height.setText(f"Block {height:,}")

    def set_connection(self, state: object | None) -> None:
        if state is None:
            status, label, tip = "connecting", "Connecting", "No request made yet"
        else:
            status = getattr(getattr(state, "status", None), "value", "connecting")
            word = _STATUS_WORDS.get(status, status)
            latency = getattr(state, "latency_ms", None)
            label = f"{word} · {latency} ms" if latency is not None and status in ("ok", "slow") else word
            detail = getattr(state, "detail", "")
            tip = f"Endpoint: {getattr(state, 'endpoint', '')}" + (f"\n{detail}" if detail else "")
        self.connection.setText(label)
        self.dot.setProperty("status", status)
        for widget in (self.connection, self.dot):
            widget.setToolTip(tip)
        self._repolish(self.dot)

    # -- lock ------------------------------------------------------------------------------------------

    def update_lock(self) -> None:
        session = self.ctx.session
        if session.wallet is None:
            self.lock_button.setText("No wallet")
            self.lock_button.setEnabled(False)
            self.lock_button.setToolTip("Create or import a wallet first")
        elif session.watch_only:
            self.lock_button.setText("Watch-only")
            self.lock_button.setIcon(icon("eye"))
            self.lock_button.setEnabled(False)
            self.lock_button.setToolTip("This wallet watches an address: it can show balances but not sign")
        elif session.locked:
            self.lock_button.setText("Locked")
            self.lock_button.setIcon(icon("lock"))
            self.lock_button.setEnabled(True)
            self.lock_button.setToolTip("The keys are locked. Click (or Ctrl+L) to unlock with your password")
        else:
            self.lock_button.setText("Unlocked")
            self.lock_button.setIcon(icon("unlock"))
            self.lock_button.setEnabled(True)
            self.lock_button.setToolTip("The keys are unlocked. Click (or Ctrl+L) to lock now")

    def _lock_clicked(self) -> None:
        if self.ctx.session.locked:
            self.unlock_requested.emit()
        else:
            self.ctx.lock()

    @staticmethod
    def _repolish(widget: QWidget) -> None:
        widget.style().unpolish(widget)
        widget.style().polish(widget)
