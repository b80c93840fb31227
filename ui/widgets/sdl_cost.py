"""The cost of an SDL as you type (per hour and month, ACT = USD and AKT at the oracle price) and the deposit."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.config import DENOM_ACT
from app.sdl import Sdl
from app.sdl.cost import (
    DEFAULT_BLOCK_TIME_S,
    DEFAULT_DEPOSIT_DAYS,
    DEFAULT_MIN_DEPOSIT_UACT,
    CostEstimate,
    estimate_cost,
    suggest_deposit_uact,
)
from app.sdl.cost import format_amount as money
from app.units import AmountError, format_amount, to_base

MICRO = Decimal(1_000_000)


@dataclass(frozen=True)
class ChainFacts:
    """What the cost needs from the chain; defaults until the chain answered."""

    akt_price_usd: Decimal | None = None
    block_time_s: Decimal = DEFAULT_BLOCK_TIME_S
    min_deposit_uact: int = DEFAULT_MIN_DEPOSIT_UACT
    live: bool = False  # False: defaults (the chain was not reached yet)


def parse_deposit(text: str, min_deposit_uact: int) -> int:
    """An ACT amount typed by a person -> uact, refused below the chain minimum (AmountError says why)."""
    if not text.strip():
        raise AmountError("enter the deposit in ACT")
    uact = to_base(text)
    if uact < min_deposit_uact:
        raise AmountError(f"the chain needs a deposit of at least {format_amount(min_deposit_uact, DENOM_ACT)}")
    return uact


class CostPanel(QGroupBox):
    """`deposit_changed()` when the deposit (or its validity) changes."""

    deposit_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Cost and deposit", parent)
        self.setObjectName("costPanel")
        self.facts = ChainFacts()
        self.estimate: CostEstimate | None = None
        self.suggested_uact: int | None = None
        self.deposit_edited = False
        self.per_hour = QLabel("—", self)
        self.per_hour.setObjectName("costPerHour")
        self.per_month = QLabel("—", self)
        self.per_month.setObjectName("costPerMonth")
        self.in_akt = QLabel("—", self)
        self.in_akt.setObjectName("costInAkt")
        self.groups = QLabel(self)
        self.groups.setObjectName("costGroups")
        self.groups.setWordWrap(True)
        for label in (self.per_hour, self.per_month, self.in_akt):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
            label.setToolTip("The most you pay (1 ACT = 1 USD): the SDL's prices are the ceiling of the bids you "
                             "accept; bids are usually lower")
        self.deposit = QLineEdit(self)
        self.deposit.setObjectName("depositInput")
        self.deposit.setPlaceholderText("ACT")
        self.deposit.setToolTip("ACT put in the deployment's escrow; the lease is paid from it. You can add funds "
                                "later; what is left comes back when you close")
        self.use_suggested = QPushButton("Suggested", self)
        self.use_suggested.setObjectName("useSuggestedDeposit")
        self.use_suggested.setToolTip(f"Enough for {DEFAULT_DEPOSIT_DAYS} days at the SDL's prices")
        self.deposit_note = QLabel(self)
        self.deposit_note.setObjectName("depositNote")
        self.deposit_note.setWordWrap(True)
        self.deposit_error = QLabel(self)
        self.deposit_error.setObjectName("errorText")
        self.deposit_error.setWordWrap(True)
        form = QFormLayout()
        form.addRow("At most / hour", self.per_hour)
        form.addRow("At most / month", self.per_month)
        form.addRow("In AKT", self.in_akt)
        row = QHBoxLayout()
        row.addWidget(self.deposit, 1)
        row.addWidget(QLabel("ACT", self))
        row.addWidget(self.use_suggested)
        form.addRow("Deposit", row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.groups)
        layout.addWidget(self.deposit_note)
        layout.addWidget(self.deposit_error)
        self.deposit.textEdited.connect(self._deposit_edited)  # typed by the person: keep it
        self.deposit.textChanged.connect(lambda _text: self._validate())  # any change, also set in code
        self.use_suggested.clicked.connect(self.reset_deposit)
        self.show_sdl(None)

    # -- inputs --------------------------------------------------------------------------------------------

    def set_facts(self, facts: ChainFacts, sdl: Sdl | None) -> None:
        self.facts = facts
        self.show_sdl(sdl)

    def show_sdl(self, sdl: Sdl | None) -> None:
        """Recompute the figures for a parsed SDL (None: nothing to price)."""
        f = self.facts
        self.estimate = estimate_cost(sdl, block_time_s=f.block_time_s, akt_price_usd=f.akt_price_usd) if sdl else None
        est = self.estimate
        if est is None:
            for label in (self.per_hour, self.per_month, self.in_akt):
                label.setText("—")
            self.groups.clear()
            self.suggested_uact = None
        else:
            self.per_hour.setText(_usd(est.usd_per_hour, "hour"))
            self.per_month.setText(_usd(est.usd_per_month, "month"))
            akt = est.akt(est.usd_per_month)
            price = f" at {money(f.akt_price_usd, 4)} USD/AKT" if f.akt_price_usd else ""
            self.in_akt.setText(f"{money(akt)} AKT per month{price}" if akt is not None
                                else "unknown until the chain gives the AKT price")
            self.groups.setText(_group_lines(est) if len(est.groups) > 1 else "")
            try:
                self.suggested_uact = suggest_deposit_uact(est, min_deposit_uact=f.min_deposit_uact)
            except ValueError:
                self.suggested_uact = f.min_deposit_uact
        if not self.deposit_edited:
            self._fill_deposit(self.suggested_uact or f.min_deposit_uact)
        self._validate()

    def _fill_deposit(self, uact: int) -> None:
        self.deposit.setText(_act_text(uact))

    def reset_deposit(self) -> None:
        self.deposit_edited = False
        self._fill_deposit(self.suggested_uact or self.facts.min_deposit_uact)
        self._validate()

    def _deposit_edited(self, _text: str) -> None:
        self.deposit_edited = True

    # -- output --------------------------------------------------------------------------------------------

    def deposit_uact(self) -> int | None:
        """The deposit in uact, or None when the text is not a valid deposit."""
        try:
            return parse_deposit(self.deposit.text(), self.facts.min_deposit_uact)
        except AmountError:
            return None

    def _validate(self) -> None:
        try:
            uact = parse_deposit(self.deposit.text(), self.facts.min_deposit_uact)
        except AmountError as exc:
            self.deposit_error.setText(_sentence(str(exc)))
            uact = None
        else:
            self.deposit_error.clear()
        minimum = format_amount(self.facts.min_deposit_uact, DENOM_ACT)
        note = f"Chain minimum {minimum}."
        if self.suggested_uact:
            note += f" Suggested {format_amount(self.suggested_uact, DENOM_ACT)} ({DEFAULT_DEPOSIT_DAYS} days at these prices)."
        lasts = self._lasts(uact)
        if lasts:
            note += f" This deposit lasts about {lasts} at the SDL's prices."
        if not self.facts.live:
            note += " (Waiting for the chain's figures.)"
        self.deposit_note.setText(note)
        self.deposit_changed.emit()

    def _lasts(self, uact: int | None) -> str:
        est = self.estimate
        per_hour = est.usd_per_hour if est is not None else None
        if not uact or not per_hour:
            return ""
        hours = Decimal(uact) / MICRO / per_hour
        return f"{hours:.1f} hours" if hours < 48 else f"{hours / 24:,.0f} days"


def _usd(value: Decimal | None, per: str) -> str:
    if value is None:
        return "unknown (an AKT price is needed for uakt prices)"
    return f"{money(value, 4 if value < 1 else 2)} ACT per {per}"


def _act_text(uact: int) -> str:
    text = f"{Decimal(uact) / MICRO:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _group_lines(est: CostEstimate) -> str:
    lines = []
    for g in est.groups:
        usd = g.rate.usd(g.rate.per_month, est.akt_price_usd)
        lines.append(f"{g.name}: {money(usd)} ACT/month" if usd is not None else f"{g.name}: {g.rate.per_month:.0f} "
                     f"{g.rate.denom}/month")
    return "Per group — " + "; ".join(lines)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]
