"""The runner's local node never outlives the process that started it, even when that process crashes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CRASHING_PARENT = """
import os, sys
from app.localnet.runner import LocalNode
node = LocalNode(data_dir=sys.argv[1])
print(node.pid, flush=True)
os._exit(3)  # a crash: no stop(), no cleanup
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie still answers kill(0); look at its state
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_node_stops_when_its_parent_dies(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-c", CRASHING_PARENT, str(tmp_path / "node")], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 3, out.stderr
    pid = int(out.stdout.split()[0])
    deadline = time.monotonic() + 15
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(pid), "the local node kept running after its parent crashed"
