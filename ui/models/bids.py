"""BidsModel: the bids of one deployment (app.market.compare.BidRow) as a table, synced in place on each poll.

A poll replaces the rows by key (provider, gseq, oseq, bseq): changed rows emit dataChanged, gone rows are
removed and new ones appended, so selections and scroll positions survive a refresh. Cells are formatted
on demand (only visible cells are asked for). BidProxy filters one order (group) with app.market's
BidFilters and sorts on the real values (Decimal prices), not on the text.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from app.market.compare import BidFilters, BidRow, OrderKey
from app.sdl.cost import format_amount as money

_Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole.value + 1  # the BidRow of a cell
BIG = Decimal("1e30")
NO_FILTERS = BidFilters()
ORDER_COLUMN = -1  # not a column: the cache slot of the rows' (gseq, oseq)

_DISPLAY, _TOOLTIP, _FOREGROUND, _ALIGN, _ACCESSIBLE = (r.value for r in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.AccessibleTextRole))
_ROLES = frozenset({_DISPLAY, _TOOLTIP, _FOREGROUND, _ALIGN, _ACCESSIBLE, ROW_ROLE})
_RIGHT = (Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value
_RED, _GOLD = QBrush(QColor("#c0392b")), QBrush(QColor("#d4a017"))

FAV, PROVIDER, REGION, HOUR, MONTH, AUDITED, GPU, ONLINE, HISTORY, LEFT = range(10)
COLUMNS = ("★", "Provider", "Region", "Per hour", "Per month", "Audited", "GPU", "Online", "Our history", "Closes in")
TOOLTIPS = (
    "Favourite providers (click to star or unstar)",
    "The provider's organization (or gateway host) and address",
    "Where the provider says it is (its region attribute)",
    "Price per hour in ACT (= USD); AKT bids at the oracle price",
    "Price per month (30.437 days) in ACT (= USD)",
    "Whether an auditor signed the provider's attributes",
    "GPU models the provider offers",
    "Whether the provider's gateway answers now",
    "Your own leases with this provider (from this computer's records)",
    "Time until the provider withdraws this bid (5 minutes after placing it)",
)


def bid_key(row: BidRow) -> tuple[str, int, int, int]:
    i = row.bid.id
    return (i.provider, i.gseq, i.oseq, i.bseq)


def countdown(seconds: Decimal | float | int) -> str:
    s = max(0, int(seconds))
    return f"{s // 60}:{s % 60:02d}"


class BidsModel(QAbstractTableModel):
    """Rows of BidRow; `taken_at` (time.time() of the snapshot) makes the countdown tick between polls.

    `synced()` after each sync or tick: views repaint (the countdown is computed when painted).
    """

    synced = Signal()

    def __init__(self, parent=None, *, clock: Callable[[], float] = time.time) -> None:
        super().__init__(parent)
        self._rows: list[BidRow] = []
        self._index: dict[tuple, int] = {}
        self.favourites: set[str] = set()
        self.taken_at = clock()
        self._clock = clock
        self._keys: dict[int, list[tuple]] = {}
        self._texts: dict[int, list[str]] = {}  # cell texts per row index, until the next change

    # -- Qt model ----------------------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

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
        # Called for every visible cell and role on each repaint: int roles, cached texts, early exits.
        role = getattr(role, "value", role)
        if role not in _ROLES or not index.isValid():
            return None
        r, col = index.row(), index.column()
        if not 0 <= r < len(self._rows):
            return None
        row = self._rows[r]
        if role == _DISPLAY:
            if col == LEFT:
                return countdown(self.seconds_left(row)) if row.open else row.bid.state.value
            texts = self._texts.get(r)
            if texts is None:
                texts = self._texts[r] = [self._text(row, c) for c in range(len(COLUMNS))]
            return texts[col]
        if role == _FOREGROUND:
            if col == ONLINE and row.online is False or col == LEFT and self.seconds_left(row) < 60:
                return _RED
            if col == FAV and row.provider in self.favourites:
                return _GOLD
            return None
        if role == _ALIGN:
            return _RIGHT if col in (HOUR, MONTH, LEFT) else None
        if role == _TOOLTIP:
            return self._tooltip(row, col)
        if role == ROW_ROLE:
            return row
        if role == _ACCESSIBLE:
            return self._text(row, col) if col != FAV else ("favourite" if row.provider in self.favourites else "")
        return None

    def _text(self, row: BidRow, col: int) -> str:
        if col == FAV:
            return "★" if row.provider in self.favourites else "☆"
        if col == PROVIDER:
            return row.card.name
        if col == REGION:
            return ", ".join(x for x in (row.card.region, row.card.country) if x) or "—"
        if col == HOUR:
            return _price(row.usd_per_hour, 4)
        if col == MONTH:
            return _price(row.usd_per_month, 2)
        if col == AUDITED:
            return "Yes" if row.audited else "No"
        if col == GPU:
            return ", ".join(m.split("/", 1)[-1] for m in row.card.gpu_models) or ("—" if row.gpu_requested else "")
        if col == ONLINE:
            return "checking…" if row.online is None else ("online" if row.online else "offline")
        if col == HISTORY:
            return row.history.summary() if row.history else "never used"
        if col == LEFT:
            return countdown(self.seconds_left(row)) if row.open else row.bid.state.value
        return ""

    def _tooltip(self, row: BidRow, col: int) -> str:
        if col == PROVIDER:
            return f"{row.card.name}\n{row.card.host_uri or 'no gateway address on chain'}\n{row.provider}"
        if col in (HOUR, MONTH):
            per_block = f"{row.bid.price.amount:f} {row.bid.price.denom} per block"
            return f"{per_block}\n{_price(row.usd_per_hour, 4)} per hour, {_price(row.usd_per_month, 2)} per month"
        if col == AUDITED:
            return ("Audited by " + ", ".join(row.card.auditors)) if row.audited else \
                "No auditor signed this provider's attributes: the quality is not vouched for"
        if col == ONLINE and row.status is not None:
            return row.status.words()
        if col == REGION and row.card.attributes:
            return "\n".join(f"{k}: {v}" for k, v in row.card.attributes[:20])
        return self._text(row, col)

    # -- rows --------------------------------------------------------------------------------------------

    def rows(self) -> list[BidRow]:
        return list(self._rows)

    def row_at(self, row: int) -> BidRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def seconds_left(self, row: BidRow) -> Decimal:
        elapsed = Decimal(str(max(0.0, self._clock() - self.taken_at)))
        return max(Decimal(0), row.seconds_left - elapsed)

    def sync(self, rows: Sequence[BidRow], taken_at: float | None = None) -> None:
        """Make the table show `rows`: update in place, remove the gone ones, append the new ones.

        A row whose shown values did not change (only its age moved on) emits nothing: the countdown is
        computed when painted, so `tick()` only repaints. That keeps a poll of 500 bids cheap for the
        sorting/filtering proxies, which re-sort on every dataChanged.
        """
        self.taken_at = taken_at if taken_at is not None else self._clock()
        # The sort keys follow the rows (removed, changed, appended) instead of being computed again for
        # every row: the proxies sort on them after each step, and a price is Decimal arithmetic.
        self._keys.pop(LEFT, None)  # the countdown's keys move with the clock
        wanted = {bid_key(r): r for r in rows}
        current = [bid_key(r) for r in self._rows]
        gone = [i for i, key in enumerate(current) if key not in wanted]
        for start, end in reversed(_ranges(gone)):
            self.beginRemoveRows(QModelIndex(), start, end)
            del self._rows[start:end + 1]
            del current[start:end + 1]
            for keys in self._keys.values():
                del keys[start:end + 1]
            self._texts.clear()  # texts are cached per row number, which moved
            self.endRemoveRows()
        self._index = {key: i for i, key in enumerate(current)}
        changed = []
        for i, (key, old) in enumerate(zip(current, self._rows, strict=True)):
            new = wanted[key]
            if new is not old:
                if _shown(new) != _shown(old):
                    changed.append(i)
                    self._texts.pop(i, None)
                    for column, keys in self._keys.items():
                        keys[i] = _SORT[column](self, new)
                self._rows[i] = new
        for start, end in _ranges(changed):
            self.dataChanged.emit(self.index(start, 0), self.index(end, len(COLUMNS) - 1))
        fresh = [r for k, r in wanted.items() if k not in self._index]
        if fresh:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(fresh) - 1)
            self._rows.extend(fresh)
            for column, keys in self._keys.items():
                keys.extend(_SORT[column](self, r) for r in fresh)
            self.endInsertRows()
            self._index.update((bid_key(r), start + n) for n, r in enumerate(fresh))
        self.synced.emit()

    def order_summary(self) -> dict[OrderKey, tuple[int, Decimal | None]]:
        """Per order, in one pass: its number of bids, and the seconds until its first open bid closes (None
        when none is open). The group headers show both every second."""
        counts: dict[OrderKey, int] = {}
        soonest: dict[OrderKey, Decimal] = {}
        for row in self._rows:
            key = row.order
            counts[key] = counts.get(key, 0) + 1
            if row.open:
                left = row.seconds_left
                if key not in soonest or left < soonest[key]:
                    soonest[key] = left
        elapsed = Decimal(str(max(0.0, self._clock() - self.taken_at)))
        return {key: (n, max(Decimal(0), soonest[key] - elapsed) if key in soonest else None)
                for key, n in counts.items()}

    def tick(self) -> None:
        """The countdown moved on: repaint (the value is computed from the clock when painted)."""
        self.synced.emit()

    def order_keys(self) -> list[OrderKey]:
        """(gseq, oseq) of each row, cached like the sort keys (the per-group proxies filter on it)."""
        return self.sort_keys(ORDER_COLUMN)

    def sort_keys(self, column: int) -> list[tuple]:
        """The values the proxies sort on, one per row (computed once per sync: prices are Decimal arithmetic)."""
        found = self._keys.get(column)
        if found is None or len(found) != len(self._rows):
            key = _SORT.get(column, _SORT[MONTH])
            found = self._keys[column] = [key(self, r) for r in self._rows]
        return found

    def set_favourites(self, favourites: Iterable[str]) -> None:
        self.favourites = set(favourites)
        self._keys.clear()
        self._texts.clear()
        if self._rows:
            self.dataChanged.emit(self.index(0, FAV), self.index(len(self._rows) - 1, FAV))

    def orders(self) -> list[OrderKey]:
        return sorted({r.order for r in self._rows})

    def regions(self) -> list[str]:
        return sorted({r.card.region for r in self._rows if r.card.region}, key=str.casefold)

    def gpu_models(self) -> list[str]:
        return sorted({m for r in self._rows for m in r.card.gpu_models}, key=str.casefold)


def _shown(row: BidRow) -> tuple:
    """What the table shows of a row, except the countdown (which moves with the clock)."""
    status = None if row.status is None else (row.status.online, row.status.error)
    history = None if row.history is None else row.history.summary()
    return (row.bid.state, row.bid.price, row.card, status, history, row.gpu_requested, row.akt_price_usd,
            row.block_time_s, row.bid.created_at)


def _price(value: Decimal | None, places: int) -> str:
    return "unknown" if value is None else f"{money(value, places)} ACT"


def _ranges(indices: list[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for i in indices:
        if out and out[-1][1] == i - 1:
            out[-1] = (out[-1][0], i)
        else:
            out.append((i, i))
    return out


_SORT = {
    ORDER_COLUMN: lambda m, r: r.order,
    FAV: lambda m, r: (r.provider not in m.favourites, r.usd_per_month or BIG),
    PROVIDER: lambda m, r: (r.card.name.casefold(), r.provider),
    REGION: lambda m, r: (r.card.region.casefold() or "~", r.usd_per_month or BIG),
    HOUR: lambda m, r: (r.usd_per_hour if r.usd_per_hour is not None else BIG, r.provider),
    MONTH: lambda m, r: (r.usd_per_month if r.usd_per_month is not None else BIG, r.provider),
    AUDITED: lambda m, r: (not r.audited, r.usd_per_month or BIG),
    GPU: lambda m, r: (", ".join(r.card.gpu_models).casefold(), r.usd_per_month or BIG),
    ONLINE: lambda m, r: ({True: 0, None: 1, False: 2}[r.online], r.usd_per_month or BIG),
    HISTORY: lambda m, r: (-(r.history.leases if r.history else 0), r.usd_per_month or BIG),
    LEFT: lambda m, r: (m.seconds_left(r), r.provider),
}


class BidProxy(QSortFilterProxyModel):
    """One order's bids that pass the filters, sorted by the real values of the sort column."""

    def __init__(self, source: BidsModel, order: OrderKey | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self.order = order
        self.filters = BidFilters()
        self.setDynamicSortFilter(True)

    def set_filters(self, filters: BidFilters) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9+; invalidateFilter() is deprecated there
            self.beginFilterChange()
            self.filters = filters
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.filters = filters
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:  # noqa: N802 - Qt API
        model: BidsModel = self.sourceModel()  # type: ignore[assignment]
        if self.order is not None and model.order_keys()[source_row] != self.order:
            return False
        if self.filters == NO_FILTERS:
            return True
        row = model.row_at(source_row)
        if row is None:
            return False
        if self.filters.favourites_only and row.favourite != (row.provider in model.favourites):
            row = replace(row, favourite=row.provider in model.favourites)  # a star just clicked counts now
        return self.filters.accepts(row)

    def lessThan(self, left: _Index, right: _Index) -> bool:  # noqa: N802 - Qt API
        keys = self.sourceModel().sort_keys(left.column())  # type: ignore[attr-defined]
        return keys[left.row()] < keys[right.row()]

    def row_at(self, proxy_row: int) -> BidRow | None:
        source = self.mapToSource(self.index(proxy_row, 0))
        return self.sourceModel().row_at(source.row())  # type: ignore[attr-defined]

    def proxy_row_of(self, key: tuple) -> int:
        for r in range(self.rowCount()):
            row = self.row_at(r)
            if row is not None and bid_key(row) == key:
                return r
        return -1
