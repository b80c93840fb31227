"""AmountInput: an amount field with a MAX button (send, stake, mint/burn); the dialog says what MAX is."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget

from app.units import from_base, plain_decimal


def amount_text(base: int, exponent: int = 6) -> str:
    """A base amount as the plain display text a person would type: 12500000, 6 -> '12.5'."""
    return plain_decimal(from_base(base, exponent))


class AmountInput(QWidget):
    """`edit` holds the typed amount (display units); `max_button` is wired by the dialog to its own MAX."""

    def __init__(self, name: str, max_tip: str, parent: QWidget | None = None, placeholder: str = "") -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setObjectName(name)
        self.edit.setPlaceholderText(placeholder)
        self.max_button = QPushButton("MAX", self)
        self.max_button.setObjectName("maxButton")
        self.max_button.setToolTip(max_tip)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.max_button)
        self.setFocusProxy(self.edit)

    def text(self) -> str:
        return self.edit.text().strip()

    def fill(self, base: int, exponent: int = 6) -> None:
        """Show a base amount (what MAX found) in display units."""
        self.edit.setText(amount_text(base, exponent))
