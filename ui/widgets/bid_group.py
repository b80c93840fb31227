"""One order (group) of a deployment on the Bids tab: what it asks, its bids table, countdown, why-no-bids."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, QRect, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.market.compare import BidRow, OrderKey
from ui.models.bids import (
    AUDITED,
    COLUMNS,
    FAV,
    GPU,
    HISTORY,
    HOUR,
    LEFT,
    MONTH,
    ONLINE,
    PROVIDER,
    REGION,
    BidProxy,
    BidsModel,
    bid_key,
    countdown,
)


def spec_summary(spec: Any) -> str:
    """'2 × (1 CPU, 512 Mi, 1 Gi storage, 1 GPU)' for a GroupSpec."""
    parts = []
    for unit in spec.resources:
        r = unit.resources
        bits = [f"{r.cpu_millis / 1000:g} CPU", _size(r.memory_bytes) + " RAM"]
        storage = sum(s.quantity for s in r.storage)
        if storage:
            bits.append(_size(storage) + " storage")
        if r.gpu_units:
            bits.append(f"{r.gpu_units} GPU")
        parts.append(f"{unit.count} × ({', '.join(bits)})")
    return "; ".join(parts)


def _size(n: int) -> str:
    for unit, size in (("Ti", 1024**4), ("Gi", 1024**3), ("Mi", 1024**2)):
        if n >= size:
            return f"{n / size:g} {unit}"
    return f"{n} B"


class BidGroupBox(QGroupBox):
    """`why_requested(order)` asks the tab for the why-no-bids explanation; `favourite_toggled(provider)`."""

    why_requested = Signal(object)
    favourite_toggled = Signal(str)
    accept_requested = Signal()

    def __init__(self, model: BidsModel, order: OrderKey, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.order = order
        self.setObjectName(f"bidGroup_{order[0]}_{order[1]}")
        self.proxy = BidProxy(model, order, self)
        self.header = QLabel(self)
        self.header.setObjectName("bidGroupHeader")
        self.header.setWordWrap(True)
        self.table = QTableView(self)
        self.table.setObjectName("bidTable")  # one name for every group: they share remembered widths
        self.table.setModel(self.proxy)
        self.table.horizontalHeader().setSortIndicator(MONTH, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)  # one sort, cheapest first
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(PROVIDER, QHeaderView.ResizeMode.Stretch)  # the name gets the room
        header.resizeSection(FAV, 28)
        for col, width in ((REGION, 130), (HOUR, 95), (MONTH, 95), (AUDITED, 70), (GPU, 90), (ONLINE, 70),
                           (HISTORY, 110), (LEFT, 80)):
            header.resizeSection(col, width)
        self.table.setMinimumHeight(160)
        self.table.setToolTip("Select the bid to accept for this group (Ctrl+Enter accepts)")
        self.table.clicked.connect(self._clicked)
        model.synced.connect(self._repaint_countdown)
        self.table.doubleClicked.connect(lambda _i: self.accept_requested.emit())
        self.empty = QLabel(self)
        self.empty.setObjectName("noBidsText")
        self.empty.setWordWrap(True)
        self.why = QPushButton("Why no bids?", self)
        self.why.setObjectName("whyNoBids")
        self.why.setToolTip("Check every provider against this group's requirements")
        self.why.clicked.connect(lambda: self.why_requested.emit(self.order))
        self.explanation = QLabel(self)
        self.explanation.setObjectName("whyNoBidsText")
        self.explanation.setWordWrap(True)
        self.explanation.setTextFormat(Qt.TextFormat.RichText)
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        why_row = QHBoxLayout()
        why_row.addWidget(self.empty, 1)
        why_row.addWidget(self.why)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.table, 1)
        layout.addLayout(why_row)
        layout.addWidget(self.explanation)
        self.spec_text = ""
        self.show_why(False)

    # -- content -----------------------------------------------------------------------------------------

    def set_order(self, order: Any | None) -> None:
        """The chain's Order (for the title and resources)."""
        if order is None:
            self.setTitle(f"Group {self.order[0]}")
            return
        self.setTitle(f"Group “{order.spec.name}” (gseq {order.id.gseq}, oseq {order.id.oseq}) — "
                      f"{order.state.value}")
        self.spec_text = spec_summary(order.spec)

    def refresh_header(self, summary: dict | None = None) -> None:
        """`summary`: BidsModel.order_summary() when the caller refreshes every group (one pass for all)."""
        model: BidsModel = self.proxy.sourceModel()  # type: ignore[assignment]
        total, soonest = (summary if summary is not None else model.order_summary()).get(self.order, (0, None))
        shown = self.proxy.rowCount()
        closes = f" — the first bid closes in {countdown(soonest)}" if soonest is not None else ""
        hidden = f" ({total - shown} hidden by the filters)" if total > shown else ""
        self.header.setText(f"{self.spec_text}\n{shown} bid{'s' if shown != 1 else ''}{hidden}{closes}"
                            if self.spec_text else f"{shown} bids{hidden}{closes}")

    def show_why(self, visible: bool, text: str = "") -> None:
        self.empty.setVisible(visible)
        self.why.setVisible(visible)
        self.empty.setText(text)
        if not visible:
            self.explanation.clear()
            self.explanation.hide()

    def show_explanation(self, html: str) -> None:
        self.explanation.setText(html)
        self.explanation.show()

    # -- selection ---------------------------------------------------------------------------------------

    def selected(self) -> BidRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.proxy.row_at(rows[0].row()) if rows else None

    def select(self, row: BidRow) -> bool:
        proxy_row = self.proxy.proxy_row_of(bid_key(row))
        if proxy_row < 0:
            return False
        index = self.proxy.index(proxy_row, 1)
        self.table.selectionModel().select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                           | QItemSelectionModel.SelectionFlag.Rows)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    def _repaint_countdown(self) -> None:
        """Countdown cells are computed when painted: repaint that column only."""
        x = self.table.columnViewportPosition(LEFT)
        if x >= 0:
            viewport = self.table.viewport()
            viewport.update(QRect(x, 0, self.table.columnWidth(LEFT), viewport.height()))

    def _clicked(self, index) -> None:
        if index.column() == FAV:
            row = self.proxy.row_at(index.row())
            if row is not None:
                self.favourite_toggled.emit(row.provider)


__all__ = ["BidGroupBox", "COLUMNS", "spec_summary"]
