"""`python -m app tx sign --wallet NAME --account N`: offline signing with the encrypted keystore."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.wallet.kdf import Argon2idParams
from app.wallet.keystore import Keystore

ROOT = Path(__file__).resolve().parent.parent.parent
VECTORS = ROOT / "tests" / "vectors" / "tx"
ABANDON = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def wallet_request(tmp_path: Path) -> Path:
    Keystore(kdf=Argon2idParams(memory_kib=1024, iterations=1, lanes=1)).create(
        "main", ABANDON, PASSWORD, accounts=(("Account 1", 0, 0), ("Provider", 0, 1)))
    req = json.loads((VECTORS / "tx-bank-send.json").read_text())
    del req["mnemonic"]
    path = tmp_path / "req.json"
    path.write_text(json.dumps(req))
    return path


def _sign(path: Path, *extra: str, password: str = PASSWORD) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", "tx", "sign", str(path), "--wallet", "main", "--password-stdin", *extra],
                          cwd=ROOT, input=password + "\n", capture_output=True, text=True, timeout=60)


def test_wallet_signature_equals_the_mnemonic_one(wallet_request: Path) -> None:
    proc = _sign(wallet_request, "--account", "0")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    expected = json.loads((VECTORS / "tx-bank-send.out.json").read_text())
    for key in ("tx_bytes_b64", "sign_doc_hex", "signature_b64", "txhash", "signer_address"):
        assert out[key] == expected[key]
    assert out["wallet"] == "main"
    assert PASSWORD not in proc.stdout + proc.stderr


def test_account_by_name(wallet_request: Path) -> None:
    proc = _sign(wallet_request, "--account", "Provider")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["signer_address"] == "akash1jrkmdcwgq94uaamx6zax2luewlhf7u4k3rtk0c"


def test_wrong_password_fails_cleanly(wallet_request: Path) -> None:
    proc = _sign(wallet_request, password="not it")
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert "error" in json.loads(proc.stdout)


def test_mnemonic_and_wallet_together_is_refused(wallet_request: Path, tmp_path: Path) -> None:
    path = tmp_path / "both.json"
    path.write_text((VECTORS / "tx-bank-send.json").read_text())
    proc = _sign(path)
    assert proc.returncode != 0 and "not both" in proc.stderr
