"""End to end on the real local node: unlock -> fee estimate -> confirmation in words -> sent -> in a block."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget

from app import config
from app import settings as settings_mod
from app.chain import bank
from app.localnet.genesis import DEMO_ADDRESS, DEMO_MNEMONIC
from app.proto.registry import message_class
from app.session import Session
from app.wallet.address import bech32_encode
from app.wallet.kdf import Argon2idParams
from app.wallet.keystore import Keystore
from ui import ops
from ui.context import AppContext
from ui.dialogs.confirm import ConfirmDialog
from ui.dialogs.unlock import UnlockDialog
from ui.localnode import LocalNode
from ui.sign import sign_and_send

PASSWORD = "violet-Harbor-42-kite"
BOB = bech32_encode("akash", bytes(range(20)))


def _await(qtbot, coro, timeout_ms: int = 30_000):
    task = asyncio.ensure_future(coro)
    qtbot.waitUntil(task.done, timeout=timeout_ms)
    return task.result()


def _visible(kind):
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None)


@pytest.fixture
def node(qtbot, tmp_path: Path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    local = LocalNode(tmp_path / "localnet", port=port)
    url = _await(qtbot, local.start(timeout_s=60), 60_000)
    yield port, url
    local.stop()


@pytest.fixture
def ctx(qtbot, node):
    port, _url = node
    keystore = Keystore(kdf=Argon2idParams(memory_kib=1024, iterations=1, lanes=1))
    keystore.create("demo", DEMO_MNEMONIC, PASSWORD)
    session = Session(settings_mod.load(), keystore)
    session.reload()
    context = AppContext(session.settings, session, config.local_network(port))
    context.connect_chain()
    yield context
    _await(qtbot, context.aclose())


def _send(amount: int):
    coin = message_class("/cosmos.base.v1beta1.Coin")
    return message_class("/cosmos.bank.v1beta1.MsgSend")(from_address=DEMO_ADDRESS, to_address=BOB,
                                                         amount=[coin(denom="uakt", amount=str(amount))])


def test_send_goes_through_unlock_confirm_and_lands_in_a_block(qtbot, ctx) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    done = []
    status = []
    ctx.status.connect(status.append)
    op = ops.run_op(parent, lambda: sign_and_send(parent, ctx, [_send(1_250_000)], memo="thanks"), success=done.append)

    qtbot.waitUntil(lambda: _visible(UnlockDialog) is not None, timeout=5000)
    unlock = _visible(UnlockDialog)
    qtbot.keyClicks(unlock.password, PASSWORD)
    qtbot.mouseClick(unlock.ok, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: _visible(ConfirmDialog) is not None, timeout=20_000)
    confirm = _visible(ConfirmDialog)
    texts = " ".join(label.text() for label in confirm.findChildren(QLabel))
    assert "Send 1.25 AKT" in texts and BOB in texts and "thanks" in texts
    assert f"your Account 1 ({DEMO_ADDRESS})" in texts
    assert "AKT (" in confirm.fee.text() and "gas" in confirm.fee.text()
    assert not confirm.password.isVisible()  # unlocked just before
    qtbot.mouseClick(confirm.approve, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: not op.running, timeout=60_000)
    assert op.state == "ok", op.state
    (result,) = done
    assert result.ok and result.height > 0 and result.memo == "thanks"
    coin = _await(qtbot, bank.balance(ctx.client, BOB, "uakt"))
    assert int(coin.amount) == 1_250_000
    assert any("confirmed in block" in s for s in status)


def test_cancelling_the_confirmation_sends_nothing(qtbot, ctx) -> None:
    ctx.session.unlock(PASSWORD)
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    done = []
    op = ops.run_op(parent, lambda: sign_and_send(parent, ctx, [_send(1)]), success=done.append)
    qtbot.waitUntil(lambda: _visible(ConfirmDialog) is not None, timeout=20_000)
    qtbot.mouseClick(_visible(ConfirmDialog).cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not op.running, timeout=5000)
    assert done == [None]
    coin = _await(qtbot, bank.balance(ctx.client, BOB, "uakt"))
    assert int(coin.amount) == 0


def test_insufficient_funds_is_refused_in_words(qtbot, ctx) -> None:
    ctx.session.unlock(PASSWORD)
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    op = ops.run_op(parent, lambda: sign_and_send(parent, ctx, [_send(10**15)]), success=lambda _r: None)
    qtbot.waitUntil(lambda: not op.running, timeout=30_000)
    assert op.state == "failed"
    box = next(b for b in parent.findChildren(QMessageBox)
               if b.isVisible())
    assert "refused" in box.windowTitle() and "Traceback" not in box.text()
    box.close()
