"""The bid filters a person sets: audited only, region, GPU model, max price, favourites, online, search."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from app.market.compare import BidFilters

ANY = ""


def parse_max_price(text: str) -> Decimal | None:
    """'' -> no limit; '12.5' -> 12.5 ACT per month; anything else -> ValueError with a sentence."""
    text = text.strip().replace(",", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"“{text}” is not a number") from None
    if not value.is_finite() or value <= 0:
        raise ValueError("the price limit must be a positive number of ACT per month")
    return value


class BidFilterBar(QWidget):
    """`changed(BidFilters)` after any change (the text fields are debounced)."""

    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bidFilters")
        self.audited = QCheckBox("Audited only", self)
        self.audited.setObjectName("auditedOnly")
        self.audited.setToolTip("Only providers whose attributes an auditor signed")
        self.region = QComboBox(self)
        self.region.setObjectName("regionFilter")
        self.region.setToolTip("Only providers in this region (from their region attribute)")
        self.region.addItem("Any region", ANY)
        self.gpu = QComboBox(self)
        self.gpu.setObjectName("gpuFilter")
        self.gpu.setToolTip("Only providers offering this GPU model")
        self.gpu.addItem("Any GPU", ANY)
        self.max_price = QLineEdit(self)
        self.max_price.setObjectName("maxPrice")
        self.max_price.setPlaceholderText("Max ACT / month")
        self.max_price.setToolTip("Hide bids above this price per month (ACT = USD)")
        self.max_price.setMaximumWidth(130)
        self.favourites = QCheckBox("Favourites", self)
        self.favourites.setObjectName("favouritesOnly")
        self.favourites.setToolTip("Only the providers you starred")
        self.online = QCheckBox("Online", self)
        self.online.setObjectName("onlineOnly")
        self.online.setToolTip("Only providers whose gateway answered just now")
        self.search = QLineEdit(self)
        self.search.setObjectName("bidSearch")
        self.search.setPlaceholderText("Search provider, host, attribute…")
        self.search.setClearButtonEnabled(True)
        self.error = QLabel(self)
        self.error.setObjectName("errorText")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for w in (self.audited, self.region, self.gpu, self.max_price, self.favourites, self.online, self.search,
                  self.error):
            layout.addWidget(w)
        layout.setStretchFactor(self.search, 1)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)
        self._debounce.timeout.connect(self._emit)
        for box in (self.audited, self.favourites, self.online):
            box.toggled.connect(lambda _c: self._emit())
        for combo in (self.region, self.gpu):
            combo.currentIndexChanged.connect(lambda _i: self._emit())
        for line in (self.max_price, self.search):
            line.textChanged.connect(lambda _t: self._debounce.start())

    def filters(self) -> BidFilters:
        try:
            limit = parse_max_price(self.max_price.text())
            self.error.clear()
        except ValueError as exc:
            self.error.setText(str(exc)[:1].upper() + str(exc)[1:])
            limit = None
        region, gpu = self.region.currentData(), self.gpu.currentData()
        return BidFilters(
            audited_only=self.audited.isChecked(),
            regions=frozenset({region}) if region else frozenset(),
            gpu_models=frozenset({gpu}) if gpu else frozenset(),
            max_usd_per_month=limit,
            favourites_only=self.favourites.isChecked(),
            online_only=self.online.isChecked(),
            text=self.search.text().strip(),
        )

    def offer(self, regions: Iterable[str], gpu_models: Iterable[str]) -> None:
        """Fill the region and GPU choices with what the bids have (keeping the current choice)."""
        for combo, values in ((self.region, regions), (self.gpu, gpu_models)):
            current = combo.currentData()
            wanted = [v for v in dict.fromkeys([*values, *([current] if current else [])]) if v]
            present = [combo.itemData(i) for i in range(1, combo.count())]
            if present == wanted:
                continue
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for v in wanted:
                combo.addItem(v, v)
            combo.setCurrentIndex(max(0, combo.findData(current)) if current else 0)
            combo.blockSignals(False)

    def _emit(self) -> None:
        self.changed.emit(self.filters())
