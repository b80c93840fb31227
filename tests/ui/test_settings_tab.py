"""The Settings tab through its widgets: persistence of every setting, endpoints, latency probe, network."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app import config
from app import settings as settings_mod
from app.session import Session
from app.wallet.kdf import Argon2idParams
from app.wallet.keystore import Keystore
from ui.context import AppContext
from ui.resources import apply_theme
from ui.tabs.settings import SettingsTab


class _NodeInfo(BaseHTTPRequestHandler):
    chain_id = "akashnet-2"

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        if self.path.startswith("/cosmos/base/tendermint/v1beta1/node_info"):
            body = {"default_node_info": {"network": self.chain_id}, "application_version": {"version": "v2"}}
        elif self.path.startswith("/cosmos/base/tendermint/v1beta1/blocks/latest"):
            body = {"block": {"header": {"chain_id": self.chain_id, "height": "42", "time": "2026-01-01T00:00:00Z"}}}
        else:
            self.send_error(404)
            return
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def node():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _NodeInfo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def tab(qtbot):
    session = Session(settings_mod.load(), Keystore(kdf=Argon2idParams(memory_kib=1024, iterations=1, lanes=1)))
    ctx = AppContext(session.settings, session)
    page = SettingsTab(ctx)
    qtbot.addWidget(page)
    page.show()
    yield page
    apply_theme(QApplication.instance(), "system")
    if ctx.client is not None:
        ctx._drop_client()


def test_theme_auto_lock_and_notifications_persist(qtbot, tab) -> None:
    tab.theme.setCurrentIndex(tab.theme.findData("dark"))
    assert QApplication.instance().property("akashTheme") == "dark"
    assert QApplication.instance().styleSheet()
    tab.auto_lock.setValue(7)
    tab.notify_boxes["low_runway"].setChecked(False)
    saved = settings_mod.load()
    assert saved.theme == "dark" and saved.auto_lock_minutes == 7 and saved.notifications.low_runway is False
    tab.auto_lock.setValue(0)
    assert tab.auto_lock.text() == "Never" and settings_mod.load().auto_lock_minutes == 0


def test_gas_price_validation(qtbot, tab) -> None:
    tab.gas_price.setText("0.0001")
    qtbot.mouseClick(tab.gas_apply, Qt.MouseButton.LeftButton)
    assert "at least" in tab.gas_error.text()
    assert settings_mod.load().gas_price == config.DEFAULT_GAS_PRICE_UAKT
    tab.gas_price.setText("0.0300")
    qtbot.mouseClick(tab.gas_apply, Qt.MouseButton.LeftButton)
    assert tab.gas_error.text() == "" and settings_mod.load().gas_price == "0.03"


def test_custom_endpoints_and_latency_probe(qtbot, tab, node) -> None:
    tab.network.setCurrentIndex(tab.network.findData("sandbox"))
    assert [tab.endpoints.item(i).text() for i in range(tab.endpoints.count())] == list(config.SANDBOX.rest)
    tab.new_endpoint.setText("ftp://nope")
    qtbot.mouseClick(tab.add_endpoint, Qt.MouseButton.LeftButton)
    assert "https://" in tab.endpoint_error.text()
    tab.new_endpoint.setText(node + "/")
    qtbot.mouseClick(tab.add_endpoint, Qt.MouseButton.LeftButton)
    assert tab.endpoints.count() == 1 and tab.endpoints.item(0).text() == node
    assert settings_mod.load().custom_endpoints == {"sandbox": [node]}
    _NodeInfo.chain_id = "akashnet-2"  # the wrong chain for the sandbox: the probe says so
    op = tab.probe_latency()
    qtbot.waitUntil(lambda: not op.running, timeout=10_000)
    assert " ms · serves akashnet-2, not sandbox-2" in tab.endpoints.item(0).text()
    tab.endpoints.setCurrentRow(0)
    qtbot.mouseClick(tab.remove_endpoint, Qt.MouseButton.LeftButton)
    assert settings_mod.load().custom_endpoints == {}
    assert tab.endpoints.count() == len(config.SANDBOX.rest)


def test_switching_network_uses_the_custom_endpoint(qtbot, tab, node) -> None:
    _NodeInfo.chain_id = "sandbox-2"
    tab.ctx.settings.custom_endpoints["sandbox"] = [node]
    heights = []
    tab.ctx.height_changed.connect(heights.append)
    tab.network.setCurrentIndex(tab.network.findData("sandbox"))
    assert tab.use_network.isEnabled()
    qtbot.mouseClick(tab.use_network, Qt.MouseButton.LeftButton)
    assert tab.ctx.network.key == "sandbox" and tab.ctx.network.rest == (node,)
    assert settings_mod.load().network == "sandbox"
    assert tab.use_network.text() == "In use" and not tab.use_network.isEnabled()
    qtbot.waitUntil(lambda: heights == [42], timeout=10_000)


def test_data_folder_is_shown(qtbot, tab) -> None:
    assert tab.data_folder.text() == str(config.data_dir())
    assert tab.data_folder.isReadOnly()
