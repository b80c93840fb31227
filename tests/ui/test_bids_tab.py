"""The Bids tab with snapshots given directly (no network): groups per order, chunked first sync, filters,
favourites, the bid chosen per group, why-no-bids after a while, Ctrl+Enter."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from app import settings as settings_mod
from app.chain.common import DecCoin
from app.chain.market import Order, OrderID, OrderState
from app.chain.resources import GroupSpec, PlacementRequirements, Resources, ResourceUnit
from app.market.bids import BidSnapshot
from app.market.matching import Mismatch
from app.market.whynobids import NoBidsExplanation, ProviderVerdict
from app.session import Session
from app.wallet.keystore import Keystore
from tests.ui.test_bids_model import OWNER, make_row
from ui.context import AppContext
from ui.models.bids import FAV
from ui.tabs import bids as bids_mod
from ui.tabs.bids import BidsTab
from ui.widgets.bid_groups import SYNC_CHUNK, explanation_html


def _order(gseq: int) -> Order:
    unit = ResourceUnit(Resources(1, 500, (), 512 << 20, (), (), 0, (), ()), 2, DecCoin("uact", Decimal(100)))
    return Order(OrderID(OWNER, 100, gseq, 1), OrderState.OPEN, GroupSpec(f"g{gseq}", PlacementRequirements((), (), ()),
                                                                          (unit,)), 19)


def _snap(*gseqs: int) -> BidSnapshot:
    return BidSnapshot(100, 20, time.time(), tuple(_order(g) for g in gseqs), ())


@pytest.fixture
def tab(qtbot) -> BidsTab:
    session = Session(settings_mod.load(), Keystore())
    session.reload()
    t = BidsTab(AppContext(session.settings, session))
    qtbot.addWidget(t)
    t.resize(1200, 800)
    t.dseq = 100
    return t


def test_groups_per_order_and_the_first_many_bids_in_chunks(qtbot, tab) -> None:
    rows = [make_row(i, gseq=1 + i % 2, region=("us-west", "eu-central")[i % 2], audited=i % 3 == 0)
            for i in range(450)]
    tab.apply(_snap(1, 2), rows)
    assert set(tab.groups) == {(1, 1), (2, 1)}
    assert all(g.table.property("columnMemory") for g in tab.groups.values())  # widths remembered in the settings
    assert tab.model.rowCount() == 0  # the new tables are painted first, then filled in chunks
    qtbot.waitUntil(lambda: tab.model.rowCount() > 0, timeout=5000)
    assert tab.model.rowCount() % SYNC_CHUNK == 0 and tab.model.rowCount() < 450  # the rest follows, a frame apart
    qtbot.waitUntil(lambda: tab.model.rowCount() == 450, timeout=5000)
    g1, g2 = tab.groups[(1, 1)], tab.groups[(2, 1)]
    assert g1.proxy.rowCount() == g2.proxy.rowCount() == 225
    assert "2 × (0.5 CPU, 512 Mi RAM)" in g1.header.text() and "closes in" in g1.header.text()
    assert "“g1”" in g1.title() and "open" in g1.title()
    assert "450 open bids" in tab.status.text()
    assert tab.filters.region.count() == 3  # any + the two regions the bids have
    # a filter applies to every group and says how many it hides
    tab.filters.audited.setChecked(True)
    assert all(g.proxy.row_at(r).audited for g in (g1, g2) for r in range(g.proxy.rowCount()))
    assert "hidden by the filters" in g1.header.text()
    tab.filters.region.setCurrentIndex(tab.filters.region.findData("eu-central"))
    assert g1.proxy.rowCount() == 0 and g2.proxy.rowCount() > 0


def test_a_second_poll_updates_in_place_and_keeps_the_selection(qtbot, tab) -> None:
    rows = [make_row(i) for i in range(20)]
    tab.apply(_snap(1), rows)
    group = tab.groups[(1, 1)]
    group.select(rows[5])
    assert group.selected().provider == rows[5].provider
    again = [make_row(i, price="3" if i == 7 else None) for i in range(2, 22)]  # 2 gone, 2 new, one cheaper
    tab.apply(_snap(1), again)
    assert tab.model.rowCount() == 20 and group.selected().provider == rows[5].provider
    assert group.proxy.row_at(0).provider == again[5].provider  # the cheaper bid moved to the top


def test_chosen_bid_per_group_is_the_selection_else_the_cheapest_online(qtbot, tab) -> None:
    rows = [make_row(1, price="5", online=False), make_row(2, price="9"), make_row(3, price="7"),
            make_row(4, gseq=2, price="8"), make_row(5, gseq=2, price="6", audited=True)]
    tab.apply(_snap(1, 2), rows)
    chosen = tab.chosen()
    assert chosen[(1, 1)].provider == rows[2].provider  # 5 is offline: never picked automatically
    assert chosen[(2, 1)].provider == rows[4].provider
    tab.groups[(1, 1)].select(rows[1])
    assert tab.chosen()[(1, 1)].provider == rows[1].provider
    tab.select_cheapest()
    assert tab.groups[(1, 1)].selected().provider == rows[2].provider
    assert tab.groups[(2, 1)].selected().provider == rows[4].provider
    assert tab.accept.isEnabled() and tab.auto.isEnabled()


def test_favourites_are_starred_remembered_and_filterable(qtbot, tab) -> None:
    rows = [make_row(i) for i in range(5)]
    tab.apply(_snap(1), rows)
    group = tab.groups[(1, 1)]
    proxy_row = group.proxy.proxy_row_of(("akash1provider0003", 1, 1, 1))
    index = group.proxy.index(proxy_row, FAV)
    group.table.scrollTo(index)
    qtbot.mouseClick(group.table.viewport(), Qt.MouseButton.LeftButton, pos=group.table.visualRect(index).center())
    assert tab.ctx.settings.favourite_providers == ["akash1provider0003"]
    assert settings_mod.load().favourite_providers == ["akash1provider0003"]  # saved
    star = group.proxy.index(group.proxy.proxy_row_of(("akash1provider0003", 1, 1, 1)), FAV)
    assert star.data() == "★"
    tab.filters.favourites.setChecked(True)
    assert group.proxy.rowCount() == 1 and group.proxy.row_at(0).provider == "akash1provider0003"
    tab.toggle_favourite("akash1provider0003")
    assert tab.ctx.settings.favourite_providers == [] and group.proxy.rowCount() == 0


def test_why_no_bids_appears_after_a_while_and_explains_once(qtbot, tab, monkeypatch) -> None:
    asked = []
    monkeypatch.setattr(tab, "explain", lambda order: asked.append(order))
    tab.apply(_snap(1, 2), [make_row(1, gseq=2)])  # group 1 has no bid
    assert not tab.groups[(1, 1)].why.isVisibleTo(tab)
    tab.watch_started = time.monotonic() - bids_mod.NO_BIDS_AFTER_S - 1
    tab._tick()
    tab._tick()
    group = tab.groups[(1, 1)]
    assert group.why.isVisibleTo(tab) and "there should be some by now" in group.empty.text()
    assert not tab.groups[(2, 1)].why.isVisibleTo(tab)
    assert asked == [(1, 1)]  # explained once, automatically


def test_explanation_in_words() -> None:
    verdicts = (
        ProviderVerdict("akash1a", "Alpha", (Mismatch("gpu", "no H100 GPU"),), "", True, "", False),
        ProviderVerdict("akash1b", "Beta", (), "", False, "no answer", False),
    )
    html = explanation_html([NoBidsExplanation((1, 1), "g1", 12, verdicts)])
    assert "Alpha</b>: no H100 GPU" in html and "gateway is offline" in html
    assert "1 by the GPU model" in html
    assert "has bids now" in explanation_html([])


def test_ctrl_enter_accepts(qtbot, tab, monkeypatch) -> None:
    calls = []
    monkeypatch.setattr(tab, "accept_selected", lambda: calls.append(1))
    tab.show()
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow, timeout=3000)
    tab.filters.search.setFocus()
    qtbot.keyClick(tab.filters.search, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert calls == [1]


def test_a_failed_poll_keeps_the_data_and_says_so(qtbot, tab) -> None:
    tab.apply(_snap(1), [make_row(1)])
    failed = BidSnapshot(100, 20, time.time(), (_order(1),), (), "the node did not answer")
    tab.apply(failed, [make_row(1)])
    assert tab.model.rowCount() == 1 and "the last check failed" in tab.status.text()


def test_an_order_open_for_long_on_chain_gets_the_why_panel_at_once(qtbot, tab, monkeypatch) -> None:
    monkeypatch.setattr(tab, "explain", lambda order: None)
    old = BidSnapshot(100, 200, time.time(), (_order(1),), ())  # 181 blocks of ~6 s: three minutes without a bid
    tab.apply(old, [])
    assert tab.groups[(1, 1)].why.isVisibleTo(tab)


def test_a_manifest_that_did_not_arrive_after_accepting_is_said_with_what_to_do(qtbot, tab) -> None:
    from PySide6.QtWidgets import QMessageBox

    from app.market.lease import AcceptResult, ManifestDelivery
    from app.provider.errors import ProviderUnreachable

    tab.show()
    failed = ManifestDelivery("akash1p", "https://p.example:8443", ((1, 1),), False,
                              ProviderUnreachable("https://p.example:8443", "connection refused"))
    statuses = []
    tab.ctx.status.connect(statuses.append)
    tab._accepted(100, AcceptResult(None, (), (failed,)))
    box = next(b for b in tab.findChildren(QMessageBox) if b.isVisible())
    assert "Resend manifest" in box.informativeText() and "Traceback" not in box.text()
    assert "NOT delivered" in statuses[-1]
    box.close()
