"""HistoryModel: the account's transactions in sentences, loaded lazily (canFetchMore/fetchMore asks the tab)."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Signal

from app.denoms import DenomBook
from app.history import HistoryEntry
from ui.models.rows import BAD, GOOD, RIGHT, Column, RowsModel

Index = QModelIndex | QPersistentModelIndex


def amounts_text(amounts: Mapping[str, int], book: DenomBook, signed: bool = True) -> str:
    parts = []
    for denom, amount in sorted(amounts.items()):
        sign = ("+" if amount > 0 else "−") if signed else ""
        parts.append(f"{sign}{book.format(abs(amount), denom)}")
    return ", ".join(parts)


def when(entry: HistoryEntry) -> str:
    return entry.time.astimezone().strftime("%Y-%m-%d %H:%M") if entry.time else f"block {entry.height:,}"


class HistoryModel(RowsModel[HistoryEntry]):
    """`fetch_requested` fires when the view scrolls to the end and more entries can be loaded."""

    fetch_requested = Signal()

    def __init__(self, parent: QObject | None = None, denoms: DenomBook | None = None) -> None:
        super().__init__(parent)
        self.denoms = denoms or DenomBook()
        self.exhausted = True  # nothing to fetch until the tab starts a loader
        self.loading = False
        book = lambda: self.denoms  # noqa: E731 - the book changes with the network's metadata
        self.columns = (
            Column("Time", when, key=lambda e: (e.height, e.txhash), tip=lambda e: f"Block {e.height:,}"),
            Column("What happened", lambda e: e.summary, tip=lambda e: "\n".join(e.sentences)
                   + (f"\nMemo: {e.memo}" if e.memo else "") + (f"\n{e.error}" if e.error else "")),
            Column("Change", lambda e: amounts_text(e.change, book()), align=RIGHT,
                   key=lambda e: sum(e.change.values()),
                   tip=lambda e: amounts_text(e.change, book()).replace(", ", "\n"),  # whole when the cell elides
                   color=lambda e: GOOD if any(a > 0 for a in e.change.values()) else None,
                   header_tip="The net effect on this account, fee included"),
            Column("Fee", lambda e: amounts_text(e.fee, book(), signed=False), align=RIGHT,
                   key=lambda e: sum(e.fee.values())),
            Column("Status", lambda e: "Confirmed" if e.ok else f"Failed (code {e.code})",
                   color=lambda e: None if e.ok else BAD, tip=lambda e: e.txhash),
        )

    def prepend_rows(self, rows) -> None:
        """Newer transactions on top (the older pages stay loaded)."""
        if not rows:
            return
        self.beginInsertRows(QModelIndex(), 0, len(rows) - 1)
        self._rows[0:0] = list(rows)
        self.endInsertRows()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802 - Qt API
        return not parent.isValid() and not self.exhausted and not self.loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802 - Qt API
        if self.canFetchMore(parent):
            self.fetch_requested.emit()
