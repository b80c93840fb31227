"""Defaults for the tables: one line per row, sensible first column widths (the remembered widths of
ui.widgets.columns replace them once the person resizes a column), and a sentence in an empty table."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget


def table_defaults(view: QTableView, widths: Mapping[int, str] | None = None, stretch: int | None = None) -> None:
    """No wrapping, compact rows; `widths` maps a column to a sample text its default width must fit."""
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    metrics = view.fontMetrics()
    for column, sample in (widths or {}).items():
        view.horizontalHeader().resizeSection(column, metrics.horizontalAdvance(sample) + 24)
    if stretch is not None:
        view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


def fit_to_content(dialog: QWidget) -> None:
    """Grow a dialog when its wrapped texts (warnings, quotes) got longer; never shrink what the person sized."""
    layout = dialog.layout()
    if layout is None:
        return
    layout.activate()
    width = max(dialog.width(), dialog.minimumWidth())
    height = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else layout.totalSizeHint().height()
    if height > dialog.height():
        dialog.resize(width, height)


class EmptyText(QObject):
    """Paints a sentence in the middle of an item view while its model has no rows ("No deployments yet…").

    `text` is a string or a function giving it (e.g. a different sentence while loading or after an error).
    """

    def __init__(self, view: QAbstractItemView, text: str | Callable[[], str]) -> None:
        super().__init__(view)
        self.setObjectName("emptyText")
        self.view = view
        self._text = text
        view.viewport().installEventFilter(self)

    def text(self) -> str:
        return self._text() if callable(self._text) else self._text

    def showing(self) -> bool:
        model = self.view.model()
        return model is not None and model.rowCount() == 0 and bool(self.text())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint and self.showing():
            viewport = self.view.viewport()
            painter = QPainter(viewport)
            painter.setPen(viewport.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText))
            area = viewport.rect().adjusted(24, 24, -24, -24)
            painter.drawText(area, int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), self.text())
            painter.end()
        return False

    def update(self) -> None:
        """Repaint (call after the sentence's state changed, e.g. loading finished)."""
        self.view.viewport().update()


def empty_text(view: QAbstractItemView, text: str | Callable[[], str]) -> EmptyText:
    """Show `text` in `view` while it has no rows (see EmptyText)."""
    return EmptyText(view, text)
