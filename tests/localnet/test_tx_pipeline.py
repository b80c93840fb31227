"""Transactions over real HTTP as a real node handles them: CheckTx, delivery, failures and their codes."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from app.localnet.runner import LocalNode
from app.proto.gen.cosmos.bank.v1beta1 import tx_pb2 as bank
from app.proto.gen.cosmos.base.v1beta1 import coin_pb2
from app.tx.builder import simulation_tx_bytes
from app.wallet.signer import Signer
from tests.localnet.helpers import signed
from tests.localnet_fixtures import NodeClient

FRIEND = "akash19rl4cm2hmr8afy4kldpxz3fka4jguq0a3mq6x0"


def send(signer: Signer, to: str, amount: int, denom: str = "uakt") -> bank.MsgSend:
    return bank.MsgSend(from_address=signer.address, to_address=to,
                        amount=[coin_pb2.Coin(denom=denom, amount=str(amount))])


@pytest.fixture(scope="module")
def fresh() -> Any:
    """A node straight from genesis (the official-library vectors were signed for its demo sequences)."""
    with LocalNode(block_time=5.0) as node:
        yield NodeClient(node)


def test_official_library_txs_are_included_and_replays_or_flipped_bytes_rejected(fresh: NodeClient,
                                                                                  vectors: Path) -> None:
    send_out = json.loads((vectors / "localnet/signtx-send.out.json").read_text())
    delegate_out = json.loads((vectors / "localnet/signtx-delegate.out.json").read_text())
    send_bytes = base64.b64decode(send_out["tx_bytes_b64"])
    flipped = bytearray(send_bytes)
    flipped[-5] ^= 0x01  # inside the signature
    res = fresh.broadcast(bytes(flipped))
    assert res["code"] == 4
    assert res["raw_log"] == ("signature verification failed; please verify account number (9), sequence (6) and "
                              "chain-id (localnet-1): unauthorized")
    body_flip = bytearray(send_bytes)
    body_flip[40] ^= 0x01  # inside the body (an address byte)
    assert fresh.broadcast(bytes(body_flip))["code"] != 0
    before = fresh.balance(FRIEND)
    res = fresh.deliver(send_bytes)
    assert (res["code"], res["txhash"]) == (0, send_out["txhash"])
    assert int(res["height"]) > 0 and fresh.balance(FRIEND) == before + 1_234_567
    res = fresh.deliver(base64.b64decode(delegate_out["tx_bytes_b64"]))
    assert res["code"] == 0, res["raw_log"]
    assert any(e["type"] == "delegate" for e in res["events"])
    replay = fresh.broadcast(send_bytes)
    assert (replay["code"], replay["codespace"]) == (32, "sdk")
    assert replay["raw_log"] == "account sequence mismatch, expected 8, got 6: incorrect account sequence"


def test_malformed_bytes_are_a_parse_error(localnet: NodeClient) -> None:
    res = localnet.broadcast(b"\xff\xff\xff not a tx")
    assert (res["code"], res["codespace"]) == (2, "sdk") and res["raw_log"].endswith("tx parse error")


def test_bad_signature_and_wrong_chain_id(localnet: NodeClient, fresh_signer: Signer) -> None:
    acc = localnet.account(fresh_signer.address)
    other = Signer(bytes(range(1, 33)))
    tx = bytearray(signed(localnet, fresh_signer, [send(fresh_signer, FRIEND, 1)]))
    tx[-1] ^= 0xFF
    res = localnet.broadcast(bytes(tx))
    assert res["code"] == 4
    assert res["raw_log"] == (f"signature verification failed; please verify account number ({acc['account_number']}),"
                              f" sequence (0) and chain-id (localnet-1): unauthorized")
    res = localnet.broadcast(signed(localnet, fresh_signer, [send(fresh_signer, FRIEND, 1)], chain_id="akashnet-2"))
    assert res["code"] == 4 and "chain-id (localnet-1)" in res["raw_log"]
    res = localnet.broadcast(signed(localnet, other, [send(fresh_signer, FRIEND, 1)], account_number=0, sequence=0))
    assert res["code"] == 8 and "pubKey does not match signer address" in res["raw_log"]


def test_wrong_sequence_is_code_32(localnet: NodeClient, fresh_signer: Signer) -> None:
    res = localnet.broadcast(signed(localnet, fresh_signer, [send(fresh_signer, FRIEND, 1)], sequence=5))
    assert res["code"] == 32
    assert res["raw_log"] == "account sequence mismatch, expected 0, got 5: incorrect account sequence"


def test_insufficient_fee_is_refused_at_checktx(localnet: NodeClient, fresh_signer: Signer) -> None:
    res = localnet.broadcast(signed(localnet, fresh_signer, [send(fresh_signer, FRIEND, 1)], fee=100, gas=200_000))
    assert res["code"] == 13
    assert res["raw_log"] == "insufficient fees; got: 100uakt required: 500uakt: insufficient fee"


def test_insufficient_funds_charges_fee_and_sequence(localnet: NodeClient, fresh_signer: Signer) -> None:
    start = localnet.balance(fresh_signer.address)
    res = localnet.deliver(signed(localnet, fresh_signer, [send(fresh_signer, FRIEND, start * 2)]))
    assert (res["code"], res["codespace"]) == (5, "sdk")
    assert res["raw_log"] == (f"failed to execute message; message index: 0: spendable balance {start - 5000}uakt "
                              f"is smaller than {start * 2}uakt: insufficient funds")
    assert localnet.balance(fresh_signer.address) == start - 5000
    assert localnet.account(fresh_signer.address)["sequence"] == "1"


def test_out_of_gas(localnet: NodeClient, fresh_signer: Signer) -> None:
    start = localnet.balance(fresh_signer.address)
    res = localnet.deliver(signed(localnet, fresh_signer, [send(fresh_signer, FRIEND, 1)], fee=5000, gas=40_000))
    assert res["code"] == 11
    assert res["raw_log"].startswith("out of gas in location: ") and res["raw_log"].endswith(
        "gasWanted: 40000, gasUsed: " + res["gas_used"] + ": out of gas")
    assert localnet.balance(fresh_signer.address) == start - 5000  # the fee is kept, the send is not done


def test_act_send_is_refused_but_usdc_moves(localnet: NodeClient, fresh_signer: Signer) -> None:
    res = localnet.deliver(signed(localnet, fresh_signer, [send(fresh_signer, FRIEND, 10, "uact")]))
    assert (res["code"], res["codespace"]) == (5, "bank")
    assert res["raw_log"] == ("failed to execute message; message index: 0: uact transfers are currently disabled: "
                              "send transactions are disabled")
    usdc = "ibc/170C677610AC31DF0904FFE09CD3B5C657492170E7E52372E48756B71E56F2F1"
    localnet.fund(fresh_signer.address, {usdc: 50})
    res = localnet.deliver(signed(localnet, fresh_signer, [send(fresh_signer, FRIEND, 20, usdc)]))
    assert res["code"] == 0 and localnet.balance(fresh_signer.address, usdc) == 30


def test_all_messages_or_none(localnet: NodeClient, fresh_signer: Signer) -> None:
    target = Signer(bytes(range(2, 34))).address
    start = localnet.balance(fresh_signer.address)
    msgs = [send(fresh_signer, target, 1_000_000), send(fresh_signer, target, 10**15)]
    res = localnet.deliver(signed(localnet, fresh_signer, msgs, gas=300_000, fee=7500))
    assert res["code"] == 5 and "message index: 1" in res["raw_log"]
    assert localnet.balance(target) == 0
    assert localnet.balance(fresh_signer.address) == start - 7500
    res = localnet.deliver(signed(localnet, fresh_signer, msgs[:1] * 2, gas=300_000, fee=7500))
    assert res["code"] == 0 and localnet.balance(target) == 2_000_000, res["raw_log"]


def test_simulate_without_signature_and_gas_used_matches_delivery(localnet: NodeClient, fresh_signer: Signer) -> None:
    acc = localnet.account(fresh_signer.address)
    sim = simulation_tx_bytes(fresh_signer.public_key, [send(fresh_signer, FRIEND, 5)], sequence=int(acc["sequence"]))
    status, body = localnet.request("POST", "/cosmos/tx/v1beta1/simulate",
                                    {"tx_bytes": base64.b64encode(sim).decode()})
    assert status == 200, body
    used = int(body["gas_info"]["gas_used"])
    assert 30_000 < used < 200_000
    assert body["result"]["msg_responses"] == [{"@type": "/cosmos.bank.v1beta1.MsgSendResponse"}]
    res = localnet.deliver(signed(localnet, fresh_signer, [send(fresh_signer, FRIEND, 5)], gas=int(used * 1.3)))
    assert res["code"] == 0 and used * 0.8 < int(res["gas_used"]) <= used  # simulate never underestimates
    bad = simulation_tx_bytes(fresh_signer.public_key, [send(fresh_signer, FRIEND, 10**15)], sequence=int(acc["sequence"]) + 1)
    status, body = localnet.request("POST", "/cosmos/tx/v1beta1/simulate", {"tx_bytes": base64.b64encode(bad).decode()})
    assert status == 500 and body["code"] == 2 and "insufficient funds" in body["message"]


def test_tx_by_hash_is_404_until_included_then_complete(localnet: NodeClient, fresh_signer: Signer) -> None:
    res = localnet.broadcast(signed(localnet, fresh_signer, [send(fresh_signer, FRIEND, 3)], memo="hello"))
    assert res["code"] == 0 and res["height"] == "0"
    status, body = localnet.tx(res["txhash"])
    assert status == 404 and body == {"code": 5, "message": f"tx not found: {res['txhash']}", "details": []}
    localnet.advance(1)
    status, body = localnet.tx(res["txhash"])
    assert status == 200
    r = body["tx_response"]
    assert set(r) == {"height", "txhash", "codespace", "code", "data", "raw_log", "logs", "info", "gas_wanted",
                      "gas_used", "tx", "timestamp", "events"}
    assert body["tx"]["body"]["memo"] == "hello" and r["tx"]["@type"] == "/cosmos.tx.v1beta1.Tx"
    types = [e["type"] for e in r["events"]]
    assert types[:4] == ["coin_spent", "coin_received", "transfer", "message"] and "tx" in types
    assert all(a["index"] is True for e in r["events"] for a in e["attributes"])


def test_history_search(localnet: NodeClient, fresh_signer: Signer) -> None:
    for i in range(3):
        assert localnet.deliver(signed(localnet, fresh_signer, [send(fresh_signer, FRIEND, i + 1)]))["code"] == 0
    addr = fresh_signer.address
    body = localnet.get(f"/cosmos/tx/v1beta1/txs?query=message.sender='{addr}'&order_by=ORDER_BY_DESC&limit=2")
    assert body["total"] == "3" and len(body["tx_responses"]) == 2 and body["pagination"] is None
    heights = [int(r["height"]) for r in body["tx_responses"]]
    assert heights == sorted(heights, reverse=True)
    page2 = localnet.get(f"/cosmos/tx/v1beta1/txs?query=message.sender='{addr}'&order_by=ORDER_BY_DESC"
                         "&limit=2&page=2")
    assert len(page2["tx_responses"]) == 1
    old = localnet.get(f"/cosmos/tx/v1beta1/txs?events=message.sender='{addr}'")
    assert old["total"] == "3"
    incoming = localnet.get(f"/cosmos/tx/v1beta1/txs?query=transfer.recipient='{addr}'")
    assert incoming["total"] == "0"
    status, body = localnet.request("GET", "/cosmos/tx/v1beta1/txs")
    assert status == 400 and body["code"] == 3
