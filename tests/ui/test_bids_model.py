"""The bids table: qtmodeltester, in-place sync with 500 bids, per-order proxies with filters and real-value sorting."""

from __future__ import annotations

import random
from decimal import Decimal

from PySide6.QtCore import Qt

from app.chain.common import DecCoin
from app.chain.market import Bid, BidID, BidState
from app.market.compare import BidFilters, BidRow
from app.market.providers import OnlineStatus, ProviderCard
from app.market.records import ProviderHistory
from ui.models.bids import FAV, LEFT, MONTH, PROVIDER, BidProxy, BidsModel, bid_key, countdown
from ui.widgets.bid_filters import BidFilterBar, parse_max_price

OWNER = "akash1c2qvxwatpml5he5apgkwlc62qa3aj58cdhlqj5"
BLOCK_TIME = Decimal("6")


def make_row(i: int, *, gseq: int = 1, price: str | None = None, region: str = "", audited: bool = False,
             gpu: str = "", online: bool | None = True, age_blocks: int = 0, state: BidState = BidState.OPEN) -> BidRow:
    provider = f"akash1provider{i:04d}"
    attrs = [("organization", f"Provider {i:04d}")]
    if region:
        attrs.append(("region", region))
    if gpu:
        attrs.append((f"capabilities/gpu/vendor/nvidia/model/{gpu}", "true"))
    card = ProviderCard(provider, f"https://p{i}.example:8443", tuple(attrs),
                        (("akash1auditor", ()),) if audited else ())
    bid = Bid(BidID(OWNER, 100, gseq, 1, provider, 1), state, DecCoin("uact", Decimal(price or str(10 + i))), 1000,
              (), None)
    status = None if online is None else OnlineStatus(online, 0.0, 12 if online else None)
    history = ProviderHistory(provider, 2, 1, 0, "") if i % 7 == 0 else None
    return BidRow(bid, card, status, history, False, BLOCK_TIME, age_blocks)


def test_model_and_proxy_pass_qtmodeltester(qtmodeltester) -> None:
    model = BidsModel()
    model.sync([make_row(i, gseq=1 + i % 2) for i in range(20)])
    qtmodeltester.check(model, force_py=True)
    model.sync([make_row(i, gseq=1 + i % 2, price="99" if i == 3 else None) for i in range(5, 30)])  # -5, +10, 1 changed
    model.sync([])
    proxy = BidProxy(model, (1, 1))
    model.sync([make_row(i, gseq=1 + i % 2) for i in range(20)])
    assert proxy.rowCount() == 10


def test_sync_500_bids_in_place_keeps_keys_and_emits_minimal_changes() -> None:
    model = BidsModel()
    rows = [make_row(i, gseq=1 + i % 3, region=("us-west", "eu-central")[i % 2], audited=i % 5 == 0) for i in range(500)]
    model.sync(rows)
    assert model.rowCount() == 500 and model.orders() == [(1, 1), (2, 1), (3, 1)]
    inserted, removed, changed = [], [], []
    model.rowsInserted.connect(lambda _p, a, b: inserted.append(b - a + 1))
    model.rowsRemoved.connect(lambda _p, a, b: removed.append(b - a + 1))
    model.dataChanged.connect(lambda a, b, _r=(): changed.append((a.row(), b.row(), a.column(), b.column())))
    again = list(rows)
    again[10] = make_row(10, gseq=2, region="eu-central", price="1")  # a changed price
    del again[400:450]  # 50 withdrawn bids
    again.append(make_row(900))  # a new one
    model.sync(again)
    assert model.rowCount() == 451 and sum(removed) == 50 and inserted == [1]
    full_rows = [c for c in changed if c[2] == 0]
    assert full_rows == [(10, 10, 0, 9)]  # only the changed row (plus the countdown column tick)
    assert model.row_at(10).bid.price.amount == Decimal(1)
    assert [bid_key(r) for r in model.rows()] == [bid_key(r) for r in again]


