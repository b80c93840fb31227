"""CertificatesModel: the account's mTLS client certificates, local and on chain (app.provider.certstore entries)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

_Index = QModelIndex | QPersistentModelIndex
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Serial", "Status", "On chain", "Key here", "Valid from", "Expires", "What to do")


class CertificatesModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._entries: list[Any] = []

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        if role == ENTRY_ROLE:
            return entry
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(entry, index.column())
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 1:
            return QBrush(QColor("#1e8449" if entry.status.value == "usable" else "#c0392b"))
        return None

    @staticmethod
    def _text(e: Any, col: int) -> str:
        if col == 0:
            return str(e.serial)
        if col == 1:
            return str(e.status.value)
        if col == 2:
            return e.on_chain_state or "not published"
        if col == 3:
            return "yes" if e.local is not None else "no"
        if col == 4:
            return f"{e.not_before:%Y-%m-%d}" if e.not_before else "—"
        if col == 5:
            return f"{e.not_after:%Y-%m-%d}" if e.not_after else "—"
        if col == 6:
            return e.advice
        return ""

    def set_entries(self, entries: Sequence[Any]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def entry_at(self, row: int) -> Any | None:
        return self._entries[row] if 0 <= row < len(self._entries) else None

    def entries(self) -> list[Any]:
        return list(self._entries)
