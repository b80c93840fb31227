"""Crash safety: a failure or a kill between writing and replacing leaves the previous wallet file intact."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from app.wallet.errors import KeystoreError
from app.wallet.kdf import Argon2idParams
from app.wallet.keystore import Keystore

ABANDON = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
FAST = Argon2idParams(memory_kib=1024, iterations=1, lanes=1)
PW = "pw"
ROOT = Path(__file__).resolve().parents[2]

# The child process does a real keystore write and freezes exactly where os.replace would run.
_CHILD = """
import os, sys, time
from app.wallet.kdf import Argon2idParams
from app.wallet.keystore import Keystore

def frozen_replace(src, dst):
    print("READY", src, flush=True)
    time.sleep(120)

os.replace = frozen_replace
ks = Keystore(kdf=Argon2idParams(memory_kib=1024, iterations=1, lanes=1))
op = sys.argv[1]
if op == "add":
    ks.add_account("Main", "pw", "Second", 0, 1)
elif op == "password":
    ks.change_password("Main", "pw", "new")
elif op == "rename":
    ks.rename_account("Main", "Account 1", "Renamed")
"""


@pytest.fixture
def ks() -> Keystore:
    ks = Keystore(kdf=FAST)
    ks.create("Main", ABANDON, PW)
    return ks


def _assert_intact(ks: Keystore, before: bytes) -> None:
    assert ks.path_for("Main").read_bytes() == before
    assert [a.name for a in ks.info("Main").accounts] == ["Account 1"]
    assert ks.unlock("Main", PW).signer(0).address == "akash19rl4cm2hmr8afy4kldpxz3fka4jguq0a3mq6x0"


@pytest.mark.parametrize(
    "operation",
    [
        lambda ks: ks.add_account("Main", PW, "Second", 0, 1),
        lambda ks: ks.change_password("Main", PW, "new"),
        lambda ks: ks.rename_account("Main", "Account 1", "Renamed"),
        lambda ks: ks.store_secret("Main", PW, "k", b"v"),
    ],
)
def test_failed_replace_keeps_the_previous_file(
    ks: Keystore, monkeypatch: pytest.MonkeyPatch, operation
) -> None:
    before = ks.path_for("Main").read_bytes()

    def failing_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(KeystoreError, match="could not save wallet 'Main'.*previous file is unchanged"):
        operation(ks)
    monkeypatch.undo()
    _assert_intact(ks, before)
    assert sorted(p.name for p in ks.root.iterdir()) == [".lock", "Main.wallet"]  # temp file cleaned up


def test_failed_create_leaves_no_wallet(monkeypatch: pytest.MonkeyPatch) -> None:
    ks = Keystore(kdf=FAST)
    monkeypatch.setattr(os, "replace", lambda src, dst: (_ for _ in ()).throw(OSError(5, "I/O error")))
    with pytest.raises(KeystoreError, match="could not save"):
        ks.create("New", ABANDON, PW)
    monkeypatch.undo()
    assert ks.list_wallets() == [] and ks.damaged_files() == []


@pytest.mark.parametrize("op", ["add", "password", "rename"])
def test_process_killed_before_replace(ks: Keystore, op: str) -> None:
    before = ks.path_for("Main").read_bytes()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, op], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True
    )
    try:
        line = child.stdout.readline()
        assert line.startswith("READY"), child.stderr.read()
        temp = Path(line.split(" ", 1)[1].strip())
        assert temp.exists() and temp.stat().st_size > 0  # the new version was fully written...
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    # ... but never replaced the wallet: the previous file is byte-identical and opens
    _assert_intact(ks, before)
    assert stat.S_IMODE(temp.stat().st_mode) == 0o600
    assert [w.name for w in ks.list_wallets()] == ["Main"] and ks.damaged_files() == []
    ks.add_account("Main", PW, "After", 0, 2)  # and the keystore keeps working (the lock died with the child)


def test_temp_file_is_private_before_the_first_byte(ks: Keystore, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, int, int]] = []
    real_mkstemp, real_fdopen = tempfile.mkstemp, os.fdopen

    def mkstemp(*args, **kwargs):
        fd, name = real_mkstemp(*args, **kwargs)
        st = os.fstat(fd)
        seen.append(("created", stat.S_IMODE(st.st_mode), st.st_size))
        return fd, name

    def fdopen(fd, *args, **kwargs):
        st = os.fstat(fd)
        seen.append(("before write", stat.S_IMODE(st.st_mode), st.st_size))
        return real_fdopen(fd, *args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    monkeypatch.setattr(os, "fdopen", fdopen)
    old_umask = os.umask(0)  # a permissive umask must not widen anything
    try:
        ks.add_account("Main", PW, "Second", 0, 1)
        ks.create("Other", ABANDON, PW)
    finally:
        os.umask(old_umask)
    assert seen and all(mode == 0o600 and size == 0 for _, mode, size in seen), seen
    assert {kind for kind, _, _ in seen} == {"created", "before write"}
    for name in ("Main", "Other"):
        assert stat.S_IMODE(ks.path_for(name).stat().st_mode) == 0o600
