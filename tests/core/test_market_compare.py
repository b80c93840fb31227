"""Bid comparison: prices per hour/month, time left, filters, sorting and auto-select (one per group)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.chain.jsonread import Obj
from app.chain.market import BidInfo
from app.market.compare import BID_WINDOW_S, BidFilters, auto_select, build_rows, by_order, sort_rows
from app.market.providers import OnlineStatus, ProviderCard, ProviderDirectory
from app.market.records import ProviderHistory

OWNER = "akash1c2qvxwatpml5he5apgkwlc62qa3aj58cdhlqj5"
P = {name: f"akash1{name}" for name in ("cheap", "mid", "dear", "gpu", "off")}


def bid(provider: str, price: str, *, gseq: int = 1, created: int = 100, state: str = "open") -> BidInfo:
    return BidInfo.parse(Obj({"bid": {
        "id": {"owner": OWNER, "dseq": "42", "gseq": gseq, "oseq": 1, "provider": provider, "bseq": 0},
        "state": state, "price": {"denom": "uact", "amount": price}, "created_at": str(created),
        "resources_offer": []}}))


def card(address: str, region: str, *, audited: bool = False, gpus: tuple[str, ...] = (), org: str = "") -> ProviderCard:
    attrs = [("region", region), ("organization", org or address[6:].title())]
    attrs += [(f"capabilities/gpu/vendor/nvidia/model/{g}", "true") for g in gpus]
    audits = (("akash1auditor", tuple(attrs)),) if audited else ()
    return ProviderCard(address, f"https://{address[6:]}.example:8443", tuple(attrs), audits)


@pytest.fixture
def directory() -> ProviderDirectory:
    d = ProviderDirectory(chain=None)  # type: ignore[arg-type]  (filled by hand: no chain needed)
    d._cards = {
        P["cheap"]: card(P["cheap"], "us-west"),
        P["mid"]: card(P["mid"], "eu-central", audited=True),
        P["dear"]: card(P["dear"], "eu-central", audited=True),
        P["gpu"]: card(P["gpu"], "ap-southeast", audited=True, gpus=("a100", "h100")),
        P["off"]: card(P["off"], "us-west", audited=True),
    }
    online = OnlineStatus(True, 0.0, 12)
    d._status = {p: online for p in P.values()}
    d._status[P["off"]] = OnlineStatus(False, 0.0, error="connection refused")
    return d


def rows(directory: ProviderDirectory, height: int = 110, block_time: str = "6"):
    bids = [bid(P["cheap"], "10"), bid(P["mid"], "12"), bid(P["dear"], "30"), bid(P["gpu"], "20"),
            bid(P["off"], "5"), bid(P["mid"], "40", gseq=2), bid(P["dear"], "35", gseq=2),
            bid(P["cheap"], "1", gseq=2, state="closed")]
    history = {P["mid"]: ProviderHistory(P["mid"], 3, 1, 0, "2026-11-01T00:00:00Z")}
    return build_rows(bids, directory, height=height, block_time_s=Decimal(block_time), history=history,
                      favourites=[P["dear"]])


def test_prices_per_hour_and_month_follow_the_block_time(directory: ProviderDirectory) -> None:
    row = next(r for r in rows(directory) if r.provider == P["cheap"] and r.order == (1, 1))
    # 10 uact per block, 600 blocks an hour at 6 s: 6000 uact = 0.006 ACT per hour
    assert row.usd_per_hour == Decimal("0.006")
    assert row.usd_per_month == Decimal("0.006") * 24 * Decimal("30.437")
    slower = next(r for r in rows(directory, block_time="12") if r.provider == P["cheap"])
    assert slower.usd_per_hour == Decimal("0.003")


def test_time_left_counts_down_the_five_minute_window(directory: ProviderDirectory) -> None:
    fresh = next(r for r in rows(directory, height=100) if r.provider == P["cheap"])
    assert fresh.seconds_left == BID_WINDOW_S
    later = next(r for r in rows(directory, height=130) if r.provider == P["cheap"])
    assert later.seconds_left == BID_WINDOW_S - 30 * 6
    gone = next(r for r in rows(directory, height=200) if r.provider == P["cheap"])
    assert gone.seconds_left == 0


def test_filters_say_why_a_row_is_hidden(directory: ProviderDirectory) -> None:
    all_rows = rows(directory)
    cheap = next(r for r in all_rows if r.provider == P["cheap"])
    f = BidFilters(audited_only=True, regions=frozenset({"EU-central"}), online_only=True)
    assert f.rejections(cheap) == ["not audited", "region us-west"]
    mid = next(r for r in all_rows if r.provider == P["mid"] and r.order == (1, 1))
    assert f.accepts(mid)
    gpu = BidFilters(gpu_models=frozenset({"h100"}))
    assert [r.provider for r in all_rows if gpu.accepts(r)] == [P["gpu"]]
    assert BidFilters(gpu_models=frozenset({"nvidia/a100"})).accepts(next(r for r in all_rows if r.provider == P["gpu"]))
    limit = BidFilters(max_usd_per_month=Decimal("5"))  # 12 uact/block is ~5.26 ACT a month at 6 s: too much
    assert not limit.accepts(mid) and limit.accepts(next(r for r in all_rows if r.provider == P["cheap"]))
    assert BidFilters(favourites_only=True).rejections(mid) == ["not a favourite"]
    assert BidFilters(text="eu-central").accepts(mid) and not BidFilters(text="nowhere").accepts(mid)
    assert BidFilters(exclude=frozenset({P["mid"]})).rejections(mid) == ["excluded"]


def test_sorting_by_each_key(directory: ProviderDirectory) -> None:
    group1 = [r for r in rows(directory) if r.order == (1, 1)]
    assert [r.provider for r in sort_rows(group1, "price")] == [P["off"], P["cheap"], P["mid"], P["gpu"], P["dear"]]
    assert sort_rows(group1, "price", descending=True)[0].provider == P["dear"]
    assert sort_rows(group1, "online")[-1].provider == P["off"]
    assert sort_rows(group1, "history")[0].provider == P["mid"]
    assert [r.card.region for r in sort_rows(group1, "region")][:1] == ["ap-southeast"]
    assert sort_rows(group1, "audited")[0].audited
    with pytest.raises(ValueError, match="unknown sort key"):
        sort_rows(group1, "colour")


def test_auto_select_takes_the_cheapest_passing_bid_per_group(directory: ProviderDirectory) -> None:
    picked = auto_select(rows(directory))
    # the offline provider is cheaper but never picked; the closed 1-uact bid of group 2 neither
    assert picked[(1, 1)].provider == P["cheap"]
    assert picked[(2, 1)].provider == P["dear"]
    audited = auto_select(rows(directory), BidFilters(audited_only=True))
    assert audited[(1, 1)].provider == P["mid"]
    assert auto_select(rows(directory), BidFilters(regions=frozenset({"mars"}))) == {}


def test_auto_select_breaks_price_ties_by_online_audited_favourite(directory: ProviderDirectory) -> None:
    tied = [bid(P["cheap"], "10", created=90), bid(P["dear"], "10", created=95)]
    built = build_rows(tied, directory, height=100, block_time_s=Decimal(6), favourites=[P["dear"]])
    assert auto_select(built)[(1, 1)].provider == P["dear"]  # audited + favourite beats an earlier bid


def test_rows_group_by_order_and_serialise(directory: ProviderDirectory) -> None:
    grouped = by_order(rows(directory))
    assert list(grouped) == [(1, 1), (2, 1)]
    data = grouped[(1, 1)][0].to_json()
    assert data["denom"] == "uact" and data["online"] is True and data["seconds_left"] == 240
    assert data["history"] in ("never used", "3 leases, 1 running")
    unknown = build_rows([bid("akash1stranger", "10")], directory, height=100, block_time_s=Decimal(6))[0]
    assert unknown.card.name == "akash1stranger" and unknown.online is None
