"""Holder-tab building blocks without a node: QR code, tally bar, earnings chart, recipient checks, the
address book dialog, the sorting table model, and the coalesced reloads of HolderTab."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app import settings as settings_mod
from app.session import Session
from app.wallet.address import bech32_encode, convert_prefix
from app.wallet.addressbook import AddressBook
from app.wallet.keystore import Keystore
from ui.context import AppContext
from ui.dialogs.contacts import ContactEditor, ContactsDialog
from ui.models.rows import RIGHT, Column, RowsModel, SortFilter, row_of
from ui.tabs.holder import HolderTab
from ui.widgets.address_input import AddressInput, check_recipient
from ui.widgets.earnings_chart import EarningsChart, short_amount
from ui.widgets.qr import QrCode, qr_matrix
from ui.widgets.tally_bar import Tally, TallyBar

ALICE = bech32_encode("akash", bytes([1] * 20))
BOB = bech32_encode("akash", bytes([2] * 20))


def test_qr_matrix_and_painting(qtbot) -> None:
    m = qr_matrix(ALICE)
    n = len(m)
    assert n == len(m[0]) and (n - 8 - 21) % 4 == 0  # a QR version: 21 + 4k modules, plus the quiet zone
    assert not any(m[0]) and not any(row[0] for row in m)  # the quiet zone is light
    assert all(m[4][4:11]) and all(m[10][4:11])  # the top-left finder pattern's outer ring
    widget = QrCode(ALICE)
    qtbot.addWidget(widget)
    widget.resize(300, 300)
    image = widget.grab().toImage()
    assert image.pixelColor(150, 150).isValid()
    assert widget.heightForWidth(123) == 123 and ALICE in widget.toolTip()
    assert QrCode("").matrix == []


def test_tally_bar_segments_and_quorum(qtbot) -> None:
    bar = TallyBar()
    qtbot.addWidget(bar)
    bar.set_tally(Tally(yes=30, no=10, abstain=5, no_with_veto=5, bonded=100, quorum=Decimal("0.334")))
    segments = {o: w for o, _x, w in bar.segments(200.0)}
    assert segments == {"yes": 60.0, "no": 20.0, "no_with_veto": 10.0, "abstain": 10.0}  # shares of bonded
    assert "Turnout: 50.00 %" in bar.toolTip() and "quorum 33.40 %" in bar.toolTip()
    assert "Yes: 60.00 % of votes" in bar.toolTip()
    bar.set_tally(Tally(yes=3, no=1))  # bonded unknown: the bar is the votes
    assert sum(w for _o, _x, w in bar.segments(100.0)) == pytest.approx(100.0)
    bar.set_tally(Tally())
    assert bar.segments(100.0) == []
    bar.resize(300, 22)
    bar.grab()


def test_earnings_chart(qtbot) -> None:
    chart = EarningsChart()
    qtbot.addWidget(chart)
    chart.resize(400, 200)
    start = date(2026, 11, 1)
    chart.set_series([(start + timedelta(days=i), Decimal(i)) for i in range(10)], "ACT")
    rects = chart.bar_rects()
    assert len(rects) == 10 and rects[0].height() == 0
    assert rects[9].height() == pytest.approx(9 / 4 * rects[4].height())
    assert chart.index_at(rects[3].center().x()) == 3 and chart.index_at(-5) == -1
    assert short_amount(Decimal(1500)) == "1.5k" and short_amount(Decimal("0.0123")) == "0.0123"
    chart.grab()
    chart.set_series([], "ACT")
    assert chart.bar_rects() == []
    chart.grab()  # "No earnings in this period"


def test_recipient_checks_in_words(tmp_path) -> None:
    book = AddressBook(tmp_path / "book.json")
    book.add("Alice", ALICE)
    assert check_recipient("", book) == ("", "", "")
    assert check_recipient(ALICE, book) == (ALICE, "Alice", "")
    assert check_recipient("alice", book) == (ALICE, "Alice", "")
    assert check_recipient(BOB, book) == (BOB, "", "")
    address, _name, problem = check_recipient(BOB[:-1] + ("x" if BOB[-1] != "x" else "y"), book)
    assert address == "" and "checksum" in problem
    assert "'akash1' address is needed" in check_recipient(convert_prefix(BOB, "cosmos"), book)[2]
    assert "contact" in check_recipient("nobody", book)[2]


def test_address_input_and_contacts_dialog(qtbot, tmp_path, qtmodeltester) -> None:
    book = AddressBook(tmp_path / "book.json")
    field = AddressInput(book)
    qtbot.addWidget(field)
    seen = []
    field.resolved.connect(lambda a, n: seen.append((a, n)))
    qtbot.keyClicks(field.edit, ALICE)
    assert seen[-1] == (ALICE, "") and "not in your contacts" in field.message.text()
    assert not field.pick.isEnabled()

    dialog = ContactsDialog(book)
    qtbot.addWidget(dialog)
    dialog.open()
    editor = dialog.add()
    assert isinstance(editor, ContactEditor)
    qtbot.keyClicks(editor.name, "Alice")
    qtbot.keyClicks(editor.address, ALICE[:-2])
    assert "Not a valid address" in editor.error.text()
    editor.save()
    assert editor.isVisible() and "Not saved" in editor.error.text()  # stays open, says why
    editor.address.setText(ALICE)
    editor.save()
    assert dialog.model.rowCount() == 1 and book.get("alice").address == ALICE
    qtmodeltester.check(dialog.model)
    dialog.view.selectRow(0)
    editor = dialog.edit_selected()
    editor.name.setText("Alice B")
    editor.save()
    assert [c.name for c in book.contacts()] == ["Alice B"]
    field.reload_contacts()
    assert field.pick.isEnabled()
    field.set_text("alice b")
    assert field.address == ALICE and field.contact == "Alice B"
    dialog.view.selectRow(0)
    box = dialog.remove_selected()
    box.button(QMessageBox.StandardButton.Yes).click()
    assert dialog.model.rowCount() == 0 and book.contacts() == []
    dialog.accept()


class _Numbers(RowsModel[tuple[str, int]]):
    columns = (Column("Name", lambda r: r[0]), Column("Value", lambda r: f"{r[1]:,}", key=lambda r: r[1], align=RIGHT))


def test_rows_model_sorts_numbers_as_numbers_and_keeps_selection(qtbot, qtmodeltester) -> None:
    from PySide6.QtWidgets import QTableView

    model = _Numbers()
    model.set_rows([("a", 900), ("b", 10_000), ("c", 25)])
    proxy = SortFilter(model)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.selectRow([r for r in range(3) if row_of(proxy.index(r, 0))[0] == "a"][0])
    view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert [proxy.index(r, 1).data() for r in range(3)] == ["25", "900", "10,000"]  # not "10,000" < "25"
    (selected,) = view.selectionModel().selectedRows()
    assert row_of(selected) == ("a", 900)  # the selection follows its row
    model.set_rows([("d", 5), ("e", 1)])  # new rows keep the chosen order
    assert [model.row_at(r)[0] for r in range(2)] == ["e", "d"]
    proxy.set_search("d")
    assert proxy.rowCount() == 1
    qtmodeltester.check(model)
    qtmodeltester.check(proxy)


class _CountingTab(HolderTab):
    key = "counting"
    block_interval_s = 0.3

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.reloads: list[bool] = []

    def reload(self, full: bool) -> None:
        self.reloads.append(full)


def test_new_blocks_are_coalesced_and_hidden_tabs_wait(qtbot) -> None:
    ctx = AppContext(settings_mod.load(), Session(settings_mod.load(), Keystore()))
    ctx.client = object()  # anything: the tab's reload is counted, not run
    tab = _CountingTab(ctx)
    qtbot.addWidget(tab)
    tab.refresh()
    assert tab.reloads == []  # hidden: only marked stale
    tab.show()
    tab.shown()
    assert tab.reloads == [True]
    for h in range(20):
        ctx.height_changed.emit(100 + h)  # 20 blocks in a burst
    qtbot.waitUntil(lambda: len(tab.reloads) == 2, timeout=2000)
    qtbot.wait(400)
    assert tab.reloads == [True, False]  # one light reload for the burst
    ctx.tx_done.emit(object())
    assert tab.reloads[-1] is True
    tab.hide()
    ctx.height_changed.emit(200)
    qtbot.wait(400)
    assert len(tab.reloads) == 3
    tab.show()
    tab.shown()
    assert len(tab.reloads) == 4  # stale while hidden: reloaded when shown again
