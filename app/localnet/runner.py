"""Start a local node as a subprocess on a free port, wait until it answers, stop it (app `make run` and tests)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from app.config import LOCAL_CHAIN_ID
from app.resources import LOCALNET_CHILD_FLAG, frozen

READY_PREFIX = "localnet ready"


def node_command() -> list[str]:
    """The command that runs `app.localnet` (its own arguments follow)."""
    if frozen():
        return [sys.executable, LOCALNET_CHILD_FLAG]
    return [sys.executable, "-m", "app.localnet"]


class LocalnetError(RuntimeError):
    """The local node did not start (its stderr is in the message)."""


class LocalNode:
    """A running `python -m app.localnet`; `.url`, `.chain_id`, `.data_dir`, `.stop()`."""

    def __init__(self, *, port: int = 0, data_dir: Path | None = None, block_time: float = 1.0,
                 chain_id: str = LOCAL_CHAIN_ID, reset: bool = False, unbonding_seconds: int = 180,
                 timeout: float = 20.0, log_path: Path | None = None) -> None:
        self._tmp = None if data_dir is not None else tempfile.TemporaryDirectory(prefix="localnet-")
        self.data_dir = Path(data_dir) if data_dir is not None else Path(self._tmp.name)  # type: ignore[union-attr]
        self.chain_id = chain_id
        self.block_time = block_time
        args = [*node_command(), "--port", str(port), "--data", str(self.data_dir),
                "--block-time", str(block_time), "--chain-id", chain_id,
                "--unbonding-seconds", str(unbonding_seconds), "--exit-with-parent", str(os.getpid())]
        if reset:
            args.append("--reset")
        # The node's log: a file the app keeps (log_path), or a temp file whose tail goes into start errors.
        if log_path is not None:
            Path(log_path).parent.mkdir(parents=True, exist_ok=True)
            self._stderr = open(log_path, "ab+")  # noqa: SIM115, PTH123 - lives as long as the process
        else:
            self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the process
        self._stderr_start = self._stderr.seek(0, os.SEEK_END)
        root = Path(__file__).resolve().parents[2]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")])}
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self._stderr, text=True, env=env,
                                     cwd=root)
        self.url = self._wait_ready(timeout)
        # Keep reading stdout so the child never blocks on a full pipe.
        threading.Thread(target=self._drain, name="localnet-stdout", daemon=True).start()

    def _drain(self) -> None:
        stdout = self.proc.stdout
        try:
            for _line in stdout or ():
                pass
        except (OSError, ValueError):  # closed by stop()
            pass

    def _wait_ready(self, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line.startswith(READY_PREFIX):
            self.proc.wait(timeout=5)
            self._stderr.seek(self._stderr_start)
            raise LocalnetError(f"the local node did not start: {self._stderr.read().decode(errors='replace')[-2000:]}")
        url = line.split("url=", 1)[1].split()[0]
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/cosmos/base/tendermint/v1beta1/node_info", timeout=2):
                    return url
            except (urllib.error.URLError, OSError):
                time.sleep(0.05)
        self.stop()
        raise LocalnetError(f"the local node at {url} did not answer within {timeout:.0f} s")

    @property
    def running(self) -> bool:
        return self.proc.poll() is None

    @property
    def pid(self) -> int:
        return self.proc.pid

    def kill(self) -> None:
        """SIGKILL, as a crash would (tests of durability)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self, timeout: float = 10.0) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self._stderr.close()

    def cleanup(self) -> None:
        self.stop()
        if self._tmp is not None:
            self._tmp.cleanup()

    def __enter__(self) -> LocalNode:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cleanup()


def start(**kwargs: object) -> LocalNode:
    return LocalNode(**kwargs)  # type: ignore[arg-type]
