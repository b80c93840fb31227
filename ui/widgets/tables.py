"""Defaults for the holder tabs' tables: one line per row, sensible first column widths (the remembered
widths of ui.widgets.columns replace them once the person resizes a column)."""

from __future__ import annotations

from collections.abc import Mapping

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
