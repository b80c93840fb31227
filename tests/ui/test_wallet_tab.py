"""Wallet tab on the local node: balances with USD, send with a memo -> history row, address errors in words,
ACT refused with the reason, MAX keeps the fee reserve, QR receive + clipboard, contacts, CSV export."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.localnet.genesis import DEMO_MNEMONIC
from app.txplan import fee_reserve_uakt
from app.wallet.address import bech32_encode
from app.wallet.addressbook import AddressBook
from tests.ui.holder_kit import approve, closed, open_tab
from ui.dialogs.receive import ReceiveDialog, copy_for_a_while
from ui.dialogs.send import ACT_REFUSED, SendDialog
from ui.tabs.wallet import WalletTab
from ui.widgets.qr import qr_matrix

BOB = bech32_encode("akash", bytes(range(20)))


@pytest.fixture
def wallet(qtbot, localnet):
    with open_tab(qtbot, localnet, WalletTab, lambda tab: tab.overview is not None) as opened:
        yield opened


def test_balances_and_usd_value(qtbot, wallet, qtmodeltester) -> None:
    tab, _ctx, _address = wallet
    symbols = [tab.balances_model.index(r, 0).data() for r in range(tab.balances_model.rowCount())]
    assert symbols[:3] == ["AKT", "ACT", "USDC"]
    assert tab.balances_model.index(0, 1).data() == "1,000"  # the faucet's 1000 AKT
    assert tab.overview.akt_price_usd and tab.overview.akt_price_usd > 0
    assert tab.balances_model.index(0, 2).data().startswith("$")
    assert "cannot be sent" in tab.balances_model.index(1, 3).data()
    assert "Total ≈ $" in tab.total.text()
    qtmodeltester.check(tab.balances_model)


def test_send_with_memo_lands_in_history(qtbot, wallet, localnet) -> None:
    tab, ctx, address = wallet
    qtbot.waitUntil(lambda: tab.loader is not None, timeout=20_000)
    before = tab.history_model.rowCount()  # the faucet credits without a transaction: 0
    assert before or tab.history_note.text() == "No transactions yet"
    dialog = tab.open_send()
    assert isinstance(dialog, SendDialog)
    qtbot.keyClicks(dialog.recipient.edit, BOB)
    assert dialog.recipient.address == BOB
    qtbot.keyClicks(dialog.amount, "2.5")
    qtbot.keyClicks(dialog.memo, "invoice 42")
    assert dialog.send_button.isEnabled(), dialog.error.text()
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    confirm = approve(qtbot)
    assert "Send 2.5 AKT" in confirm.request.descriptions[0].title
    qtbot.waitUntil(lambda: closed(dialog), timeout=60_000)
    assert localnet.balance(BOB) >= 2_500_000
    qtbot.waitUntil(lambda: tab.history_model.rowCount() > before, timeout=30_000)
    top = tab.history_model.row_at(0)
    assert top.memo == "invoice 42" and "2.5 AKT" in top.summary and top.ok
    assert tab.history_model.index(0, 2).data().startswith("−2.5")  # the net change, fee included
    assert tab.history_model.index(0, 3).data().endswith("AKT")


def test_invalid_address_message_and_act_refused(qtbot, wallet) -> None:
    tab, _ctx, _address = wallet
    dialog = tab.open_send()
    qtbot.keyClicks(dialog.recipient.edit, BOB[:-1] + ("q" if BOB[-1] != "q" else "p"))
    assert dialog.recipient.address == ""
    assert "checksum" in dialog.recipient.message.text()
    assert not dialog.send_button.isEnabled()
    dialog.recipient.edit.setText("cosmos1" + BOB[6:])
    assert "Akash" in dialog.recipient.message.text() or "akash1" in dialog.recipient.message.text()
    dialog.recipient.edit.setText(BOB)
    dialog.token.setCurrentIndex(dialog.token.findData("uact"))
    assert dialog.error.text() == ACT_REFUSED
    assert not dialog.send_button.isEnabled() and not dialog.max_button.isEnabled()
    dialog.reject()


def test_max_keeps_the_fee_reserve_and_seed_memo_blocks(qtbot, wallet) -> None:
    tab, ctx, _address = wallet
    dialog = tab.open_send()
    dialog.recipient.set_text(BOB)
    qtbot.mouseClick(dialog.max_button, Qt.MouseButton.LeftButton)
    reserve = fee_reserve_uakt(ctx.settings.gas_price)
    assert Decimal(dialog.amount.text()) * 1_000_000 == tab.overview.amount_of("uakt") - reserve
    assert dialog.send_button.isEnabled()
    dialog.memo.setText(DEMO_MNEMONIC)
    assert dialog.memo_warning.isVisible() and "recovery phrase" in dialog.memo_warning.text()
    assert not dialog.send_button.isEnabled()
    dialog.reject()


def test_save_contact_from_send_then_pick_by_name(qtbot, wallet) -> None:
    tab, _ctx, _address = wallet
    dialog = tab.open_send()
    dialog.recipient.set_text(BOB)
    assert dialog.save_contact.isVisible()
    tab.book.add("Bob", BOB, "friend")
    dialog.recipient.reload_contacts()
    dialog.recipient.set_text("bob")
    assert dialog.recipient.address == BOB and dialog.recipient.contact == "Bob"
    assert "Contact “Bob”" in dialog.recipient.message.text()
    assert not dialog.save_contact.isVisible()
    dialog.reject()
    contacts = tab.open_contacts()
    assert contacts.model.rowCount() == 1
    contacts.search.setText("nobody")
    assert contacts.proxy.rowCount() == 0
    contacts.accept()
    assert AddressBook().get("Bob").address == BOB  # on disk


def test_receive_shows_the_qr_and_copy_clears_later(qtbot, wallet) -> None:
    tab, _ctx, address = wallet
    dialog = tab.open_receive()
    assert isinstance(dialog, ReceiveDialog)
    assert dialog.qr.matrix == qr_matrix(address) and len(dialog.qr.matrix) >= 21 + 8
    image = dialog.qr.to_image(4)
    assert image.pixelColor(0, 0).name() == "#ffffff"  # the quiet zone
    assert image.pixelColor(4 * 4 + 1, 4 * 4 + 1).name() == "#000000"  # the finder pattern's corner
    qtbot.mouseClick(dialog.copy, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == address
    dialog.accept()
    copy_for_a_while(address, 50)  # the same mechanism with a short delay
    assert QApplication.clipboard().text() == address
    qtbot.waitUntil(lambda: QApplication.clipboard().text() == "", timeout=2000)
    copy_for_a_while(address, 50)
    QApplication.clipboard().setText("something else")  # copied since: never wiped
    qtbot.wait(120)
    assert QApplication.clipboard().text() == "something else"


def test_history_csv_export_and_model(qtbot, wallet, tmp_path, qtmodeltester) -> None:
    tab, _ctx, _address = wallet
    dialog = tab.open_send()
    dialog.recipient.set_text(BOB)
    dialog.amount.setText("1")
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    approve(qtbot)
    qtbot.waitUntil(lambda: tab.history_model.rowCount() >= 1, timeout=60_000)
    qtmodeltester.check(tab.history_model)
    path = tmp_path / "history.csv"
    op = tab.export_to(path)
    qtbot.waitUntil(lambda: not op.running, timeout=30_000)
    assert op.state == "ok"
    rows = list(csv.reader(path.open()))
    assert rows[0][:3] == ["time_utc", "height", "txhash"] and len(rows) == tab.history_model.rowCount() + 1


def test_demo_wallet_history_is_decoded(qtbot, localnet) -> None:
    with open_tab(qtbot, localnet, WalletTab, lambda t: t.history_model.rowCount() >= 5, mnemonic=DEMO_MNEMONIC,
                  name="demo") as (tab, _ctx, _address):
        texts = " | ".join(tab.history_model.row_at(r).summary for r in range(tab.history_model.rowCount()))
    assert "Delegated 5,000 AKT to Aurora Staking" in texts, texts  # validator monikers, not akashvaloper1...
    assert "Voted Yes on #4" in texts


def test_history_loads_older_pages_when_scrolled(qtbot, localnet, monkeypatch) -> None:
    from app import history as history_svc

    monkeypatch.setattr(history_svc, "PAGE_SIZE", 3)
    with open_tab(qtbot, localnet, WalletTab, lambda t: t.loader is not None, mnemonic=DEMO_MNEMONIC,
                  name="demo") as (tab, _ctx, _address):
        assert tab.history_model.rowCount() % 3 == 0 or tab.history_model.exhausted  # pages of 3 (or more asked)

        def all_loaded():
            tab.history.scrollToBottom()  # the view asks the lazy model for more as it reaches the end
            tab.history_model.fetchMore()
            return tab.history_model.exhausted

        qtbot.waitUntil(all_loaded, timeout=30_000)
        assert tab.history_model.rowCount() >= 7 and "scroll down" not in tab.history_note.text()
        heights = [tab.history_model.row_at(r).height for r in range(tab.history_model.rowCount())]
        assert heights == sorted(heights, reverse=True)  # newest first across pages
        assert len({tab.history_model.row_at(r).txhash for r in range(tab.history_model.rowCount())}) == len(heights)


def test_new_blocks_put_new_transactions_on_top_keeping_older_pages(qtbot, wallet, monkeypatch) -> None:
    import ui.tabs.wallet as wallet_mod

    tab, _ctx, _address = wallet
    monkeypatch.setattr(wallet_mod, "HISTORY_EVERY_S", 0.0)
    for amount in ("1", "2"):
        dialog = tab.open_send()
        dialog.recipient.set_text(BOB)
        dialog.amount.setText(amount)
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
        approve(qtbot)
        qtbot.waitUntil(lambda dialog=dialog: closed(dialog), timeout=60_000)
    qtbot.waitUntil(lambda: tab.history_model.rowCount() == 2, timeout=30_000)
    loader = tab.loader
    tab.reload(False)  # what a new block does (a light reload): the history is not replaced
    qtbot.wait(500)
    assert tab.loader is loader and tab.history_model.rowCount() == 2
    tab.history_model.set_rows(tab.history_model.rows()[1:])  # as if the newest had arrived after the first load
    tab.reload(False)
    qtbot.waitUntil(lambda: tab.history_model.rowCount() == 2, timeout=30_000)
    assert "2 AKT" in tab.history_model.row_at(0).summary and tab.loader is loader
