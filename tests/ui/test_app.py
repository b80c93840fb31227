"""The entry point: arguments, the remembered network, friendly errors, the local node lifecycle."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from app.netprobe import probe_endpoint
from ui import app as ui_app
from ui.localnode import LocalNode

ROOT = Path(__file__).resolve().parents[2]


def _run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", AKASH_DESK_HOME=str(home))
    return subprocess.run([sys.executable, "-m", "ui.app", "--data", str(home), "--exit-when-ready", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_parse_args() -> None:
    args = ui_app.parse_args(["--network", "local", "--demo", "--data", "/tmp/x"])
    assert args.network == "local" and args.demo and args.data == Path("/tmp/x")
    assert ui_app.parse_args([]).network is None
    with pytest.raises(SystemExit):
        ui_app.parse_args(["--network", "moon"])


def test_network_choice_is_remembered(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    # Loopback endpoints only: nothing may leave the machine from a test.
    (home / "settings.json").write_text(json.dumps({"version": 1, "custom_endpoints": {
        "mainnet": ["http://127.0.0.1:9"], "sandbox": ["http://127.0.0.1:9"]}}))
    first = _run(home, "--network", "sandbox")
    assert first.returncode == 0, first.stderr
    assert "akash-desk ready" in first.stdout and "network=sandbox" in first.stdout
    assert json.loads((home / "settings.json").read_text())["network"] == "sandbox"
    again = _run(home)
    assert again.returncode == 0 and "network=sandbox" in again.stdout
    log = (home / "logs" / "akash-desk.log").read_text()
    assert "Akash Desk closed" in log
    assert "Traceback" not in first.stderr + again.stderr


def test_unhandled_errors_are_logged_and_shown_in_words(qtbot, caplog) -> None:
    saved = sys.excepthook
    try:
        ui_app.install_error_hooks()
        try:
            raise ValueError("mnemonic abandon abandon abandon abandon abandon abandon abandon abandon "
                             "abandon abandon abandon about")
        except ValueError:
            sys.excepthook(*sys.exc_info())
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        assert len(boxes) == 1
        box = boxes[0]
        assert box.windowTitle() == "Something went wrong"
        assert "Traceback" not in box.text() and "abandon abandon" not in box.text()
        assert "unhandled error" in caplog.text
        box.close()
    finally:
        sys.excepthook = saved


def test_local_node_starts_answers_and_stops(qtbot, tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    node = LocalNode(tmp_path / "localnet", port=port)
    started = asyncio.ensure_future(node.start(timeout_s=60))
    qtbot.waitUntil(started.done, timeout=60_000)
    url = started.result()
    assert url == f"http://127.0.0.1:{port}" and node.running and not node.reused
    probe = asyncio.ensure_future(probe_endpoint(url))
    qtbot.waitUntil(probe.done, timeout=10_000)
    assert probe.result().chain_id == "localnet-1"
    # A second app finds it running and reuses it instead of starting another node on the same data.
    other = LocalNode(tmp_path / "localnet", port=port)
    reused = asyncio.ensure_future(other.start())
    qtbot.waitUntil(reused.done, timeout=10_000)
    assert reused.result() == url and other.reused
    other.stop()
    assert node.running  # stop() of the reusing app leaves the node alone
    process = node.process
    node.stop()
    assert not node.running and process.poll() is not None
