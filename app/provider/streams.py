"""Log and event streams over WebSocket that reconnect by themselves, say so, and avoid repeating lines.

A stream is an async iterator of items (LogLine / KubeEvent) and StreamNotice markers. When the
provider drops the socket (or closes it with 4000 / 4002, or the network fails), it yields
StreamNotice("reconnecting"), waits with a jittered exponential backoff, reconnects and yields
StreamNotice("reconnected"). Close code 4001 (lease not found) and refused credentials end it with
the typed error. Cancelling the consuming task (or `aclose()`) closes the socket cleanly.

Following logs after a reconnect, the gateway is asked again for the last lines of each pod and
the overlap with what was already shown is dropped (LogResync), so lines written during the gap
appear once and nothing appears twice; when no history exists it asks for tail=0.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import random
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from websockets.exceptions import ConnectionClosed

from app.provider.errors import (
    LeaseNotFound,
    ProviderAuthError,
    ProviderBadResponse,
    ProviderError,
    ProviderServiceUnavailable,
    ProviderStreamError,
    ProviderTlsError,
)
from app.provider.models import KubeEvent, LogLine, StreamNotice

if TYPE_CHECKING:
    from app.provider.client import ProviderClient

log = logging.getLogger(__name__)

CLOSE_INTERNAL_ERROR = 4000
CLOSE_LEASE_NOT_FOUND = 4001
CLOSE_SERVICE_UNAVAILABLE = 4002
HISTORY_LINES = 100  # per pod, to recognise the overlap after a reconnect
RESYNC_QUIET_S = 0.5  # the replayed tail arrives in one burst; a pause means it is over


@dataclass
class Backoff:
    """Jittered exponential backoff: base * 2^(attempt-1), capped, times a random 0.75..1.25."""

    base_s: float = 1.0
    cap_s: float = 30.0
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempt: int) -> float:
        raw = min(self.cap_s, self.base_s * (2 ** max(0, attempt - 1)))
        return raw * self.rng.uniform(0.75, 1.25)


@dataclass(frozen=True)
class StreamSpec:
    path: str
    follow: bool
    tail: int | None  # None: the endpoint takes no tail (kubeevents)
    services: str
    parse: Callable[[Any, str], Any]
    is_logs: bool

    def query(self, tail: int | None) -> dict[str, str]:
        q = {"follow": "true" if self.follow else "false"}
        if tail is not None:
            q["tail"] = str(tail)
        if self.services:
            q["service"] = self.services
        return q


class LogResync:
    """Drops, per pod, the replayed lines that were already shown before a reconnect."""

    def __init__(self) -> None:
        self.history: dict[str, deque[str]] = {}
        self._pending: dict[str, list[LogLine]] = {}  # pods whose replay is being matched
        self._settled: set[str] = set()  # pods whose replay was matched in this round
        self._resyncing = False

    def remember(self, line: LogLine) -> None:
        self.history.setdefault(line.name, deque(maxlen=HISTORY_LINES)).append(line.message)

    def reconnect_tail(self) -> int:
        """The tail to ask for after a reconnect: the longest pod history (its overlap is dropped), or 0."""
        self._pending.clear()
        self._settled.clear()
        self._resyncing = bool(self.history)
        return max((len(h) for h in self.history.values()), default=0)

    @property
    def pending(self) -> bool:
        return bool(self._pending)

    def feed(self, line: LogLine) -> list[LogLine]:
        """The lines to emit now (none while the replay of this pod is still being matched)."""
        history = self.history.get(line.name)
        if not self._resyncing or not history or line.name in self._settled:
            self.remember(line)
            return [line]
        buf = self._pending.setdefault(line.name, [])
        buf.append(line)
        overlap = _overlap(list(history), [b.message for b in buf])
        return [] if overlap is None else self._settle(line.name, overlap)

    def flush(self) -> list[LogLine]:
        """The replay is over (a pause or the end): settle every pod still being matched."""
        out: list[LogLine] = []
        for name in list(self._pending):
            received = [b.message for b in self._pending[name]]
            out.extend(self._settle(name, _overlap(list(self.history.get(name, ())), received, final=True) or 0))
        return out

    def end_round(self) -> None:
        self._pending.clear()
        self._settled.clear()
        self._resyncing = False

    def _settle(self, name: str, overlap: int) -> list[LogLine]:
        fresh = self._pending.pop(name, [])[overlap:]
        self._settled.add(name)
        for line in fresh:
            self.remember(line)
        return fresh


def _overlap(history: list[str], received: list[str], *, final: bool = False) -> int | None:
    """How many leading lines of `received` repeat the end of `history`; None while it cannot be known.

    A candidate is a position of history where `received` starts. Complete candidates reach the end
    of history; open ones match everything received so far but need more lines, and would give a
    longer overlap, so while one is open (and this is not the final call) the answer is not known.
    """
    n, m = len(history), len(received)
    complete: list[int] = []
    open_candidate = False
    for start in range(n):
        need = n - start
        k = min(need, m)
        if history[start : start + k] != received[:k]:
            continue
        if k == need:
            complete.append(need)
        else:
            open_candidate = True
    if open_candidate and not final:
        return None
    return max(complete, default=0)


async def reconnecting_stream(
    client: ProviderClient, spec: StreamSpec, *, reconnect: bool, backoff: Backoff, max_attempts: int = 0
) -> AsyncIterator[Any]:
    """The stream loop; see the module docstring. max_attempts = 0 means retry forever (until cancelled)."""
    host = client.host_uri
    resync = LogResync()
    seen_events: deque[tuple[str, ...]] = deque(maxlen=2000)
    seen_set: set[tuple[str, ...]] = set()
    tail: int | None = spec.tail
    failures = 0
    reconnecting = False
    while True:
        reason = ""
        final_error: ProviderError | None = None
        try:
            async with client.websocket(spec.path, spec.query(tail)) as ws:
                if reconnecting:
                    yield StreamNotice("reconnected", attempt=failures)
                    reconnecting = False
                async for item in _items(ws, spec, host, resync, seen_events, seen_set):
                    failures = 0  # data flows again: the next drop starts the backoff afresh
                    yield item
            code, why = ws.close_code, ws.close_reason
        except ConnectionClosed as exc:
            code = exc.rcvd.code if exc.rcvd else None
            why = exc.rcvd.reason if exc.rcvd else "the connection dropped"
        except (LeaseNotFound, ProviderAuthError, ProviderTlsError, ProviderBadResponse):
            raise
        except ProviderError as exc:  # unreachable, 5xx, service unavailable: worth retrying
            code, why, final_error = None, str(exc.args[0] if exc.args else exc), exc
        for line in resync.flush():
            yield line
        resync.end_round()
        if code == CLOSE_LEASE_NOT_FOUND:
            raise LeaseNotFound(host, "lease for this stream", why or "the provider closed the stream (4001)")
        if code == CLOSE_INTERNAL_ERROR:
            final_error = ProviderStreamError(host, code, why)
            reason = f"provider error: {why or 'internal error'}"
        elif code == CLOSE_SERVICE_UNAVAILABLE:
            final_error = ProviderServiceUnavailable(host, why)
            reason = "the provider's cluster is unavailable"
        elif code in (1000, 1001) and not spec.follow:
            yield StreamNotice("ended", why)
            return
        else:
            reason = why or (f"closed with code {code}" if code else "the connection dropped")
        if not reconnect:
            if final_error is not None:
                raise final_error
            yield StreamNotice("ended", reason)
            return
        failures += 1
        if max_attempts and failures > max_attempts:
            if final_error is not None:
                raise final_error
            yield StreamNotice("ended", f"gave up after {max_attempts} attempts: {reason}")
            return
        if spec.is_logs and resync.history:  # nothing shown yet: ask for the original tail again
            tail = resync.reconnect_tail()
        delay = backoff.delay(failures)
        reconnecting = True
        log.info("stream %s on %s: %s; reconnecting in %.1f s", spec.path, host, reason, delay)
        yield StreamNotice("reconnecting", reason, attempt=failures, delay_s=delay)
        await asyncio.sleep(delay)


async def _items(
    ws: Any,
    spec: StreamSpec,
    host: str,
    resync: LogResync,
    seen_events: deque[tuple[str, ...]],
    seen_set: set[tuple[str, ...]],
) -> AsyncIterator[Any]:
    while True:
        try:
            if resync.pending:
                message = await asyncio.wait_for(ws.recv(), RESYNC_QUIET_S)
            else:
                message = await ws.recv()
        except TimeoutError:
            for line in resync.flush():
                yield line
            continue
        except ConnectionClosed as exc:
            if exc.rcvd is not None and exc.rcvd.code in (1000, 1001, CLOSE_INTERNAL_ERROR, CLOSE_LEASE_NOT_FOUND, CLOSE_SERVICE_UNAVAILABLE):
                return  # a close frame: the caller reads ws.close_code
            raise
        if isinstance(message, bytes):
            message = message.decode("utf-8", "replace")
        try:
            data = json.loads(message)
        except ValueError:
            log.warning("stream %s on %s: a message that is not JSON was skipped", spec.path, host)
            continue
        try:
            item = spec.parse(data, host)
        except ProviderBadResponse as exc:
            log.warning("stream %s on %s: %s", spec.path, host, exc)
            continue
        if isinstance(item, LogLine):
            for line in resync.feed(item):
                yield line
        elif isinstance(item, KubeEvent):
            key = (item.type, item.reason, item.note, item.object_kind, item.object_namespace, item.object_name)
            if key in seen_set:
                continue  # replayed after a reconnect
            if len(seen_events) == seen_events.maxlen:
                seen_set.discard(seen_events[0])
            seen_events.append(key)
            seen_set.add(key)
            yield item
        else:
            yield item


# ---- saving a stream --------------------------------------------------------------------------------


def format_item(item: Any) -> str:
    """One text line for a stream item (what the log view and saved files show)."""
    if isinstance(item, LogLine):
        return f"{item.received_at:%Y-%m-%dT%H:%M:%S}Z [{item.name}] {item.message}"
    if isinstance(item, KubeEvent):
        return (
            f"{item.received_at:%Y-%m-%dT%H:%M:%S}Z {item.type} {item.reason} "
            f"{item.object_kind}/{item.object_name}: {item.note}"
        )
    if isinstance(item, StreamNotice):
        extra = f" (retry in {item.delay_s:.0f} s)" if item.kind == "reconnecting" else ""
        return f"{item.at:%Y-%m-%dT%H:%M:%S}Z --- {item.kind}{': ' + item.reason if item.reason else ''}{extra} ---"
    return str(item)


async def save_stream(
    items: AsyncIterator[Any], path: str | Path, *, limit: int = 0, include_notices: bool = True, flush_every: int = 200
) -> int:
    """Append a stream to a text file (0600) as it arrives; returns the number of items written.

    Stops at the stream's end, after `limit` data items (0 = no limit), or when cancelled (what was
    received is flushed to disk first).
    """
    target = Path(path)
    written = 0
    pending: list[str] = []
    fh = await asyncio.to_thread(_open_private, target)
    try:
        async for item in items:
            if isinstance(item, StreamNotice) and not include_notices:
                continue
            pending.append(format_item(item) + "\n")
            if not isinstance(item, StreamNotice):
                written += 1
            if len(pending) >= flush_every:
                await asyncio.to_thread(_write, fh, pending)
                pending = []
            if limit and written >= limit:
                break
    finally:
        _write(fh, pending)
        fh.close()
        aclose = getattr(items, "aclose", None)
        if aclose is not None:
            await aclose()
    return written


def _open_private(path: Path) -> Any:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    return os.fdopen(fd, "a", encoding="utf-8")


def _write(fh: Any, lines: list[str]) -> None:
    if lines:
        fh.writelines(lines)
        fh.flush()
