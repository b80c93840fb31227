"""The broadcast pipeline against a loopback fake chain that injects faults (sequence, lost answers, timeouts)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from aiohttp import web

from app.chain.client import ChainClient
from app.chain.errors import NodeUnavailable, TxRejected, TxTimeout, WrongChain
from app.chain.policy import RetryPolicy, Timeouts
from app.proto.gen.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from app.proto.gen.cosmos.base.v1beta1 import coin_pb2
from app.proto.gen.cosmos.crypto.secp256k1 import keys_pb2
from app.proto.gen.cosmos.tx.v1beta1 import tx_pb2
from app.tx import broadcast as bc
from app.wallet.address import address_from_pubkey
from app.wallet.signer import Signer, verify_signature
from tests.core.test_chain_helpers import FakeNode

MNEMONIC = "abandon " * 11 + "about"
CHAIN = "fakechain-1"


@dataclass
class Acct:
    number: int
    sequence: int  # committed
    checked: int  # next sequence CheckTx accepts (committed + what waits in the mempool)


@dataclass
class FakeChain:
    """Just enough of a node for the pipeline: accounts, CheckTx sequence rules, a mempool, blocks, tx lookup."""

    node: FakeNode
    accounts: dict[str, Acct] = field(default_factory=dict)
    mempool: list[tuple[str, bytes, str]] = field(default_factory=list)
    included: dict[str, dict[str, Any]] = field(default_factory=dict)
    posted: list[bytes] = field(default_factory=list)
    height: int = 100
    gas_used: int = 100_000
    rest_lag: int = 0  # the account query reports a sequence this much behind
    drop_first_broadcasts: int = 0  # accept the tx, then cut the connection without answering
    broadcast_delay_s: float = 0.0  # accept the tx, then answer only after this long
    deliver_code: int = 0
    check_code: int = 0
    simulate_error: str = ""
    auto_blocks: bool = True
    chain_id: str = CHAIN
    simulations: int = 0

    def install(self) -> None:
        n = self.node
        n.handle_prefix("GET", "/cosmos/auth/v1beta1/accounts/", self.no_account)
        n.handle("GET", "/cosmos/base/tendermint/v1beta1/node_info", self.node_info)
        n.handle("POST", "/cosmos/tx/v1beta1/simulate", self.simulate)
        n.handle("POST", "/cosmos/tx/v1beta1/txs", self.broadcast)

    async def no_account(self, request: web.Request) -> web.Response:
        address = request.path.rsplit("/", 1)[1]
        return web.json_response({"code": 5, "message": f"account {address} not found", "details": []}, status=404)

    async def node_info(self, _r: web.Request) -> web.Response:
        return web.json_response({"default_node_info": {"network": self.chain_id}, "application_version": {}})

    def fund(self, address: str, number: int = 7, sequence: int = 0) -> None:
        self.accounts[address] = Acct(number, sequence, sequence)

        async def account(_r: web.Request) -> web.Response:
            a = self.accounts[address]
            return web.json_response(
                {"account": {"@type": "/cosmos.auth.v1beta1.BaseAccount", "address": address, "pub_key": None,
                             "account_number": str(a.number), "sequence": str(max(0, a.sequence - self.rest_lag))}}
            )  # fmt: skip

        self.node.handle("GET", f"/cosmos/auth/v1beta1/accounts/{address}", account)

    @staticmethod
    def decode(tx_bytes: bytes) -> tuple[str, int, tx_pb2.AuthInfo, tx_pb2.TxRaw]:
        raw = tx_pb2.TxRaw.FromString(tx_bytes)
        auth = tx_pb2.AuthInfo.FromString(raw.auth_info_bytes)
        si = auth.signer_infos[0]
        pub = keys_pb2.PubKey.FromString(si.public_key.value).key
        return address_from_pubkey(pub), si.sequence, auth, raw

    def check(self, tx_bytes: bytes) -> tuple[int, str, str]:
        """(code, codespace, log) of CheckTx."""
        txhash = hashlib.sha256(tx_bytes).hexdigest().upper()
        if any(h == txhash for h, _, _ in self.mempool):
            return 19, "sdk", "tx already exists in cache"
        address, seq, auth, raw = self.decode(tx_bytes)
        acct = self.accounts[address]
        doc = tx_pb2.SignDoc(body_bytes=raw.body_bytes, auth_info_bytes=raw.auth_info_bytes, chain_id=self.chain_id,
                             account_number=acct.number).SerializeToString()  # fmt: skip
        pub = keys_pb2.PubKey.FromString(auth.signer_infos[0].public_key.value).key
        if not verify_signature(pub, doc, raw.signatures[0]):
            return 4, "sdk", "signature verification failed; please verify account number and chain-id: unauthorized"
        if seq != acct.checked:
            return 32, "sdk", f"account sequence mismatch, expected {acct.checked}, got {seq}: incorrect account sequence"
        if self.check_code:
            return self.check_code, "sdk", "spendable balance 10uakt is smaller than 3250uakt: insufficient funds"
        self.mempool.append((txhash, tx_bytes, address))
        acct.checked += 1
        return 0, "", ""

    async def simulate(self, request: web.Request) -> web.Response:
        self.simulations += 1
        tx_bytes = base64.b64decode((await request.json())["tx_bytes"])
        address, seq, _auth, _raw = self.decode(tx_bytes)
        if self.simulate_error:
            msg = f"{self.simulate_error} With gas wanted: '0' and gas used: '0' "
            return web.json_response({"code": 2, "message": msg, "details": []}, status=500)
        expected = self.accounts[address].checked
        if seq != expected:
            msg = f"account sequence mismatch, expected {expected}, got {seq}: incorrect account sequence"
            return web.json_response({"code": 2, "message": msg, "details": []}, status=500)
        return web.json_response({"gas_info": {"gas_wanted": "0", "gas_used": str(self.gas_used)}, "result": {"events": []}})

    async def broadcast(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        assert body["mode"] == "BROADCAST_MODE_SYNC"
        tx_bytes = base64.b64decode(body["tx_bytes"])
        self.posted.append(tx_bytes)
        code, codespace, log = self.check(tx_bytes)
        txhash = hashlib.sha256(tx_bytes).hexdigest().upper()
        if self.broadcast_delay_s:
            await asyncio.sleep(self.broadcast_delay_s)
        if self.drop_first_broadcasts > 0:
            self.drop_first_broadcasts -= 1
            assert request.transport is not None
            request.transport.close()  # the answer is lost; the tx may or may not be in the mempool
            return web.Response()
        return web.json_response({"tx_response": {"txhash": txhash, "code": code, "codespace": codespace, "raw_log": log,
                                                  "height": "0", "gas_wanted": "0", "gas_used": "0"}})  # fmt: skip

    def produce_block(self) -> None:
        self.height += 1
        for txhash, tx_bytes, address in self.mempool:
            _addr, seq, auth, _raw = self.decode(tx_bytes)
            self.accounts[address].sequence = seq + 1
            self.included[txhash] = {
                "tx": {"body": {"messages": [], "memo": ""}, "auth_info": {"fee": {
                    "amount": [{"denom": c.denom, "amount": c.amount} for c in auth.fee.amount],
                    "gas_limit": str(auth.fee.gas_limit)}}},
                "tx_response": {"height": str(self.height), "txhash": txhash, "code": self.deliver_code,
                                "codespace": "sdk" if self.deliver_code else "",
                                "raw_log": "out of gas in location: WriteFlat; gasWanted: 10, gasUsed: 20: out of gas"
                                if self.deliver_code else "",
                                "gas_wanted": str(auth.fee.gas_limit), "gas_used": str(self.gas_used),
                                "timestamp": "2026-01-01T00:00:00Z",
                                "events": [{"type": "tx", "attributes": [{"key": "fee", "value": "x", "index": True}]}]},
            }  # fmt: skip
        self.mempool.clear()

    async def get_tx(self, request: web.Request) -> web.Response:
        txhash = request.path.rsplit("/", 1)[1]
        if txhash in self.included:
            return web.json_response(self.included[txhash])
        if self.auto_blocks and self.mempool:
            self.produce_block()
        return web.json_response({"code": 5, "message": f"tx not found: {txhash}", "details": []}, status=404)


class Spy:
    """Counts the builder calls (real builder underneath): a retry must never sign a second different tx."""

    def __init__(self, builder: Any) -> None:
        self._b = builder
        self.signed: list[Any] = []
        self.fees: list[Any] = []
        self.Fee = builder.Fee

    def sign_tx(self, *args: Any, **kw: Any) -> Any:
        self.fees.append(kw["fee"])
        out = self._b.sign_tx(*args, **kw)
        self.signed.append(out)
        return out

    def simulation_tx_bytes(self, *args: Any, **kw: Any) -> bytes:
        return self._b.simulation_tx_bytes(*args, **kw)


@pytest.fixture
def builder() -> Any:
    from app.tx import builder as real_builder

    return real_builder


@pytest.fixture
async def chain() -> AsyncIterator[FakeChain]:
    node = FakeNode()
    fc = FakeChain(node)
    fc.install()
    node.handle_prefix("GET", "/cosmos/tx/v1beta1/txs/", fc.get_tx)
    await node.start()
    yield fc
    await node.stop()


@pytest.fixture
def signer() -> Signer:
    return Signer.from_mnemonic(MNEMONIC)


def make_broadcaster(fc: FakeChain, builder: Any, **config: Any) -> tuple[bc.Broadcaster, Spy, ChainClient]:
    timeouts = Timeouts(read_s=config.pop("read_s", 2.0))
    client = ChainClient([fc.node.url], retry=RetryPolicy(rounds=2, base_delay_s=0.01), timeouts=timeouts)
    spy = Spy(builder)
    cfg = bc.BroadcastConfig(poll_interval_s=0.01, confirm_timeout_s=config.pop("timeout", 3.0), **config)
    return bc.Broadcaster(client, cfg, chain_id=CHAIN, builder=spy), spy, client  # type: ignore[arg-type]


def send_msg(signer: Signer, amount: int = 5) -> bank_tx.MsgSend:
    return bank_tx.MsgSend(
        from_address=signer.address, to_address="akash1jrkmdcwgq94uaamx6zax2luewlhf7u4k3rtk0c",
        amount=[coin_pb2.Coin(denom="uakt", amount=str(amount))],
    )  # fmt: skip


def fee_of(tx_bytes: bytes) -> tuple[int, list[tuple[str, str]]]:
    auth = FakeChain.decode(tx_bytes)[2]
    return auth.fee.gas_limit, [(c.denom, c.amount) for c in auth.fee.amount]


async def test_send_happy_path_fee_from_simulation(chain: FakeChain, builder: Any, signer: Signer) -> None:
    chain.fund(signer.address, number=7, sequence=3)
    b, spy, client = make_broadcaster(chain, builder)
    async with client:
        result = await b.send(signer, [send_msg(signer)], memo="hello")
    assert result.ok and result.height == 101 and result.txhash == spy.signed[0].txhash
    assert result.events_of("tx") and result.gas_used == 100_000
    # gas 100000 x 1.3 = 130000; fee = ceil(130000 x 0.025) = 3250 uakt
    assert fee_of(chain.posted[0]) == (130_000, [("uakt", "3250")])
    assert FakeChain.decode(chain.posted[0])[1] == 3 and len(spy.signed) == 1
    assert chain.accounts[signer.address].sequence == 4


async def test_estimate_is_reused_by_send(chain: FakeChain, builder: Any, signer: Signer) -> None:
    chain.fund(signer.address)
    chain.gas_used = 77_777
    b, spy, client = make_broadcaster(chain, builder, gas_price_uakt=Decimal("0.0001"))
    async with client:
        est = await b.estimate(signer, [send_msg(signer)])
        # below the node minimum: priced at 0.0025; 77777 x 1.3 = 101110.1 -> 101111 gas -> 252.7775 -> 253
        assert (est.gas_used, est.gas_limit, est.gas_price, est.amount) == (77_777, 101_111, Decimal("0.0025"), 253)
        assert est.chain_id == CHAIN and est.signer_address == signer.address
        chain.gas_used = 1  # a second simulation would change the fee: it must not happen
        result = await b.send(signer, [send_msg(signer)], estimate=est)
    assert result.ok and chain.simulations == 1
    assert fee_of(chain.posted[0]) == (101_111, [("uakt", "253")])


async def test_sequence_mismatch_resigns_exactly_once(chain: FakeChain, builder: Any, signer: Signer) -> None:
    chain.fund(signer.address, sequence=5)
    b, spy, client = make_broadcaster(chain, builder)
    async with client:
        est = await b.estimate(signer, [send_msg(signer)])
        chain.accounts[signer.address].checked = 6  # a tx of ours now waits in the mempool; REST still says 5
        result = await b.send(signer, [send_msg(signer)], estimate=est)
    assert result.ok
    assert [FakeChain.decode(t)[1] for t in chain.posted] == [5, 6]  # refused at 5, re-signed at 6
    assert len(spy.signed) == 2 and spy.signed[0].txhash != spy.signed[1].txhash
    assert result.txhash == spy.signed[1].txhash and spy.signed[0].txhash not in chain.included


async def test_sequence_learned_in_simulation_is_used(chain: FakeChain, builder: Any, signer: Signer) -> None:
    chain.fund(signer.address, sequence=5)
    chain.accounts[signer.address].checked = 6
    b, spy, client = make_broadcaster(chain, builder)
    async with client:
        result = await b.send(signer, [send_msg(signer)])
    assert result.ok and chain.simulations == 2 and len(spy.signed) == 1
    assert [FakeChain.decode(t)[1] for t in chain.posted] == [6]


async def test_second_sequence_mismatch_is_rejected(chain: FakeChain, builder: Any, signer: Signer) -> None:
    chain.fund(signer.address, sequence=5)
    b, spy, client = make_broadcaster(chain, builder)
    async with client:
        est = await b.estimate(signer, [send_msg(signer)])
        chain.accounts[signer.address].checked = 9  # far ahead and no "expected" the pipeline trusts twice
        chain.rest_lag = 0
        original_check = chain.check

        def always_mismatch(tx_bytes: bytes) -> tuple[int, str, str]:
            seq = FakeChain.decode(tx_bytes)[1]
            return 32, "sdk", f"account sequence mismatch, expected {seq + 1}, got {seq}: incorrect account sequence"

        chain.check = always_mismatch  # type: ignore[method-assign]
        with pytest.raises(TxRejected) as info:
            await b.send(signer, [send_msg(signer)], estimate=est)
        chain.check = original_check  # type: ignore[method-assign]
    assert info.value.code == 32 and info.value.stage == "check" and len(chain.posted) == 2 and len(spy.signed) == 2
    assert "Another transaction from this account" in str(info.value)


async def test_lost_answer_never_signs_a_second_tx(chain: FakeChain, builder: Any, signer: Signer) -> None:
    chain.fund(signer.address, sequence=2)
    chain.drop_first_broadcasts = 1  # accepted into the mempool, but the answer never comes back
    b, spy, client = make_broadcaster(chain, builder)
    async with client:
        result = await b.send(signer, [send_msg(signer)])
    assert result.ok and len(spy.signed) == 1 and result.txhash == spy.signed[0].txhash
    assert set(chain.posted) == {spy.signed[0].tx_bytes}


async def test_read_timeout_on_broadcast_is_an_unknown_outcome(chain: FakeChain, builder: Any, signer: Signer) -> None:
    chain.fund(signer.address)
    chain.broadcast_delay_s = 1.0  # the node takes the tx but answers after the client gave up
    b, spy, client = make_broadcaster(chain, builder, read_s=0.3)
    async with client:
        result = await b.send(signer, [send_msg(signer)])
    assert result.ok and len(spy.signed) == 1 and chain.posted == [spy.signed[0].tx_bytes]


async def test_lost_answer_then_resend_same_bytes_only(chain: FakeChain, builder: Any, signer: Signer) -> None:
    chain.fund(signer.address, sequence=2)
    chain.drop_first_broadcasts = 1
    chain.auto_blocks = False  # nothing gets included: the pipeline re-sends the same bytes, then gives up
    b, spy, client = make_broadcaster(chain, builder, timeout=0.6, rebroadcast_after_s=0.1)
    async with client:
        with pytest.raises(TxTimeout) as info:
            await b.send(signer, [send_msg(signer)])
    assert info.value.txhash == spy.signed[0].txhash and len(spy.signed) == 1
    assert len(chain.posted) >= 3 and set(chain.posted) == {spy.signed[0].tx_bytes}
    assert "Do not send it again" in str(info.value)


async def test_confirm_timeout_carries_the_hash(chain: FakeChain, builder: Any, signer: Signer) -> None:
    chain.fund(signer.address)
    chain.auto_blocks = False
    b, spy, client = make_broadcaster(chain, builder, timeout=0.3, rebroadcast_after_s=100)
    async with client:
        with pytest.raises(TxTimeout) as info:
            await b.send(signer, [send_msg(signer)])
        assert info.value.txhash == spy.signed[0].txhash == hashlib.sha256(chain.posted[0]).hexdigest().upper()
        assert len(chain.posted) == 1
        # Later the block arrives: confirm() finds it without sending anything.
        chain.produce_block()
        result = await b.confirm(info.value.txhash)
    assert result.ok and len(chain.posted) == 1


async def test_check_rejection_is_typed_and_not_retried(chain: FakeChain, builder: Any, signer: Signer) -> None:
    chain.fund(signer.address)
    chain.check_code = 5
    b, spy, client = make_broadcaster(chain, builder)
    async with client:
        with pytest.raises(TxRejected) as info:
            await b.send(signer, [send_msg(signer)])
    err = info.value
    assert (err.code, err.codespace, err.stage, err.txhash) == (5, "sdk", "check", spy.signed[0].txhash)
    assert "insufficient funds" in err.log and "not have enough funds" in str(err)
    assert len(chain.posted) == 1


async def test_failed_execution_in_a_block(chain: FakeChain, builder: Any, signer: Signer) -> None:
    chain.fund(signer.address)
    chain.deliver_code = 11
    b, _spy, client = make_broadcaster(chain, builder)
    async with client:
        with pytest.raises(TxRejected) as info:
            await b.send(signer, [send_msg(signer)])
    err = info.value
    assert (err.code, err.stage, err.height) == (11, "deliver", 101) and "fee was paid" in str(err)


async def test_simulation_failure_is_classified(chain: FakeChain, builder: Any, signer: Signer) -> None:
    chain.fund(signer.address)
    chain.simulate_error = "failed to execute message; message index: 0: 0uakt is smaller than 5uakt: insufficient funds"
    b, spy, client = make_broadcaster(chain, builder)
    async with client:
        with pytest.raises(TxRejected) as info:
            await b.estimate(signer, [send_msg(signer)])
    assert (info.value.code, info.value.codespace, info.value.stage) == (5, "sdk", "simulate")
    assert spy.signed == [] and chain.posted == []


async def test_simulation_sequence_lag_refetches(chain: FakeChain, builder: Any, signer: Signer) -> None:
    chain.fund(signer.address, sequence=4)
    chain.accounts[signer.address].checked = 5  # REST lags one tx behind CheckTx
    b, _spy, client = make_broadcaster(chain, builder)
    async with client:
        est = await b.estimate(signer, [send_msg(signer)])
    assert est.gas_used == 100_000 and chain.simulations == 2


async def test_one_tx_in_flight_per_signer(chain: FakeChain, builder: Any, signer: Signer) -> None:
    chain.fund(signer.address, sequence=0)
    b1, spy1, c1 = make_broadcaster(chain, builder)
    b2, spy2, c2 = make_broadcaster(chain, builder)  # another service on the same chain and loop
    async with c1, c2:
        r1, r2 = await asyncio.gather(b1.send(signer, [send_msg(signer, 1)]), b2.send(signer, [send_msg(signer, 2)]))
    assert r1.ok and r2.ok and r1.height != r2.height
    assert sorted(FakeChain.decode(t)[1] for t in chain.posted) == [0, 1]  # no collision, no mismatch
    assert len(spy1.signed) == len(spy2.signed) == 1


async def test_wrong_chain_and_missing_account(chain: FakeChain, builder: Any, signer: Signer) -> None:
    chain.chain_id = "other-1"
    b, spy, client = make_broadcaster(chain, builder)
    async with client:
        with pytest.raises(WrongChain, match="other-1"):
            await b.send(signer, [send_msg(signer)])
    chain.chain_id = CHAIN
    b, spy, client = make_broadcaster(chain, builder)
    async with client:
        with pytest.raises(bc.AccountMissing, match=signer.address):
            await b.estimate(signer, [send_msg(signer)])
    assert spy.signed == []


async def test_node_down_before_sending_is_plain_unavailable(builder: Any, signer: Signer) -> None:
    from tests.core.test_chain_helpers import dead_url

    client = ChainClient([dead_url()], retry=RetryPolicy(rounds=1))
    b = bc.Broadcaster(client, chain_id=CHAIN, builder=builder)
    async with client:
        with pytest.raises(NodeUnavailable) as info:
            await b.send(signer, [send_msg(signer)])
    assert info.value.maybe_delivered is False


def test_fee_arithmetic_and_classification() -> None:
    cfg = bc.BroadcastConfig()
    assert bc.fee_for(100_000, cfg) == (130_000, 3250, Decimal("0.025"))
    assert bc.fee_for(1, cfg) == (2, 1, Decimal("0.025"))  # ceil at both steps: never under-pay
    assert bc.fee_for(0, cfg)[0] == 1
    assert bc.classify_sdk_message("x: insufficient funds With gas wanted: '0'") == (5, "sdk")
    assert bc.classify_sdk_message("out of gas in location: foo; gasWanted: 1: out of gas") == (11, "sdk")
    assert bc.classify_sdk_message("something else") == (0, "")
    assert bc.expected_sequence("account sequence mismatch, expected 12, got 9: incorrect") == 12
    assert bc.expected_sequence("nope") is None
