"""QrCode: a QR code drawn with QPainter (modules from segno, pure Python), crisp at any size."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

QUIET_ZONE = 4  # modules of white border the QR standard asks for


def qr_matrix(text: str) -> list[list[bool]]:
    """The dark/light modules of `text`'s QR code (error correction M or better), quiet zone included."""
    import segno  # imported late: only the receive dialog needs it

    code = segno.make_qr(text, error="m")
    return [[bool(v) for v in row] for row in code.matrix_iter(scale=1, border=QUIET_ZONE)]


class QrCode(QWidget):
    """Shows the QR code of `text`; always black on white (scanners need the contrast, whatever the theme)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("qrCode")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 160)
        self.matrix: list[list[bool]] = []
        self.text = ""
        self.set_text(text)

    def set_text(self, text: str) -> None:
        self.text = text
        self.matrix = qr_matrix(text) if text else []
        self.setToolTip(f"QR code of {text}" if text else "")
        self.setAccessibleName(f"QR code of {text}" if text else "No QR code")
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(240, 240)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        return width

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        try:
            self.paint(painter, QRectF(self.rect()))
        finally:
            painter.end()

    def paint(self, painter: QPainter, area: QRectF) -> None:
        side = min(area.width(), area.height())
        n = len(self.matrix)
        if n == 0 or side <= 0:
            return
        module = int(side // n) or 1  # whole pixels per module: no blurry seams between modules
        size = module * n
        left = area.left() + (area.width() - size) / 2
        top = area.top() + (area.height() - size) / 2
        painter.fillRect(QRectF(left, top, size, size), QColor("white"))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("black"))
        for y, row in enumerate(self.matrix):
            x = 0
            while x < n:  # one rectangle per run of dark modules
                if row[x]:
                    start = x
                    while x < n and row[x]:
                        x += 1
                    painter.drawRect(QRectF(left + start * module, top + y * module, (x - start) * module, module))
                else:
                    x += 1

    def to_image(self, module_px: int = 8) -> QImage:
        """The code as an image (for saving or tests): `module_px` pixels per module."""
        n = len(self.matrix)
        image = QImage(max(n, 1) * module_px, max(n, 1) * module_px, QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        try:
            self.paint(painter, QRectF(0, 0, image.width(), image.height()))
        finally:
            painter.end()
        return image
