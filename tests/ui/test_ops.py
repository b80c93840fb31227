"""ui/ops.py: success, failure in words, cancel, the double-click guard, broken handlers, threads, progress."""

from __future__ import annotations

import asyncio
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton, QVBoxLayout, QWidget

from app.wallet.address import AddressError
from ui import ops


@pytest.fixture
def window(qtbot):
    w = QWidget()
    w.resize(600, 400)
    layout = QVBoxLayout(w)
    w.button = QPushButton("Go", w)
    layout.addWidget(w.button)
    qtbot.addWidget(w)
    w.show()
    return w


def _error_boxes(w: QWidget) -> list[QMessageBox]:
    return [b for b in w.findChildren(QMessageBox) if b.isVisible()]


def test_success_calls_back_with_the_result_and_restores_the_button(qtbot, window) -> None:
    got = []

    async def work():
        await asyncio.sleep(0.01)
        return 42

    op = ops.run_op(window, work, success=got.append, disable=[window.button])
    assert not window.button.isEnabled()
    with qtbot.waitSignal(op.finished, timeout=2000) as sig:
        pass
    assert sig.args == ["ok"]
    assert got == [42]
    assert window.button.isEnabled()
    assert ops.running_ops() == []


def test_failure_shows_plain_words_and_no_traceback(qtbot, window) -> None:
    async def work():
        raise AddressError("the address checksum is wrong: a character is mistyped or missing")

    op = ops.run_op(window, work, success=lambda _: None, disable=[window.button])
    qtbot.waitUntil(lambda: op.state == "failed", timeout=2000)
    boxes = _error_boxes(window)
    assert len(boxes) == 1
    box = boxes[0]
    assert box.windowTitle() == "The address is not valid"
    assert "checksum is wrong" in box.text()
    assert "Traceback" not in box.text() + box.informativeText()
    assert box.informativeText()  # what to do next
    assert window.button.isEnabled()
    box.close()


def test_unknown_error_is_generic_and_points_to_the_log(qtbot, window) -> None:
    async def work():
        raise KeyError("boom")

    op = ops.run_op(window, work, success=lambda _: None)
    qtbot.waitUntil(lambda: op.state == "failed", timeout=2000)
    (box,) = _error_boxes(window)
    assert box.windowTitle() == "Something went wrong"
    assert "log" in box.informativeText()
    box.close()


def test_custom_failure_handler_replaces_the_dialog(qtbot, window) -> None:
    seen = []

    async def work():
        raise ValueError("nope")

    op = ops.run_op(window, work, success=lambda _: None, failure=seen.append)
    qtbot.waitUntil(lambda: op.state == "failed", timeout=2000)
    assert [str(e) for e in seen] == ["nope"]
    assert _error_boxes(window) == []


def test_cancel_from_the_busy_row_restores_everything(qtbot, window) -> None:
    cancelled = []
    started = asyncio.Event()

    async def work():
        started.set()
        await asyncio.sleep(30)

    op = ops.run_op(
        window, work, success=lambda _: None, on_cancel=lambda: cancelled.append(True),
        progress_label="Loading bids", disable=[window.button], busy_delay_ms=50,
    )
    panel = None

    def busy_shown() -> bool:
        nonlocal panel
        panel = window.findChild(QWidget, "busyPanel")
        return panel is not None and panel.isVisible()

    qtbot.waitUntil(busy_shown, timeout=2000)
    (row,) = panel.rows()
    assert row.text.text() == "Loading bids"
    qtbot.mouseClick(row.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: op.state == "cancelled", timeout=2000)
    assert cancelled == [True]
    assert window.button.isEnabled()
    assert not panel.isVisible()
    assert _error_boxes(window) == []


def test_quick_work_never_shows_the_busy_indicator(qtbot, window) -> None:
    async def work():
        return 1

    op = ops.run_op(window, work, success=lambda _: None)
    qtbot.waitUntil(lambda: not op.running, timeout=2000)
    qtbot.wait(ops.BUSY_DELAY_MS + 50)
    panel = window.findChild(QWidget, "busyPanel")
    assert panel is None or not panel.isVisible()


def test_double_click_starts_the_work_once(qtbot, window) -> None:
    calls = []
    gate = asyncio.Event()

    async def work():
        calls.append(1)
        await gate.wait()
        return len(calls)

    results = []

    def on_click() -> None:
        ops.run_op(window, work, success=results.append, disable=[window.button], key="go")

    window.button.clicked.connect(on_click)
    on_click()
    window.button.click()  # disabled: Qt ignores it
    on_click()  # e.g. a shortcut that bypasses the button: the guard returns the running op
    qtbot.waitUntil(lambda: calls == [1], timeout=2000)
    gate.set()
    qtbot.waitUntil(lambda: results == [1], timeout=2000)
    assert calls == [1]
    assert window.button.isEnabled()


def test_exception_in_success_handler_is_reported_and_ui_restored(qtbot, window) -> None:
    async def work():
        return "x"

    def bad_success(_):
        raise RuntimeError("handler bug")

    op = ops.run_op(window, work, success=bad_success, disable=[window.button])
    qtbot.waitUntil(lambda: not op.running, timeout=2000)
    assert op.state == "ok"
    assert window.button.isEnabled()
    (box,) = _error_boxes(window)
    assert "handler bug" in box.text()
    box.close()
    assert ops.running_ops() == []


def test_factory_that_raises_is_a_failure_not_a_crash(qtbot, window) -> None:
    def factory():
        raise ValueError("bad input")

    seen = []
    op = ops.run_op(window, factory, success=lambda _: None, failure=seen.append, disable=[window.button])
    qtbot.waitUntil(lambda: op.state == "failed", timeout=2000)
    assert window.button.isEnabled() and str(seen[0]) == "bad input"


