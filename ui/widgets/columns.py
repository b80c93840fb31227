"""Remembered column widths of a table or tree view, kept in the settings under a stable key."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QTreeView

from app.settings import Settings


class ColumnMemory(QObject):
    """Restores the saved widths once the view has columns; records every resize in the settings.

    The settings are written by whoever saves them (the main window does on close).
    """

    def __init__(self, view: QTableView | QTreeView, settings: Settings, key: str) -> None:
        super().__init__(view)
        self.view = view
        self.settings = settings
        self.key = key
        self.header: QHeaderView = view.horizontalHeader() if isinstance(view, QTableView) else view.header()
        self._restoring = False
        self.header.sectionCountChanged.connect(lambda _old, _new: self.restore())
        self.header.sectionResized.connect(lambda *_: self.record())
        self.restore()

    def restore(self) -> None:
        widths = self.settings.window.column_widths.get(self.key)
        count = self.header.count()
        if not widths or count == 0:
            return
        self._restoring = True
        try:
            for i, width in enumerate(widths[:count]):
                if width > 0 and not (self.header.stretchLastSection() and i == count - 1):
                    self.header.resizeSection(i, width)
        finally:
            self._restoring = False

    def record(self) -> None:
        if self._restoring or self.header.count() == 0:
            return
        self.settings.window.column_widths[self.key] = [self.header.sectionSize(i) for i in range(self.header.count())]


def remember_columns(root: QObject, settings: Settings, prefix: str) -> list[ColumnMemory]:
    """Attach a ColumnMemory to every named table/tree view under `root` (key: '<prefix>/<objectName>')."""
    found = []
    for view in root.findChildren(QAbstractItemView):
        if isinstance(view, QTableView | QTreeView) and view.objectName() and not view.property("columnMemory"):
            view.setProperty("columnMemory", True)
            found.append(ColumnMemory(view, settings, f"{prefix}/{view.objectName()}"))
    return found
