"""From a core stream to the log table: items turned into rows, queued, and flushed by a timer in batches.

The stream is consumed by a coroutine that only queues (cheap); a QTimer every FLUSH_MS moves at most
MAX_BATCH queued rows into the model in one insert, so the window repaints ten times a second at most,
whatever the rate of the stream. StreamNotice markers ("reconnecting", "reconnected", "ended") change
the feed's `state` and are shown as grey rows.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import AsyncIterator, Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal

from app.provider.models import KubeEvent, LogLine, StreamNotice
from ui.models.logs import LINE, NOTICE, WARNING, LogModel, LogRow

log = logging.getLogger(__name__)

FLUSH_MS = 100
MAX_BATCH = 5_000  # rows moved into the model per tick: a tick stays a few milliseconds
YIELD_EVERY = 256  # the consumer lets the loop breathe even when the socket has a backlog
_NOTICE_STATE = {"reconnecting": "reconnecting", "reconnected": "live", "ended": "ended", "failed": "failed"}


def item_to_row(item: Any, services: Sequence[str] = ()) -> LogRow:
    """A stream item as a LogRow (service of a pod from the lease's service names when known)."""
    item = getattr(item, "item", item)  # app.market.streams.LeaseItem wraps the provider's item
    if isinstance(item, LogLine):
        source = item.service_in(tuple(services)) or item.name
        return LogRow(f"{item.received_at:%H:%M:%S}", source, item.message, LINE)
    if isinstance(item, KubeEvent):
        kind = WARNING if item.type.lower() == "warning" else LINE
        obj = f"{item.object_kind.lower()}/{item.object_name}" if item.object_name else item.object_kind
        return LogRow(f"{item.received_at:%H:%M:%S}", obj, f"{item.type} {item.reason}: {item.note}".strip(), kind)
    if isinstance(item, StreamNotice):
        return LogRow(f"{item.at:%H:%M:%S}", "", notice_text(item), NOTICE)
    return LogRow("", "", str(item), LINE)


def notice_text(notice: StreamNotice) -> str:
    if notice.kind == "reconnecting":
        wait = f"; retrying in {notice.delay_s:.0f} s" if notice.delay_s else ""
        return f"— connection lost ({notice.reason or 'dropped'}){wait}: reconnecting… —"
    if notice.kind == "reconnected":
        return "— reconnected —"
    if notice.kind == "failed":
        return f"— this lease's stream failed: {notice.reason} —"
    if notice.kind == "ended":
        return f"— the stream ended{': ' + notice.reason if notice.reason else ''} —"
    return f"— {notice.kind} {notice.reason} —"


class LogFeed(QObject):
    """Queues rows and flushes them into `model` on a timer. `state_changed(str)`: live, reconnecting, ended…"""

    state_changed = Signal(str)
    flushed = Signal(int)  # rows moved into the model by one tick

    def __init__(self, model: LogModel, parent: QObject | None = None, *, flush_ms: int = FLUSH_MS,
                 max_batch: int = MAX_BATCH) -> None:
        super().__init__(parent)
        self.model = model
        self.max_batch = max_batch
        self.services: tuple[str, ...] = ()
        self.paused = False
        self.state = "idle"
        self.batch_sizes: deque[int] = deque(maxlen=1000)  # recent ticks, for tests and diagnostics
        self.received = 0
        self._queue: deque[LogRow] = deque()
        self._task: asyncio.Task | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(flush_ms)
        self.timer.timeout.connect(self.flush)

    # -- input -------------------------------------------------------------------------------------------

    def push(self, item: Any) -> None:
        """Queue one stream item (called by the consumer; never touches the view)."""
        if not shiboken6.isValid(self):
            return
        notice = getattr(item, "item", item)
        if isinstance(notice, StreamNotice):
            self._set_state(_NOTICE_STATE.get(notice.kind, self.state))
        self._queue.append(item_to_row(item, self.services))
        self.received += 1
        if len(self._queue) > self.model.cap:  # older rows would be trimmed by the model anyway
            self._queue.popleft()
            self.model.dropped += 1
        if not self.timer.isActive():
            self.timer.start()

    def push_rows(self, rows: Sequence[LogRow]) -> None:
        for row in rows:
            self._queue.append(row)
        if not self.timer.isActive():
            self.timer.start()

    @property
    def pending(self) -> int:
        return len(self._queue)

    # -- output ------------------------------------------------------------------------------------------

    def flush(self) -> int:
        """Move up to max_batch queued rows into the model (nothing while paused)."""
        if not self._queue:
            self.timer.stop()
            return 0
        if self.paused:
            self.flushed.emit(0)  # the view shows how many lines wait
            return 0
        n = min(self.max_batch, len(self._queue))
        batch = [self._queue.popleft() for _ in range(n)]
        self.model.append(batch)
        self.batch_sizes.append(n)
        self.flushed.emit(n)
        return n

    def set_paused(self, paused: bool) -> None:
        self.paused = paused
        if not paused and self._queue and not self.timer.isActive():
            self.timer.start()

    # -- consuming a stream --------------------------------------------------------------------------------

    def follow(self, stream_factory, *, services: Sequence[str] = ()) -> asyncio.Task:
        """Start consuming `stream_factory()` (an async iterator of items); stops any previous stream."""
        self.stop()
        self.services = tuple(services)
        self._set_state("connecting")
        task = self._task = asyncio.ensure_future(self._consume(stream_factory))
        self.destroyed.connect(lambda *_: task.cancel())  # the view closed: the stream stops with it
        return task

    async def _consume(self, stream_factory) -> None:
        try:
            stream: AsyncIterator[Any] = stream_factory()
            first = True
            count = 0
            async for item in stream:
                if first and not isinstance(getattr(item, "item", item), StreamNotice):
                    self._set_state("live")
                    first = False
                self.push(item)
                count += 1
                if count % YIELD_EVERY == 0:
                    await asyncio.sleep(0)  # a backlog on the socket must not starve the GUI
            if self.state not in ("ended",):
                self._set_state("ended")
        except asyncio.CancelledError:
            self._set_state("stopped")
            raise
        except Exception as exc:  # noqa: BLE001 - shown in the view as the stream's end, in words
            from ui.errors import user_message

            message = user_message(exc)
            log.warning("stream ended: %s", exc)
            self.push_rows([LogRow("", "", f"— {message.title}: {message.text} —", WARNING)])
            self._set_state("failed")

    def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def _set_state(self, state: str) -> None:
        if not shiboken6.isValid(self):  # a stream unwinding after its view was deleted
            return
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)
