"""The local network for `--network local`: reuse a node already listening, else start one with the core's runner.

Only a node this object started is stopped by it. The blocking start runs in a thread (asyncio.to_thread), so the
window stays responsive while the node boots.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from pathlib import Path

from app import config
from app.localnet import runner

log = logging.getLogger(__name__)


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
        self.node: runner.LocalNode | None = None
        self.log_path = config.data_dir() / "logs" / "localnet.log"

    async def start(self, timeout_s: float = 30.0) -> str:
        """The node's URL once it answers; reuses a local node already on the port (never stopped by us)."""
        from app.netprobe import probe_endpoint

        preferred = f"http://127.0.0.1:{self.port}"
        port = self.port
        if not _port_free(self.port):
            found = await probe_endpoint(preferred, timeout_s=1.0)
            if found.ok and found.chain_id == self.chain_id:
                log.info("using the local network already running at %s", preferred)
                self.url, self.reused = preferred, True
                return self.url
            log.info("port %d is taken by something else; the local network picks a free port", self.port)
            port = 0
        self.data_dir.mkdir(parents=True, exist_ok=True)
        try:
            self.node = await asyncio.to_thread(
                runner.LocalNode, port=port, data_dir=self.data_dir, chain_id=self.chain_id,
                timeout=timeout_s, log_path=self.log_path)
        except runner.LocalnetError as exc:
            raise LocalNodeError(f"the local network did not start; see {self.log_path}") from exc
        self.url = self.node.url
        log.info("local network started at %s (pid %d, data %s)", self.url, self.node.pid, self.data_dir)
        return self.url

    @property
    def process(self):  # noqa: ANN201 - the child process, for tests
        return self.node.proc if self.node is not None else None

    @property
    def running(self) -> bool:
        return self.node is not None and self.node.running

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop the node this object started (SIGTERM, then SIGKILL); a reused node is left running."""
        node, self.node = self.node, None
        if node is not None:
            node.stop(timeout=timeout_s)
            log.info("local network stopped")
