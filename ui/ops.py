"""The one way to run core work from a widget: busy indicator, disabled triggers, errors in words, cancel.

Modelled on Anki's QueryOp/CollectionOp. qasync makes the Qt loop the asyncio loop, so the work is a
coroutine on the GUI thread; CPU-heavy parts go to a thread with `in_thread` / `run_in_thread`.
`success` / `failure` are called from a loop callback, never inside a task step, so they may open dialogs.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.errors import is_silent, user_message

log = logging.getLogger(__name__)
T = TypeVar("T")

BUSY_DELAY_MS = 300  # quick work never flashes a busy indicator
_running: set[Op] = set()  # strong references until each op ends
_orphans: set[QMessageBox] = set()  # error boxes without a parent window


def _alive(obj: QObject | None) -> bool:
    return obj is not None and shiboken6.isValid(obj)


def show_error(parent: QWidget | None, exc: BaseException) -> QMessageBox:
    """A window-modal message box (no nested event loop) with the plain-words message for `exc`."""
    message = user_message(exc)
    typed = message.title != "Something went wrong"
    log.log(logging.WARNING if typed else logging.ERROR, "%s: %s", message.title, exc, exc_info=None if typed else exc)
    box = QMessageBox(QMessageBox.Icon.Warning, message.title, message.text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorBox")
    if message.hint:
        box.setInformativeText(message.hint)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if parent is None:  # nothing owns a parentless box: keep it alive until it is closed
        _orphans.add(box)
        box.finished.connect(lambda _r: _orphans.discard(box))
    box.open()
    return box


class Progress:
    """Handed to work started with `with_progress=True`: report(fraction or None, text) from the coroutine."""

    def __init__(self, op: Op) -> None:
        self._op = op

    def __call__(self, fraction: float | None = None, text: str | None = None) -> None:
        self._op._set_progress(fraction, text)


class Op(QObject):
    """A handle on running work: cancel(), state, and `finished(state)` when it is over."""

    finished = Signal(str)  # "ok", "failed" or "cancelled"

    def __init__(
        self,
        parent: QWidget,
        success: Callable[[Any], object],
        failure: Callable[[BaseException], object] | None,
        on_cancel: Callable[[], object] | None,
        label: str | None,
        cancellable: bool,
        disable: Sequence[QWidget],
        key: str | None,
    ) -> None:
        super().__init__()
        self.parent_widget = parent
        self.label = label or "Working…"
        self.cancellable = cancellable
        self.key = key
        self.state = "running"
        self.task: asyncio.Future[Any] | None = None
        self._success, self._failure, self._on_cancel = success, failure, on_cancel
        self._disabled = [(w, w.isEnabled()) for w in disable if _alive(w)]
        self._fraction: float | None = None
        self._text: str | None = None
        self._row: _BusyRow | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show_busy)

    @property
    def running(self) -> bool:
        return self.state == "running"

    def cancel(self) -> None:
        """Ask the work to stop; the UI is restored when the task has unwound."""
        if self.task is not None and not self.task.done():
            self.task.cancel()

    def widgets(self) -> list[QWidget]:
        return [w for w, _ in self._disabled]

    def _start(self, work: Awaitable[Any], delay_ms: int) -> None:
        for widget, _ in self._disabled:
            widget.setEnabled(False)
        self.task = asyncio.ensure_future(work)
        self.task.add_done_callback(self._done)
        _running.add(self)
        self._timer.start(delay_ms)

    def _set_progress(self, fraction: float | None, text: str | None) -> None:
        self._fraction = None if fraction is None else max(0.0, min(1.0, float(fraction)))
        self._text = text if text is not None else self._text
        if self._row is not None and _alive(self._row):
            self._row.update_progress(self._fraction, self._text)

    def _show_busy(self) -> None:
        if self.running and _alive(self.parent_widget):
            self._row = _BusyPanel.for_window(self.parent_widget.window()).add(self)
            self._row.update_progress(self._fraction, self._text)

    def _restore(self) -> None:
        self._timer.stop()
        if self._row is not None and _alive(self._row):
            self._row.remove()
        self._row = None
        for widget, was_enabled in self._disabled:
            if _alive(widget):
                widget.setEnabled(was_enabled)

    def _done(self, task: asyncio.Future[Any]) -> None:
        # The op is over before its handlers run: widgets enabled again and no longer "running", so a
        # handler may start the next op on the same widgets or key (a chained op) without being ignored.
        self._restore()
        _running.discard(self)
        exc = None if task.cancelled() else task.exception()
        if task.cancelled() or (exc is not None and is_silent(exc)):
            self.state = "cancelled"  # stopped, or the person declined a step of the flow: nothing to report
        else:
            self.state = "failed" if exc is not None else "ok"
        try:
            if self.state == "cancelled":
                self._call(self._on_cancel)
            elif exc is not None:
                self._fail(exc)
            else:
                self._call(self._success, task.result())
        finally:
            self.finished.emit(self.state)

    def _fail(self, exc: BaseException) -> None:
        if not _alive(self.parent_widget):
            log.warning("%s failed after its window closed: %s", self.label, exc)
            return
        if self._failure is None:
            show_error(self.parent_widget, exc)
        else:
            self._call(self._failure, exc)

    def _call(self, callback: Callable[..., object] | None, *args: Any) -> None:
        """Run a handler; if it raises, log it and tell the person, never leave the UI half-updated."""
        if callback is None or not _alive(self.parent_widget):
            return
        try:
            callback(*args)
        except Exception as exc:  # noqa: BLE001 - a broken handler must not escape into the Qt loop
            log.exception("handler of %r failed", self.label)
            show_error(self.parent_widget, exc)


def _busy_op(widgets: Sequence[QWidget], key: str | None, parent: QWidget) -> Op | None:
    for op in _running:
        if key is not None and op.key == key and op.parent_widget is parent:
            return op
        if any(w in op.widgets() for w in widgets):
            return op
    return None


def run_op(
    parent: QWidget,
    work: Callable[..., Awaitable[T]],
    *,
    success: Callable[[T], object],
    failure: Callable[[BaseException], object] | None = None,
    on_cancel: Callable[[], object] | None = None,
    progress_label: str | None = None,
    cancellable: bool = True,
    disable: Sequence[QWidget] = (),
    key: str | None = None,
    with_progress: bool = False,
    busy_delay_ms: int = BUSY_DELAY_MS,
) -> Op:
    """Start `work()` (a coroutine factory) for `parent` and return its handle.

    While it runs, `disable` widgets are disabled; after `busy_delay_ms` a non-modal busy row (with
    Cancel when `cancellable`) appears in the window. `success(result)` or `failure(exc)` follow on the
    GUI thread; without `failure`, the error is shown in plain words. If an op already runs for one of
    the `disable` widgets (or the same `key` on the same parent), no new work starts and that op is
    returned: the double-click guard. With `with_progress`, `work` receives a Progress reporter.
    """
    existing = _busy_op(disable, key, parent)
    if existing is not None:
        log.debug("ignored a second start of %r while it runs", existing.label)
        return existing
    op = Op(parent, success, failure, on_cancel, progress_label, cancellable, disable, key)
    if _alive(parent):
        parent.destroyed.connect(op.cancel)
    try:
        awaitable = work(Progress(op)) if with_progress else work()
    except Exception as exc:  # the factory itself failed: report like any other failure
        awaitable = _raise(exc)
    op._start(awaitable, busy_delay_ms)
    return op


async def _raise(exc: BaseException) -> None:
    raise exc


async def in_thread(fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """Run CPU-bound `fn` (KDF, many derivations, big JSON) in a worker thread so the window stays live."""
    return await asyncio.to_thread(fn, *args, **kwargs)


def run_in_thread(parent: QWidget, fn: Callable[..., T], /, *args: Any, **options: Any) -> Op:
    """run_op for a blocking function: `run_in_thread(w, kdf, pw, success=..., disable=[button])`."""
    return run_op(parent, lambda: in_thread(fn, *args), **options)


def running_ops() -> list[Op]:
    return list(_running)


def cancel_ops(which: Callable[[Op], bool] = lambda _op: True) -> list[Op]:
    """Cancel every running op that `which` accepts (network switch, quit); returns them. Each ends as
    "cancelled" (its on_cancel runs, no error box) once its task has unwound."""
    chosen = [op for op in _running if op.running and which(op)]
    for op in chosen:
        op.cancel()
    return chosen


async def wait_ops(which: Callable[[Op], bool] = lambda _op: True, timeout_s: float = 5.0) -> bool:
    """Wait until no running op is accepted by `which` (at most `timeout_s`); True if they all ended."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while any(which(op) for op in list(_running)):
        if loop.time() >= deadline:
            return False
        await asyncio.sleep(0.02)
    return True


