"""The wallet wizard driven through its real widgets: create (verify words), import, watch-only, demo."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from app.wallet.address import bech32_encode
from app.wallet.hd import derive_private_key
from app.wallet.kdf import Argon2idParams
from app.wallet.keystore import Keystore
from app.wallet.mnemonic import generate_mnemonic
from app.wallet.signer import Signer
from app.wallet.unlocked import UnlockedWallet
from app.wallet.wizard import DEMO_WALLET_NAME, Step
from ui.wizard import WalletWizard

FAST = Argon2idParams(memory_kib=1024, iterations=1, lanes=1)
PASSWORD = "violet-Harbor-42-kite"
WATCHED = bech32_encode("akash", bytes(range(20)))


@pytest.fixture
def keystore() -> Keystore:
    return Keystore(kdf=FAST)


@pytest.fixture
def wizard(qtbot, keystore):
    w = WalletWizard(keystore)
    qtbot.addWidget(w)
    w.show()
    return w


def _results(wizard: WalletWizard) -> list[object]:
    got: list[object] = []
    wizard.finished_wallet.connect(got.append)
    return got


def _set_password(qtbot, wizard: WalletWizard, name: str) -> None:
    page = wizard.password
    page.name.setText(name)
    qtbot.keyClicks(page.fields.password, PASSWORD)
    assert not wizard.next.isEnabled()  # not confirmed yet
    qtbot.keyClicks(page.fields.confirm, PASSWORD)
    assert page.fields.hint.property("level") in ("3", "4")
    assert wizard.next.isEnabled()


def test_create_shows_words_once_and_verifies_them_in_order(qtbot, wizard, keystore, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    QApplication.clipboard().setText("untouched")
    got = _results(wizard)
    qtbot.mouseClick(wizard.choose.create, Qt.MouseButton.LeftButton)
    assert wizard.stack.currentWidget() is wizard.show_words
    words = [label.text().split(". ", 1)[1] for label in wizard.show_words.labels]
    assert len(words) == 24
    assert not wizard.next.isEnabled()
    wizard.show_words.written.setChecked(True)
    qtbot.mouseClick(wizard.next, Qt.MouseButton.LeftButton)
    assert wizard.stack.currentWidget() is wizard.verify
    assert wizard.show_words.labels == []  # the words are gone from the screen
    picker = wizard.verify.picker
    # A wrong first pick is refused with a message.
    wrong = next(b for b in picker.buttons if b.text() != words[0])
    qtbot.mouseClick(wrong, Qt.MouseButton.LeftButton)
    assert "is not word 1" in picker.feedback.text() and picker.quiz.picked == []
    for word in words:
        button = next(b for b in picker.buttons if b.text() == word and b.isEnabled())
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert picker.quiz.complete and wizard.next.isEnabled()
    qtbot.mouseClick(wizard.next, Qt.MouseButton.LeftButton)
    assert wizard.stack.currentWidget() is wizard.password
    _set_password(qtbot, wizard, "Main")
    assert wizard.next.text() == "Create wallet"
    qtbot.mouseClick(wizard.next, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(got), timeout=10_000)
    (wallet,) = got
    assert isinstance(wallet, UnlockedWallet) and wallet.name == "Main"
    assert wallet.accounts[0].address == Signer.from_mnemonic(" ".join(words)).address
    assert keystore.reveal_mnemonic("Main", PASSWORD) == " ".join(words)
    assert not wizard.isVisible()
    assert QApplication.clipboard().text() == "untouched"  # the phrase never went to the clipboard
    assert " ".join(words) not in caplog.text and PASSWORD not in caplog.text
    wallet.lock()


def test_import_with_passphrase_account_and_index(qtbot, wizard, keystore) -> None:
    got = _results(wizard)
    phrase = generate_mnemonic(12)
    qtbot.mouseClick(wizard.choose.restore, Qt.MouseButton.LeftButton)
    page = wizard.import_page
    page.phrase.setPlainText("zzzz " + " ".join(phrase.split()[1:]))
    assert "word 1 'zzzz'" in page.status.text() and not wizard.next.isEnabled()
    page.phrase.setPlainText(phrase)
    assert page.status.text() == "" and wizard.next.isEnabled()
    page.passphrase.setText("my extension")
    page.account.setValue(2)
    page.index.setValue(5)
    qtbot.mouseClick(wizard.next, Qt.MouseButton.LeftButton)
    assert page.phrase.toPlainText() == "" and page.passphrase.text() == ""  # not kept in widgets
    _set_password(qtbot, wizard, "Imported")
    qtbot.mouseClick(wizard.next, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(got), timeout=10_000)
    expected = Signer(derive_private_key(phrase, 2, 5, "my extension")).address
    assert got[0].accounts[0].address == expected
    got[0].lock()


def test_watch_only_refuses_a_bad_address_then_watches(qtbot, wizard, keystore) -> None:
    got = _results(wizard)
    qtbot.mouseClick(wizard.choose.watch, Qt.MouseButton.LeftButton)
    assert wizard.stack.currentWidget() is wizard.watch
    wizard.watch.name.setText("Cold storage")
    wizard.watch.address.setText(WATCHED[:-1] + ("q" if WATCHED[-1] != "q" else "p"))
    qtbot.mouseClick(wizard.next, Qt.MouseButton.LeftButton)
    assert "checksum" in wizard.watch.status.text()
    assert wizard.flow.step is Step.WATCH_ADDRESS
    wizard.watch.address.setText(WATCHED)
    qtbot.mouseClick(wizard.next, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    assert got[0].watch_only and got[0].accounts[0].address == WATCHED
    assert keystore.info("Cold storage").watch_only


def test_weak_password_is_refused_with_a_hint(qtbot, wizard) -> None:
    qtbot.mouseClick(wizard.choose.restore, Qt.MouseButton.LeftButton)
    wizard.import_page.phrase.setPlainText(generate_mnemonic(12))
    qtbot.mouseClick(wizard.next, Qt.MouseButton.LeftButton)
    fields = wizard.password.fields
    qtbot.keyClicks(fields.password, "password1")
    qtbot.keyClicks(fields.confirm, "password1")
    assert "common" in fields.hint.text()
    assert not wizard.next.isEnabled()


def test_back_and_cancel_forget_the_phrase(qtbot, wizard) -> None:
    qtbot.mouseClick(wizard.choose.create, Qt.MouseButton.LeftButton)
    first = [lbl.text() for lbl in wizard.show_words.labels]
    qtbot.mouseClick(wizard.back, Qt.MouseButton.LeftButton)
    assert wizard.stack.currentWidget() is wizard.choose and wizard.flow.quiz is None
    qtbot.mouseClick(wizard.choose.create, Qt.MouseButton.LeftButton)
    again = [lbl.text() for lbl in wizard.show_words.labels]
    assert len(again) == 24 and again != first  # a fresh phrase each time
    wizard.reject()
    assert wizard.flow.quiz is None and wizard.show_words.labels == []


def test_demo_wallet_one_click(qtbot, keystore) -> None:
    phrase = generate_mnemonic(24)
    w = WalletWizard(keystore, demo_mnemonic=phrase)
    qtbot.addWidget(w)
    w.show()
    got = _results(w)
    assert w.choose.demo.isVisible()
    warning = w.findChild(QLabel, "testOnlyWarning")
    assert warning.isVisible() and "never send real funds" in warning.text()
    qtbot.mouseClick(w.choose.demo, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(got), timeout=10_000)
    assert got[0].name == DEMO_WALLET_NAME
    assert got[0].accounts[0].address == Signer.from_mnemonic(phrase).address
    got[0].lock()


def test_no_demo_button_without_a_demo_phrase(qtbot, wizard) -> None:
    assert not wizard.choose.demo.isVisible()
