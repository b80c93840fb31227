"""RowsModel: a read-only QAbstractTableModel over a list of typed rows, one Column spec per column.

The model sorts itself (`sort`: one key call per row, then Python's sort: no Python callback per
comparison, so 1,000 rows sort in a few ms) by each column's key (numbers sort as numbers, never as their
formatted text). SortFilter on top only filters (search) and hands sorting down to the model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont

R = TypeVar("R")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2  # the row object itself
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
WARN = QColor("#b45309")
BAD = QColor("#b91c1c")
GOOD = QColor("#15803d")
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[R]):
    """How one column shows a row: text, sort key (default: the text), tooltip, alignment, colour, bold."""

    title: str
    text: Callable[[R], str]
    key: Callable[[R], Any] | None = None
    tip: Callable[[R], str | None] | None = None
    align: Qt.AlignmentFlag = LEFT
    color: Callable[[R], QColor | None] | None = None
    header_tip: str = ""
    bold: Callable[[R], bool] | None = None


class RowsModel(QAbstractTableModel, Generic[R]):
    """Rows replaced as a whole (`set_rows`) or appended (`append_rows`, for lazily loaded lists)."""

    columns: Sequence[Column[R]] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[R] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # -- data ----------------------------------------------------------------------------------------

    def rows(self) -> list[R]:
        return list(self._rows)

    def row_at(self, row: int) -> R | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = self._sorted(list(rows))
        self.endResetModel()

    def append_rows(self, rows: Sequence[R]) -> None:
        """Add rows at the end (lazily loaded lists are shown in load order, not re-sorted)."""
        if not rows:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    # -- sorting -------------------------------------------------------------------------------------

    def sort_key(self, column: int) -> Callable[[R], Any]:
        col = self.columns[column]
        key = col.key or col.text

        def safe(row: R) -> tuple[int, Any]:
            value = key(row)
            # None last; numbers before text so a mixed column never compares int with str
            return (2, 0) if value is None else (0, value) if isinstance(value, int | float | Decimal) else (1, str(value))

        return safe

    def _sorted(self, rows: list[R]) -> list[R]:
        if self._sort is None or not 0 <= self._sort[0] < len(self.columns):
            return rows
        column, order = self._sort
        return sorted(rows, key=self.sort_key(column), reverse=order == Qt.SortOrder.DescendingOrder)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            self._sort = None
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        before = [(self._rows[i.row()], i.column()) if 0 <= i.row() < len(self._rows) else None for i in persistent]
        self._rows = self._sorted(self._rows)
        position = {id(r): n for n, r in enumerate(self._rows)}
        after = [self.index(position[id(b[0])], b[1]) if b is not None else QModelIndex() for b in before]
        self.changePersistentIndexList(persistent, after)
        self.layoutChanged.emit()

    # -- Qt API --------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)) or not (0 <= index.column() < len(self.columns)):
            return None
        row, column = self._rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == SORT_ROLE:
            return column.key(row) if column.key is not None else column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tip(row) if column.tip is not None else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align.value)
        if role == Qt.ItemDataRole.ForegroundRole and column.color is not None:
            return column.color(row)
        if role == Qt.ItemDataRole.FontRole and column.bold is not None and column.bold(row):
            font = QFont()
            font.setBold(True)
            return font
        if role == ROW_ROLE:
            return row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        if role == Qt.ItemDataRole.ToolTipRole and self.columns[section].header_tip:
            return self.columns[section].header_tip
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class SortFilter(QSortFilterProxyModel):
    """Filters case-insensitively (any column's text, or `search_text(row)`); sorting is the source model's."""

    def __init__(self, source: QAbstractTableModel, parent: QObject | None = None,
                 search_text: Callable[[Any], str] | None = None) -> None:
        super().__init__(parent)
        self.search_text = search_text  # the text a search looks in (default: every column's display text)
        self._needle = ""
        self.setSourceModel(source)
        self.setFilterKeyColumn(-1)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setDynamicSortFilter(True)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if hasattr(source, "sort"):
            source.sort(column, order)  # the proxy keeps the source order (its own sort column stays -1)

    def set_search(self, text: str) -> None:
        self._needle = text.strip().casefold()
        if self.search_text is None:
            self.setFilterFixedString(text.strip())
        elif hasattr(self, "endFilterChange"):  # Qt 6.10+: invalidateFilter() is deprecated
            self.beginFilterChange()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802 - Qt API
        if self.search_text is None or not self._needle:
            return super().filterAcceptsRow(source_row, source_parent)
        row = self.sourceModel().index(source_row, 0, source_parent).data(ROW_ROLE)
        return row is not None and self._needle in self.search_text(row).casefold()


def row_of(index: QModelIndex) -> Any:
    """The row object behind a view index (through any proxy)."""
    return index.data(ROW_ROLE) if index.isValid() else None
