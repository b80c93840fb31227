"""Add funds to a deployment's escrow: an ACT amount, quick picks by days of runway, the runway it gives."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.config import DENOM_ACT
from app.units import AmountError, format_amount, to_base
from ui.dialogs.awaited import accepted

MICRO = Decimal(1_000_000)
QUICK_DAYS = (1, 7, 30)


async def ask_funds(line: Any, parent: QWidget | None = None) -> int | None:
    """Open the dialog without a nested event loop; the uact to add once accepted, None when cancelled."""
    dialog = AddFundsDialog(line, parent)
    return dialog.amount_uact() if await accepted(dialog) else None  # read before its deferred delete runs


class AddFundsDialog(QDialog):
    """`amount_uact()` once accepted. `line` is the app.market.overview.DeploymentLine."""

    def __init__(self, line: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("addFundsDialog")
        self.setWindowTitle(f"Add funds to deployment {line.dseq}")
        self.line = line
        runway = line.runway
        self.per_hour_uact = runway.cost_per_hour_uact if runway is not None and runway.blocks_left is not None else None
        layout = QVBoxLayout(self)
        intro = QLabel(f"<b>{_esc(line.name or 'Deployment')}</b> ({line.dseq})", self)
        layout.addWidget(intro)
        form = QFormLayout()
        escrow = format_amount(int(line.escrow_uact), DENOM_ACT) if line.escrow_uact is not None else "unknown"
        form.addRow("In escrow", QLabel(escrow, self))
        form.addRow("Runway now", QLabel(runway.words() if runway is not None else "unknown", self))
        self.amount = QLineEdit(self)
        self.amount.setObjectName("fundsAmount")
        self.amount.setPlaceholderText("ACT to add")
        self.amount.setToolTip("ACT moved from your balance into the deployment's escrow; what is left comes back "
                               "when you close it")
        row = QHBoxLayout()
        row.addWidget(self.amount, 1)
        row.addWidget(QLabel("ACT", self))
        self.quick: list[QPushButton] = []
        for days in QUICK_DAYS:
            button = QPushButton(f"+{days} day{'s' if days > 1 else ''}", self)
            button.setToolTip(f"Enough for {days} more day{'s' if days > 1 else ''} at the current lease prices")
            button.setEnabled(self.per_hour_uact is not None and self.per_hour_uact > 0)
            button.clicked.connect(lambda _c=False, d=days: self.set_days(d))
            row.addWidget(button)
            self.quick.append(button)
        form.addRow("Add", row)
        self.after = QLabel(self)
        self.after.setObjectName("fundsAfter")
        self.after.setWordWrap(True)
        form.addRow("Then", self.after)
        layout.addLayout(form)
        self.error = QLabel(self)
        self.error.setObjectName("errorText")
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = self.buttons.addButton("Add funds…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("addFundsOk")
        self.ok.setToolTip("Next: the confirmation with the fee")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.amount.textChanged.connect(lambda _t: self._update())
        self._update()

    def set_days(self, days: int) -> None:
        if self.per_hour_uact is None:
            return
        uact = int((self.per_hour_uact * 24 * days).to_integral_value(rounding="ROUND_CEILING"))
        self.amount.setText(f"{Decimal(uact) / MICRO:f}".rstrip("0").rstrip("."))

    def amount_uact(self) -> int | None:
        try:
            uact = to_base(self.amount.text())
        except AmountError:
            return None
        return uact if uact > 0 else None

    def _update(self) -> None:
        uact = self.amount_uact()
        self.ok.setEnabled(uact is not None)
        if not self.amount.text().strip():
            self.error.clear()
            self.after.setText("")
            return
        if uact is None:
            self.error.setText("Enter a positive amount of ACT (at most 6 decimals).")
            self.after.clear()
            return
        self.error.clear()
        if self.per_hour_uact:
            hours = Decimal(uact) / self.per_hour_uact
            more = f"{hours:.1f} more hours" if hours < 48 else f"{hours / 24:,.1f} more days"
            self.after.setText(f"{format_amount(uact, DENOM_ACT)} gives about {more} at the current prices.")
        else:
            self.after.setText(f"{format_amount(uact, DENOM_ACT)} will wait in escrow (no lease spends it now).")


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
