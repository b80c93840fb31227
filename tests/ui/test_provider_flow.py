"""The provider flow on the local node through the real Provider tab: an account that is a provider with a
running lease -> earnings cards, chart and leases table -> Withdraw all (THE confirmation dialog, approved
by the test) -> the provider's ACT balance grows. Also watching another provider (no withdraw) and CSV."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from app.chain.client import ChainClient
from app.wallet.mnemonic import generate_mnemonic
from app.wallet.signer import Signer
from tests.kits.leases import seed_leases
from tests.ui.holder_kit import approve, await_task, open_tab
from ui.tabs.provider import ProviderTab

PRICE_UACT = 900  # the provider's bid per block


@pytest.fixture
def own_provider(qtbot, localnet):
    """A fresh account registered as a provider, whose bid a fresh tenant accepted (a running lease in uact)."""
    phrase = generate_mnemonic(24)

    async def seed():
        async with ChainClient([localnet.url]) as chain:
            return await seed_leases(chain, localnet.fund, 1, price_uact=Decimal(PRICE_UACT),
                                     provider=Signer.from_mnemonic(phrase))

    seeded = await_task(qtbot, seed(), timeout_ms=60_000)
    localnet.advance(40)  # 40 blocks of 900 uact
    return phrase, seeded.provider.address, seeded.tenant.address, seeded.dseqs[0]


@pytest.fixture
def provider_tab(qtbot, localnet, own_provider):
    phrase, address, tenant, dseq = own_provider
    with open_tab(qtbot, localnet, ProviderTab, lambda tab: tab.earnings is not None, mnemonic=phrase,
                  name="provider", size=(1100, 760)) as (tab, ctx, own):
        assert own == address
        yield tab, ctx, address, tenant, dseq


def test_cards_chart_and_leases(qtbot, provider_tab, qtmodeltester) -> None:
    tab, _ctx, address, tenant, dseq = provider_tab
    assert tab.provider == address and "Your account" in tab.mode.text()
    for key in ("24h", "7d", "30d", "total"):
        assert tab.cards[key].value.text().endswith("ACT"), (key, tab.cards[key].value.text())
    assert tab.withdrawable.value.text().endswith("ACT")
    assert tab.leases_model.rowCount() == 1
    lease = tab.leases_model.row_at(0)
    assert lease.id.owner == tenant and lease.id.dseq == dseq and lease.running
    assert "0.5 CPU" in tab.leases_model.index(0, 3).data() and "512 Mi RAM" in tab.leases_model.index(0, 3).data()
    assert "1 running" in tab.resources.text()
    assert any(v > 0 for _d, v in tab.chart.points) and tab.chart.unit == "ACT"
    assert tab.chart.bar_rects() and max(r.height() for r in tab.chart.bar_rects()) > 0
    qtmodeltester.check(tab.leases_model)
    qtmodeltester.check(tab.daily_model)
    assert tab.daily_model.columnCount() == 3 and tab.daily_model.headerData(2, Qt.Orientation.Horizontal) == "ACT"


def test_withdraw_all_grows_the_balance(qtbot, provider_tab, localnet) -> None:
    tab, _ctx, address, _tenant, _dseq = provider_tab
    before = localnet.balance(address, "uact")
    assert tab.withdraw_button.isEnabled()
    op = tab.withdraw_all()
    confirm = approve(qtbot)
    assert confirm.request.descriptions[0].title.startswith("Withdraw the earnings of lease")
    qtbot.waitUntil(lambda: not op.running, timeout=60_000)
    assert op.state == "ok"
    after = localnet.balance(address, "uact")
    assert after >= before + 40 * PRICE_UACT, (before, after)


def test_watching_another_provider_cannot_withdraw(qtbot, provider_tab, localnet, tmp_path) -> None:
    tab, _ctx, address, _tenant, _dseq = provider_tab
    path = tmp_path / "earnings.csv"
    dialog = tab.export_csv()  # the save dialog, answered like a person would
    dialog.selectFile(str(path))
    dialog.accept()
    qtbot.waitUntil(path.exists, timeout=10_000)
    rows = list(csv.reader(path.open()))
    assert rows[0][:2] == ["owner", "dseq"] and len(rows) > 3
    others = [p["owner"] for p in localnet.get("/akash/provider/v1beta4/providers")["providers"] if p["owner"] != address]
    tab.address.lineEdit().setText(others[0][:-1])
    tab.address.lineEdit().textEdited.emit(others[0][:-1])
    assert "Not a valid address" in tab.address_problem.text()
    tab.set_provider(others[0])
    qtbot.waitUntil(lambda: tab.earnings is not None and tab.earnings.provider == others[0], timeout=30_000)
    assert "Watching" in tab.mode.text()
    assert not tab.withdraw_button.isEnabled() and "watched" in tab.withdraw_button.toolTip()
    tab.use_own_account()
    assert tab.provider == address
