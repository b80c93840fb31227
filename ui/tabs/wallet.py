"""Wallet tab: the selected account and its address (balances, send, receive and history land with their services)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QToolButton

from ui.context import AppContext
from ui.resources import icon
from ui.tabs.base import TabPage


class WalletTab(TabPage):
    key = "wallet"

    def __init__(self, ctx: AppContext, parent=None) -> None:
        super().__init__(ctx, parent)
        self.account = QLabel(self)
        self.account.setObjectName("tabTitle")
        row = QHBoxLayout()
        self.address = QLabel(self)
        self.address.setObjectName("accountAddress")
        self.address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy = QToolButton(self)
        self.copy.setIcon(icon("copy"))
        self.copy.setToolTip("Copy the address")
        self.copy.clicked.connect(self._copy)
        row.addWidget(self.address)
        row.addWidget(self.copy)
        row.addStretch(1)
        self.layout_.addWidget(self.account)
        self.layout_.addLayout(row)
        self.layout_.addStretch(1)
        ctx.account_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        account = self.ctx.session.account
        self.account.setText(account.name if account else "No wallet yet")
        self.address.setText(account.address if account else "")
        self.copy.setEnabled(account is not None)

    def _copy(self) -> None:
        if self.ctx.session.account:
            QApplication.clipboard().setText(self.ctx.session.account.address)
            self.ctx.status.emit("Address copied")
