"""The bids of one deployment as one table per order (group), filled from snapshots in chunks so nothing freezes."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from app.market.compare import BidFilters, BidRow, OrderKey
from ui.models.bids import BidsModel, bid_key
from ui.widgets.bid_group import BidGroupBox

SYNC_CHUNK = 50  # new bids added to the tables per step
STEP_MS = 16  # between two steps: a frame, so the window paints and other work runs in between (a 0 ms timer
# chains the steps in one event-loop pass on some platforms, and the window froze for 80-100 ms)


def explanation_html(explanations: list[Any]) -> str:
    """why-no-bids verdicts (app.market.whynobids.NoBidsExplanation) as a short HTML list."""
    if not explanations:
        return "<i>This group has bids now.</i>"
    parts = []
    for expl in explanations:
        rows = "".join(f"<li><b>{_esc(v.name)}</b>: {_esc(v.words())}</li>" for v in expl.verdicts[:30])
        more = f"<li>… and {len(expl.verdicts) - 30} more</li>" if len(expl.verdicts) > 30 else ""
        parts.append(f"<p>{_esc(expl.summary())}</p><ul>{rows}{more}</ul>")
    return "".join(parts)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class BidGroups(QScrollArea):
    """`synced(snapshot, rows)` once a snapshot is fully shown; the groups' own signals are forwarded."""

    synced = Signal(object, object)
    group_added = Signal(object)  # BidGroupBox
    why_requested = Signal(object)
    favourite_toggled = Signal(str)
    accept_requested = Signal()
    selection_changed = Signal()

    def __init__(self, model: BidsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.groups: dict[OrderKey, BidGroupBox] = {}
        self.filters = BidFilters()
        self._pending: tuple[Any, list[BidRow]] | None = None
        self._stepper = QTimer(self)  # the next chunk of a snapshot with many new bids
        self._stepper.setSingleShot(True)
        self._stepper.timeout.connect(self._step)
        self.setWidgetResizable(True)
        self.body = QWidget(self)
        self.column = QVBoxLayout(self.body)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.placeholder = QLabel("Create a deployment in the Deploy tab, or choose one above, to see its bids.",
                                  self.body)
        self.placeholder.setObjectName("bidsPlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.column.addWidget(self.placeholder, 1)
        self.setWidget(self.body)

    def show_snapshot(self, snap: Any, rows: list[BidRow]) -> None:
        """A group per order (made before the rows: the proxies fill as they come), then the rows in place.

        Many new bids at once go in chunks of SYNC_CHUNK, STEP_MS apart, so the window keeps painting; a
        newer snapshot replaces what is still waiting.
        """
        orders = {(o.id.gseq, o.id.oseq): o for o in snap.orders}
        added = False
        for key in sorted(set(orders) | {r.order for r in rows}):
            group = self.groups.get(key)
            if group is None:
                group, added = self._add(key), True
            group.set_order(orders.get(key))
        self._pending = (snap, rows)
        if self._stepper.isActive():
            return  # the chunks under way take this newer snapshot
        if added and len(rows) > SYNC_CHUNK:
            self._stepper.start(STEP_MS)  # the new tables are laid out and painted first, then filled in chunks
        else:
            self._step()

    def _step(self) -> None:
        if self._pending is None:
            return
        snap, rows = self._pending
        known = {bid_key(r) for r in self.model.rows()}
        fresh = [r for r in rows if bid_key(r) not in known]
        if len(fresh) > SYNC_CHUNK:
            allowed = {bid_key(r) for r in fresh[:SYNC_CHUNK]}
            self.model.sync([r for r in rows if bid_key(r) in known or bid_key(r) in allowed], snap.taken_at)
            self._stepper.start(STEP_MS)
            return
        self._pending = None
        self.model.sync(rows, snap.taken_at)
        self.synced.emit(snap, rows)

    def _add(self, key: OrderKey) -> BidGroupBox:
        self.placeholder.hide()
        group = BidGroupBox(self.model, key, self.body)
        group.proxy.set_filters(self.filters)
        group.why_requested.connect(self.why_requested.emit)
        group.favourite_toggled.connect(self.favourite_toggled.emit)
        group.accept_requested.connect(self.accept_requested.emit)
        group.table.selectionModel().selectionChanged.connect(lambda *_: self.selection_changed.emit())
        self.column.insertWidget(self.column.count() - 1, group, 1)  # the groups share the height
        self.groups[key] = group
        self.group_added.emit(group)
        return group

    def clear(self) -> None:
        self._pending = None
        self._stepper.stop()
        self.model.sync([])
        for group in self.groups.values():
            group.hide()
            group.deleteLater()
        self.groups.clear()
        self.placeholder.show()

    def set_filters(self, filters: BidFilters) -> None:
        self.filters = filters
        summary = self.model.order_summary()
        for group in self.groups.values():
            group.proxy.set_filters(filters)
            group.refresh_header(summary)

    def select_rows(self, rows: dict[OrderKey, BidRow]) -> None:
        for key, row in rows.items():
            if key in self.groups:
                self.groups[key].select(row)
