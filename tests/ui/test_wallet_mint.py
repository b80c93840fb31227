"""Mint ACT from the Wallet tab on the local node: the chain's minimum refused before signing, the quote,
THE confirmation dialog approved by the test, then the pending ledger record followed until executed."""

from __future__ import annotations

import pytest

from app.chain.bme import LedgerStatus
from tests.ui.holder_kit import approve, open_tab
from ui.dialogs.mint import MintDialog
from ui.tabs.wallet import WalletTab


@pytest.fixture
def wallet(qtbot, localnet):
    with open_tab(qtbot, localnet, WalletTab, lambda tab: tab.overview is not None) as opened:
        yield opened


def test_mint_below_minimum_then_mint_and_follow(qtbot, wallet, localnet) -> None:
    tab, _ctx, address = wallet
    act_before = localnet.balance(address, "uact")
    dialog = tab.open_mint()
    assert isinstance(dialog, MintDialog)
    qtbot.waitUntil(lambda: dialog.state is not None, timeout=20_000)
    assert "Minimum mint 10 ACT" in dialog.chain_state.text()
    dialog.amount.setText("0.5")
    assert "minimum" in dialog.warning.text() and not dialog.submit_button.isEnabled()
    dialog.amount.setText("100")
    assert dialog.submit_button.isEnabled(), dialog.warning.text()
    assert "Expected: about" in dialog.quote.text()
    dialog.submit_button.click()
    confirm = approve(qtbot)
    assert "ACT" in confirm.request.descriptions[0].title
    qtbot.waitUntil(lambda: dialog.follow_op is not None, timeout=60_000)
    assert "Waiting for the chain" in dialog.progress.text()
    assert dialog.follow_op.parent_widget is tab  # the tab follows it: closing the dialog does not stop it

    def settled():
        if dialog.follow_op.running:
            localnet.advance(2)  # epochs come every few blocks
            return False
        return True

    outcomes = []
    dialog.converted.connect(outcomes.append)
    qtbot.waitUntil(settled, timeout=120_000)
    assert dialog.follow_op.state == "ok"
    (outcome,) = outcomes
    assert outcome.status == LedgerStatus.EXECUTED, outcome.message
    assert dialog.progress.text().startswith("Done")
    assert localnet.balance(address, "uact") > act_before
    dialog.reject()


def test_burn_more_than_held_is_refused(qtbot, wallet) -> None:
    tab, _ctx, _address = wallet
    dialog = tab.open_mint()
    qtbot.waitUntil(lambda: dialog.state is not None, timeout=20_000)
    dialog.burn_choice.setChecked(True)
    dialog.amount.setText("5000")  # the faucet gave 1000 ACT
    assert not dialog.submit_button.isEnabled() and "you have" in dialog.warning.text().lower()
    dialog.reject()


def test_closing_the_dialog_keeps_following(qtbot, wallet, localnet) -> None:
    tab, ctx, _address = wallet
    statuses: list[str] = []
    ctx.status.connect(statuses.append)
    dialog = tab.open_mint()
    qtbot.waitUntil(lambda: dialog.state is not None, timeout=20_000)
    dialog.amount.setText("50")
    dialog.submit_button.click()
    approve(qtbot)
    qtbot.waitUntil(lambda: dialog.follow_op is not None, timeout=60_000)
    follow = dialog.follow_op
    dialog.reject()  # closed (and deleted) while the conversion is pending
    qtbot.wait(50)

    def settled():
        if follow.running:
            localnet.advance(2)
            return False
        return True

    qtbot.waitUntil(settled, timeout=120_000)
    assert follow.state == "ok" and any(s.startswith("Done:") for s in statuses), statuses
