"""`python -m app keys ...`: derive against the official vectors, and the headless keystore commands."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.__main__ import main
from app.wallet.keystore import Keystore
from app.wallet.mnemonic import validate_mnemonic

VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "wallet"
CASES = sorted(p for p in VECTORS.glob("address-*.json") if not p.name.endswith(".out.json"))
ROOT = Path(__file__).resolve().parents[2]
ABANDON = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"


def run(
    args: list[str], stdin: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> tuple[int, dict, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(args)
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip() else {}, err


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_derive_matches_the_official_library(case: Path, monkeypatch, capsys) -> None:
    expected = json.loads(case.with_name(case.stem + ".out.json").read_text())
    code, out, _ = run(["keys", "derive"], case.read_text(), monkeypatch, capsys)
    assert code == 0
    assert out["address"] == expected["address"] and out["pubkey_b64"] == expected["pubkey_b64"]
    assert out["hd_path"] == expected["hd_path"]


def test_derive_as_a_real_process() -> None:
    request = (VECTORS / "address-abandon-1.json").read_text()
    expected = json.loads((VECTORS / "address-abandon-1.out.json").read_text())
    proc = subprocess.run(
        [sys.executable, "-m", "app", "keys", "derive"],
        input=request,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["address"] == expected["address"]


@pytest.mark.parametrize(
    ("request_text", "field", "message"),
    [
        ("not json", None, "not valid JSON"),
        ("[1, 2]", None, "JSON object"),
        ("{}", "mnemonic", "'mnemonic' is missing"),
        (json.dumps({"mnemonic": 5}), "mnemonic", "not text"),
        (json.dumps({"mnemonic": "abandon " * 12}), "mnemonic", "checksum is wrong"),
        (json.dumps({"mnemonic": ABANDON.replace("about", "abuot")}), "mnemonic", "word 12 'abuot'"),
        (json.dumps({"mnemonic": ABANDON, "account": -1}), "account", "'account' must be"),
        (json.dumps({"mnemonic": ABANDON, "index": 2**31}), "index", "'index' must be"),
        (json.dumps({"mnemonic": ABANDON, "index": 1.5}), "index", "'index' must be"),
        (json.dumps({"mnemonic": ABANDON, "account": True}), "account", "'account' must be"),
        (json.dumps({"mnemonic": ABANDON, "bip39_password": 7}), "bip39_password", "must be text"),
        (json.dumps({"mnemonic": ABANDON, "prefix": "cosmos"}), "prefix", "'prefix' must be"),
        (json.dumps({"mnemonic": ABANDON, "acount": 1}), "acount", "unknown field 'acount'"),
    ],
)
def test_derive_bad_input_names_the_field(request_text, field, message, monkeypatch, capsys) -> None:
    code, out, err = run(["keys", "derive"], request_text, monkeypatch, capsys)
    assert code != 0
    assert message in out["error"] and message in err
    assert out.get("field") == field


def test_derive_accepts_digit_strings(monkeypatch, capsys) -> None:
    code, out, _ = run(
        ["keys", "derive"], json.dumps({"mnemonic": ABANDON, "index": "1"}), monkeypatch, capsys
    )
    assert code == 0 and out["address"] == "akash1jrkmdcwgq94uaamx6zax2luewlhf7u4k3rtk0c"


def test_keystore_commands_headless(monkeypatch, capsys) -> None:
    code, out, err = run(
        ["keys", "create", "Hot", "--words", "12", "--password-stdin"], "pw one\n", monkeypatch, capsys
    )
    assert code == 0 and "Write these words down" in err
    phrase = out["mnemonic"]
    assert len(phrase.split()) == 12 and validate_mnemonic(phrase) == phrase
    assert out["accounts"][0]["hd_path"] == "m/44'/118'/0'/0/0"

    code, out, _ = run(
        ["keys", "import", "Restored", "--password-stdin", "--index", "1", "--label", "Main"],
        "pw two\n" + ABANDON + "\n",
        monkeypatch,
        capsys,
    )
    assert code == 0 and out["accounts"] == [
        {
            "name": "Main",
            "account": 0,
            "index": 1,
            "hd_path": "m/44'/118'/0'/0/1",
            "address": "akash1jrkmdcwgq94uaamx6zax2luewlhf7u4k3rtk0c",
        }
    ]

    code, out, _ = run(
        ["keys", "add-account", "Restored", "--account", "0", "--index", "0", "--password-stdin"],
        "pw two\n",
        monkeypatch,
        capsys,
    )
    assert code == 0 and out["name"] == "Account 2"
    assert out["address"] == "akash19rl4cm2hmr8afy4kldpxz3fka4jguq0a3mq6x0"

    code, out, _ = run(
        ["keys", "watch", "Cold", "akash19rl4cm2hmr8afy4kldpxz3fka4jguq0a3mq6x0"], "", monkeypatch, capsys
    )
    assert code == 0 and out["watch_only"]

    code, out, _ = run(["keys", "list"], "", monkeypatch, capsys)
    assert [w["name"] for w in out["wallets"]] == ["Cold", "Hot", "Restored"]

    code, out, _ = run(["keys", "show", "Restored"], "", monkeypatch, capsys)
    assert code == 0 and [a["name"] for a in out["accounts"]] == ["Main", "Account 2"]
    assert "argon2id" in out["encryption"] and out["file"].endswith("Restored.wallet")

    code, out, _ = run(["keys", "reveal", "Hot", "--password-stdin"], "pw one\n", monkeypatch, capsys)
    assert code == 0 and out["mnemonic"] == phrase
    assert Keystore().unlock("Restored", "pw two").signer("Main").address.startswith("akash1jrkm")


def test_keystore_command_errors(monkeypatch, capsys) -> None:
    Keystore().create_watch_only("Cold", "akash19rl4cm2hmr8afy4kldpxz3fka4jguq0a3mq6x0")
    cases = [
        (["keys", "show", "Nope"], "", "no wallet named 'Nope'"),
        (["keys", "watch", "Cold", "akash19rl4cm2hmr8afy4kldpxz3fka4jguq0a3mq6x0"], "", "already exists"),
        (["keys", "watch", "Bad", "akash1qqqq"], "", "address"),
        (["keys", "import", "New", "--password-stdin"], "pw\nabandon abandon\n", "12 or 24 words"),
        (["keys", "import", "../x", "--password-stdin"], "pw\n" + ABANDON, "wallet name cannot contain"),
        (["keys", "import", "E", "--password-stdin"], "", "stdin ended before the password"),
        (["keys", "import", "E", "--password-stdin"], "\n" + ABANDON, "password is empty"),
        (["keys", "reveal", "Cold", "--password-stdin"], "x\n", "watch-only"),
        (["keys", "add-account", "Cold", "--password-stdin"], "x\n", "watch-only"),
        (["keys", "delete", "Cold"], "", "--yes"),
    ]
    for args, stdin, message in cases:
        code, out, _ = run(args, stdin, monkeypatch, capsys)
        assert code != 0 and message in out["error"], (args, out)
    assert [w.name for w in Keystore().list_wallets()] == ["Cold"]
    code, out, _ = run(["keys", "delete", "Cold", "--yes"], "", monkeypatch, capsys)
    assert code == 0 and Keystore().list_wallets() == []


def test_wrong_password_on_the_command_line(monkeypatch, capsys) -> None:
    Keystore().create("W", ABANDON, "right")
    before = Keystore().path_for("W").read_bytes()
    code, out, _ = run(["keys", "reveal", "W", "--password-stdin"], "wrong\n", monkeypatch, capsys)
    assert code == 1 and "wrong password for wallet 'W'" in out["error"] and "abandon" not in json.dumps(out)
    assert Keystore().path_for("W").read_bytes() == before


def test_passwords_are_never_taken_from_argv() -> None:
    from app.__main__ import build_parser

    with pytest.raises(SystemExit):
        build_parser().parse_args(["keys", "create", "X", "--password", "secret"])
