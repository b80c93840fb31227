"""The unlock dialog: password in, KDF off the UI thread, a wrong password says so and keeps the dialog."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.session import Session
from ui import ops
from ui.dialogs.awaited import accepted


class UnlockDialog(QDialog):
    """Window-modal; `unlocked` fires (and the dialog accepts) once the session holds the keys."""

    unlocked = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None, reason: str = "") -> None:
        super().__init__(parent)
        self.session = session
        name = session.wallet.name if session.wallet else ""
        self.setWindowTitle("Unlock wallet")
        layout = QVBoxLayout(self)
        from app.wallet.wizard import DEMO_PASSWORD, DEMO_WALLET_NAME

        text = reason or f"Enter the password of wallet “{name}” to sign."
        if name == DEMO_WALLET_NAME:  # a public test-only wallet: its password protects nothing
            text += f" (The demo wallet's password is “{DEMO_PASSWORD}”.)"
        intro = QLabel(text, self)
        intro.setWordWrap(True)
        self.password = QLineEdit(self)
        self.password.setObjectName("unlockPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("Password")
        self.password.textEdited.connect(lambda _t: self.error.hide())
        self.error = QLabel(self)
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Unlock")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        for widget in (intro, self.password, self.error, self.buttons):
            layout.addWidget(widget)
        self.op: ops.Op | None = None

    def submit(self) -> None:
        password = self.password.text()
        if not password:
            self._show_error("Enter the password.")
            return
        self.op = ops.run_op(
            self,
            lambda: self.session.unlock_async(password),
            success=lambda _r: self._done(),
            failure=self._failed,
            progress_label="Unlocking…",
            cancellable=False,
            disable=[self.ok, self.password],
        )

    def _done(self) -> None:
        self.password.clear()
        self.unlocked.emit()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        from ui.errors import user_message

        message = user_message(exc)
        self._show_error(f"{message.title}. {message.hint}" if type(exc).__name__ == "WrongPassword" else message.text)
        self.password.selectAll()
        self.password.setFocus()

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()


async def ask_unlock(parent: QWidget | None, session: Session, reason: str = "") -> bool:
    """Open the unlock dialog without a nested event loop; True once the session holds the keys."""
    if not session.locked:
        return True
    return await accepted(UnlockDialog(session, parent, reason))
