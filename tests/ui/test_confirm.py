"""The confirmation dialog: plain words, fee, balance after, password when locked, approve / cancel."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from app import settings as settings_mod
from app.proto.registry import message_class
from app.session import Session
from app.tx.describe import DescribeContext
from app.wallet.kdf import Argon2idParams
from app.wallet.keystore import Keystore
from app.wallet.mnemonic import generate_mnemonic
from ui.dialogs.confirm import ConfirmDialog, ConfirmRequest, ask_confirmation

PASSWORD = "violet-Harbor-42-kite"
OWNER = "akash19rl4cm2hmr8afy4kldpxz3fka4jguq0a3mq6x0"
BOB = "akash1jrkmdcwgq94uaamx6zax2luewlhf7u4k3rtk0c"


def _send(amount: str = "2500000"):
    coin = message_class("/cosmos.base.v1beta1.Coin")
    return message_class("/cosmos.bank.v1beta1.MsgSend")(from_address=OWNER, to_address=BOB,
                                                         amount=[coin(denom="uakt", amount=amount)])


@pytest.fixture
def session() -> Session:
    ks = Keystore(kdf=Argon2idParams(memory_kib=1024, iterations=1, lanes=1))
    ks.create("main", generate_mnemonic(12), PASSWORD)
    s = Session(settings_mod.load(), ks)
    s.reload()
    return s


def _request(**kw) -> ConfirmRequest:
    return ConfirmRequest.from_msgs([_send()], DescribeContext(names={BOB: "Bob"}), fee_uakt=5000, gas=200_000,
                                    balance_after={"uakt": 7_495_000}, network_name="Local network", **kw)


def _texts(dialog) -> str:
    return "\n".join(label.text() for label in dialog.findChildren(QLabel))


def test_shows_messages_fee_and_balance_and_approves_when_unlocked(qtbot, session) -> None:
    session.unlock(PASSWORD)
    dialog = ConfirmDialog(_request(memo="rent"), session)
    qtbot.addWidget(dialog)
    dialog.show()
    text = _texts(dialog)
    assert "Send 2.5 AKT" in text and f"Bob ({BOB})" in text
    assert dialog.fee.text() == "0.005 AKT (5,000 uakt, gas 200,000)"
    assert dialog.balance.text() == "7.495 AKT"
    assert "rent" in text
    assert not dialog.password.isVisible()
    assert dialog.cancel.isDefault() and not dialog.approve.isDefault()
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.mouseClick(dialog.approve, Qt.MouseButton.LeftButton)


def test_locked_wallet_needs_the_password_and_a_wrong_one_says_so(qtbot, session) -> None:
    dialog = ConfirmDialog(_request(), session)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.password.isVisible()
    qtbot.mouseClick(dialog.approve, Qt.MouseButton.LeftButton)
    assert "Enter the wallet password" in dialog.error.text() and dialog.isVisible()
    qtbot.keyClicks(dialog.password, "nope")
    qtbot.mouseClick(dialog.approve, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Wrong password" in dialog.error.text(), timeout=5000)
    assert dialog.isVisible() and session.locked and dialog.approve.isEnabled()
    dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        qtbot.mouseClick(dialog.approve, Qt.MouseButton.LeftButton)
    assert not session.locked and dialog.password.text() == ""


def test_not_enough_funds_disables_approve(qtbot) -> None:
    dialog = ConfirmDialog(ConfirmRequest.from_msgs([_send("9000000")], fee_uakt=5000, balance_after={"uakt": -1_505_000}))
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.approve.isEnabled()
    assert "1.505 AKT missing" in dialog.error.text()


def test_fee_not_yet_estimated_and_mainnet_banner(qtbot) -> None:
    dialog = ConfirmDialog(ConfirmRequest.from_msgs([_send()], mainnet=True))
    qtbot.addWidget(dialog)
    dialog.show()
    assert "estimated when sent" in dialog.fee.text()
    assert "real funds" in _texts(dialog)


def _open_confirm_dialog() -> ConfirmDialog | None:
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, ConfirmDialog) and w.isVisible()), None)


@pytest.mark.parametrize(("button", "expected"), [("cancel", False), ("approve", True)])
def test_ask_confirmation_returns_the_answer_without_a_nested_loop(qtbot, button, expected) -> None:
    results = []

    async def flow():
        results.append(await ask_confirmation(None, _request()))

    task = asyncio.ensure_future(flow())
    qtbot.waitUntil(lambda: _open_confirm_dialog() is not None, timeout=2000)
    qtbot.mouseClick(getattr(_open_confirm_dialog(), button), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(task.done, timeout=2000)
    assert results == [expected]
    assert _open_confirm_dialog() is None
