"""The main window shell: tabs and shortcuts, lock/unlock, auto-lock, geometry and columns, status, header."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QTableView

from app import settings as settings_mod
from app.chain.health import ConnectionState, ConnectionStatus
from app.session import Session
from app.wallet.kdf import Argon2idParams
from app.wallet.keystore import Keystore
from app.wallet.mnemonic import generate_mnemonic
from ui.autolock import IdleLock
from ui.context import AppContext
from ui.dialogs.unlock import UnlockDialog
from ui.main_window import MainWindow
from ui.tabs import DEFAULT_TABS, TabSpec
from ui.tabs.base import TabPage

FAST = Argon2idParams(memory_kib=1024, iterations=1, lanes=1)
PASSWORD = "violet-Harbor-42-kite"


class CountingTab(TabPage):
    key = "counting"

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.refreshes = 0
        self.table = QTableView(self)
        self.table.setObjectName("things")
        model = QStandardItemModel(3, 4, self.table)
        self.table.setModel(model)
        self.layout_.addWidget(self.table)

    def refresh(self) -> None:
        self.refreshes += 1


def _broken(ctx):
    raise RuntimeError("tab bug")


@pytest.fixture
def ctx(qtbot):
    keystore = Keystore(kdf=FAST)
    keystore.create("main", generate_mnemonic(12), PASSWORD, accounts=(("Account 1", 0, 0), ("Savings", 0, 1)))
    session = Session(settings_mod.load(), keystore)
    session.reload()
    return AppContext(session.settings, session)


def _window(qtbot, ctx, tabs=DEFAULT_TABS) -> MainWindow:
    w = MainWindow(ctx, tabs, use_tray=False)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=2000)  # window shortcuts need the active window
    return w


def test_tabs_in_order_built_on_first_use_and_ctrl_digits(qtbot, ctx) -> None:
    w = _window(qtbot, ctx)
    titles = [w.tabs.tabText(i) for i in range(w.tabs.count())]
    assert titles == ["Wallet", "Deploy", "Bids", "Deployments", "Staking", "Governance", "Provider", "Settings"]
    assert w.slots[0].page is not None and w.slots[3].page is None  # lazy
    for i in range(8):
        QTest.keyClick(w, Qt.Key(Qt.Key.Key_1 + i), Qt.KeyboardModifier.ControlModifier)
        assert w.tabs.currentIndex() == i
        assert w.slots[i].page is not None
    assert all(w.tabs.tabToolTip(i) for i in range(8))
    wallet_tab = w.page("wallet")
    assert wallet_tab.address.text() == ctx.session.account.address


def test_f5_refreshes_the_current_tab_and_broken_tabs_do_not_crash(qtbot, ctx) -> None:
    tabs = (TabSpec("counting", "Counting", "wallet", "tip", CountingTab), TabSpec("broken", "Broken", "bids", "tip", _broken))
    w = _window(qtbot, ctx, tabs)
    QTest.keyClick(w, Qt.Key.Key_F5)
    assert w.page("counting").refreshes == 1
    assert "Refreshed" in w.last_event.text()
    QTest.keyClick(w, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    error = w.slots[1].page
    assert isinstance(error, QLabel) and "could not open" in error.text() and "Traceback" not in error.text()


def test_ctrl_l_locks_and_unlock_dialog_handles_a_wrong_password(qtbot, ctx) -> None:
    w = _window(qtbot, ctx)
    assert ctx.session.locked and w.header.lock_button.text() == "Locked"
    QTest.keyClick(w, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    dialog = w.findChild(UnlockDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.password, "wrong password")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=5000)
    assert "Wrong password" in dialog.error.text()
    assert dialog.isVisible() and ctx.session.locked and dialog.ok.isEnabled()
    dialog.password.setText(PASSWORD)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not ctx.session.locked, timeout=5000)
    assert w.header.lock_button.text() == "Unlocked"
    qtbot.waitUntil(lambda: w.findChild(UnlockDialog) is None, timeout=2000)  # closed and deleted
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=2000)
    QTest.keyClick(w, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert ctx.session.locked and w.header.lock_button.text() == "Locked"
    assert "locked" in w.last_event.text().lower()


def test_auto_lock_after_idle_and_input_postpones_it(qtbot, ctx) -> None:
    w = _window(qtbot, ctx)
    w.idle_lock.stop()
    idle = IdleLock(ctx.lock, lambda: not ctx.session.locked, 1, w, ms_per_minute=300)
    ctx.lock_changed.connect(lambda _l: idle.poke())
    assert not idle.active  # locked: nothing to time
    ctx.session.unlock(PASSWORD)
    assert idle.active
    for _ in range(4):  # activity every 150 ms keeps it unlocked past the 300 ms limit
        qtbot.wait(150)
        QTest.mouseMove(w.tabs, QPoint(10 + _, 10))
        QTest.keyClick(w.tabs, Qt.Key.Key_Shift)
    assert not ctx.session.locked
    qtbot.waitUntil(lambda: ctx.session.locked, timeout=3000)
    assert not idle.active
    idle.stop()


def test_auto_lock_minutes_follow_the_settings(qtbot, ctx) -> None:
    w = _window(qtbot, ctx)
    ctx.settings.auto_lock_minutes = 3
    ctx.save_settings()
    assert w.idle_lock.minutes == 3
    ctx.settings.auto_lock_minutes = 0
    ctx.save_settings()
    ctx.session.unlock(PASSWORD)
    assert not w.idle_lock.active  # 0 = never


def test_geometry_tab_and_column_widths_are_remembered(qtbot, ctx) -> None:
    tabs = (TabSpec("wallet", "Wallet", "wallet", "tip", CountingTab), DEFAULT_TABS[1])
    w = _window(qtbot, ctx, tabs)
    w.resize(760, 540)  # within the 800x600 offscreen screen
    table = w.page("wallet").table
    table.horizontalHeader().resizeSection(1, 222)
    w.tabs.setCurrentIndex(1)
    w.close()
    saved = settings_mod.load()
    assert saved.window.geometry and saved.window.current_tab == 1
    assert saved.window.column_widths["wallet/things"][1] == 222
    ctx2 = AppContext(saved, ctx.session)
    w2 = _window(qtbot, ctx2, tabs)
    assert w2.tabs.currentIndex() == 1
    assert (w2.width(), w2.height()) == (760, 540)
    assert w2.page("wallet").table.horizontalHeader().sectionSize(1) == 222


def test_account_switcher_and_header_state(qtbot, ctx) -> None:
    w = _window(qtbot, ctx)
    combo = w.header.accounts
    assert combo.count() == 2 and "Account 1" in combo.currentText()
    combo.setCurrentIndex(1)
    combo.activated.emit(1)
    assert ctx.session.account.name == "Savings"
    assert w.page("wallet").account.text() == "Savings"
    assert settings_mod.load().last_account == ctx.session.account.address
    state = ConnectionState(ConnectionStatus.SLOW, "https://rest.example", 2300, datetime.now(UTC))
    ctx.connection_changed.emit(state)
    assert w.header.connection.text() == "Slow · 2300 ms"
    assert "https://rest.example" in w.header.connection.toolTip()
    assert w.header.dot.property("status") == "slow"
    ctx.height_changed.emit(1234567)
    assert w.header.height.text() == "Block 1,234,567"
    assert w.header.network.text() == ctx.network.name


def test_notifications_toast_and_status_bar_and_switches(qtbot, ctx) -> None:
    w = _window(qtbot, ctx)
    assert w.notifier.notify("Transaction confirmed", "Sent 1 AKT", "tx_finished") == "toast"
    assert "Transaction confirmed" in w.last_event.text()
    (toast,) = w.notifier.toasts()
    assert toast.message.text() == "Sent 1 AKT"
    ctx.settings.notifications.low_runway = False
    assert w.notifier.notify("Low runway", "2 hours left", "low_runway") is None
    qtbot.mouseClick(toast, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not w.notifier.toasts(), timeout=2000)


def test_watch_only_wallet_cannot_unlock(qtbot, ctx) -> None:
    from app.wallet.address import bech32_encode

    ctx.session.keystore.create_watch_only("watched", bech32_encode("akash", bytes(20)))
    ctx.session.reload()
    w = _window(qtbot, ctx)
    ctx.session.select_wallet("watched")
    assert w.header.lock_button.text() == "Watch-only" and not w.header.lock_button.isEnabled()
    QTest.keyClick(w, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert w.findChild(UnlockDialog) is None
