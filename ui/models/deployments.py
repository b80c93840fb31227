"""DeploymentsModel: the account's deployments (app.market.overview.DeploymentLine), synced in place by DSEQ."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.sdl.cost import format_amount as money

_Index = QModelIndex | QPersistentModelIndex
LINE_ROLE = Qt.ItemDataRole.UserRole + 1
LOW_RUNWAY_S = Decimal(24 * 3600)  # below a day of funds, the row is highlighted
MICRO = Decimal(1_000_000)

NAME, DSEQ, STATUS, COST, ESCROW, RUNWAY = range(6)
COLUMNS = ("Name", "DSEQ", "Status", "Cost / month", "Escrow", "Runway")
TOOLTIPS = (
    "The name you gave it (kept on this computer)",
    "The deployment sequence number: its id on chain",
    "State of the deployment and why it closed",
    "What its active leases cost per month, in ACT (= USD)",
    "ACT left in the deployment's escrow (before the next settlement)",
    "How long the escrow lasts at the current lease prices",
)


def runway_text(line: Any) -> str:
    rw = line.runway
    if rw is None:
        return "—"
    if rw.blocks_left is None:
        return "not spending"
    if rw.overdrawn:
        return "out of funds"
    from app.market.runway import human_duration

    return human_duration(rw.seconds_left or 0)


def is_low(line: Any) -> bool:
    rw = line.runway
    if rw is None or rw.blocks_left is None:
        return False
    return rw.overdrawn or (rw.seconds_left or Decimal(0)) < LOW_RUNWAY_S


class DeploymentsModel(QAbstractTableModel):
    """Rows of DeploymentLine, newest first as given; a low runway is shown in red."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._lines: list[Any] = []

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return TOOLTIPS[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        line = self._lines[index.row()]
        col = index.column()
        if role == LINE_ROLE:
            return line
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(line, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == RUNWAY and line.runway is not None:
                return line.runway.words()
            if col == STATUS:
                return "\n".join(f"Group {le.gseq}: {le.provider_name} — {le.state_text}"
                                 + (f" ({le.close_reason})" if le.close_reason else "") for le in line.leases) or None
            return self._text(line, col)
        if role == Qt.ItemDataRole.ForegroundRole and col in (RUNWAY, ESCROW) and is_low(line):
            return QBrush(QColor("#c0392b"))
        if role == Qt.ItemDataRole.ForegroundRole and line.state != "active":
            return QBrush(QColor("#7f8c8d"))
        if role == Qt.ItemDataRole.FontRole and col == RUNWAY and is_low(line):
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (DSEQ, COST, ESCROW):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _text(line: Any, col: int) -> str:
        if col == NAME:
            return line.name or "(no name)"
        if col == DSEQ:
            return str(line.dseq)
        if col == STATUS:
            return line.state_text
        if col == COST:
            return f"{money(line.act_per_month)} ACT" if line.act_per_month is not None else "—"
        if col == ESCROW:
            return f"{money(line.escrow_uact / MICRO, 4)} ACT" if line.escrow_uact is not None else "—"
        if col == RUNWAY:
            return runway_text(line)
        return ""

    # -- rows --------------------------------------------------------------------------------------------

    def lines(self) -> list[Any]:
        return list(self._lines)

    def line_at(self, row: int) -> Any | None:
        return self._lines[row] if 0 <= row < len(self._lines) else None

    def row_of(self, dseq: int) -> int:
        return next((i for i, line in enumerate(self._lines) if line.dseq == dseq), -1)

    def sync(self, lines: Sequence[Any]) -> None:
        """Show `lines` in their order, keeping rows (and selections) of the same DSEQ."""
        wanted = [line.dseq for line in lines]
        if [line.dseq for line in self._lines] != wanted:
            keep = set(wanted)
            for i in range(len(self._lines) - 1, -1, -1):
                if self._lines[i].dseq not in keep:
                    self.beginRemoveRows(QModelIndex(), i, i)
                    del self._lines[i]
                    self.endRemoveRows()
            have = {line.dseq for line in self._lines}
            for pos, line in enumerate(lines):  # insert the new ones where they belong
                if line.dseq not in have:
                    at = min(pos, len(self._lines))
                    self.beginInsertRows(QModelIndex(), at, at)
                    self._lines.insert(at, line)
                    self.endInsertRows()
            if [line.dseq for line in self._lines] != wanted:  # the order itself changed (rare): start over
                self.beginResetModel()
                self._lines = list(lines)
                self.endResetModel()
        by_dseq = {line.dseq: line for line in lines}
        for i, old in enumerate(self._lines):
            new = by_dseq[old.dseq]
            if new is not old:
                self._lines[i] = new
        if self._lines:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._lines) - 1, len(COLUMNS) - 1))
