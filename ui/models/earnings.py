"""DailyEarningsModel: the per-day earnings behind the chart, as a table (one column per denom)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QObject

from app.denoms import DenomBook
from app.earnings_math import DayEarning
from ui.models.rows import RIGHT, Column, RowsModel


class DailyEarningsModel(RowsModel[DayEarning]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.denoms = DenomBook()
        self.columns = (Column("Day (UTC)", lambda d: d.day),)

    def set_days(self, days: tuple[DayEarning, ...], denoms: DenomBook) -> None:
        self.beginResetModel()
        self.denoms = denoms
        names = sorted({k for d in days for k in d.amounts})
        columns = [Column("Day (UTC)", lambda d: d.day),
                   Column("Blocks", lambda d: f"{max(0, d.end_height - d.start_height):,}",
                          key=lambda d: d.end_height - d.start_height, align=RIGHT)]
        for denom in names:
            columns.append(Column(denoms.symbol(denom), lambda d, denom=denom: self._amount(d, denom),
                                  key=lambda d, denom=denom: d.amounts.get(denom, Decimal(0)), align=RIGHT))
        self.columns = tuple(columns)
        self._rows = list(days)
        self.endResetModel()

    def _amount(self, day: DayEarning, denom: str) -> str:
        value = day.amounts.get(denom, Decimal(0))
        return self.denoms.format(int(value), denom, places=4) if value else "—"
