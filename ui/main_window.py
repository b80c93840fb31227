"""The main window shell: header bar, the tabs (built on first use), status bar, shortcuts, geometry."""

from __future__ import annotations

import base64
import contextlib
import logging
from collections.abc import Sequence

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QToolButton, QVBoxLayout, QWidget

from ui import gc_settle, shortcuts
from ui.autolock import IdleLock
from ui.context import AppContext
from ui.errors import user_message
from ui.header import HeaderBar
from ui.notify import Notifier
from ui.resources import APP_ICON, icon
from ui.runway_watch import runway_watch
from ui.tabs import DEFAULT_TABS, TabSpec
from ui.widgets.columns import remember_columns

log = logging.getLogger(__name__)


class _TabSlot(QWidget):
    """Holds a tab's page; the page is created the first time the tab is shown."""

    def __init__(self, spec: TabSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.page: QWidget | None = None
        self.setObjectName(f"slot_{spec.key}")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def build(self, ctx: AppContext) -> QWidget:
        if self.page is None:
            try:
                self.page = self.spec.factory(ctx)
            except Exception as exc:  # noqa: BLE001 - one broken tab must not take the window down
                log.exception("the %s tab could not be built", self.spec.key)
                message = user_message(exc)
                self.page = QLabel(f"This tab could not open: {message.text}\n\n{message.hint}", self)
                self.page.setObjectName("tabError")
                self.page.setWordWrap(True)
                self.page.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._layout.addWidget(self.page)
            gc_settle.settle_soon()  # the tab's widgets live as long as the window
        return self.page


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, tabs: Sequence[TabSpec] = DEFAULT_TABS, *, use_tray: bool | None = None):
        super().__init__()
        self.ctx = ctx
        self.demo_mnemonic: str | None = None  # the local network's demo phrase, offered by the wizard (--demo)
        self.setObjectName("mainWindow")
        self.setWindowIcon(icon(APP_ICON))
        self.setMinimumSize(720, 480)
        self._update_title()

        self.header = HeaderBar(ctx, self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        self.slots: list[_TabSlot] = []
        for i, spec in enumerate(tabs):
            slot = _TabSlot(spec, self.tabs)
            self.slots.append(slot)
            self.tabs.addTab(slot, icon(spec.icon), spec.title)
            key = shortcuts.tab_id(i)
            self.tabs.setTabToolTip(i, shortcuts.tip(spec.tooltip, key) if key in shortcuts.BY_ID else spec.tooltip)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.last_event = QLabel(self)
        self.last_event.setObjectName("lastEvent")
        self.statusBar().addWidget(self.last_event, 1)
        keys = QToolButton(self)
        keys.setObjectName("shortcutsButton")
        keys.setText("Keyboard shortcuts")
        keys.setAutoRaise(True)
        keys.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # F1 is its key; Tab goes from the tab bar into the page
        keys.setToolTip(shortcuts.tip("Every keyboard shortcut of the app", "window.help"))
        keys.clicked.connect(self.show_shortcuts)
        self.statusBar().addPermanentWidget(keys)
        self.notifier = Notifier(self, icon(APP_ICON), self._notification_enabled, use_tray=use_tray)
        ctx.notifier = self.notifier
        self.notifier.posted.connect(self.show_status)
        ctx.status.connect(self.show_status)
        self.runway_watch = runway_watch(ctx)  # low-funds notifications, whether or not Deployments was opened
        self.runway_watch.start()

        self.idle_lock = IdleLock(ctx.lock, lambda: not ctx.session.locked, ctx.settings.auto_lock_minutes, self)
        ctx.lock_changed.connect(self._lock_changed)
        ctx.settings_changed.connect(self._settings_changed)
        ctx.network_changed.connect(self._update_title)
        self.header.unlock_requested.connect(self.request_unlock)
        self.header.add_wallet_requested.connect(self.open_wizard)
        self.tabs.currentChanged.connect(self._tab_shown)
        self._install_shortcuts()
        self._restore_geometry()

    # -- tabs ------------------------------------------------------------------------------------------

    def page(self, key: str) -> QWidget | None:
        """The page of tab `key`, building it if needed (None if there is no such tab)."""
        for slot in self.slots:
            if slot.spec.key == key:
                page = slot.build(self.ctx)
                remember_columns(page, self.ctx.settings, key)
                return page
        return None

    def show_tab(self, key: str) -> None:
        for i, slot in enumerate(self.slots):
            if slot.spec.key == key:
                self.tabs.setCurrentIndex(i)

    def _tab_shown(self, index: int) -> None:
        if not 0 <= index < len(self.slots):
            return
        page = self.page(self.slots[index].spec.key)
        if hasattr(page, "shown"):
            page.shown()

    def refresh_current(self) -> None:
        page = self.slots[self.tabs.currentIndex()].page if self.slots else None
        if page is not None and hasattr(page, "refresh"):
            page.refresh()
            self.show_status("Refreshed")

    # -- shortcuts -------------------------------------------------------------------------------------

    def _install_shortcuts(self) -> None:
        """The window's own keys (ui/shortcuts.py lists every key of the app; F1 shows them)."""
        for i in range(len(self.slots)):
            if shortcuts.tab_id(i) in shortcuts.BY_ID:
                shortcuts.bind(self, shortcuts.tab_id(i), lambda i=i: self.tabs.setCurrentIndex(i))
        shortcuts.bind(self, "window.lock", self.toggle_lock)
        # Explicit keys only: adding StandardKey.Quit/Refresh too would make the same key ambiguous.
        shortcuts.bind(self, "window.quit", self.close)
        shortcuts.bind(self, "window.refresh", self.refresh_current)
        shortcuts.bind(self, "window.help", self.show_shortcuts)

    def show_shortcuts(self) -> QWidget:
        """The Keyboard shortcuts dialog (non-modal; one at a time)."""
        from ui.dialogs.shortcuts_help import ShortcutsDialog

        existing = self.findChild(ShortcutsDialog)
        if existing is not None and existing.isVisible():
            existing.raise_()
            return existing
        dialog = ShortcutsDialog(self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.show()
        return dialog

    # -- lock ------------------------------------------------------------------------------------------

    def toggle_lock(self) -> None:
        session = self.ctx.session
        if session.wallet is None or session.watch_only:
            return
        if session.locked:
            self.request_unlock()
        else:
            self.ctx.lock()

    def request_unlock(self) -> QWidget | None:
        """Open the unlock dialog (window-modal, non-blocking); returns it."""
        from ui.dialogs.unlock import UnlockDialog

        if self.ctx.session.wallet is None or self.ctx.session.watch_only:
            return None
        existing = self.findChild(UnlockDialog)
        if existing is not None and existing.isVisible():
            existing.raise_()
            return existing
        dialog = UnlockDialog(self.ctx.session, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _lock_changed(self, locked: bool) -> None:
        self.idle_lock.poke()
        self.show_status("Wallet locked" if locked else "Wallet unlocked")

    # -- wizard ----------------------------------------------------------------------------------------

    def open_wizard(self) -> QWidget:
        """The create / import / watch wizard (window-modal, non-blocking); returns it."""
        from ui.wizard import WalletWizard

        wizard = WalletWizard(self.ctx.session.keystore, self, network=self.ctx.network,
                              demo_mnemonic=self.demo_mnemonic)
        wizard.finished_wallet.connect(self._wallet_added)
        wizard.finished.connect(wizard.deleteLater)
        wizard.open()
        return wizard

    def _wallet_added(self, result: object) -> None:
        from app.wallet.unlocked import UnlockedWallet

        if isinstance(result, UnlockedWallet):
            self.ctx.session.adopt(result)
        else:
            self.ctx.session.reload()
            self.ctx.session.select_wallet(result.name)
        self.show_status(f"Wallet “{self.ctx.session.wallet.name}” is ready")

    # -- status, settings, notifications ----------------------------------------------------------------

    def show_status(self, text: str) -> None:
        self.last_event.setText(text)
        self.last_event.setToolTip(text)

    def _notification_enabled(self, category: str) -> bool:
        return bool(getattr(self.ctx.settings.notifications, category, True))

    def _settings_changed(self) -> None:
        self.idle_lock.set_minutes(self.ctx.settings.auto_lock_minutes)

    def _update_title(self) -> None:
        self.setWindowTitle(f"Akash Desk — {self.ctx.network.name}")

    # -- geometry --------------------------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        window = self.ctx.settings.window
        restored = False
        if window.geometry:
            try:
                restored = self.restoreGeometry(QByteArray(base64.b64decode(window.geometry)))
            except ValueError:
                restored = False
        if not restored:
            self.resize(1180, 760)
        if window.state:
            with contextlib.suppress(ValueError):
                self.restoreState(QByteArray(base64.b64decode(window.state)))
        index = window.current_tab if 0 <= window.current_tab < len(self.slots) else 0
        self.tabs.setCurrentIndex(index)
        self._tab_shown(index)

    def save_geometry(self) -> None:
        window = self.ctx.settings.window
        window.geometry = base64.b64encode(bytes(self.saveGeometry().data())).decode("ascii")
        window.state = base64.b64encode(bytes(self.saveState().data())).decode("ascii")
        window.current_tab = self.tabs.currentIndex()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        gc_settle.settle_soon()  # start-up is over: what it made lives as long as the window

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        self.save_geometry()
        self.ctx.save_settings()
        self.idle_lock.stop()
        self.runway_watch.stop()
        self.notifier.close()
        super().closeEvent(event)
