"""TallyBar: one stacked bar of the votes (yes / no / veto / abstain) as shares of the bonded voting power,
with a marker at the quorum, so turnout and result read at a glance."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

COLORS = {"yes": QColor("#16a34a"), "no": QColor("#dc2626"), "no_with_veto": QColor("#7f1d1d"),
          "abstain": QColor("#9ca3af")}
LABELS = {"yes": "Yes", "no": "No", "no_with_veto": "No with veto", "abstain": "Abstain"}
ORDER = ("yes", "no", "no_with_veto", "abstain")


@dataclass(frozen=True)
class Tally:
    """Votes in uakt of voting power, the bonded total they are measured against, and the quorum (0-1)."""

    yes: int = 0
    no: int = 0
    abstain: int = 0
    no_with_veto: int = 0
    bonded: int = 0
    quorum: Decimal = Decimal(0)

    @property
    def total(self) -> int:
        return self.yes + self.no + self.abstain + self.no_with_veto

    @property
    def turnout(self) -> Decimal:
        return Decimal(self.total) / Decimal(self.bonded) if self.bonded > 0 else Decimal(0)

    def share(self, option: str) -> Decimal:
        """The option's share of the votes cast (what the result bar labels show)."""
        return Decimal(getattr(self, option)) / Decimal(self.total) if self.total else Decimal(0)


def percent(value: Decimal) -> str:
    return f"{(value * 100).quantize(Decimal('0.01'))} %"


class TallyBar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tallyBar")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.tally = Tally()

    def set_tally(self, tally: Tally) -> None:
        self.tally = tally
        parts = [f"{LABELS[o]}: {percent(tally.share(o))} of votes" for o in ORDER]
        tip = "\n".join(parts)
        if tally.bonded:
            tip += f"\nTurnout: {percent(tally.turnout)} of the bonded AKT (quorum {percent(tally.quorum)})"
        self.setToolTip(tip)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(320, 22)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(120, 18)

    def segments(self, width: float) -> list[tuple[str, float, float]]:
        """(option, x, width) of each painted segment; the whole bar is the bonded power (or the votes if unknown)."""
        t = self.tally
        whole = Decimal(t.bonded if t.bonded >= t.total and t.bonded > 0 else t.total)
        out, x = [], 0.0
        if whole <= 0:
            return out
        for option in ORDER:
            w = float(Decimal(getattr(t, option)) / whole) * width
            if w > 0:
                out.append((option, x, w))
                x += w
        return out

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            rect = QRectF(self.rect()).adjusted(0.5, 3.5, -0.5, -3.5)
            painter.setPen(QPen(self.palette().mid().color()))
            painter.setBrush(self.palette().base())
            painter.drawRect(rect)
            painter.setPen(Qt.PenStyle.NoPen)
            for option, x, w in self.segments(rect.width()):
                painter.setBrush(COLORS[option])
                painter.drawRect(QRectF(rect.left() + x, rect.top(), w, rect.height()))
            if self.tally.bonded and self.tally.quorum > 0:
                qx = rect.left() + float(self.tally.quorum) * rect.width()
                painter.setPen(QPen(self.palette().text().color(), 2, Qt.PenStyle.DashLine))
                painter.drawLine(int(qx), 0, int(qx), self.height())
        finally:
            painter.end()
