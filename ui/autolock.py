"""Auto-lock: lock the keys after the idle time from the settings (an event filter watches user input)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class IdleLock(QObject):
    """Calls `lock()` after `minutes` without keyboard or mouse input anywhere in the app; 0 = never.

    The timer only runs while `is_unlocked()` is true, so a locked or watch-only wallet costs nothing.
    """

    def __init__(
        self,
        lock: Callable[[], None],
        is_unlocked: Callable[[], bool],
        minutes: int,
        parent: QObject | None = None,
        *,
        ms_per_minute: int = 60_000,
    ) -> None:
        super().__init__(parent)
        self._lock = lock
        self._is_unlocked = is_unlocked
        self._ms_per_minute = ms_per_minute
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._expired)
        self.minutes = 0
        self.set_minutes(minutes)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_minutes(self, minutes: int) -> None:
        self.minutes = max(0, int(minutes))
        self._timer.setInterval(self.minutes * self._ms_per_minute)
        self.poke()

    def poke(self) -> None:
        """Restart the countdown (user activity, or the wallet was just unlocked)."""
        if self.minutes and self._is_unlocked():
            self._timer.start()
        else:
            self._timer.stop()

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def remaining_ms(self) -> int:
        return self._timer.remainingTime() if self._timer.isActive() else -1

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() in _INPUT_EVENTS and self._timer.isActive():
            self._timer.start()  # restart: the person is here
        return False

    def _expired(self) -> None:
        if self._is_unlocked():
            log.info("auto-lock after %d idle minute(s)", self.minutes)
            self._lock()

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
