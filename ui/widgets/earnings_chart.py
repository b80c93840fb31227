"""EarningsChart: earnings per day as bars, drawn with QPainter (no QtCharts); hover shows the day's figure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

BAR = QColor("#dc2626")  # Akash red
BAR_HOVER = QColor("#991b1b")


def short_amount(value: Decimal) -> str:
    """'1.2k', '35.4', '0.012': a compact axis label (display only; tooltips show the full figure)."""
    v = abs(value)
    if v >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    if v >= 1_000:
        return f"{value / 1_000:.1f}k"
    if v >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}" if v else "0"


class EarningsChart(QWidget):
    """`set_series([(day, amount in display units), ...], unit)`: one bar per day, oldest on the left."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("earningsChart")
        self.setMouseTracking(True)
        self.setMinimumHeight(140)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.points: list[tuple[date, Decimal]] = []
        self.unit = ""
        self.empty_text = "No earnings in this period"
        self._hover = -1

    def set_series(self, points: Sequence[tuple[date, Decimal]], unit: str) -> None:
        self.points = sorted(points, key=lambda p: p[0])
        self.unit = unit
        self._hover = -1
        total = sum((v for _d, v in self.points), Decimal(0))
        self.setAccessibleDescription(f"{len(self.points)} days, {total} {unit} in total")
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(480, 180)

    # -- geometry ------------------------------------------------------------------------------------

    def _plot(self) -> QRectF:
        fm = QFontMetrics(self.font())
        left = fm.horizontalAdvance("000.0k ") + 4
        return QRectF(left, 8, max(self.width() - left - 8, 1), max(self.height() - fm.height() - 16, 1))

    def bar_rects(self) -> list[QRectF]:
        plot = self._plot()
        n = len(self.points)
        if n == 0:
            return []
        top = max((v for _d, v in self.points), default=Decimal(0))
        slot = plot.width() / n
        gap = min(4.0, slot * 0.2)
        out = []
        for _day, value in self.points:
            h = float(value / top) * plot.height() if top > 0 and value > 0 else 0.0
            x = plot.left() + len(out) * slot + gap / 2
            out.append(QRectF(x, plot.bottom() - h, max(slot - gap, 1.0), h))
        return out

    def index_at(self, x: float) -> int:
        plot = self._plot()
        if not self.points or not plot.left() <= x <= plot.right():
            return -1
        return min(int((x - plot.left()) / (plot.width() / len(self.points))), len(self.points) - 1)

    # -- painting and hover --------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        try:
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, painter: QPainter) -> None:
        plot = self._plot()
        text_color = self.palette().text().color()
        grid = self.palette().mid().color()
        if not self.points or all(v <= 0 for _d, v in self.points):
            painter.setPen(text_color)
            painter.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter, self.empty_text)
            return
        top = max(v for _d, v in self.points)
        painter.setPen(QPen(grid, 1, Qt.PenStyle.DotLine))
        for frac in (0.0, 0.5, 1.0):
            y = plot.bottom() - frac * plot.height()
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(text_color)
            label = short_amount(top * Decimal(str(frac)))
            painter.drawText(QRectF(0, y - 8, plot.left() - 4, 16),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
            painter.setPen(QPen(grid, 1, Qt.PenStyle.DotLine))
        painter.setPen(Qt.PenStyle.NoPen)
        for i, rect in enumerate(self.bar_rects()):
            painter.setBrush(BAR_HOVER if i == self._hover else BAR)
            painter.drawRect(rect)
        painter.setPen(text_color)
        fm = QFontMetrics(self.font())
        first, last = self.points[0][0].strftime("%b %d"), self.points[-1][0].strftime("%b %d")
        y = plot.bottom() + 4
        painter.drawText(QRectF(plot.left(), y, plot.width(), fm.height()), Qt.AlignmentFlag.AlignLeft, first)
        painter.drawText(QRectF(plot.left(), y, plot.width(), fm.height()), Qt.AlignmentFlag.AlignRight, last)
        painter.drawText(QRectF(plot.left(), y, plot.width(), fm.height()), Qt.AlignmentFlag.AlignHCenter,
                         f"{self.unit} per day")

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        index = self.index_at(event.position().x())
        if index != self._hover:
            self._hover = index
            self.update()
        if index >= 0:
            day, value = self.points[index]
            QToolTip.showText(event.globalPosition().toPoint(), f"{day:%a %d %b %Y}: {value} {self.unit}", self)
        else:
            QToolTip.hideText()

    def leaveEvent(self, event) -> None:  # noqa: N802 - Qt API
        self._hover = -1
        self.update()