def test_proxy_filters_per_order_and_sorts_on_real_values() -> None:
    model = BidsModel()
    # prices as strings would sort "100" < "9": the proxy sorts the Decimal values
    rows = [make_row(1, price="100"), make_row(2, price="9"), make_row(3, price="25", audited=True, region="eu-central"),
            make_row(4, gseq=2, price="1")]
    model.sync(rows)
    proxy = BidProxy(model, (1, 1))
    proxy.sort(MONTH, Qt.SortOrder.AscendingOrder)
    assert [proxy.row_at(r).bid.price.amount for r in range(proxy.rowCount())] == [9, 25, 100]
    proxy.sort(PROVIDER, Qt.SortOrder.DescendingOrder)
    assert [proxy.row_at(r).card.name for r in range(3)] == ["Provider 0003", "Provider 0002", "Provider 0001"]
    proxy.set_filters(BidFilters(audited_only=True))
    assert proxy.rowCount() == 1 and proxy.row_at(0).card.region == "eu-central"
    proxy.set_filters(BidFilters(max_usd_per_month=Decimal("10")))  # 9 uact/block at 6 s = 3.94 ACT/month
    assert [proxy.row_at(r).bid.price.amount for r in range(proxy.rowCount())] == [9]


def test_cells_prices_countdown_and_favourites() -> None:
    now = [1000.0]
    model = BidsModel(clock=lambda: now[0])
    row = make_row(1, price="10", age_blocks=10)  # 300 s window - 60 s = 240 s left
    model.sync([row], taken_at=1000.0)
    cell = lambda col, role=Qt.ItemDataRole.DisplayRole: model.data(model.index(0, col), role)  # noqa: E731
    # 10 uact per block, 600 blocks per hour: 6000 uact = 0.0060 ACT per hour
    assert cell(3) == "0.0060 ACT" and cell(MONTH) == "4.38 ACT"
    assert cell(LEFT) == "4:00"
    now[0] += 61
    assert cell(LEFT) == "2:59"
    now[0] += 1000
    assert cell(LEFT) == "0:00"
    assert cell(FAV) == "☆"
    model.set_favourites({row.provider})
    assert cell(FAV) == "★"
    assert "uact per block" in cell(MONTH, Qt.ItemDataRole.ToolTipRole)
    assert countdown(125) == "2:05"


def test_filter_bar_builds_filters_and_offers_regions() -> None:
    bar = BidFilterBar()
    bar.offer(["us-west", "eu-central"], ["nvidia/a100"])
    assert [bar.region.itemData(i) for i in range(bar.region.count())] == ["", "us-west", "eu-central"]
    bar.region.setCurrentIndex(2)
    bar.gpu.setCurrentIndex(1)
    bar.audited.setChecked(True)
    bar.max_price.setText("12.5")
    f = bar.filters()
    assert f.regions == {"eu-central"} and f.gpu_models == {"nvidia/a100"} and f.audited_only
    assert f.max_usd_per_month == Decimal("12.5")
    bar.offer(["us-west"], [])  # the chosen region stays offered
    assert bar.region.currentData() == "eu-central"
    bar.max_price.setText("cheap")
    assert bar.filters().max_usd_per_month is None and "not a number" in bar.error.text()
    assert parse_max_price("") is None


def test_random_syncs_keep_the_model_consistent(qtmodeltester) -> None:
    rng = random.Random(7)
    model = BidsModel()
    qtmodeltester.check(model, force_py=True)
    for _ in range(30):
        ids = rng.sample(range(60), rng.randint(0, 40))
        model.sync([make_row(i, gseq=1 + i % 2, price=str(rng.randint(1, 50))) for i in ids])
        assert sorted(bid_key(r) for r in model.rows()) == sorted(bid_key(make_row(i, gseq=1 + i % 2)) for i in ids)
