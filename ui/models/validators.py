"""ValidatorsModel: rank, moniker, status, commission, voting power, uptime and the account's own stake."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from PySide6.QtCore import QObject

from app.config import DENOM_AKT
from app.staking import ACTIVE, JAILED, ValidatorRow
from app.units import format_amount
from ui.models.rows import BAD, RIGHT, WARN, Column, RowsModel

STATUS_WORDS = {ACTIVE: "Active", "inactive": "Inactive", JAILED: "Jailed"}


def pct(value: Decimal | None, places: str = "0.01") -> str:
    return "—" if value is None else f"{(value * 100).quantize(Decimal(places))} %"


def akt(uakt: int | Decimal) -> str:
    return format_amount(int(uakt), DENOM_AKT)


class ValidatorsModel(RowsModel[ValidatorRow]):
    """`mine` maps operator address -> uakt the account has staked there (set by the tab)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.mine: Mapping[str, int] = {}
        self.columns = (
            Column("#", lambda v: str(v.rank) if v.rank else "—", key=lambda v: v.rank or 10_000, align=RIGHT,
                   header_tip="Rank by voting power in the active set"),
            Column("Validator", lambda v: v.moniker, key=lambda v: v.moniker.casefold(),
                   tip=lambda v: "\n".join(x for x in (v.operator, v.website, v.details) if x)),
            Column("Status", lambda v: STATUS_WORDS.get(v.status, v.status),
                   tip=lambda v: "" if v.status == ACTIVE else "Earns no rewards: not in the active set",
                   color=lambda v: BAD if v.status == JAILED else WARN if v.status != ACTIVE else None),
            Column("Commission", lambda v: pct(v.commission), key=lambda v: v.commission, align=RIGHT,
                   header_tip="The share of rewards the validator keeps"),
            Column("Voting power", lambda v: f"{akt(v.tokens)}  ({pct(v.power_share)})", key=lambda v: v.tokens,
                   align=RIGHT),
            Column("Uptime", lambda v: pct(v.uptime), key=lambda v: v.uptime if v.uptime is not None else Decimal(-1),
                   align=RIGHT, tip=lambda v: v.uptime_note or "Blocks signed in the chain's slashing window",
                   color=lambda v: BAD if v.uptime is not None and v.uptime < Decimal("0.95") else None),
            Column("My stake", lambda v: akt(self.mine[v.operator]) if self.mine.get(v.operator) else "",
                   key=lambda v: self.mine.get(v.operator, 0), align=RIGHT),
        )

    def set_mine(self, mine: Mapping[str, int]) -> None:
        self.mine = dict(mine)
        if self.rowCount():
            last = len(self.columns) - 1
            self.dataChanged.emit(self.index(0, last), self.index(self.rowCount() - 1, last))
