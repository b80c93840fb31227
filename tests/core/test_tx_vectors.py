"""Signing requests give byte-identical results to the official libraries (oracle vectors)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.tx import jsvalue
from app.tx.signrequest import sign_json_request

VECTORS = Path(__file__).resolve().parent.parent / "vectors" / "tx"
REQUESTS = sorted(p for p in VECTORS.glob("tx-*.json") if not p.name.endswith(".out.json"))
COMPARED = ("tx_bytes_b64", "body_bytes_hex", "auth_info_bytes_hex", "sign_doc_hex", "signature_b64", "txhash",
            "signer_address", "pubkey_b64", "hd_path")
ROOT = Path(__file__).resolve().parent.parent.parent


def _expected(request: Path) -> dict:
    return json.loads(request.with_name(request.name[: -len(".json")] + ".out.json").read_text())


def _same(out: dict, exp: dict) -> None:
    for key in COMPARED:
        assert out[key] == exp[key], key
    assert len(out["msgs"]) == len(exp["msgs"])
    for mine, theirs in zip(out["msgs"], exp["msgs"], strict=True):
        for key in ("typeUrl", "type_source", "value_key_style", "value_hex"):
            assert mine[key] == theirs[key], key


def test_all_samples_present() -> None:
    assert len(REQUESTS) == 27


@pytest.mark.parametrize("request_path", REQUESTS, ids=lambda p: p.stem)
def test_sample_in_process(request_path: Path) -> None:
    _same(sign_json_request(jsvalue.loads(request_path.read_text())), _expected(request_path))


@pytest.mark.parametrize("name", ["tx-bank-send-max-uint64", "tx-deployment-v1beta4-create", "tx-deployment-v1beta3-create",
                                  "tx-multi-restake", "tx-market-v1beta5-close-lease"])
def test_sample_through_cli(name: str) -> None:
    request = VECTORS / f"{name}.json"
    proc = subprocess.run([sys.executable, "-m", "app", "tx", "sign", str(request)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    _same(json.loads(proc.stdout), _expected(request))


def test_cli_reads_stdin() -> None:
    request = VECTORS / "tx-bank-send.json"
    proc = subprocess.run([sys.executable, "-m", "app", "tx", "sign", "-"], cwd=ROOT, input=request.read_text(),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    _same(json.loads(proc.stdout), _expected(request))
