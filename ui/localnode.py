"""The local network for `--network local`: reuse a node already listening, else start `python -m app.localnet`.

Only a node this object started is stopped by it. Blocking process work runs in threads (asyncio.to_thread).
"""

from __future__ import annotations

import asyncio
import logging
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from app import config

log = logging.getLogger(__name__)

READY_PREFIX = "localnet ready"  # the line `python -m app.localnet` prints once it serves
_URL = re.compile(r"url=(\S+)")


class LocalNodeError(RuntimeError):
    """The local network could not be started; the message says why and where its log is."""


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class LocalNode:
    def __init__(self, data_dir: Path | None = None, port: int = config.LOCAL_DEFAULT_PORT,
                 chain_id: str = config.LOCAL_CHAIN_ID) -> None:
        self.data_dir = data_dir or config.localnet_dir()
        self.port = port
        self.chain_id = chain_id
        self.url = ""
        self.reused = False
        self.process: subprocess.Popen[str] | None = None
        self.log_path = config.data_dir() / "logs" / "localnet.log"

    async def start(self, timeout_s: float = 30.0) -> str:
        """The node's URL once it answers; reuses a local node already on the port (never stopped by us)."""
        from app.netprobe import probe_endpoint

        preferred = f"http://127.0.0.1:{self.port}"
        if not _port_free(self.port):
            found = await probe_endpoint(preferred, timeout_s=1.0)
            if found.ok and found.chain_id == self.chain_id:
                log.info("using the local network already running at %s", preferred)
                self.url, self.reused = preferred, True
                return self.url
            log.info("port %d is taken by something else; the local network picks a free port", self.port)
            port = 0
        else:
            port = self.port
        self.url = await asyncio.to_thread(self._spawn, port, timeout_s)
        return self.url

    def _spawn(self, port: int, timeout_s: float) -> str:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, "-m", "app.localnet", "--port", str(port), "--data", str(self.data_dir),
               "--chain-id", self.chain_id]
        with open(self.log_path, "ab") as err:  # noqa: PTH123 - the child keeps its own handle
            self.process = subprocess.Popen(
                cmd, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL, text=True,
            )  # same process group: Ctrl+C in the terminal stops both cleanly
        lines: list[str] = []
        reader = threading.Thread(target=self._read_ready, args=(lines,), daemon=True)
        reader.start()
        reader.join(timeout_s)
        url = next((m.group(1) for line in lines if line.startswith(READY_PREFIX) for m in [_URL.search(line)] if m), "")
        if not url:
            code = self.process.poll()
            self.stop()
            why = f"it exited with code {code}" if code is not None else f"it did not answer within {timeout_s:.0f} s"
            raise LocalNodeError(f"the local network did not start ({why}); see {self.log_path}")
        threading.Thread(target=self._drain, daemon=True).start()
        log.info("local network started at %s (pid %d, data %s)", url, self.process.pid, self.data_dir)
        return url

    def _read_ready(self, lines: list[str]) -> None:
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            lines.append(line.strip())
            if line.startswith(READY_PREFIX):
                return

    def _drain(self) -> None:
        """Keep reading the child's stdout so it never blocks on a full pipe."""
        process = self.process
        if process is not None and process.stdout is not None:
            for _line in process.stdout:
                pass

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop the node this object started (SIGTERM, then SIGKILL); a reused node is left running."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()  # SIGTERM: the node finishes its block and closes SQLite
        deadline = time.monotonic() + timeout_s
        while process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        if process.poll() is None:
            log.warning("the local network did not stop in %.0f s; killing it", timeout_s)
            process.kill()
            process.wait(5)
        log.info("local network stopped")
