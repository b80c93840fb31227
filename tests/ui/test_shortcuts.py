"""Keyboard shortcuts: one list (ui/shortcuts.py) that every widget binds from and F1 shows; with each tab shown,
no key sequence is bound twice where both could fire at once (Qt would then run neither)."""

from __future__ import annotations

from collections import defaultdict

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QWidget

from app import settings as settings_mod
from app.session import Session
from app.wallet.kdf import Argon2idParams
from app.wallet.keystore import Keystore
from app.wallet.mnemonic import generate_mnemonic
from ui import shortcuts
from ui.context import AppContext
from ui.dialogs.shortcuts_help import ShortcutsDialog
from ui.main_window import MainWindow

WINDOW_CTX, WITHIN, WIDGET = (Qt.ShortcutContext.WindowShortcut, Qt.ShortcutContext.WidgetWithChildrenShortcut,
                              Qt.ShortcutContext.WidgetShortcut)
MAIN_SCOPES = {"wallet", "deploy", "bids", "deployments", "logs", "staking", "governance", "provider", "settings"}


def _portable(keys: str) -> str:
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.PortableText)


def test_the_list_has_unique_ids_and_no_key_twice_where_both_work() -> None:
    ids = [s.id for s in shortcuts.SHORTCUTS]
    assert len(ids) == len(set(ids))
    by_scope: dict[str, set[str]] = defaultdict(set)
    for s in shortcuts.SHORTCUTS:
        for keys in s.keys:
            assert not QKeySequence(keys).isEmpty(), s.id
            assert _portable(keys) not in by_scope[s.scope], f"{keys} twice in {s.scope}"
            by_scope[s.scope].add(_portable(keys))
    window = by_scope[shortcuts.WINDOW]
    for scope in MAIN_SCOPES:  # the window's keys work on every tab: no tab may use them
        assert not window & by_scope[scope], (scope, window & by_scope[scope])
    assert not by_scope["logs"] & by_scope["deployments"]  # the log view lives in the Deployments tab


def _ancestor_or_same(a: QWidget, b: QWidget) -> bool:
    while b is not None:
        if b is a:
            return True
        b = b.parentWidget()
    return False


def _clash(a: tuple, b: tuple) -> bool:
    """Two bindings of one key that Qt could match at the same moment (then neither fires)."""
    (ca, wa), (cb, wb) = a, b
    if WINDOW_CTX in (ca, cb):
        return True
    nested = _ancestor_or_same(wa, wb) or _ancestor_or_same(wb, wa)
    if ca == WIDGET and cb == WIDGET:
        return wa is wb
    return nested


def _live_bindings(window: QWidget) -> dict[str, list[tuple]]:
    """Key -> (context, widget, name) of every shortcut that can fire now (enabled, its widget visible)."""
    found: dict[str, list[tuple]] = defaultdict(list)
    for sc in window.findChildren(QShortcut):
        parent = sc.parent()
        if sc.isEnabled() and isinstance(parent, QWidget) and parent.isVisible():
            found[sc.key().toString(QKeySequence.SequenceFormat.PortableText)].append(
                (sc.context(), parent, sc.objectName()))
    for button in window.findChildren(QAbstractButton):
        if not button.shortcut().isEmpty() and button.isVisible():
            found[button.shortcut().toString(QKeySequence.SequenceFormat.PortableText)].append(
                (WINDOW_CTX, button, f"button:{button.text()}"))
    return found


@pytest.fixture
def window(qtbot) -> MainWindow:
    keystore = Keystore(kdf=Argon2idParams(memory_kib=1024, iterations=1, lanes=1))
    keystore.create("main", generate_mnemonic(12), "violet-Harbor-42-kite")
    session = Session(settings_mod.load(), keystore)
    session.reload()
    w = MainWindow(AppContext(session.settings, session), use_tray=False)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=2000)
    return w


