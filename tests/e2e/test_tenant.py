"""The tenant journey end to end on the local network, through `python -m app` (no mocks):
fresh wallet -> mint ACT -> deploy -> bids -> accept -> manifest -> status with URI -> logs -> add funds
-> update -> close. The network runs its simulated providers (real HTTPS gateways, real transactions).
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.__main__ import main
from app.localnet.providers.config import ENV_VAR
from app.localnet.runner import LocalNode
from app.wallet.kdf import Argon2idParams
from app.wallet.keystore import Keystore
from app.wallet.mnemonic import generate_mnemonic
from tests.kits.sdl import web_sdl
from tests.localnet_fixtures import NodeClient

PASSWORD = "tenant-e2e-Harbor-42"
# Deterministic providers: every matching provider bids 1-2 blocks after an order; fjord stays offline;
# the funds monitor runs every 2 s (tests of running out of funds).
FLEET = {"seed": 11, "skip_chance": 0.0, "bid_delay_blocks": [1, 2], "offline": {"fjord": "always"},
         "funds_check_s": 2.0}
SDL = web_sdl(env=("GREETING=hello",), accept=("www.example.com",), second_port=True)


@contextlib.contextmanager
def fleet_settings(settings: dict[str, Any]) -> Iterator[None]:
    """The local node reads its providers' behaviour from the environment when it starts."""
    old = os.environ.get(ENV_VAR)
    os.environ[ENV_VAR] = json.dumps(settings)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(ENV_VAR, None)
        else:
            os.environ[ENV_VAR] = old


def start_node(data_dir: Path | None = None, port: int = 0, settings: dict[str, Any] | None = None) -> LocalNode:
    with fleet_settings(settings or FLEET):
        return LocalNode(block_time=0.5, data_dir=data_dir, port=port)


@pytest.fixture(scope="module")
def node() -> Iterator[NodeClient]:
    local = start_node()
    try:
        yield NodeClient(local)
    finally:
        local.cleanup()


class Cli:
    """Runs `python -m app ...` in this process with --json, the password on stdin, and returns the JSON."""

    def __init__(self, node: NodeClient, wallet: str, address: str, capsys: pytest.CaptureFixture[str],
                 monkeypatch: pytest.MonkeyPatch) -> None:
        self.node, self.wallet, self.address = node, wallet, address
        self.capsys, self.monkeypatch = capsys, monkeypatch

    def __call__(self, *argv: str, signs: bool = True, expect: int = 0) -> Any:
        args = [*argv, "--network", "local", "--node", self.node.url, "--wallet", self.wallet, "--json"]
        if signs:
            args += ["--password-stdin", "--yes"]
        self.monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        self.capsys.readouterr()
        code = main(args)
        captured = self.capsys.readouterr()
        out, self.err = captured.out, captured.err
        assert code == expect, out
        text = out.strip()
        if argv[0] in ("logs", "events"):
            return [json.loads(line) for line in text.splitlines() if line.strip()]
        return json.loads(text[text.index("{"):]) if text else None


