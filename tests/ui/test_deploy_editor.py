"""Deploy tab without a network: highlighting, inline SDL errors as you type, templates, cost and deposit."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QHelpEvent, QTextCharFormat
from PySide6.QtWidgets import QToolTip

from app import config
from app import settings as settings_mod
from app.sdl.templates import list_templates
from app.session import Session
from app.wallet.kdf import Argon2idParams
from app.wallet.keystore import Keystore
from app.wallet.mnemonic import generate_mnemonic
from ui.context import AppContext
from ui.tabs.deploy import DeployTab, read_sdl_file
from ui.widgets import sdl_editor
from ui.widgets.sdl_check import THREAD_THRESHOLD_CHARS, check_sdl_text
from ui.widgets.sdl_code_edit import ERROR_COLOR, _token_span
from ui.widgets.sdl_cost import ChainFacts, parse_deposit
from ui.widgets.sdl_editor import SdlEditor
from ui.widgets.sdl_highlighter import SdlHighlighter, _comment_start
from ui.widgets.sdl_templates import TemplateGallery, matches

HELLO = next(t for t in list_templates() if t.name == "hello-world").text
PASSWORD = "violet-Harbor-42-kite"


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.fixture
def editor(qtbot) -> SdlEditor:
    e = SdlEditor()
    qtbot.addWidget(e)
    e.resize(900, 600)
    e.show()
    return e


def test_typing_an_error_shows_a_wavy_underline_and_the_message_at_its_line(qtbot, editor) -> None:
    editor.set_text(HELLO)
    assert editor.current.deployable and editor.diagnostics() == []
    # Type into the real widget: replace "0.1" CPU by "-3" with key clicks.
    line = _line_of(HELLO, "units: 0.1")
    editor.edit.jump_to(line, HELLO.splitlines()[line - 1].index("0.1") + 1)
    cursor = editor.edit.textCursor()
    cursor.movePosition(cursor.MoveOperation.Right, cursor.MoveMode.KeepAnchor, 3)
    editor.edit.setTextCursor(cursor)
    qtbot.keyClicks(editor.edit, "-3")
    assert editor.timer.isActive()  # debounced: not checked on every key
    qtbot.waitUntil(lambda: not editor.timer.isActive() and bool(editor.current.errors), timeout=3000)
    (error,) = editor.current.errors
    assert error.line == line and "must be more than 0" in error.message
    (diag,) = editor.diagnostics()
    assert diag.line == line and diag.severity == "error"
    (underline,) = editor.edit.underlines()
    assert underline.cursor.block().blockNumber() + 1 == line
    assert underline.cursor.selectedText() == "-3"
    assert underline.format.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline
    assert underline.format.underlineColor() == QColor(ERROR_COLOR)
    assert editor.edit.messages_at(line) == error.message
    assert editor.errors.count() == 1 and f"Line {line}" in editor.errors.item(0).text()
    assert "1 problem" in editor.summary.text()


def test_yaml_syntax_error_is_placed_at_its_line_and_column(editor) -> None:
    broken = HELLO.replace('version: "2.0"', "version: [2.0")
    editor.set_text(broken)
    (error,) = editor.current.errors
    assert error.message.startswith("YAML:") and error.line > 0
    assert editor.edit.diagnostics_at(error.line)


def test_clicking_an_error_jumps_to_it(qtbot, editor) -> None:
    text = HELLO.replace("port: 80", "port: abc")
    editor.set_text(text)
    line = _line_of(text, "port: abc")
    item = editor.errors.item(0)
    editor.edit.jump_to(1, 1)
    rect = editor.errors.visualItemRect(item)
    qtbot.mouseClick(editor.errors.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    cursor = editor.edit.textCursor()
    assert cursor.blockNumber() + 1 == line
    assert cursor.positionInBlock() == text.splitlines()[line - 1].index("abc")


def test_tooltip_over_the_error_and_the_gutter_shows_the_message(qtbot, editor) -> None:
    text = HELLO.replace("port: 80", "port: abc")
    editor.set_text(text)
    line = _line_of(text, "port: abc")
    edit = editor.edit
    block = edit.document().findBlockByNumber(line - 1)
    y = int(edit.blockBoundingGeometry(block).translated(edit.contentOffset()).center().y())
    edit.viewportEvent(QHelpEvent(QEvent.Type.ToolTip, QPoint(40, y), edit.viewport().mapToGlobal(QPoint(40, y))))
    assert "whole number" in QToolTip.text()
    QToolTip.hideText()
    assert edit.line_at_y(y) == line
    edit.gutter.event(QHelpEvent(QEvent.Type.ToolTip, QPoint(5, y), edit.gutter.mapToGlobal(QPoint(5, y))))
    assert "whole number" in QToolTip.text()
    QToolTip.hideText()


def test_fixing_the_error_removes_the_marks(editor) -> None:
    editor.set_text(HELLO.replace("units: 0.1", "units: -1"))
    assert editor.edit.underlines()
    editor.set_text(HELLO)
    assert editor.edit.underlines() == [] and editor.errors.count() == 0 and not editor.errors.isVisible()


def test_chain_rules_and_warnings_are_shown_too(editor) -> None:
    editor.set_text(HELLO.replace("denom: uact", "denom: uakt"))
    assert editor.current.sdl is not None and not editor.current.deployable
    assert any("must be priced in ACT" in e.message for e in editor.current.errors)


def test_a_stale_result_is_dropped(editor) -> None:
    editor.set_text(HELLO)
    stale = check_sdl_text("version: x", generation=editor._generation - 1)
    editor._apply(stale)
    assert editor.current.deployable


def test_a_huge_text_is_checked_in_a_thread_and_typing_is_never_blocked(qtbot, editor, monkeypatch) -> None:
    seen_threads = []
    real = sdl_editor.check_sdl_text

    def spy(text, **kw):
        import threading

        seen_threads.append(threading.current_thread().name)
        return real(text, **kw)

    monkeypatch.setattr(sdl_editor, "check_sdl_text", spy)
    huge = HELLO + "\n" + "".join(f"# padding line {i} " + "x" * 60 + "\n" for i in range(THREAD_THRESHOLD_CHARS // 60))
    assert len(huge) > THREAD_THRESHOLD_CHARS
    editor.set_text(huge.replace("units: 0.1", "units: -1"))
    assert editor.summary.text() == "Checking…" and editor.is_checking()
    qtbot.waitUntil(lambda: not editor.is_checking(), timeout=10_000)
    assert seen_threads and seen_threads[-1] != "MainThread"
    assert editor.current.errors and editor.current.errors[0].line == _line_of(huge, "units: 0.1")


def test_highlighter_colours_keys_comments_and_skips_hash_in_strings(editor) -> None:
    highlighter = editor.highlighter
    assert isinstance(highlighter, SdlHighlighter)
    editor.set_text(HELLO)
    line = _line_of(HELLO, "image:")
    block = editor.edit.document().findBlockByNumber(line - 1)
    formats = block.layout().formats()
    assert any(f.format.fontWeight() > 400 for f in formats)  # `image` is an SDL keyword: bold
    assert _comment_start('a: "x # not a comment"') == -1
    assert _comment_start("a: 1 # comment") == 5


def test_token_span() -> None:
    assert _token_span("      - port: abc", 15) == (14, 3)
    assert _token_span("  key: [1, 2]", 9) == (8, 1)
    start, length = _token_span("   text", 0)
    assert (start, length) == (3, 4)


def test_template_gallery_search_and_choose(qtbot) -> None:
    gallery = TemplateGallery()
    qtbot.addWidget(gallery)
    templates = gallery.templates
    assert len(templates) >= 5
    qtbot.keyClicks(gallery.search, "gpu")
    visible = gallery.visible_templates()
    assert visible and all(matches(t, "gpu") for t in visible) and len(visible) < len(templates)
    chosen = []
    gallery.chosen.connect(chosen.append)
    qtbot.mouseClick(gallery.use, Qt.MouseButton.LeftButton)
    assert chosen == [gallery.list.currentItem().data(Qt.ItemDataRole.UserRole)]
    gallery.search.setText("no-such-template-zzz")
    assert gallery.visible_templates() == [] and not gallery.use.isEnabled()
    assert "No template matches" in gallery.details.text()


def test_parse_deposit_never_below_the_minimum() -> None:
    assert parse_deposit("1.5", 500_000) == 1_500_000
    for bad in ("", "abc", "0.1", "-1", "1.1234567"):
        with pytest.raises(ValueError):
            parse_deposit(bad, 500_000)


@pytest.fixture
def ctx(qtbot):
    keystore = Keystore(kdf=Argon2idParams(memory_kib=1024, iterations=1, lanes=1))
    keystore.create("main", generate_mnemonic(12), PASSWORD)
    session = Session(settings_mod.load(), keystore)
    session.reload()
    return AppContext(session.settings, session, config.local_network(1))


@pytest.fixture
def tab(qtbot, ctx) -> DeployTab:
    t = DeployTab(ctx)
    qtbot.addWidget(t)
    t.resize(1200, 800)
    t.show()
    return t


def test_deploy_tab_template_cost_deposit_and_create_state(qtbot, tab) -> None:
    assert not tab.create_button.isEnabled() and "template" in tab.create_hint.text()
    gallery = tab.gallery
    gallery.search.setText("hello")
    qtbot.keyClick(gallery.search, Qt.Key.Key_Return)
    assert "hello:" in tab.editor.text()
    assert tab.create_button.isEnabled(), tab.create_hint.text()
    # 10 uact per block at 6.098 s per block: 5.90 uact per hour... the figures follow the SDL.
    assert "ACT per hour" in tab.cost.per_hour.text() and "ACT per month" in tab.cost.per_month.text()
    tab.cost.set_facts(ChainFacts(Decimal("2"), Decimal("6"), 500_000, True), tab.editor.current.sdl)
    # 10 uact/block * 600 blocks/h = 6000 uact/h = 0.006 ACT/h; * 24 * 30.437 = 4.38 ACT/month; 2.19 AKT at 2 USD.
    assert tab.cost.per_hour.text().startswith("0.0060 ACT")
    assert tab.cost.per_month.text().startswith("4.38 ACT")
    assert tab.cost.in_akt.text().startswith("2.19 AKT")
    assert tab.cost.deposit_uact() == 1_008_000  # a week: 0.144 ACT per day x 7
    tab.cost.set_facts(ChainFacts(Decimal("2"), Decimal("6"), 2_000_000, True), tab.editor.current.sdl)
    assert tab.cost.deposit_uact() == 2_000_000  # never below the chain minimum
    tab.cost.deposit.clear()
    qtbot.keyClicks(tab.cost.deposit, "0.2")
    assert tab.cost.deposit_uact() is None and "at least 2 ACT" in tab.cost.deposit_error.text()
    assert not tab.create_button.isEnabled()
    tab.cost.deposit.clear()
    qtbot.keyClicks(tab.cost.deposit, "3")
    assert tab.cost.deposit_uact() == 3_000_000 and tab.create_button.isEnabled()
    assert "lasts about 21 days" in tab.cost.deposit_note.text()  # 3 ACT at 0.144 ACT per day
    tab.cost.deposit.setText("6")  # set in code (a pasted or restored value): the note follows too
    assert "lasts about 42 days" in tab.cost.deposit_note.text()
    # typing an error disables Create again
    tab.editor.set_text(tab.editor.text().replace("count: 1", "count: 0"))
    assert not tab.create_button.isEnabled() and "Fix the problems" in tab.create_hint.text()
    # the template replaced the text in one undoable step
    tab.editor.set_text("")
    tab.editor.edit.undo()
    qtbot.waitUntil(lambda: "count: 0" in tab.editor.text(), timeout=2000)


def test_open_and_save_sdl_files(qtbot, tab, tmp_path: Path) -> None:
    path = tmp_path / "deploy.yaml"
    path.write_text(HELLO)
    op = tab.open_file(str(path))
    qtbot.waitUntil(lambda: not op.running, timeout=5000)
    assert tab.editor.text() == HELLO and tab.path == str(path)
    tab.editor.set_text(HELLO.replace("hello:", "hello:", 1) + "# edited\n")
    out = tmp_path / "saved.yaml"
    op = tab.save_file(str(out))
    qtbot.waitUntil(lambda: not op.running, timeout=5000)
    assert out.read_text().endswith("# edited\n")
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (2 << 20))
    with pytest.raises(ValueError):
        read_sdl_file(str(big))


def test_watch_only_wallet_cannot_create(qtbot) -> None:
    keystore = Keystore(kdf=Argon2idParams(memory_kib=1024, iterations=1, lanes=1))
    keystore.create_watch_only("watched", "akash1c2qvxwatpml5he5apgkwlc62qa3aj58cdhlqj5")
    session = Session(settings_mod.load(), keystore)
    session.reload()
    tab = DeployTab(AppContext(session.settings, session, config.local_network(1)))
    qtbot.addWidget(tab)
    tab.load_template(next(t for t in list_templates() if t.name == "hello-world"))
    assert not tab.create_button.isEnabled() and "only watches" in tab.create_hint.text()
    assert tab.create() is None


def test_yaml_typing_helpers_tab_indent_and_enter_keeps_the_indentation(qtbot, editor) -> None:
    edit = editor.edit
    edit.setFocus()
    qtbot.keyClicks(edit, "services:")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.keyClicks(edit, "web:")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.keyClicks(edit, "expose:")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.keyClicks(edit, "- port: 80")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.keyClicks(edit, "as: 80")
    assert editor.text() == "services:\n  web:\n    expose:\n      - port: 80\n        as: 80"
    qtbot.keyClick(edit, Qt.Key.Key_Home)
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert editor.text().endswith("\n          as: 80")  # two more spaces, never a tab character
    qtbot.keyClick(edit, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert editor.text().endswith("\n        as: 80")
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert editor.text().splitlines()[0] == "  services:" and "\t" not in editor.text()


def test_ctrl_enter_creates_from_the_editor(qtbot, tab, monkeypatch) -> None:
    calls = []
    monkeypatch.setattr(tab, "create", lambda **kw: calls.append(kw))
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow, timeout=3000)
    tab.editor.edit.setFocus()
    qtbot.keyClick(tab.editor.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert calls == [{}]
    assert tab.editor.text() == ""  # the shortcut did not type a newline


def test_deploy_tab_order_and_tooltips(tab) -> None:
    assert tab.editor.edit.nextInFocusChain() is not None
    order = [tab.gallery.search]
    widget = tab.gallery.search
    for _ in range(40):
        widget = widget.nextInFocusChain()
        order.append(widget)
        if widget is tab.create_button:
            break
    wanted = [tab.gallery.list, tab.editor.edit, tab.name, tab.cost.deposit, tab.create_button]
    positions = [order.index(w) for w in wanted]
    assert positions == sorted(positions)
    for w in (tab.create_button, tab.open_button, tab.save_button, tab.name, tab.cost.deposit, tab.gallery.use):
        assert w.toolTip()
