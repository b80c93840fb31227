"""Shared by the holder e2e tests: an async chain client on the session's local node and a fast pipeline."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from typing import Any

import pytest

from app.chain import bank
from app.chain.client import ChainClient
from app.chain.policy import RetryPolicy
from app.chain.tx import TxResult
from app.tx.broadcast import BroadcastConfig, Broadcaster
from app.txplan import PreparedTx
from app.txplan import send as send_plan
from tests.localnet_fixtures import NodeClient


@pytest.fixture(name="chain")
async def chain_fixture(localnet: NodeClient) -> AsyncIterator[ChainClient]:
    """`chain`: import chain_fixture into a test module to use it."""
    async with ChainClient([localnet.url], retry=RetryPolicy(rounds=2, base_delay_s=0.05)) as c:
        yield c


def pipeline(client: ChainClient, localnet: NodeClient) -> Broadcaster:
    return Broadcaster(client, BroadcastConfig(poll_interval_s=0.1, confirm_timeout_s=30.0), chain_id=localnet.chain_id)


async def sign_and_send(client: ChainClient, localnet: NodeClient, signer: Any, plan: PreparedTx) -> TxResult:
    """What the UI does after the confirmation dialog: estimate, then send the same messages with that fee."""
    b = pipeline(client, localnet)
    estimate = await b.estimate(signer, list(plan.msgs), memo=plan.memo)
    result = await send_plan(b, signer, plan, estimate=estimate)
    assert result.ok, result.raw_log
    return result


async def balance(client: ChainClient, address: str, denom: str = "uakt") -> int:
    return (await bank.balance(client, address, denom)).amount


PASSWORD = "a long test password 123"


def keystore_wallet(name: str) -> Any:
    """A keystore wallet with a fresh phrase in the test's data dir; its Signer (for checks and seeding)."""
    from app.wallet.keystore import Keystore
    from app.wallet.mnemonic import generate_mnemonic
    from app.wallet.signer import Signer

    mnemonic = generate_mnemonic(12)
    Keystore().create(name, mnemonic, PASSWORD)
    return Signer.from_mnemonic(mnemonic)


def run_cli(localnet: NodeClient, *args: str, stdin: str = "") -> tuple[int, dict[str, Any]]:
    """`python -m app ... --network local --node URL --json` as a script would run it: (exit code, JSON)."""
    proc = subprocess.run([sys.executable, "-m", "app", *args, "--network", "local", "--node", localnet.url, "--json"],
                          input=stdin, capture_output=True, text=True, timeout=180,
                          env={**os.environ, "PYTHONPATH": os.getcwd()})
    return proc.returncode, json.loads(proc.stdout or "{}")
