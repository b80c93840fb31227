"""End to end: real transactions through the broadcast pipeline into the local node, read back with the models."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest

from app.chain import auth, bank, bme, distribution, gov, oracle, staking, tendermint, tx
from app.chain.client import ChainClient
from app.chain.common import Coin
from app.chain.errors import TxRejected
from app.chain.policy import RetryPolicy
from app.proto.gen.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from app.proto.gen.cosmos.base.v1beta1 import coin_pb2
from app.proto.gen.cosmos.staking.v1beta1 import tx_pb2 as staking_tx
from app.tx import broadcast as bc
from app.tx import builder
from app.wallet.signer import Signer
from tests.localnet_fixtures import NodeClient

RECIPIENT = "akash1jrkmdcwgq94uaamx6zax2luewlhf7u4k3rtk0c"


@pytest.fixture
async def client(localnet: NodeClient) -> AsyncIterator[ChainClient]:
    async with ChainClient([localnet.url], retry=RetryPolicy(rounds=2, base_delay_s=0.05)) as c:
        yield c


def pipeline(client: ChainClient, localnet: NodeClient) -> bc.Broadcaster:
    config = bc.BroadcastConfig(poll_interval_s=0.2, confirm_timeout_s=30.0)
    return bc.Broadcaster(client, config, chain_id=localnet.chain_id)


def msg_send(sender: str, to: str, amount: int, denom: str = "uakt") -> bank_tx.MsgSend:
    return bank_tx.MsgSend(from_address=sender, to_address=to, amount=[coin_pb2.Coin(denom=denom, amount=str(amount))])


async def test_send_is_included_and_reads_back(client: ChainClient, localnet: NodeClient, fresh_signer: Signer) -> None:
    signer = fresh_signer
    b = pipeline(client, localnet)
    before = (await bank.balance(client, signer.address, "uakt")).amount
    to_before = (await bank.balance(client, RECIPIENT, "uakt")).amount
    est = await b.estimate(signer, [msg_send(signer.address, RECIPIENT, 1_234_567)])
    assert est.gas_used > 0 and est.gas_limit == -(-est.gas_used * 13 // 10)
    result = await b.send(signer, [msg_send(signer.address, RECIPIENT, 1_234_567)], memo="e2e send", estimate=est)

    assert result.ok and result.height > 0 and result.memo == "e2e send"
    assert result.fee == (Coin("uakt", est.amount),) and result.gas_wanted == est.gas_limit
    assert 0 < result.gas_used <= est.gas_limit
    assert any(e.type == "transfer" for e in result.events)
    assert (await bank.balance(client, RECIPIENT, "uakt")).amount == to_before + 1_234_567
    assert (await bank.balance(client, signer.address, "uakt")).amount == before - 1_234_567 - est.amount

    again = await tx.get_tx(client, result.txhash)
    assert (again.height, again.code, again.messages[0].type_url) == (result.height, 0, "/cosmos.bank.v1beta1.MsgSend")
    account = await auth.account(client, signer.address)
    assert account.sequence == 1 and account.pub_key is not None
    assert base64.b64decode(account.pub_key.key_b64) == signer.public_key
    history = await tx.search_txs(client, f"message.sender='{signer.address}'")
    assert result.txhash in {t.txhash for t in history.items}


async def test_delegate_and_rewards(client: ChainClient, localnet: NodeClient, fresh_signer: Signer) -> None:
    signer = fresh_signer
    bonded = (await staking.validators(client, staking.BondStatus.BONDED)).items
    assert len(bonded) >= 7 and all(not v.jailed for v in bonded)
    target = max(bonded, key=lambda v: v.tokens)
    msg = staking_tx.MsgDelegate(
        delegator_address=signer.address,
        validator_address=target.operator_address,
        amount=coin_pb2.Coin(denom="uakt", amount="5000000"),
    )
    result = await pipeline(client, localnet).send(signer, [msg])
    assert result.ok
    dels = (await staking.delegations(client, signer.address)).items
    assert [(d.validator_address, d.balance) for d in dels] == [(target.operator_address, Coin("uakt", 5_000_000))]
    assert (await staking.validator(client, target.operator_address)).tokens == target.tokens + 5_000_000
    await asyncio.to_thread(localnet.advance, 2)
    rewards = await distribution.rewards(client, signer.address)
    assert rewards.rewards[0].validator_address == target.operator_address
    assert sum(c.amount for c in rewards.total if c.denom == "uakt") > Decimal(0)


async def test_stale_sequence_is_resigned_once(client: ChainClient, localnet: NodeClient, fresh_signer: Signer) -> None:
    """A tx of the same account waits in the mempool, so the REST sequence is stale: CheckTx says 32 once."""
    signer = fresh_signer
    account = await auth.account(client, signer.address)
    fee = builder.Fee(amount=(("uakt", 5000),), gas=200_000)
    first = builder.sign_tx(signer, [msg_send(signer.address, RECIPIENT, 1)], chain_id=localnet.chain_id,
                            account_number=account.account_number, sequence=account.sequence, fee=fee)  # fmt: skip
    b = pipeline(client, localnet)
    signed: list[Any] = []

    class Counting:  # the real builder, counting signatures
        Fee = builder.Fee
        simulation_tx_bytes = staticmethod(builder.simulation_tx_bytes)

        @staticmethod
        def sign_tx(*args: Any, **kw: Any) -> Any:
            signed.append(builder.sign_tx(*args, **kw))
            return signed[-1]

    b.builder = Counting  # type: ignore[assignment]
    est = await b.estimate(signer, [msg_send(signer.address, RECIPIENT, 2)])  # before the first tx exists
    sent = await asyncio.to_thread(localnet.broadcast, first.tx_bytes)
    assert sent["code"] == 0
    result = await b.send(signer, [msg_send(signer.address, RECIPIENT, 2)], estimate=est)
    assert result.ok and result.txhash != first.txhash
    assert len(signed) == 2 and result.txhash == signed[1].txhash  # refused once at the stale sequence
    assert (await auth.account(client, signer.address)).sequence == 2
    status, body = await asyncio.to_thread(localnet.tx, first.txhash)
    assert status == 200 and body["tx_response"]["code"] == 0


async def test_concurrent_sends_are_serialised(client: ChainClient, localnet: NodeClient, fresh_signer: Signer) -> None:
    signer = fresh_signer
    b = pipeline(client, localnet)
    results = await asyncio.gather(*(b.send(signer, [msg_send(signer.address, RECIPIENT, n)]) for n in (1, 2, 3)))
    assert all(r.ok for r in results) and len({r.txhash for r in results}) == 3
    assert (await auth.account(client, signer.address)).sequence == 3


async def test_rejections_are_typed(client: ChainClient, localnet: NodeClient, fresh_signer: Signer) -> None:
    signer = fresh_signer
    b = pipeline(client, localnet)
    with pytest.raises(TxRejected) as too_much:
        await b.send(signer, [msg_send(signer.address, RECIPIENT, 10**15)])
    assert too_much.value.code == 5 and too_much.value.codespace == "sdk"
    with pytest.raises(TxRejected) as act:
        await b.send(signer, [msg_send(signer.address, RECIPIENT, 1, denom="uact")])
    assert act.value.stage in ("simulate", "check") and "uact" in act.value.log
    with pytest.raises(bc.AccountMissing):
        await b.estimate(Signer(bytes(range(1, 33))), [msg_send("akash1x", RECIPIENT, 1)])
    assert (await auth.account(client, signer.address)).sequence == 0  # nothing was included


async def test_every_module_reads_back(client: ChainClient, localnet: NodeClient) -> None:
    info = await tendermint.node_info(client)
    assert info.chain_id == localnet.chain_id
    latest = await tendermint.latest_block(client)
    assert latest.height >= 1 and (await tendermint.block_at(client, latest.height)).height == latest.height
    assert any(m.symbol for m in (await bank.denoms_metadata(client)).items)
    flags = {f.denom: f.enabled for f in await bank.send_enabled(client, ("uact",))}
    assert flags.get("uact") is False
    jailed = [v for v in (await staking.validators(client)).items if v.jailed]
    assert jailed
    assert (await staking.params(client)).bond_denom == "uakt"
    assert (await staking.pool(client)).bonded_tokens > 0
    proposals = (await gov.proposals(client)).items
    assert len({p.status for p in proposals}) >= 2
    assert (await gov.tally(client, proposals[0].id)).total >= 0
    params = await gov.params(client)
    legacy_params = await gov.params(client, legacy=True)
    assert params.quorum > 0 and legacy_params.quorum == params.quorum
    assert legacy_params.voting_period == params.voting_period and legacy_params.min_deposit == params.min_deposit
    legacy = (await gov.proposals(client, legacy=True)).items
    assert {p.id for p in legacy} == {p.id for p in proposals}
    status = await bme.status(client)
    assert status.status.known
    assert (await bme.params(client)).min_epoch_blocks >= 0
    price = await oracle.aggregated_price(client, "akt")
    assert price.median_price > 0

