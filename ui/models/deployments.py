"""DeploymentsModel: the account's deployments (app.market.overview.DeploymentLine), synced in place by DSEQ."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QColor

from app.sdl.cost import format_amount as money
from ui.models.rows import RIGHT, ROW_ROLE, Column, RowsModel

LINE_ROLE = ROW_ROLE  # the DeploymentLine behind a cell
LOW_RUNWAY_S = Decimal(24 * 3600)  # below a day of funds, the row is highlighted
MICRO = Decimal(1_000_000)
LOW = QColor("#c0392b")  # escrow and runway of a deployment about to run out
INACTIVE = QColor("#7f8c8d")  # a deployment that is not active (closed, creating, missing)

NAME, DSEQ, STATUS, COST, ESCROW, RUNWAY = range(6)


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


def _runway_key(line: Any) -> Decimal | None:
    """Seconds of funds left (out of funds first); unknown and not spending sort last."""
    rw = line.runway
    if rw is None or rw.blocks_left is None:
        return None
    return Decimal(-1) if rw.overdrawn else rw.seconds_left


def _leases_tip(line: Any) -> str | None:
    return "\n".join(f"Group {le.gseq}: {le.provider_name} — {le.state_text}"
                     + (f" ({le.close_reason})" if le.close_reason else "") for le in line.leases) or None


def _inactive(line: Any) -> QColor | None:
    return INACTIVE if line.state != "active" else None


def _low_or_inactive(line: Any) -> QColor | None:
    return LOW if is_low(line) else _inactive(line)


def _escrow_text(line: Any) -> str:
    return f"{money(line.escrow_uact / MICRO, 4)} ACT" if line.escrow_uact is not None else "—"


def _cost_text(line: Any) -> str:
    return f"{money(line.act_per_month)} ACT" if line.act_per_month is not None else "—"


def _name_text(line: Any) -> str:
    return line.name or "(no name)"


def _dseq_text(line: Any) -> str:
    return str(line.dseq)


COLUMNS: tuple[Column[Any], ...] = (
    Column("Name", _name_text, tip=_name_text, color=_inactive,
           header_tip="The name you gave it (kept on this computer)"),
    Column("DSEQ", _dseq_text, key=lambda line: line.dseq, tip=_dseq_text, align=RIGHT, color=_inactive,
           header_tip="The deployment sequence number: its id on chain"),
    Column("Status", lambda line: line.state_text, tip=_leases_tip, color=_inactive,
           header_tip="State of the deployment and why it closed"),
    Column("Cost / month", _cost_text, key=lambda line: line.act_per_month, tip=_cost_text, align=RIGHT,
           color=_inactive, header_tip="What its active leases cost per month, in ACT (= USD)"),
    Column("Escrow", _escrow_text, key=lambda line: line.escrow_uact, tip=_escrow_text, align=RIGHT,
           color=_low_or_inactive, header_tip="ACT left in the deployment's escrow (before the next settlement)"),
    Column("Runway", runway_text, key=_runway_key,
           tip=lambda line: line.runway.words() if line.runway is not None else runway_text(line),
           color=_low_or_inactive, bold=is_low, header_tip="How long the escrow lasts at the current lease prices"),
)


class DeploymentsModel(RowsModel[Any]):
    """Rows of DeploymentLine, newest first as given; a low runway is shown in red and bold."""

    columns = COLUMNS

    def line_at(self, row: int) -> Any | None:
        return self.row_at(row)

    def row_of(self, dseq: int) -> int:
        return next((i for i, line in enumerate(self._rows) if line.dseq == dseq), -1)

    def sync(self, lines: Sequence[Any]) -> None:
        """Show `lines` in their order (or the model's sort), keeping rows (and selections) of the same DSEQ."""
        lines = self._sorted(list(lines))
        wanted = [line.dseq for line in lines]
        if [line.dseq for line in self._rows] != wanted:
            keep = set(wanted)
            for i in range(len(self._rows) - 1, -1, -1):
                if self._rows[i].dseq not in keep:
                    self.beginRemoveRows(QModelIndex(), i, i)
                    del self._rows[i]
                    self.endRemoveRows()
            have = {line.dseq for line in self._rows}
            for pos, line in enumerate(lines):  # insert the new ones where they belong
                if line.dseq not in have:
                    at = min(pos, len(self._rows))
                    self.beginInsertRows(QModelIndex(), at, at)
                    self._rows.insert(at, line)
                    self.endInsertRows()
            if [line.dseq for line in self._rows] != wanted:  # the order itself changed (rare): start over
                self.beginResetModel()
                self._rows = list(lines)
                self.endResetModel()
        by_dseq = {line.dseq: line for line in lines}
        for i, old in enumerate(self._rows):
            new = by_dseq[old.dseq]
            if new is not old:
                self._rows[i] = new
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self.columns) - 1))
