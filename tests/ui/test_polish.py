"""Small things a person sees: a sentence in empty tables, errors in words with the details on hover, the busy
strip sized to all its rows, the runway column in view."""

from __future__ import annotations

import asyncio

from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QTableView, QWidget

from app import config
from app import settings as settings_mod
from app.chain.errors import EndpointFailure, NodeUnavailable
from app.session import Session
from app.wallet.kdf import Argon2idParams
from app.wallet.keystore import Keystore
from app.wallet.mnemonic import generate_mnemonic
from ui import ops
from ui.context import AppContext
from ui.models.deployments import RUNWAY
from ui.tabs.deployments import DeploymentsTab
from ui.widgets.tables import empty_text


def _has_ink(widget: QWidget) -> bool:
    image = widget.grab().toImage()
    background = QColor(image.pixel(2, 2))
    return any(QColor(image.pixel(x, y)) != background
               for x in range(0, image.width(), 3) for y in range(image.height() // 3, 2 * image.height() // 3, 3))


def test_an_empty_table_says_why_and_the_sentence_goes_with_the_first_row(qtbot) -> None:
    view = QTableView()
    qtbot.addWidget(view)
    model = QStandardItemModel(0, 2)
    view.setModel(model)
    view.resize(500, 300)
    view.show()
    state = {"loading": True}
    empty = empty_text(view, lambda: "Reading…" if state["loading"] else "Nothing yet.")
    assert empty.showing() and empty.text() == "Reading…" and _has_ink(view.viewport())
    state["loading"] = False
    assert empty.text() == "Nothing yet."
    model.appendRow([QStandardItem("a"), QStandardItem("b")])
    assert not empty.showing()
    view.setRowHidden(0, True)  # a row, even hidden: the sentence would be wrong
    assert not empty.showing()


def test_two_busy_rows_get_room_for_both(qtbot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.resize(800, 500)
    window.show()
    gate = asyncio.Event()
    first = ops.run_op(window, gate.wait, success=lambda _: None, progress_label="Reading balances…", busy_delay_ms=10)
    second = ops.run_op(window, gate.wait, success=lambda _: None, progress_label="Reading the history…",
                        busy_delay_ms=10)
    panel = None

    def both_shown() -> bool:
        nonlocal panel
        panel = window.findChild(QWidget, "busyPanel")
        return panel is not None and len(panel.rows()) == 2

    qtbot.waitUntil(both_shown, timeout=2000)
    a, b = (row.geometry() for row in panel.rows())
    assert a.height() >= row_min(panel) and b.height() >= row_min(panel) and not a.intersects(b)
    assert panel.height() >= a.height() + b.height()
    gate.set()
    qtbot.waitUntil(lambda: not first.running and not second.running, timeout=2000)


def row_min(panel: QWidget) -> int:
    return max(r.sizeHint().height() for r in panel.rows()) - 2


def _tab(qtbot, *, wallet: bool) -> DeploymentsTab:
    keystore = Keystore(kdf=Argon2idParams(memory_kib=1024, iterations=1, lanes=1))
    if wallet:
        keystore.create("main", generate_mnemonic(12), "violet-Harbor-42-kite")
    session = Session(settings_mod.load(), keystore)
    session.reload()
    tab = DeploymentsTab(AppContext(session.settings, session, config.local_network(9)))
    qtbot.addWidget(tab)
    tab.resize(1256, 700)
    tab.show()
    return tab


def test_deployments_without_wallet_or_network_say_what_to_do(qtbot) -> None:
    tab = _tab(qtbot, wallet=False)
    assert "create or import one" in tab.empty.text()
    tab = _tab(qtbot, wallet=True)
    assert "Deploy tab (Ctrl+2)" in tab.empty.text() and "Show closed" in tab.empty.text()
    tab._list_failed(NodeUnavailable("GET", "/akash/deployment/v1beta4/deployments/list",
                                     [EndpointFailure("http://127.0.0.1:9", "connection refused")]))
    assert tab.summary.text().startswith("The network cannot be reached. Check your internet connection")
    assert "/akash/deployment" not in tab.summary.text() and "connection refused" in tab.summary.toolTip()
    assert tab.summary.wordWrap()


def test_the_runway_column_is_in_view(qtbot) -> None:
    tab = _tab(qtbot, wallet=True)
    header = tab.table.horizontalHeader()
    qtbot.waitUntil(lambda: tab.table.viewport().width() > 0, timeout=2000)
    assert header.sectionViewportPosition(RUNWAY) + 60 <= tab.table.viewport().width()
    assert header.length() <= tab.table.viewport().width() + 1  # no horizontal scrolling at this width


def test_a_history_change_in_two_denoms_is_whole_in_its_tooltip() -> None:
    from datetime import UTC, datetime

    from PySide6.QtCore import Qt

    from app.history import HistoryEntry
    from ui.models.history import HistoryModel

    model = HistoryModel()
    model.set_rows([HistoryEntry("AB" * 32, 10, datetime.now(UTC), True, 0, "", ("Created deployment 2",),
                                 {"uact": -20_000_000, "uakt": -5_290}, {"uakt": 5_290}, "",
                                 ("/akash.deployment.v1beta4.MsgCreateDeployment",))])
    tip = model.index(0, 2).data(Qt.ItemDataRole.ToolTipRole)
    assert len(tip.splitlines()) == 2 and "ACT" in tip and "AKT" in tip
