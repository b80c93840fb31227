"""Helpers for the holder-tab tests (Wallet, Staking, Governance, Provider): a wallet on the shared local node,
an AppContext on it, and driving the real unlock/confirmation dialogs (approved by the test, never bypassed)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from app import config
from app import settings as settings_mod
from app.session import Session
from app.wallet.kdf import Argon2idParams
from app.wallet.keystore import Keystore
from app.wallet.mnemonic import generate_mnemonic
from ui.context import AppContext
from ui.dialogs.confirm import ConfirmDialog
from ui.dialogs.unlock import UnlockDialog

PASSWORD = "violet-Harbor-42-kite"
FAST_KDF = Argon2idParams(memory_kib=1024, iterations=1, lanes=1)


def await_task(qtbot, coro, timeout_ms: int = 30_000):
    task = asyncio.ensure_future(coro)
    qtbot.waitUntil(task.done, timeout=timeout_ms)
    return task.result()


def visible(kind):
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None)


def make_context(localnet, mnemonic: str | None = None, *, fund: bool = True, name: str = "holder"
                 ) -> tuple[AppContext, str]:
    """An AppContext on the shared local node with a wallet (a fresh funded one unless `mnemonic` is given)."""
    phrase = mnemonic or generate_mnemonic(24)
    keystore = Keystore(kdf=FAST_KDF)
    keystore.create(name, phrase, PASSWORD)
    session = Session(settings_mod.load(), keystore)
    session.reload()
    address = session.account.address
    if fund and mnemonic is None:
        localnet.fund(address)
    port = urlsplit(localnet.url).port
    ctx = AppContext(session.settings, session, config.local_network(port))
    ctx.connect_chain()
    return ctx, address


@contextmanager
def open_tab(qtbot, localnet, tab_class: Callable[[AppContext], Any], ready: Callable[[Any], bool], *,
             mnemonic: str | None = None, name: str = "holder", size: tuple[int, int] | None = None,
             timeout_ms: int = 30_000) -> Iterator[tuple[Any, AppContext, str]]:
    """(tab, ctx, address): a holder tab on its own wallet (see make_context), shown and refreshed as the main
    window does, once `ready(tab)` holds; the context is closed afterwards."""
    ctx, address = make_context(localnet, mnemonic, name=name)
    tab = tab_class(ctx)
    qtbot.addWidget(tab)
    if size is not None:
        tab.resize(*size)
    tab.show()
    tab.refresh()
    try:
        qtbot.waitUntil(lambda: ready(tab), timeout=timeout_ms)
        yield tab, ctx, address
    finally:
        await_task(qtbot, ctx.aclose())


def approve(qtbot, *, password: str = PASSWORD, timeout_ms: int = 30_000) -> ConfirmDialog:
    """Unlock if asked, then press "Sign and send" in THE confirmation dialog; returns the dialog."""
    def ready():
        return visible(ConfirmDialog) is not None or visible(UnlockDialog) is not None

    qtbot.waitUntil(ready, timeout=timeout_ms)
    unlock = visible(UnlockDialog)
    if unlock is not None:
        qtbot.keyClicks(unlock.password, password)
        qtbot.mouseClick(unlock.ok, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: visible(ConfirmDialog) is not None, timeout=timeout_ms)
    confirm = visible(ConfirmDialog)
    if confirm.password.isVisible():
        qtbot.keyClicks(confirm.password, password)
    assert confirm.approve.isEnabled(), confirm.error.text()
    qtbot.mouseClick(confirm.approve, Qt.MouseButton.LeftButton)
    return confirm


def error_boxes(parent) -> list[QMessageBox]:
    return [b for b in parent.findChildren(QMessageBox) if b.isVisible()]


def closed(widget) -> bool:
    """True once a dialog is hidden or already deleted (dialogs delete themselves when finished)."""
    import shiboken6

    return not shiboken6.isValid(widget) or not widget.isVisible()
