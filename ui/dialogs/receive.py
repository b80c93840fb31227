"""The receive dialog: the account's address as text and QR code, and a copy button that clears the
clipboard again after a while (if it still holds the address)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui import shortcuts
from ui.widgets.qr import QrCode

CLEAR_AFTER_MS = 60_000


class ReceiveDialog(QDialog):
    def __init__(self, address: str, account_name: str = "", parent: QWidget | None = None,
                 clear_after_ms: int = CLEAR_AFTER_MS) -> None:
        super().__init__(parent)
        self.address = address
        self.setWindowTitle("Receive")
        self.setObjectName("receiveDialog")
        layout = QVBoxLayout(self)
        intro = QLabel(f"Send AKT or USDC to {account_name or 'this account'} at:", self)
        self.qr = QrCode(address, self)
        self.text = QLabel(address, self)
        self.text.setObjectName("receiveAddress")
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        note = QLabel("Only Akash (akash1…) transfers arrive here. Check the first and last characters "
                      "with the sender.", self)
        note.setWordWrap(True)
        self.copied = QLabel(self)
        self.copied.setObjectName("copiedNote")
        row = QHBoxLayout()
        self.copy = QPushButton("Copy address", self)
        self.copy.setObjectName("copyAddress")
        self.copy.setShortcut(shortcuts.get("receive.copy").keys[0])
        self.copy.setToolTip(f"{shortcuts.tip('Copy the address', 'receive.copy')}; the clipboard is cleared after "
                             f"{clear_after_ms // 1000} s")
        close = QPushButton("Close", self)
        close.clicked.connect(self.accept)
        row.addWidget(self.copy)
        row.addStretch(1)
        row.addWidget(close)
        for w in (intro, self.qr, self.text, note, self.copied):
            layout.addWidget(w)
        layout.addLayout(row)
        self.clear_after_ms = clear_after_ms
        self.copy.clicked.connect(self.copy_address)

    def copy_address(self) -> None:
        copy_for_a_while(self.address, self.clear_after_ms)
        self.copied.setText(f"Copied. The clipboard is cleared in {self.clear_after_ms // 1000} s.")


_pending: dict[str, QTimer] = {}


def copy_for_a_while(text: str, ms: int = CLEAR_AFTER_MS) -> QTimer:
    """Put `text` on the clipboard and clear it after `ms` if it still holds `text` (never wiping something
    copied since). The timer belongs to the application, so closing the dialog does not cancel it."""
    QApplication.clipboard().setText(text)
    timer = _pending.pop("clipboard", None)
    if timer is not None:
        timer.stop()
        timer.deleteLater()
    timer = QTimer(QApplication.instance())
    timer.setSingleShot(True)
    timer.timeout.connect(lambda: _clear_if(text, timer))
    timer.start(ms)
    _pending["clipboard"] = timer
    return timer


def _clear_if(text: str, timer: QTimer) -> None:
    clipboard = QApplication.clipboard()
    if clipboard.text() == text:
        clipboard.clear()
    if _pending.get("clipboard") is timer:
        del _pending["clipboard"]
    timer.deleteLater()
