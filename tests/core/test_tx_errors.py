"""Bad signing requests are refused with a message naming the field, in-process and through the CLI."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.tx import jsvalue
from app.tx.signrequest import RequestError, sign_json_request

ROOT = Path(__file__).resolve().parent.parent.parent
VECTORS = ROOT / "tests" / "vectors" / "tx"


def _request(name: str) -> dict:
    return jsvalue.loads((VECTORS / f"{name}.json").read_text())


def _refused(req: dict, *needles: str) -> str:
    with pytest.raises(RequestError) as info:
        sign_json_request(req)
    text = str(info.value)
    for needle in needles:
        assert needle in text, text
    return text


def test_unknown_type_url() -> None:
    req = _request("tx-bank-send")
    req["msgs"][0]["typeUrl"] = "/cosmos.bank.v1beta1.MsgSendd"
    _refused(req, "msgs[0]", "unknown type URL /cosmos.bank.v1beta1.MsgSendd")


def test_newer_type_not_in_the_request_format() -> None:
    req = _request("tx-bank-send")
    req["msgs"][0] = {"typeUrl": "/akash.market.v1beta5.MsgLeaseStartReclaim", "value": {}}
    _refused(req, "unknown type URL")


def test_unknown_field_is_named_with_its_path() -> None:
    req = _request("tx-deployment-v1beta4-create")
    req["msgs"][0]["value"]["groups"][0]["resources"][0]["prize"] = {"denom": "uact", "amount": "1"}
    _refused(req, "msgs[0].value.groups[0].resources[0].prize", "not known")


def test_misspelt_key_even_with_empty_value() -> None:
    req = _request("tx-bank-send")
    req["msgs"][0]["value"]["toAdress"] = ""
    _refused(req, "msgs[0].value.toAdress")


def test_wrong_shape_for_repeated_field() -> None:
    req = _request("tx-escrow-v1-account-deposit")
    req["msgs"][0]["value"]["deposit"]["sources"] = "balance"
    _refused(req, "msgs[0].value.deposit.sources")


def test_malformed_dec_amount_names_the_field() -> None:
    req = _request("tx-deployment-v1beta4-create")
    req["msgs"][0]["value"]["groups"][0]["resources"][0]["price"]["amount"] = "1.2.3"
    _refused(req, "msgs[0].value.groups[0].resources[0].price.amount", "malformed amount")


def test_malformed_coin_amount_names_the_field() -> None:
    req = _request("tx-bank-send")
    req["msgs"][0]["value"]["amount"][0]["amount"] = "1.5"
    _refused(req, "msgs[0].value.amount[0].amount", "malformed amount")


@pytest.mark.parametrize("bad", ["akash1jrkmdcwgq94uaamx6zax2luewlhf7u4k3rtk0d", "akash1notanaddress", "AKASH1xyz"])
def test_bad_address_names_the_field(bad: str) -> None:
    req = _request("tx-bank-send")
    req["msgs"][0]["value"]["toAddress"] = bad
    _refused(req, "msgs[0].value.toAddress", "bad address")


def test_validator_field_checksum() -> None:
    req = _request("tx-staking-delegate")
    req["msgs"][0]["value"]["validatorAddress"] = "akashvaloper19rl4cm2hmr8afy4kldpxz3fka4jguq0amewuk8"
    _refused(req, "msgs[0].value.validatorAddress", "checksum")


def test_bad_fee_granter() -> None:
    req = _request("tx-bank-send")
    req["fee"]["granter"] = "akash1broken"
    _refused(req, "fee.granter")


@pytest.mark.parametrize("key,value,needle", [
    ("account_number", "-1", "account_number"),
    ("account_number", "18446744073709551616", "account_number"),
    ("sequence", 1.5, "sequence"),
    ("chain_id", "", "chain_id"),
    ("mnemonic", "abandon", "mnemonic"),
    ("mnemonic", "Abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about", "mnemonic"),
    ("memo", 5, "memo"),
    ("timeout_height", "1e3", "timeout_height"),
    ("msgs", [], "msgs"),
    ("fee", {"amount": [{"denom": "uakt", "amount": "5.0"}], "gas": "1"}, "fee.amount[0]"),
    ("fee", {"amount": [], "gas": "9007199254740992"}, "fee.gas"),
    ("cosmos_types", "telescope", "cosmos_types"),
    ("account", 2**31, "account"),
])
def test_top_level_errors(key: str, value, needle: str) -> None:
    req = _request("tx-bank-send")
    req[key] = value
    _refused(req, needle)


def test_value_must_be_an_object() -> None:
    req = _request("tx-bank-send")
    req["msgs"][0]["value"] = ["x"]
    _refused(req, "msgs[0].value must be an object")


def test_errors_leave_the_sample_untouched() -> None:
    req = _request("tx-bank-send")
    before = copy.deepcopy(req)
    req["msgs"][0]["value"]["toAddress"] = "akash1bad"
    with pytest.raises(RequestError):
        sign_json_request(req)
    assert sign_json_request(before)["txhash"] == json.loads((VECTORS / "tx-bank-send.out.json").read_text())["txhash"]


def _cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", "tx", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=60)


def test_cli_bad_request_exits_non_zero_naming_the_field(tmp_path: Path) -> None:
    req = _request("tx-deployment-v1beta4-create")
    req["msgs"][0]["value"]["groups"][0]["resources"][0]["price"]["amount"] = "abc"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(req))
    proc = _cli("sign", str(path))
    assert proc.returncode != 0
    assert "msgs[0].value.groups[0].resources[0].price.amount" in proc.stderr
    assert "error" in json.loads(proc.stdout)


def test_cli_not_json() -> None:
    proc = _cli("sign", "-", stdin="{not json")
    assert proc.returncode != 0 and "not valid JSON" in proc.stderr


def test_cli_decode_rejects_garbage() -> None:
    proc = _cli("decode", "!!!")
    assert proc.returncode != 0 and "base64" in proc.stderr
    proc = _cli("decode", "AAAA")
    assert proc.returncode != 0
