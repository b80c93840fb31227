"""The node going offline and coming back, seen through the main window: the header says Offline, the open
holder tabs say the network cannot be reached (no error dialog per block), then both recover by themselves."""

from __future__ import annotations

import asyncio
import socket

import pytest
from PySide6.QtWidgets import QMessageBox

from app import config
from app.localnet.runner import LocalNode
from tests.ui.holder_kit import await_task, make_context
from ui.main_window import MainWindow
from ui.tabs.holder import OFFLINE_TEXT


class _Node:
    """A node of our own (the shared one must keep running), stopped and started again on the same port/data."""

    def __init__(self, data_dir) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.data_dir = data_dir
        self.node: LocalNode | None = None

    def start(self) -> None:
        self.node = LocalNode(port=self.port, data_dir=self.data_dir, block_time=1.0, timeout=60)
        self.url = self.node.url
        self.chain_id = self.node.chain_id

    def stop(self) -> None:
        if self.node is not None:
            self.node.stop()
            self.node = None

    # what make_context needs from the shared fixture's client
    def fund(self, address: str) -> None:
        import json
        import urllib.request

        req = urllib.request.Request(f"{self.url}/localnet/faucet", json.dumps({"address": address}).encode(),
                                     {"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(req, timeout=30):
            pass


@pytest.fixture
def own_node(qtbot, tmp_path):
    node = _Node(tmp_path / "node")
    await_task(qtbot, asyncio.to_thread(node.start), 90_000)
    yield node
    node.stop()


def test_offline_and_back(qtbot, own_node) -> None:
    ctx, _address = make_context(own_node)
    assert ctx.network.rest == config.local_network(own_node.port).rest
    window = MainWindow(ctx, use_tray=False)
    qtbot.addWidget(window)
    window.show()
    wallet = window.page("wallet")
    qtbot.waitUntil(lambda: wallet.overview is not None, timeout=30_000)
    window.show_tab("staking")
    staking = window.page("staking")
    qtbot.waitUntil(lambda: staking.position is not None, timeout=30_000)
    qtbot.waitUntil(lambda: window.header.connection.text().startswith("Connected"), timeout=10_000)

    await_task(qtbot, asyncio.to_thread(own_node.stop), 30_000)
    qtbot.waitUntil(lambda: window.header.connection.text() == "Offline", timeout=60_000)
    assert own_node.url in window.header.connection.toolTip()
    staking.refresh()  # F5 while offline: a clear message in the tab, no error dialog
    qtbot.waitUntil(lambda: staking.banner.isVisible(), timeout=60_000)
    assert staking.banner.text() == OFFLINE_TEXT
    window.show_tab("wallet")
    qtbot.waitUntil(lambda: wallet.banner.isVisible(), timeout=60_000)
    assert "cannot be reached" in wallet.banner.text()
    assert wallet.balances_model.rowCount() >= 3  # the last known figures stay
    assert not [b for b in window.findChildren(QMessageBox) if b.isVisible()]

    await_task(qtbot, asyncio.to_thread(own_node.start), 90_000)
    qtbot.waitUntil(lambda: window.header.connection.text().startswith("Connected"), timeout=60_000)
    qtbot.waitUntil(lambda: not wallet.banner.isVisible(), timeout=30_000)
    height = ctx.height
    qtbot.waitUntil(lambda: ctx.height is not None and ctx.height > height, timeout=30_000)
    window.show_tab("staking")
    qtbot.waitUntil(lambda: not staking.banner.isVisible(), timeout=30_000)
    window.close()
    await_task(qtbot, ctx.aclose())
