"""Random requests (tools/gen_tx_requests.py) signed by the official libraries: ours must be identical.

Requests the libraries reject must be rejected here too; requests marked "_we_reject" (bad address or
amount, which the libraries would sign) must be refused with the field named.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.tx import jsvalue
from app.tx.signrequest import RequestError, sign_json_request

VECTORS = Path(__file__).resolve().parent.parent / "vectors" / "tx"
COMPARED = ("tx_bytes_b64", "body_bytes_hex", "auth_info_bytes_hex", "sign_doc_hex", "signature_b64", "txhash",
            "signer_address", "pubkey_b64", "hd_path")


def _pairs() -> list[tuple[int, str, dict]]:
    requests = (VECTORS / "random-requests.jsonl").read_text(encoding="utf-8").splitlines()
    results = (VECTORS / "random-results.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(requests) == len(results) >= 400
    return [(i, rq, json.loads(rs)) for i, (rq, rs) in enumerate(zip(requests, results, strict=True))]


def _check(line: str, expected: dict) -> str:
    data = jsvalue.loads(line)
    if "error" in expected or data.get("_we_reject"):
        with pytest.raises(RequestError) as info:
            sign_json_request(data)
        return str(info.value)
    out = sign_json_request(data)
    for key in COMPARED:
        assert out[key] == expected[key], key
    for mine, theirs in zip(out["msgs"], expected["msgs"], strict=True):
        assert (mine["typeUrl"], mine["value_key_style"], mine["value_hex"]) == (
            theirs["typeUrl"], theirs["value_key_style"], theirs["value_hex"])
    return ""


def test_every_random_request_matches_the_libraries() -> None:
    failures = []
    signed = rejected = 0
    for i, line, expected in _pairs():
        try:
            if _check(line, expected):
                rejected += 1
            else:
                signed += 1
        except (AssertionError, RequestError, pytest.fail.Exception) as exc:  # collect, report all at once
            failures.append(f"line {i + 1} ({json.loads(line).get('_case')}): {type(exc).__name__}: {str(exc)[:200]}")
    assert not failures, "\n".join(failures[:20])
    assert signed >= 300 and rejected >= 40


def test_we_reject_cases_name_the_field() -> None:
    cases = [(line, exp) for _, line, exp in _pairs() if json.loads(line).get("_we_reject")]
    assert len(cases) >= 10
    for line, _ in cases:
        with pytest.raises(RequestError, match=r"msgs\[0\]\.value\.\w+"):
            sign_json_request(jsvalue.loads(line))