class _BusyRow(QWidget):
    def __init__(self, op: Op, panel: _BusyPanel) -> None:
        super().__init__(panel)
        self.op = op
        self.setObjectName("busyRow")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.text = QLabel(op.label, self)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)
        self.bar.setFixedWidth(120)
        self.bar.setTextVisible(False)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.bar)
        if op.cancellable:
            self.cancel_button = QPushButton("Cancel", self)
            self.cancel_button.setToolTip(f"Stop: {op.label}")
            self.cancel_button.clicked.connect(op.cancel)
            layout.addWidget(self.cancel_button)

    def update_progress(self, fraction: float | None, text: str | None) -> None:
        if fraction is None:
            self.bar.setRange(0, 0)
        else:
            self.bar.setRange(0, 1000)
            self.bar.setValue(round(fraction * 1000))
        self.text.setText(f"{self.op.label} {text}" if text else self.op.label)

    def remove(self) -> None:
        panel = self.parentWidget()
        self.hide()
        self.deleteLater()
        if isinstance(panel, _BusyPanel):
            panel.row_removed(self)


class _BusyPanel(QFrame):
    """The non-modal strip at the bottom right of a window listing the work in progress."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("busyPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(8, 6, 8, 6)
        self._rows: list[_BusyRow] = []
        window.installEventFilter(self)
        self.hide()

    @classmethod
    def for_window(cls, window: QWidget) -> _BusyPanel:
        panel = window.findChild(_BusyPanel, "busyPanel", Qt.FindChildOption.FindDirectChildrenOnly)
        return panel if panel is not None else cls(window)

    def add(self, op: Op) -> _BusyRow:
        row = _BusyRow(op, self)
        self._rows.append(row)
        self._layout.addWidget(row)
        row.show()  # now, so the layout counts it when the panel is sized below
        self._place()
        self.show()
        self.raise_()
        return row

    def row_removed(self, row: _BusyRow) -> None:
        if row in self._rows:
            self._rows.remove(row)
            self._layout.removeWidget(row)
        if not self._rows:
            self.hide()
        else:
            self._place()

    def rows(self) -> list[_BusyRow]:
        return list(self._rows)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return False

    def _place(self) -> None:
        window = self.parentWidget()
        if window is None:
            return
        self._layout.activate()  # a row just added or removed: its size counts now, not at the next layout pass
        self.adjustSize()
        width = min(max(self.sizeHint().width(), 320), max(window.width() - 24, 100))
        height = self.sizeHint().height()
        self.setGeometry(window.width() - width - 12, window.height() - height - 36, width, height)
