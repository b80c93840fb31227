"""UI test fixtures: the qasync loop as the running asyncio loop, and a check that no window leaks."""

from __future__ import annotations

import asyncio
import gc

import pytest
import qasync
from PySide6.QtWidgets import QApplication


@pytest.fixture(scope="session")
def _session_loop(qapp: QApplication):
    """One qasync loop for the session, like the app has one (under pytest-qt, a qasync loop made after
    another was closed on the same QApplication did not get its timer events)."""
    loop = qasync.QEventLoop(qapp, already_running=True)
    yield loop
    loop.stop()
    asyncio.events._set_running_loop(None)
    loop.close()  # joins the worker threads of asyncio.to_thread


@pytest.fixture(autouse=True)
def qloop(_session_loop, qapp: QApplication):
    """The Qt loop is the asyncio loop, as in the app; tasks a test leaves behind are cancelled."""
    asyncio.events._set_running_loop(_session_loop)
    asyncio.set_event_loop(_session_loop)
    yield _session_loop
    pending = [t for t in asyncio.all_tasks(_session_loop) if not t.done()]
    for task in pending:
        task.cancel()
    for _ in range(50):
        if not pending:
            break
        qapp.processEvents()
        pending = [t for t in pending if not t.done()]
    # Other test directories run asyncio.run(): leave no running loop behind.
    asyncio.events._set_running_loop(None)
    asyncio.set_event_loop(None)


def _visible_top_levels() -> set[int]:
    return {id(w) for w in QApplication.topLevelWidgets() if w.isVisible()}


@pytest.fixture(autouse=True)
def no_leaked_windows(qapp: QApplication):
    """A test must close every window it opened (qtbot.addWidget does it for the ones it registers)."""
    before = _visible_top_levels()
    yield
    qapp.processEvents()
    leaked = [w for w in QApplication.topLevelWidgets() if w.isVisible() and id(w) not in before]
    for w in leaked:
        w.close()
        w.deleteLater()
    qapp.processEvents()
    gc.unfreeze()  # a main window freezes what it built (ui/gc_settle.py); a test's leftovers must stay collectable
    gc.collect()
    assert not leaked, f"windows left open: {[type(w).__name__ + ':' + w.windowTitle() for w in leaked]}"