@pytest.fixture
def cli(node: NodeClient, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    """A brand-new wallet (cheap KDF for speed) whose address the faucet gave AKT only: no ACT yet."""
    keystore = Keystore(kdf=Argon2idParams(memory_kib=1024, iterations=1, lanes=1))
    info = keystore.create("fresh", generate_mnemonic(), PASSWORD)
    node.fund(info.accounts[0].address, {"uakt": 300_000_000})
    return Cli(node, "fresh", info.accounts[0].address, capsys, monkeypatch)


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def wait_for_bids(cli: Cli, dseq: int, at_least: int = 3, timeout_s: float = 30.0) -> dict:
    deadline = time.monotonic() + timeout_s
    while True:
        data = cli("bids", str(dseq), signs=False)
        if len(data["bids"]) >= at_least or time.monotonic() > deadline:
            return data
        time.sleep(1)


def test_tenant_journey(cli: Cli, node: NodeClient, tmp_path: Path) -> None:
    # deploy: ACT is missing, so the preflight offers a mint and --mint sends it first
    out = cli("deploy", write(tmp_path, "web.yaml", SDL), "--deposit", "5", "--mint", "--name", "my web")
    dseq = out["dseq"]
    assert out["name"] == "my web" and out["deposit_uact"] == 5_000_000 and out["height"] > 0
    assert out["minted"] and not out["preflight"]["ok"]  # the report before signing said: ACT missing, mint it
    assert [c["name"] for c in out["preflight"]["checks"] if not c["ok"]] == ["act"]
    assert out["preflight"]["mint"]["uakt_to_burn"] > 0
    assert "About to sign on Local network" in cli.err and "Fee: " in cli.err  # shown even with --yes
    assert cli.err.count("About to sign") == 2  # the mint, then the deployment

    # bids: every matching online provider bid; the comparison has prices, regions, audits, online state
    bids = wait_for_bids(cli, dseq)
    assert len(bids["bids"]) >= 3
    row = bids["bids"][0]
    assert row["denom"] == "uact" and row["act_per_month"] and row["online"] is True and row["region"]
    assert 0 < row["seconds_left"] <= 300
    assert bids["cheapest"]["1/1"] == min(bids["bids"], key=lambda r: float(r["act_per_month"]))["provider"]

    # accept the cheapest audited bid: lease, manifest within the window, status with the URI
    leased = cli("lease", str(dseq), "--cheapest", "--audited")
    assert [m["ok"] for m in leased["manifest"]] == [True]
    assert "www.example.com" in leased["uris"]
    provider = leased["leases"][0]["provider"]
    audited = {r["provider"] for r in bids["bids"] if r["audited_by"]}
    assert provider in audited

    status = cli("status", str(dseq))
    assert status["state"] == "active" and status["leases"][0]["provider"] == provider
    services = status["services"]["1/1"]
    assert services["ready"] and "www.example.com" in services["uris"]
    assert services["forwarded_ports"]["web"][0].split(":")[1].isdigit()  # 8080 forwarded to a node port
    assert status["runway"]["blocks_left"] > 0

    # logs (saved to a file) and events
    saved = tmp_path / "logs.txt"
    lines = cli("logs", str(dseq), "--tail", "5", "--save", str(saved))
    assert any(item["kind"] == "LogLine" for item in lines)
    assert "nginx" in saved.read_text() and oct(saved.stat().st_mode & 0o777) == "0o600"
    events = cli("events", str(dseq))
    assert {"Scheduled", "Started"} <= {e["line"].split()[2] for e in events if e["kind"] == "KubeEvent"}

    # add funds: the escrow grows, the runway with it
    before = status["runway"]["blocks_left"]
    topped = cli("deposit", str(dseq), "2")
    assert topped["amount_uact"] == 2_000_000 and topped["sources"] == ["balance"]
    after = cli("status", str(dseq))["runway"]["blocks_left"]
    assert after > before

    # update: a resource change is refused in words; an image change goes on chain and to the provider
    bigger = write(tmp_path, "bigger.yaml", SDL.replace("units: 0.5", "units: 2"))
    refused = cli("update", str(dseq), bigger, expect=1)
    assert "would change what was leased" in refused["error"] and "CPU 0.5 -> 2" in refused["error"]
    updated = cli("update", str(dseq), write(tmp_path, "v2.yaml", SDL.replace("nginx:1.27", "nginx:1.28")))
    assert [m["ok"] for m in updated["manifest"]] == [True]
    on_chain = node.get(f"/akash/deployment/v1beta4/deployments/info?id.owner={cli.address}&id.dseq={dseq}")
    assert base64.b64decode(on_chain["deployment"]["hash"]).hex() == updated["version"]

    listed = cli("deployments", signs=False)
    mine = next(d for d in listed["deployments"] if d["dseq"] == dseq)
    assert mine["name"] == "my web" and mine["state"] == "active" and mine["has_local_record"]
    assert mine["leases"][0]["state_text"] == "Active" and float(mine["act_per_month"]) > 0

    # close: the deployment and its lease end "by you"
    cli("close", str(dseq))
    closed = next(d for d in cli("deployments", "--all", signs=False)["deployments"] if d["dseq"] == dseq)
    assert closed["state"] == "closed" and closed["leases"][0]["state_text"] == "Closed by you"
    again = cli("close", str(dseq), expect=1)
    assert "is closed" in again["error"]


def test_bids_explain_why_providers_did_not_bid(cli: Cli, tmp_path: Path) -> None:
    """An order nobody can serve: the why-no-bids report names the requirement each provider misses."""
    impossible = SDL.replace("    dcloud:\n      pricing", "    dcloud:\n      attributes: {region: moon-1}\n      pricing")
    dseq = cli("deploy", write(tmp_path, "moon.yaml", impossible), "--mint")["dseq"]
    time.sleep(2)
    report = cli("bids", str(dseq), "--why", signs=False)
    assert report["bids"] == []
    why = report["why_no_bids"][0]
    assert "placement attributes" in why["summary"]
    assert all("placement requires region=moon-1" in p["why"] for p in why["providers"])
    cli("close", str(dseq))


def test_client_certificates_and_mtls(cli: Cli, tmp_path: Path) -> None:
    """Create and publish a client certificate (key encrypted in the wallet), lease and read status over mTLS,
    regenerate (revoke + create in one transaction), revoke: without a usable certificate mTLS says so."""
    first = cli("certs", "create")
    listed = cli("certs", "list")["certificates"]
    assert [(c["serial"], c["status"], c["local"]) for c in listed] == [(first["serial"], "usable", True)]

    out = cli("deploy", write(tmp_path, "web.yaml", SDL), "--mint", "--auto-accept", "--mtls", "--bid-timeout", "60")
    dseq = out["dseq"]
    assert [m["ok"] for m in out["lease"]["manifest"]] == [True] and out["lease"]["uris"]
    status = cli("status", str(dseq), "--mtls")
    assert status["services"]["1/1"]["ready"]

    second = cli("certs", "regenerate")
    assert second["revoked"] == [first["serial"]] and second["serial"] != first["serial"]
    states = {c["serial"]: c["status"] for c in cli("certs", "list")["certificates"]}
    assert states == {first["serial"]: "revoked", second["serial"]: "usable"}
    assert cli("status", str(dseq), "--mtls")["services"]["1/1"]["ready"]  # the new one works at once

    cli("certs", "revoke", second["serial"])
    refused = cli("status", str(dseq), "--mtls", expect=1)
    assert "No usable mTLS client certificate" in refused["error"] and "JWT" in refused["error"]
    assert cli("status", str(dseq))["services"]["1/1"]["ready"]  # the token still works
    cli("close", str(dseq))
