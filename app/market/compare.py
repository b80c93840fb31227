"""The bid comparison model: each bid joined with its provider, priced per hour and month, filtered, sorted.

Prices: a bid's price is per block for the whole group; per hour = price x 3600 / block time and per
month = 30.437 days of that (app.sdl.cost.Rate). ACT counts as USD (1:1). The time left before a bid
closes is the provider's 5-minute bid window minus the bid's age in blocks x the block time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.chain.market import Bid, BidInfo, BidState
from app.config import DENOM_ACT, DENOM_AKT
from app.market.providers import OnlineStatus, ProviderCard, ProviderDirectory
from app.market.records import ProviderHistory
from app.sdl.cost import Rate

BID_WINDOW_S = Decimal(300)  # a provider closes its bid 5 minutes after placing it if no lease was created
MICRO = Decimal(1_000_000)
OrderKey = tuple[int, int]  # (gseq, oseq)


@dataclass(frozen=True)
class BidRow:
    """One bid as the comparison table shows it."""

    bid: Bid
    card: ProviderCard
    status: OnlineStatus | None
    history: ProviderHistory | None
    favourite: bool
    block_time_s: Decimal
    age_blocks: int
    akt_price_usd: Decimal | None = None
    gpu_requested: bool = False

    @property
    def order(self) -> OrderKey:
        return (self.bid.id.gseq, self.bid.id.oseq)

    @property
    def provider(self) -> str:
        return self.bid.id.provider

    @property
    def rate(self) -> Rate:
        return Rate(self.bid.price.denom, self.bid.price.amount, self.block_time_s)

    def _usd(self, base_amount: Decimal) -> Decimal | None:
        if self.bid.price.denom == DENOM_ACT or self.bid.price.denom.startswith("ibc/"):
            return base_amount / MICRO
        if self.bid.price.denom == DENOM_AKT and self.akt_price_usd:
            return base_amount / MICRO * self.akt_price_usd
        return None

    @property
    def usd_per_hour(self) -> Decimal | None:
        """ACT (= USD) per hour; None for a denom without a price."""
        return self._usd(self.rate.per_hour)

    @property
    def usd_per_month(self) -> Decimal | None:
        return self._usd(self.rate.per_month)

    @property
    def seconds_left(self) -> Decimal:
        """Until the provider withdraws the bid (0 when the window has passed)."""
        return max(Decimal(0), BID_WINDOW_S - Decimal(self.age_blocks) * self.block_time_s)

    @property
    def open(self) -> bool:
        return self.bid.state is BidState.OPEN

    @property
    def online(self) -> bool | None:
        return None if self.status is None else self.status.online

    @property
    def audited(self) -> bool:
        return bool(self.card.auditors)

    def to_json(self) -> dict[str, Any]:
        i = self.bid.id
        return {
            "gseq": i.gseq, "oseq": i.oseq, "provider": i.provider, "bseq": i.bseq, "state": self.bid.state.value,
            "name": self.card.name, "host_uri": self.card.host_uri, "region": self.card.region,
            "country": self.card.country, "audited_by": list(self.card.auditors), "gpu_models": list(self.card.gpu_models),
            "online": self.online, "status": self.status.words() if self.status else "not checked",
            "history": self.history.summary() if self.history else "never used", "favourite": self.favourite,
            "price_per_block": str(self.bid.price.amount), "denom": self.bid.price.denom,
            "act_per_hour": _text(self.usd_per_hour), "act_per_month": _text(self.usd_per_month),
            "seconds_left": int(self.seconds_left), "created_at": self.bid.created_at,
        }


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.6f}"


def build_rows(bids: Iterable[BidInfo | Bid], directory: ProviderDirectory, *, height: int, block_time_s: Decimal,
               history: Mapping[str, ProviderHistory] | None = None, favourites: Iterable[str] = (),
               akt_price_usd: Decimal | None = None, gpu_orders: Iterable[OrderKey] = ()) -> list[BidRow]:
    """Join bids with the directory (call `directory.refresh()` / `probe()` first for names and online state)."""
    fav, gpu = set(favourites), set(gpu_orders)
    rows = []
    for item in bids:
        bid = item.bid if isinstance(item, BidInfo) else item
        p = bid.id.provider
        rows.append(BidRow(bid, directory.card(p), directory.status(p), (history or {}).get(p), p in fav,
                           block_time_s, max(0, height - bid.created_at), akt_price_usd,
                           (bid.id.gseq, bid.id.oseq) in gpu))
    return rows


@dataclass(frozen=True)
class BidFilters:
    """What the person wants to see. Empty sets mean "any"; GPU models match "a100" or "nvidia/a100"."""

    audited_only: bool = False
    auditor: str = ""
    regions: frozenset[str] = frozenset()
    gpu_models: frozenset[str] = frozenset()
    max_usd_per_month: Decimal | None = None
    max_usd_per_hour: Decimal | None = None
    favourites_only: bool = False
    online_only: bool = False
    exclude: frozenset[str] = frozenset()
    text: str = ""

    def rejections(self, row: BidRow) -> list[str]:
        """Why the filters hide this row (empty: it passes)."""
        out = []
        if self.audited_only and not row.audited:
            out.append("not audited")
        if self.auditor and self.auditor not in row.card.auditors:
            out.append(f"not audited by {self.auditor}")
        if self.regions and row.card.region.casefold() not in {r.casefold() for r in self.regions}:
            out.append(f"region {row.card.region or 'unknown'}")
        if self.gpu_models and not _gpu_match(self.gpu_models, row.card.gpu_models):
            out.append("no wanted GPU model")
        month, hour = row.usd_per_month, row.usd_per_hour
        if self.max_usd_per_month is not None and (month is None or month > self.max_usd_per_month):
            out.append("above the monthly price limit")
        if self.max_usd_per_hour is not None and (hour is None or hour > self.max_usd_per_hour):
            out.append("above the hourly price limit")
        if self.favourites_only and not row.favourite:
            out.append("not a favourite")
        if self.online_only and row.online is not True:
            out.append("offline" if row.online is False else "online state unknown")
        if row.provider in self.exclude:
            out.append("excluded")
        if self.text and not _text_match(self.text, row):
            out.append("does not match the search")
        return out

    def accepts(self, row: BidRow) -> bool:
        return not self.rejections(row)


def _gpu_match(wanted: frozenset[str], offered: tuple[str, ...]) -> bool:
    have = {m.casefold() for m in offered} | {m.split("/", 1)[-1].casefold() for m in offered}
    return any(w.casefold() in have for w in wanted)


def _text_match(text: str, row: BidRow) -> bool:
    needle = text.casefold()
    hay = [row.card.name, row.card.host_uri, row.provider, *(f"{k}={v}" for k, v in row.card.attributes)]
    return any(needle in h.casefold() for h in hay)


_BIG = Decimal("1e30")
SORT_KEYS = {
    "price": lambda r: (r.usd_per_month if r.usd_per_month is not None else _BIG, r.provider),
    "provider": lambda r: (r.card.name.casefold(), r.provider),
    "region": lambda r: (r.card.region.casefold() or "~", r.usd_per_month or _BIG),
    "time_left": lambda r: (r.seconds_left, r.provider),
    "audited": lambda r: (not r.audited, r.usd_per_month or _BIG),
    "online": lambda r: ({True: 0, None: 1, False: 2}[r.online], r.usd_per_month or _BIG),
    "history": lambda r: (-(r.history.leases if r.history else 0), r.usd_per_month or _BIG),
}


def sort_rows(rows: Iterable[BidRow], key: str = "price", descending: bool = False) -> list[BidRow]:
    if key not in SORT_KEYS:
        raise ValueError(f"unknown sort key {key!r}; use one of {', '.join(SORT_KEYS)}")
    return sorted(rows, key=SORT_KEYS[key], reverse=descending)


def _preference(row: BidRow) -> tuple:
    """Cheapest first; among equal prices an online, audited, favourite, earlier bid."""
    return (row.usd_per_month if row.usd_per_month is not None else _BIG,
            {True: 0, None: 1, False: 2}[row.online], not row.audited, not row.favourite, row.bid.created_at,
            row.provider)


def auto_select(rows: Iterable[BidRow], filters: BidFilters = BidFilters()) -> dict[OrderKey, BidRow]:
    """The cheapest open bid that passes the filters, one per order (group); orders without one are absent.

    A provider known to be offline is never picked, whatever the filters say: its lease would not run.
    """
    best: dict[OrderKey, BidRow] = {}
    for row in rows:
        if not row.open or row.online is False or not filters.accepts(row):
            continue
        current = best.get(row.order)
        if current is None or _preference(row) < _preference(current):
            best[row.order] = row
    return best


def by_order(rows: Iterable[BidRow]) -> dict[OrderKey, list[BidRow]]:
    out: dict[OrderKey, list[BidRow]] = {}
    for row in rows:
        out.setdefault(row.order, []).append(row)
    return dict(sorted(out.items()))
