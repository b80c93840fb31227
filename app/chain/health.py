"""Connection state shown in the UI header (ok / slow / failing over / offline) and its listeners."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum

log = logging.getLogger(__name__)


class ConnectionStatus(StrEnum):
    CONNECTING = "connecting"  # nothing has been asked yet
    OK = "ok"
    SLOW = "slow"  # answers arrive, but slower than the threshold
    FAILING_OVER = "failing_over"  # the current endpoint failed; another one is being tried
    OFFLINE = "offline"  # every endpoint failed on the last request


@dataclass(frozen=True)
class ConnectionState:
    status: ConnectionStatus
    endpoint: str  # the endpoint in use (or being tried)
    latency_ms: int | None  # of the last successful answer
    since: datetime  # when the status last changed
    detail: str = ""  # why, for a failing/offline status

    @property
    def label(self) -> str:
        """Short text for the header: 'ok · 85 ms', 'offline'."""
        text = self.status.value.replace("_", " ")
        if self.latency_ms is not None and self.status in (ConnectionStatus.OK, ConnectionStatus.SLOW):
            text += f" · {self.latency_ms} ms"
        return text


Listener = Callable[[ConnectionState], None]


class StateTracker:
    """Holds the current ConnectionState and tells listeners when it changes (status or endpoint)."""

    def __init__(self, endpoint: str, slow_after_s: float) -> None:
        self.slow_after_s = slow_after_s
        self._state = ConnectionState(ConnectionStatus.CONNECTING, endpoint, None, _now())
        self._listeners: list[Listener] = []

    @property
    def state(self) -> ConnectionState:
        return self._state

    def add_listener(self, listener: Listener) -> Callable[[], None]:
        """Register a callback (called synchronously on change); returns a function that removes it."""
        self._listeners.append(listener)

        def remove() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return remove

    def answered(self, endpoint: str, latency_s: float) -> None:
        status = ConnectionStatus.SLOW if latency_s > self.slow_after_s else ConnectionStatus.OK
        self._set(status, endpoint, round(latency_s * 1000), "")

    def failing_over(self, failed: str, next_endpoint: str, why: str) -> None:
        self._set(ConnectionStatus.FAILING_OVER, next_endpoint, self._state.latency_ms, f"{failed}: {why}")

    def offline(self, why: str) -> None:
        self._set(ConnectionStatus.OFFLINE, self._state.endpoint, self._state.latency_ms, why)

    def _set(self, status: ConnectionStatus, endpoint: str, latency_ms: int | None, detail: str) -> None:
        old = self._state
        moved = status != old.status or endpoint != old.endpoint
        since = _now() if moved else old.since
        self._state = replace(old, status=status, endpoint=endpoint, latency_ms=latency_ms, since=since, detail=detail)
        # Latency jitter alone is not news; a change the header would show clearly is.
        latency_news = (latency_ms is None) != (old.latency_ms is None) or (
            latency_ms is not None and old.latency_ms is not None and abs(latency_ms - old.latency_ms) >= 50
        )
        if moved or latency_news or detail != old.detail:
            self._notify()

    def _notify(self) -> None:
        for listener in list(self._listeners):
            try:
                listener(self._state)
            except Exception:  # a broken listener must not break the client
                log.exception("connection state listener failed")


def _now() -> datetime:
    return datetime.now(UTC)
