"""The preflight of a deployment in words: each check (passed or what is missing), warnings, and the ACT mint offer."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QLabel, QPushButton, QStyle, QVBoxLayout, QWidget

CHECK_TITLES = {"sdl": "SDL", "deposit": "Deposit", "act": "ACT for the deposit", "akt": "AKT for the fees"}


class PreflightPanel(QGroupBox):
    """Hidden until a preflight ran. `mint_requested()` when the person accepts the offered mint."""

    mint_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Before signing", parent)
        self.setObjectName("preflightPanel")
        self.report: Any = None
        self.lines = QLabel(self)
        self.lines.setObjectName("preflightChecks")
        self.lines.setWordWrap(True)
        self.mint_text = QLabel(self)
        self.mint_text.setObjectName("mintOffer")
        self.mint_text.setWordWrap(True)
        self.mint = QPushButton("Mint the missing ACT and create", self)
        self.mint.setObjectName("mintAndCreate")
        self.mint.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_ArrowUp))
        self.mint.setToolTip("Burn AKT for ACT (MsgMintACT, one confirmation), wait for the BME to execute it, then "
                             "create the deployment (a second confirmation)")
        layout = QVBoxLayout(self)
        layout.addWidget(self.lines)
        layout.addWidget(self.mint_text)
        layout.addWidget(self.mint)
        self.mint.clicked.connect(self.mint_requested.emit)
        self.clear()

    def clear(self) -> None:
        self.report = None
        self.lines.clear()
        self.mint_text.clear()
        self.mint.hide()
        self.hide()

    def show_report(self, report: Any) -> None:
        """Show a PreflightReport (app.market.preflight)."""
        self.report = report
        rows = []
        for check in report.checks:
            mark = "✔" if check.ok else "✘"
            color = "" if check.ok else " style='color:#c0392b'"
            rows.append(f"<div{color}>{mark} <b>{_esc(CHECK_TITLES.get(check.name, check.name))}</b>: "
                        f"{_esc(check.message)}</div>")
        for warning in report.warnings:
            rows.append(f"<div style='color:#b9770e'>⚠ {_esc(warning)}</div>")
        self.lines.setText("".join(rows))
        mint = report.mint
        if mint is not None:
            self.mint_text.setText(mint.words())
        else:
            self.mint_text.clear()
        self.mint.setVisible(bool(report.only_act_missing))
        self.setVisible(True)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
