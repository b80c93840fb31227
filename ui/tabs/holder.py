"""HolderTab: what the Wallet, Staking, Governance and Provider tabs share: when to reload (coalesced on new
blocks, at once after a transaction or an account/network switch), and a banner that says why data is missing."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

from ui.context import AppContext
from ui.errors import user_message
from ui.tabs.base import TabPage

OFFLINE_TEXT = ("The network cannot be reached, so these figures may be out of date. "
                "Akash Desk keeps trying; check your connection or choose another endpoint in Settings.")


class HolderTab(TabPage):
    """Subclasses implement `reload(full)`; `full=False` is the light reload new blocks trigger.

    `block_interval_s` is the least time between two reloads caused by new blocks (heavy lists: longer).
    """

    block_interval_s = 10.0

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.banner = QLabel(self)
        self.banner.setObjectName("tabBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.layout_.addWidget(self.banner)
        self._stale = True
        self._last_block_reload = 0.0
        self._offline = False
        self._block_timer = QTimer(self)
        self._block_timer.setSingleShot(True)
        self._block_timer.timeout.connect(lambda: self._reload_if_visible(False))
        ctx.account_changed.connect(self.refresh)
        ctx.network_changed.connect(self.refresh)
        ctx.tx_done.connect(lambda _result: self.refresh())
        ctx.height_changed.connect(self._new_block)
        ctx.connection_changed.connect(self._connection)

    # -- when to reload ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """F5, a transaction, another account or network: reload everything now (or when next shown)."""
        self._stale = True
        self._reload_if_visible(True)

    def shown(self) -> None:
        if self._stale:
            self._reload_if_visible(True)

    def _reload_if_visible(self, full: bool) -> None:
        if not self.isVisible():
            self._stale = True  # shown() reloads it
            return
        if self.ctx.client is None:
            return
        self._stale = False
        self._last_block_reload = time.monotonic()
        self.reload(full)

    def _new_block(self, _height: int) -> None:
        if not self.isVisible():
            self._stale = True
            return
        if self._block_timer.isActive():
            return  # already coalesced into one reload
        wait = self.block_interval_s - (time.monotonic() - self._last_block_reload)
        self._block_timer.start(max(0, int(wait * 1000)))

    def reload(self, full: bool) -> None:
        """Load what the tab shows through ui.ops.run_op (never blocking the window)."""

    # -- problems --------------------------------------------------------------------------------------

    def _connection(self, state: object) -> None:
        status = getattr(getattr(state, "status", None), "value", "")
        offline = status == "offline"
        if offline != self._offline:
            self._offline = offline
            if offline:
                self.show_problem(OFFLINE_TEXT)
            else:
                self.clear_problem()
                self.refresh()

    def show_problem(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()

    def clear_problem(self) -> None:
        self.banner.hide()
        self.banner.clear()

    def load_failed(self, exc: BaseException) -> None:
        """A background load failed: say so in the banner (no dialog for every block)."""
        if type(exc).__name__ == "NodeUnavailable":
            self.show_problem(OFFLINE_TEXT)
            return
        message = user_message(exc)
        self.show_problem(f"{message.title}: {message.text} {message.hint}".strip())
