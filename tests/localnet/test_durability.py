"""State survives restarts, and SIGKILL at any moment never corrupts it (one SQLite transaction per block)."""

from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path

from app.localnet.runner import LocalNode
from app.proto.gen.cosmos.bank.v1beta1 import tx_pb2 as bank
from app.proto.gen.cosmos.base.v1beta1 import coin_pb2
from app.wallet.signer import Signer
from tests.localnet.helpers import signed
from tests.localnet_fixtures import NodeClient


def consistent(c: NodeClient) -> None:
    """Every denom's supply equals the sum of all balances (nothing half-written)."""
    supply = {s["denom"]: int(s["amount"]) for s in c.get("/cosmos/bank/v1beta1/supply")["supply"]}
    for denom, total in supply.items():
        owners = c.get(f"/cosmos/bank/v1beta1/denom_owners/{denom}?pagination.limit=1000")["denom_owners"]
        assert sum(int(o["balance"]["amount"]) for o in owners) == total, denom


def test_restart_keeps_state(tmp_path: Path) -> None:
    signer = Signer(bytes(range(5, 37)))
    with LocalNode(data_dir=tmp_path, block_time=5.0) as node:
        c = NodeClient(node)
        c.fund(signer.address, {"uakt": 10_000_000})
        msg = bank.MsgSend(from_address=signer.address, to_address=Signer(bytes(range(6, 38))).address,
                           amount=[coin_pb2.Coin(denom="uakt", amount="1000")])
        txhash = c.deliver(signed(c, signer, [msg]))["txhash"]
        height, balance = c.height(), c.balance(signer.address)
    with LocalNode(data_dir=tmp_path, block_time=5.0) as node:
        c = NodeClient(node)
        assert c.height() >= height and c.balance(signer.address) == balance
        assert c.tx(txhash)[0] == 200 and c.account(signer.address)["sequence"] == "1"
        consistent(c)
    with LocalNode(data_dir=tmp_path, block_time=5.0, reset=True) as node:
        assert NodeClient(node).balance(signer.address) == 0


def test_kill_during_blocks_never_corrupts(tmp_path: Path) -> None:
    rng = random.Random(7)
    last_height = 0
    for _ in range(4):
        node = LocalNode(data_dir=tmp_path, block_time=0.02)
        c = NodeClient(node)
        assert c.height() >= last_height
        c.request("POST", "/localnet/advance", {"blocks": 20})
        time.sleep(rng.uniform(0.05, 0.4))
        last_height = c.height()
        node.kill()
        db = sqlite3.connect(tmp_path / "localnet.sqlite")
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        db.close()
        node.cleanup()
    with LocalNode(data_dir=tmp_path, block_time=5.0) as node:
        c = NodeClient(node)
        assert c.height() >= last_height
        consistent(c)