def test_cpu_work_runs_in_a_thread_and_the_loop_keeps_ticking(qtbot, window) -> None:
    main = threading.get_ident()
    ticks = []
    release = threading.Event()

    def blocking() -> int:
        release.wait(5)
        return threading.get_ident()

    async def ticker():
        while True:
            ticks.append(1)
            await asyncio.sleep(0.01)

    tick_task = asyncio.ensure_future(ticker())
    got = []
    op = ops.run_in_thread(window, blocking, success=got.append)
    qtbot.waitUntil(lambda: len(ticks) >= 5, timeout=2000)  # the loop is not blocked by the work
    release.set()
    qtbot.waitUntil(lambda: not op.running, timeout=5000)
    tick_task.cancel()
    assert got and got[0] != main


def test_progress_reports_update_the_busy_row(qtbot, window) -> None:
    step = asyncio.Event()

    async def work(progress):
        progress(0.5, "(5 of 10)")
        await step.wait()
        return None

    op = ops.run_op(window, work, success=lambda _: None, with_progress=True, busy_delay_ms=10, progress_label="Deriving")
    qtbot.waitUntil(lambda: window.findChild(QWidget, "busyPanel") is not None, timeout=2000)
    (row,) = window.findChild(QWidget, "busyPanel").rows()
    assert row.bar.value() == 500 and row.text.text() == "Deriving (5 of 10)"
    step.set()
    qtbot.waitUntil(lambda: not op.running, timeout=2000)


def test_closing_the_parent_cancels_the_work(qtbot) -> None:
    w = QWidget()
    w.show()

    async def work():
        await asyncio.sleep(30)

    called = []
    op = ops.run_op(w, work, success=called.append)
    w.close()
    w.deleteLater()
    qtbot.waitUntil(lambda: op.state == "cancelled", timeout=2000)
    assert called == []


def test_a_success_handler_can_start_the_next_op_on_the_same_widgets_and_key(qtbot, window) -> None:
    """Chained ops: the finishing op has let go of its widgets and key before its handler runs."""
    seen = []

    async def first():
        return "first"

    async def second():
        return "second"

    def then(result):
        seen.append(result)
        assert window.button.isEnabled() and ops.running_ops() == []
        seen.append(ops.run_op(window, second, success=seen.append, disable=[window.button], key="chain"))

    op = ops.run_op(window, first, success=then, disable=[window.button], key="chain")
    qtbot.waitUntil(lambda: len(seen) == 3, timeout=2000)
    assert seen[0] == "first" and seen[1] is not op and seen[2] == "second"
    assert window.button.isEnabled() and ops.running_ops() == []


def test_cancel_ops_stops_the_chosen_work_quietly(qtbot, window) -> None:
    cancelled = []
    gate = asyncio.Event()

    async def slow():
        await asyncio.sleep(30)

    async def must_finish():
        await gate.wait()
        return "done"

    done = []
    a = ops.run_op(window, slow, success=lambda _: None, on_cancel=lambda: cancelled.append("a"), disable=[window.button])
    b = ops.run_op(window, must_finish, success=done.append, cancellable=False)
    assert ops.cancel_ops(lambda op: op.cancellable) == [a]
    qtbot.waitUntil(lambda: a.state == "cancelled", timeout=2000)
    assert cancelled == ["a"] and b.running and window.button.isEnabled() and _error_boxes(window) == []
    gate.set()
    qtbot.waitUntil(lambda: b.state == "ok", timeout=2000)
    assert done == ["done"]


def test_switching_network_cancels_the_work_and_closes_the_old_client_after_uncancellable_work(qtbot, window) -> None:
    """Work in flight when the network changes ends as cancelled (no 'Something went wrong'); the old client
    is closed only once the work that cannot be cancelled is over."""
    from app import config
    from app import settings as settings_mod
    from app.chain.client import ChainClient
    from app.session import Session
    from ui.context import AppContext

    session = Session(settings_mod.load())
    ctx = AppContext(session.settings, session, config.local_network(9))
    old = ChainClient(ctx.network)
    ctx.connect_chain(old)
    gate = asyncio.Event()

    async def reads_the_chain():
        await asyncio.sleep(0.05)
        await gate.wait()
        return await old.get("/cosmos/base/tendermint/v1beta1/blocks/latest")

    async def unlocking():
        await gate.wait()

    failed = []
    reading = ops.run_op(window, reads_the_chain, success=lambda _: None, failure=failed.append)
    unlock = ops.run_op(window, unlocking, success=lambda _: None, cancellable=False)
    ctx.set_network(config.local_network(10), remember=False)
    qtbot.waitUntil(lambda: reading.state == "cancelled", timeout=2000)
    assert unlock.running and not old._http.is_closed
    gate.set()
    qtbot.waitUntil(lambda: old._http.is_closed, timeout=3000)
    assert failed == [] and _error_boxes(window) == []
    closing = asyncio.ensure_future(ctx.aclose())
    qtbot.waitUntil(closing.done, timeout=5000)


def test_an_op_that_meets_a_closed_client_ends_as_cancelled(qtbot, window) -> None:
    from app import config
    from app.chain.client import ChainClient

    client = ChainClient(config.local_network(9))

    async def work():
        await client.aclose()
        return await client.get("/cosmos/base/tendermint/v1beta1/blocks/latest")

    op = ops.run_op(window, work, success=lambda _: None)
    qtbot.waitUntil(lambda: not op.running, timeout=2000)
    assert op.state == "cancelled" and _error_boxes(window) == []
