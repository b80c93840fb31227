"""The staker flow on the local node through the real Staking tab: delegate -> rewards appear after blocks ->
claim all -> compound -> undelegate -> the unbonding entry is listed with its date. Every signature goes
through THE confirmation dialog, approved by the test."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt

from app.txplan import fee_reserve_uakt
from tests.ui.holder_kit import approve, closed, open_tab
from ui.dialogs.delegate import DelegateDialog
from ui.tabs.staking import StakingTab
from ui.widgets.amount_input import amount_text


@pytest.fixture
def staking_tab(qtbot, localnet):
    with open_tab(qtbot, localnet, StakingTab, lambda tab: tab.position is not None and bool(tab.validators),
                  size=(1100, 700)) as opened:
        yield opened


def _reload(qtbot, tab, until, timeout_ms=30_000):
    """Press F5 (the tab's refresh) until `until()` holds: new blocks only reload every few seconds."""
    def check():
        if until():
            return True
        tab.refresh()
        return False

    qtbot.waitUntil(check, timeout=timeout_ms)


def _wait_op(qtbot, op, timeout_ms=60_000):
    qtbot.waitUntil(lambda: not op.running, timeout=timeout_ms)
    assert op.state == "ok", op.state


def test_validators_table(qtbot, staking_tab, qtmodeltester) -> None:
    tab, _ctx, _address = staking_tab
    model = tab.validators_model
    qtmodeltester.check(model)
    assert model.rowCount() == 10
    statuses = {model.index(r, 2).data() for r in range(model.rowCount())}
    assert {"Active", "Jailed", "Inactive"} <= statuses
    first = model.row_at(0)
    assert first.rank == 1 and model.index(0, 3).data().endswith("%")
    tab.search.setText("aurora")
    assert tab.validators_proxy.rowCount() == 1
    tab.search.clear()
    tab.show_inactive.setChecked(False)
    assert model.rowCount() == 8
    tab.validators_view.sortByColumn(3, Qt.SortOrder.DescendingOrder)  # commission, as numbers
    top = tab.validators_proxy.index(0, 3).data()
    assert float(top.split()[0]) >= float(tab.validators_proxy.index(7, 3).data().split()[0])


def test_delegate_max_keeps_the_reserve(qtbot, staking_tab) -> None:
    tab, ctx, _address = staking_tab
    dialog = tab.open_delegate()
    assert isinstance(dialog, DelegateDialog)
    qtbot.mouseClick(dialog.max_button, Qt.MouseButton.LeftButton)
    assert dialog.amount.text() == amount_text(tab.liquid - fee_reserve_uakt(ctx.settings.gas_price))
    assert dialog.ok.isEnabled()
    dialog.amount.setText(amount_text(tab.liquid))  # all of it: refused, in words
    assert not dialog.ok.isEnabled() and "kept for fees" in dialog.error.text()
    dialog.reject()


def test_staker_flow(qtbot, staking_tab, localnet, qtmodeltester) -> None:
    tab, _ctx, _address = staking_tab
    aurora = next(v for v in tab.validators if v.moniker == "Aurora Staking")
    tab.validators_view.selectRow(next(r for r in range(tab.validators_proxy.rowCount())
                                       if tab.validators_proxy.index(r, 1).data() == "Aurora Staking"))
    dialog = tab.open_delegate()
    assert dialog.source.currentData() == aurora.operator
    qtbot.keyClicks(dialog.amount, "300")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    confirm = approve(qtbot)
    assert confirm.request.descriptions[0].title == "Stake 300 AKT"
    qtbot.waitUntil(lambda: closed(dialog), timeout=60_000)
    _reload(qtbot, tab, lambda: tab.position.staked_with(aurora.operator) == 300_000_000)
    assert tab.validators_model.mine[aurora.operator] == 300_000_000

    localnet.advance(30)  # rewards accrue block by block
    _reload(qtbot, tab, lambda: tab.position.total_rewards >= 1 and tab.claim_button.isEnabled())
    qtmodeltester.check(tab.delegations_model)
    liquid_before = tab.liquid
    rewards = tab.position.total_rewards
    op = tab.claim_all()
    confirm = approve(qtbot)
    assert confirm.request.descriptions[0].title.startswith("Claim")
    _wait_op(qtbot, op)
    _reload(qtbot, tab, lambda: tab.liquid != liquid_before)
    assert tab.liquid > liquid_before - 50_000 and rewards > 0  # rewards in, a fee out

    localnet.advance(30)
    _reload(qtbot, tab, lambda: tab.compound_button.isEnabled())
    staked = tab.position.staked_with(aurora.operator)
    op = tab.compound()
    confirm = approve(qtbot)
    titles = [d.title for d in confirm.request.descriptions]
    assert "Claim staking rewards" in titles and any(t.startswith("Stake ") for t in titles), titles
    _wait_op(qtbot, op)
    _reload(qtbot, tab, lambda: tab.position.staked_with(aurora.operator) > staked)

    tab.delegations_view.selectRow(0)
    tab.delegations_view.setFocus()
    dialog = tab.open_undelegate()
    assert dialog.source.currentData() == aurora.operator
    qtbot.keyClicks(dialog.amount, "50")
    assert dialog.ok.isEnabled(), dialog.error.text()
    assert "locked" in dialog.info.text()
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    confirm = approve(qtbot)
    assert confirm.request.descriptions[0].title == "Unstake 50 AKT"
    qtbot.waitUntil(lambda: closed(dialog), timeout=60_000)
    _reload(qtbot, tab, lambda: tab.unbonding_model.rowCount() >= 1)
    qtmodeltester.check(tab.unbonding_model)
    entry = tab.unbonding_model.row_at(0)
    assert entry.kind == "Unbonding" and entry.amount == 50_000_000 and entry.validator == "Aurora Staking"
    assert entry.completion_time is not None and entry.completion_time > datetime.now(UTC)
    assert "in " in tab.unbonding_model.index(0, 3).data()
    assert "Unbonding 50 AKT" in tab.summary.text()
