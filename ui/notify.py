"""Desktop notifications: the system tray's balloon when there is one, else a toast inside the window."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QFrame, QLabel, QSystemTrayIcon, QVBoxLayout, QWidget

log = logging.getLogger(__name__)

TOAST_MS = 6000
# Categories a person can switch off in Settings (fields of app.settings.Notifications).
CATEGORIES = ("tx_finished", "low_runway", "new_bids", "proposals")


class Toast(QFrame):
    """A small non-modal message at the top right of the window that fades out by itself."""

    def __init__(self, window: QWidget, title: str, message: str, ms: int = TOAST_MS) -> None:
        super().__init__(window)
        self.setObjectName("toast")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        self.title = QLabel(f"<b>{_escape(title)}</b>", self)
        self.message = QLabel(message, self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        self.setToolTip("Click to dismiss")
        QTimer.singleShot(ms, self.close)

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.close()

    def place(self, index: int) -> None:
        window = self.parentWidget()
        width = min(360, max(window.width() - 24, 120))
        self.setFixedWidth(width)
        self.adjustSize()
        self.move(window.width() - width - 12, 56 + index * (self.height() + 8))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Notifier(QObject):
    """notify(title, message, category) -> 'tray', 'toast' or None (switched off in Settings).

    `posted(text)` fires for every shown notification (the status bar keeps the last one).
    """

    posted = Signal(str)

    def __init__(
        self,
        window: QWidget,
        icon: QIcon | None = None,
        enabled: Callable[[str], bool] | None = None,
        use_tray: bool | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._enabled = enabled or (lambda _category: True)
        self._toasts: list[Toast] = []
        self.tray: QSystemTrayIcon | None = None
        tray_ok = QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages()
        if use_tray if use_tray is not None else tray_ok:
            self.tray = QSystemTrayIcon(icon or QIcon(), self)
            self.tray.setToolTip("Akash Desk")
            self.tray.show()
        window.installEventFilter(self)

    def notify(self, title: str, message: str, category: str | None = None) -> str | None:
        if category is not None and not self._enabled(category):
            log.debug("notification %r suppressed by the settings (%s)", title, category)
            return None
        self.posted.emit(f"{title}: {message}")
        window_active = self._window.isActiveWindow()
        if self.tray is not None and not window_active:
            self.tray.showMessage(title, message, QSystemTrayIcon.MessageIcon.Information, TOAST_MS)
            return "tray"
        self._show_toast(title, message)
        return "toast"

    def toasts(self) -> list[Toast]:
        return [t for t in self._toasts if t.isVisible()]

    def _show_toast(self, title: str, message: str) -> None:
        toast = Toast(self._window, title, message)
        toast.destroyed.connect(lambda *_: self._forget(toast))
        self._toasts.append(toast)
        self._toasts = self._toasts[-4:]  # never a wall of toasts
        toast.show()
        toast.raise_()
        self._place()

    def _forget(self, toast: Toast) -> None:
        if toast in self._toasts:
            self._toasts.remove(toast)
        self._place()

    def _place(self) -> None:
        for i, toast in enumerate(self._toasts):
            try:
                toast.place(i)
            except RuntimeError:  # already deleted by Qt
                continue

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Resize:
            self._place()
        return False

    def close(self) -> None:
        if self.tray is not None:
            self.tray.hide()
