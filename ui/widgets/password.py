"""A new-password field pair with a live strength hint (app.wallet.strength)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from app.wallet.strength import password_strength


class NewPasswordFields(QWidget):
    """Password + confirmation + 'Strength: Good' hint. `changed` fires on every edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.password = QLineEdit(self)
        self.password.setObjectName("newPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setToolTip("Encrypts the wallet file on this computer. It is not part of the recovery phrase.")
        self.confirm = QLineEdit(self)
        self.confirm.setObjectName("confirmPassword")
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.hint = QLabel(self)
        self.hint.setObjectName("strengthHint")
        self.hint.setWordWrap(True)
        form.addRow("Password", self.password)
        form.addRow("Repeat it", self.confirm)
        form.addRow("", self.hint)
        self.password.textChanged.connect(self._update)
        self.confirm.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        text = self.password.text()
        strength = password_strength(text)
        words = f"Strength: {strength.label}"
        if text and strength.hints:
            words += " — " + " ".join(strength.hints)
        if self.confirm.text() and self.confirm.text() != text:
            words += "\nThe two passwords differ."
        self.hint.setText(words if text else "Choose a password (at least 8 characters; a phrase of several words is best).")
        self.hint.setProperty("level", str(strength.score))
        self.hint.style().unpolish(self.hint)
        self.hint.style().polish(self.hint)
        self.changed.emit()

    def acceptable(self) -> bool:
        text = self.password.text()
        return bool(text) and text == self.confirm.text() and password_strength(text).acceptable

    def clear(self) -> None:
        self.password.clear()
        self.confirm.clear()