def test_with_each_tab_shown_no_key_is_bound_twice_and_every_binding_is_listed(qtbot, window) -> None:
    listed = {_portable(k) for s in shortcuts.SHORTCUTS for k in s.keys}
    for slot in window.slots:
        window.show_tab(slot.spec.key)
        page = window.page(slot.spec.key)
        qtbot.waitUntil(page.isVisible, timeout=2000)  # a page built now is shown on the next loop turn
        if slot.spec.key == "deployments":  # the log and event views' keys too
            page.detail.tabs.setCurrentWidget(page.detail.logs)
        live = _live_bindings(window)
        for key, bindings in live.items():
            assert key in listed, f"{key} ({bindings[0][2]}) is not in ui/shortcuts.py"
            for i, a in enumerate(bindings):
                for b in bindings[i + 1:]:
                    assert not _clash(a[:2], b[:2]), f"{key} twice on the {slot.spec.key} tab: {a[2]}, {b[2]}"
        names = {name for bindings in live.values() for _c, _w, name in bindings}
        assert all(n.startswith(("shortcut:", "button:")) for n in names), names  # made by shortcuts.bind
        expected = {f"shortcut:{s.id}" for s in shortcuts.SHORTCUTS if s.scope in (shortcuts.WINDOW, slot.spec.key)}
        assert expected <= names, (slot.spec.key, expected - names)  # the listed keys are really bound


def test_f1_lists_every_shortcut_and_the_keys_work(qtbot, window) -> None:
    QTest.keyClick(window, Qt.Key.Key_F1)
    dialog = window.findChild(ShortcutsDialog)
    assert dialog is not None and dialog.isVisible()
    rows = dialog.rows()
    assert len(rows) == len(shortcuts.SHORTCUTS)
    assert ("Everywhere", "Ctrl+L", "Lock the wallet, or unlock it") in rows
    assert any(where == "Staking tab" and keys == "Ctrl+Shift+D" for where, keys, _w in rows)
    dialog.close()
    QTest.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.slots[window.tabs.currentIndex()].spec.key == "deployments"
    button = window.findChild(QWidget, "shortcutsButton")
    assert "F1" in button.toolTip()
    staking = window.page("staking")
    assert staking.delegate_button.toolTip().endswith("(Ctrl+Shift+D)")


def test_the_dialogs_bind_their_listed_keys_once(qtbot, tmp_path) -> None:
    from app.sdl.templates import list_templates
    from app.wallet.address import bech32_encode
    from app.wallet.addressbook import AddressBook
    from ui.dialogs.contacts import ContactsDialog
    from ui.dialogs.deployment_update import UpdateSdlDialog
    from ui.dialogs.receive import ReceiveDialog

    hello = next(t for t in list_templates() if t.name == "hello-world").text
    dialogs = {"contacts": ContactsDialog(AddressBook(tmp_path / "book.json")),
               "receive": ReceiveDialog(bech32_encode("akash", bytes(20))),
               "update": UpdateSdlDialog(5, hello, "mainnet")}
    for scope, dialog in dialogs.items():
        qtbot.addWidget(dialog)
        dialog.show()
        listed = {_portable(k) for s in shortcuts.SHORTCUTS if s.scope in (f"dialog:{scope}", "editor") for k in s.keys}
        live = _live_bindings(dialog)
        assert live, scope
        for key, bindings in live.items():
            assert key in listed, f"{key} ({bindings[0][2]}) of the {scope} dialog is not in ui/shortcuts.py"
            assert not any(_clash(a[:2], b[:2]) for i, a in enumerate(bindings) for b in bindings[i + 1:]), key
        dialog.close()


def test_tab_goes_from_the_tab_bar_into_each_page_then_to_the_header(qtbot, window) -> None:
    from PySide6.QtWidgets import QApplication

    for slot in window.slots:
        window.show_tab(slot.spec.key)
        page = window.page(slot.spec.key)
        qtbot.waitUntil(page.isVisible, timeout=2000)
        window.tabs.tabBar().setFocus()
        visited = []
        for _ in range(60):
            QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
            focus = QApplication.focusWidget()
            if focus is window.tabs.tabBar() or _ancestor_or_same(window.header, focus):
                break
            visited.append(focus)
        assert visited, f"Tab from the tab bar does not enter the {slot.spec.key} tab"
        assert all(_ancestor_or_same(page, w) for w in visited), (slot.spec.key, [w.objectName() for w in visited])
