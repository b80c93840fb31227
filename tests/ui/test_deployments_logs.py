"""The logs/events view: model checked by qtmodeltester, line cap, batched timer flushes, filters, search, save."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView

from app.provider.models import KubeEvent, LogLine, StreamNotice
from ui.models.logs import DEFAULT_CAP, NOTICE, WARNING, LogModel, LogRow
from ui.widgets.log_feed import MAX_BATCH, LogFeed, item_to_row
from ui.widgets.log_view import LogView

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def _line(i: int, pod: str = "web-7d9f-abcde") -> LogLine:
    return LogLine(pod, f"request {i} served", NOW)


def test_log_model_passes_qtmodeltester(qtmodeltester) -> None:
    model = LogModel(cap=50)
    model.append([LogRow("t", f"svc{i % 3}", f"line {i}") for i in range(30)])
    qtmodeltester.check(model, force_py=True)  # and it watches every change below
    model.append([LogRow("t", f"svc{i % 3}", f"next {i}") for i in range(30)])  # crosses the cap
    model.set_filter({"svc1"}, "")
    model.append([LogRow("t", f"svc{i % 3}", f"more {i}") for i in range(40)])  # crosses it while filtered
    model.set_filter(None, "more 1")
    model.clear()
    assert all(r.source == "svc1" for r in model.shown_rows())


def test_cap_drops_the_oldest_rows_in_chunks() -> None:
    model = LogModel(cap=1000)
    removed = []
    model.rowsRemoved.connect(lambda _p, first, last: removed.append(last - first + 1))
    for start in range(0, 5000, 250):
        model.append([LogRow("t", "s", f"line {i}") for i in range(start, start + 250)])
    assert model.rowCount() <= 1000 and model.total <= 1000
    assert model.row(model.rowCount() - 1).text == "line 4999"
    assert model.dropped == 5000 - model.total
    assert removed and min(removed) >= 100  # whole chunks (cap / 10), not one removal per line
    with pytest.raises(ValueError):
        LogModel(cap=1)


def test_filter_by_service_and_text_keeps_notices() -> None:
    model = LogModel(cap=100)
    model.append([LogRow("t", "web", "GET /"), LogRow("t", "db", "checkpoint"), LogRow("t", "", "reconnecting", NOTICE),
                  LogRow("t", "web", "POST /login")])
    model.set_filter({"web"})
    assert [r.text for r in model.shown_rows()] == ["GET /", "reconnecting", "POST /login"]
    model.set_filter(None, "post")
    assert [r.text for r in model.shown_rows()] == ["POST /login"]
    model.set_filter()
    assert model.rowCount() == 4 and not model.filtered
    assert model.find("checkpoint", 0) == 1 and model.find("nothing", 0) == -1
    assert model.find("GET", 3) == 0  # wraps around


def test_stream_items_become_rows() -> None:
    row = item_to_row(_line(1), ("web", "db"))
    assert row.source == "web" and row.text == "request 1 served" and row.time == "03:04:05"
    event = KubeEvent("Warning", "BackOff", "Back-off restarting", "kubelet", "node1", "Pod", "ns", "web-1", NOW)
    row = item_to_row(event)
    assert row.kind == WARNING and row.source == "pod/web-1" and "BackOff" in row.text
    row = item_to_row(StreamNotice("reconnecting", "socket closed", attempt=1, delay_s=2.0, at=NOW))
    assert row.kind == NOTICE and "reconnecting" in row.text and "2 s" in row.text


def test_feed_coalesces_100k_lines_into_capped_batches(qtbot) -> None:
    model = LogModel(cap=20_000)
    feed = LogFeed(model, max_batch=5_000)
    inserts = []
    model.rowsInserted.connect(lambda _p, first, last: inserts.append(last - first + 1))
    for i in range(100_000):
        feed.push(_line(i))
    assert inserts == []  # nothing reaches the view until the timer fires
    assert feed.pending == 20_000  # the queue never holds more than the view can keep
    assert feed.timer.isActive() and feed.timer.interval() == 100
    qtbot.waitUntil(lambda: feed.pending == 0, timeout=10_000)
    assert model.rowCount() == 20_000 and max(inserts) <= 5_000 and len(inserts) == 4
    assert model.row(model.rowCount() - 1).text == "request 99999 served"
    assert model.dropped == 80_000
    qtbot.waitUntil(lambda: not feed.timer.isActive(), timeout=2000)  # an idle feed does not tick


def test_the_default_view_keeps_100k_lines_and_fills_in_bounded_batches(qtbot) -> None:
    view = LogView()
    qtbot.addWidget(view)
    view.show()
    assert view.model.cap == DEFAULT_CAP == 100_000
    for i in range(110_000):
        view.feed.push(_line(i))
    qtbot.waitUntil(lambda: view.feed.pending == 0, timeout=30_000)
    sizes = list(view.feed.batch_sizes)
    assert view.model.rowCount() == 100_000 and max(sizes) <= MAX_BATCH and sum(sizes) == 100_000
    assert view.model.row(0).text == "request 10000 served"  # the oldest 10,000 made room
    assert "100,000 lines" in view.count.text()
    assert view.table.verticalHeader().sectionResizeMode(0) == QHeaderView.ResizeMode.Fixed  # no per-row sizing


def test_pause_keeps_lines_until_resumed(qtbot) -> None:
    view = LogView(cap=1000)
    qtbot.addWidget(view)
    view.set_paused(True)
    for i in range(10):
        view.feed.push(_line(i))
    view.feed.flush()
    assert view.model.rowCount() == 0 and view.feed.pending == 10
    assert "paused, 10 new" in view.count.text()
    qtbot.mouseClick(view.pause, Qt.MouseButton.LeftButton)
    assert not view.feed.paused and view.pause.text() == "Pause"
    qtbot.waitUntil(lambda: view.model.rowCount() == 10, timeout=2000)


def test_consuming_a_stream_shows_reconnecting_and_its_end(qtbot) -> None:
    view = LogView(cap=1000)
    qtbot.addWidget(view)
    view.show()
    release = asyncio.Event()

    async def stream():
        yield _line(1)
        yield StreamNotice("reconnecting", "the connection dropped", attempt=1, delay_s=1.0)
        await release.wait()
        yield StreamNotice("reconnected")
        for i in range(600):  # more than YIELD_EVERY: the consumer lets the loop run in between
            yield _line(i + 2, "db-5c-x")

    view.feed.follow(stream, services=("web", "db"))
    qtbot.waitUntil(lambda: view.state.text() == "Reconnecting…", timeout=3000)
    release.set()
    qtbot.waitUntil(lambda: view.feed.state == "ended", timeout=5000)
    qtbot.waitUntil(lambda: view.model.rowCount() == 603, timeout=3000)
    assert view.state.text() == "The stream ended"
    assert view.service.findData("db") >= 0 and view.service.findData("web") >= 0
    view.service.setCurrentIndex(view.service.findData("web"))
    assert view.model.rowCount() == 3  # the web line and the two notices
    view.service.setCurrentIndex(0)
    view.search.setText("request 300 ")
    assert view.find_next() >= 0
    assert view.model.row(view.table.currentIndex().row()).text == "request 300 served"
    assert not view.follow.isChecked()  # searching stops following


def test_a_failing_stream_ends_in_words(qtbot) -> None:
    from app.provider.errors import LeaseNotFound

    view = LogView(cap=100)
    qtbot.addWidget(view)

    async def stream():
        yield _line(1)
        raise LeaseNotFound("https://provider.example:8443", "lease 1/1/1")

    view.feed.follow(stream)
    qtbot.waitUntil(lambda: view.feed.state == "failed", timeout=3000)
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=3000)
    last = view.model.row(1)
    assert last.kind == WARNING and "Traceback" not in last.text


def test_save_writes_the_lines_shown(qtbot, tmp_path: Path) -> None:
    view = LogView(cap=100)
    qtbot.addWidget(view)
    view.model.append([LogRow("10:00:00", "web", "hello"), LogRow("10:00:01", "db", "ready")])
    view.service.setCurrentIndex(view.service.findData("db"))
    path = tmp_path / "logs.txt"
    view.save_to(str(path))
    qtbot.waitUntil(lambda: path.exists(), timeout=5000)
    assert path.read_text() == "10:00:01 [db] ready\n"
    qtbot.waitUntil(lambda: "Saved 1 lines" in view.count.text(), timeout=5000)


def test_ctrl_f_focuses_the_search(qtbot) -> None:
    view = LogView(cap=100)
    qtbot.addWidget(view)
    view.show()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow, timeout=3000)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.search.hasFocus()
