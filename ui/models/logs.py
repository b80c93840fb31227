"""LogModel: a capped, filterable table of log lines / events that takes new lines in batches (100k stay fast).

Rows are kept in a list with an absolute sequence number; the oldest rows are dropped in chunks past the
cap (one removal per chunk, not per line). A filter (services and/or text) keeps a list of the matching
sequence numbers, so a filtered view is as lazy as the full one.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

DEFAULT_CAP = 100_000
TRIM_FRACTION = 10  # past the cap, drop cap/TRIM_FRACTION oldest rows at once

LINE, NOTICE, WARNING = "line", "notice", "warning"
_Index = QModelIndex | QPersistentModelIndex
_DISPLAY, _TOOLTIP, _FOREGROUND = (Qt.ItemDataRole.DisplayRole.value, Qt.ItemDataRole.ToolTipRole.value,
                                   Qt.ItemDataRole.ForegroundRole.value)
_ROLES = frozenset({_DISPLAY, _TOOLTIP, _FOREGROUND})
_RED, _GREY = QBrush(QColor("#c0392b")), QBrush(QColor("#7f8c8d"))


@dataclass(frozen=True, slots=True)
class LogRow:
    """One shown line: when (text), where from (service or object), the text, and its kind."""

    time: str
    source: str
    text: str
    kind: str = LINE

    def as_text(self) -> str:
        source = f" [{self.source}]" if self.source else ""
        return f"{self.time}{source} {self.text}"


class LogModel(QAbstractTableModel):
    """`sources_changed()` when a new service/source appears (for the per-service filter)."""

    sources_changed = Signal()
    COLUMNS: Sequence[str] = ("Time", "Service", "Message")

    def __init__(self, parent=None, *, cap: int = DEFAULT_CAP, columns: Sequence[str] | None = None) -> None:
        super().__init__(parent)
        if cap < 10:
            raise ValueError("the cap must be at least 10 lines")
        self.cap = cap
        self.columns = tuple(columns or self.COLUMNS)
        self._rows: list[LogRow] = []
        self._base = 0  # sequence number of _rows[0]
        self._visible: list[int] | None = None  # matching sequence numbers when a filter is set
        self._sources: set[str] = set()
        self._services: frozenset[str] | None = None
        self._needle = ""
        self.dropped = 0  # rows removed by the cap since the last clear

    # -- Qt model ----------------------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        if parent.isValid():
            return 0
        return len(self._rows) if self._visible is None else len(self._visible)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            return self.columns[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        # Asked for every visible cell and role on each repaint: int roles and early exits keep it cheap.
        role = getattr(role, "value", role)
        if role not in _ROLES or not index.isValid():
            return None
        row = self.row(index.row())
        if row is None:
            return None
        col = index.column()
        if role == _DISPLAY:
            return (row.time, row.source, row.text)[col] if col < 3 else None
        if role == _FOREGROUND:
            return None if row.kind == LINE else (_RED if row.kind == WARNING else _GREY)
        return row.text if col == 2 else None  # tooltip: the whole message

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # -- rows --------------------------------------------------------------------------------------------

    def row(self, visible_row: int) -> LogRow | None:
        """The LogRow shown at a view row."""
        if visible_row < 0:
            return None
        if self._visible is None:
            return self._rows[visible_row] if visible_row < len(self._rows) else None
        if visible_row >= len(self._visible):
            return None
        return self._rows[self._visible[visible_row] - self._base]

    def shown_rows(self) -> list[LogRow]:
        return [self.row(i) for i in range(self.rowCount())]  # type: ignore[misc]

    def all_rows(self) -> list[LogRow]:
        return list(self._rows)

    @property
    def total(self) -> int:
        return len(self._rows)

    @property
    def sources(self) -> list[str]:
        return sorted(self._sources)

    def append(self, rows: Iterable[LogRow]) -> int:
        """Add a batch at the end (one insert for the whole batch); returns how many became visible."""
        batch = list(rows)
        if not batch:
            return 0
        if len(batch) > self.cap:  # only the newest `cap` can stay anyway
            self.dropped += len(batch) - self.cap
            batch = batch[-self.cap:]
        self._trim(len(self._rows) + len(batch) - self.cap)
        new_sources = {r.source for r in batch if r.source} - self._sources
        first_seq = self._base + len(self._rows)
        if self._visible is None:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(batch) - 1)
            self._rows.extend(batch)
            self.endInsertRows()
            shown = len(batch)
        else:
            self._rows.extend(batch)
            matching = [first_seq + i for i, r in enumerate(batch) if self._matches(r)]
            shown = len(matching)
            if matching:
                start = len(self._visible)
                self.beginInsertRows(QModelIndex(), start, start + shown - 1)
                self._visible.extend(matching)
                self.endInsertRows()
        if new_sources:
            self._sources |= new_sources
            self.sources_changed.emit()
        return shown

    def _trim(self, excess: int) -> None:
        """Drop the oldest rows so `excess` new ones fit; drops a whole chunk to keep removals rare."""
        if excess <= 0:
            return
        count = min(len(self._rows), max(excess, self.cap // TRIM_FRACTION))
        new_base = self._base + count
        if self._visible is None:
            self.beginRemoveRows(QModelIndex(), 0, count - 1)
            del self._rows[:count]
            self._base = new_base
            self.endRemoveRows()
        else:
            gone = bisect_left(self._visible, new_base)
            if gone:
                self.beginRemoveRows(QModelIndex(), 0, gone - 1)
                del self._visible[:gone]
            del self._rows[:count]
            self._base = new_base
            if gone:
                self.endRemoveRows()
        self.dropped += count

    def clear(self) -> None:
        self.beginResetModel()
        self._rows.clear()
        self._base = 0
        self._visible = None if self._visible is None else []
        self._sources.clear()
        self.dropped = 0
        self.endResetModel()
        self.sources_changed.emit()

    # -- filter ------------------------------------------------------------------------------------------

    def set_filter(self, services: Iterable[str] | None = None, text: str = "") -> None:
        """Show only rows of `services` (None = all) whose text contains `text` (case-insensitive)."""
        self._services = frozenset(services) if services is not None else None
        self._needle = text.casefold()
        self.beginResetModel()
        if self._services is None and not self._needle:
            self._visible = None
        else:
            self._visible = [self._base + i for i, r in enumerate(self._rows) if self._matches(r)]
        self.endResetModel()

    @property
    def filtered(self) -> bool:
        return self._visible is not None

    def _matches(self, row: LogRow) -> bool:
        if self._services is not None and row.source not in self._services and row.kind == LINE:
            return False  # notices (reconnecting...) stay visible whatever the service filter
        return not self._needle or self._needle in row.text.casefold() or self._needle in row.source.casefold()

    def find(self, text: str, start: int, *, backwards: bool = False) -> int:
        """The next view row (wrapping) at or after `start` whose text contains `text`; -1 if none."""
        needle = text.casefold()
        n = self.rowCount()
        if not needle or n == 0:
            return -1
        step = -1 if backwards else 1
        for k in range(n):
            i = (start + step * k) % n
            row = self.row(i)
            if row is not None and (needle in row.text.casefold() or needle in row.source.casefold()):
                return i
        return -1
