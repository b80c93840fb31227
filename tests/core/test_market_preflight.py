"""Preflight before signing a deployment: SDL chain rules, minimum deposit, ACT (balance or grant), AKT for fees,
and the exact MsgMintACT when ACT is short. Pure parts directly, the rest against the real local node."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import pytest

from app import config
from app.chain.client import ChainClient
from app.market.context import MarketContext
from app.market.deploy import plan_deployment
from app.market.preflight import choose_sources
from app.market.signing import DirectSender
from app.sdl.errors import SdlValidationError
from app.tx import msgs
from app.tx.broadcast import Broadcaster
from app.wallet.signer import Signer
from tests.kits.sdl import web_sdl

SDL = web_sdl(100)


def test_choose_sources() -> None:
    assert choose_sources(5, balance=10, granted=0) == ("balance",)
    assert choose_sources(5, balance=0, granted=5) == ("grant",)
    assert choose_sources(5, balance=3, granted=2) == ("grant", "balance")
    assert choose_sources(5, balance=10, granted=9, wanted="balance") == ("balance",)
    assert choose_sources(5, balance=0, granted=0) == ("balance",)


class Env:
    def __init__(self, localnet, signer: Signer) -> None:
        port = int(localnet.url.rsplit(":", 1)[1])
        self.network = config.local_network(port)
        self.chain = ChainClient(self.network)
        self.ctx = MarketContext.create(self.chain, self.network, signer.address)
        self.sender = DirectSender(Broadcaster(self.chain, chain_id=self.network.chain_id), signer)


@pytest.fixture
async def env(localnet) -> AsyncIterator[Env]:
    signer = Signer(os.urandom(32))
    localnet.fund(signer.address)  # 1000 AKT + 1000 ACT
    e = Env(localnet, signer)
    yield e
    await e.chain.aclose()


def by_name(report) -> dict[str, object]:
    return {c.name: c for c in report.checks}


async def test_a_funded_account_passes(env: Env) -> None:
    plan = await plan_deployment(env.ctx, SDL, sender=env.sender, deposit_uact=5_000_000)
    r = plan.report
    assert r.ok, r.problems
    assert r.sources == ("balance",) and r.min_deposit_uact == 500_000
    assert r.fee_simulated and 0 < r.fee_uakt < 1_000_000 and r.gas_limit > 0
    assert r.balance_uact == 1_000_000_000 and r.balance_uakt == 1_000_000_000
    assert r.mint is None and plan.dseq > 0
    assert plan.msg.deposit.amount.amount == "5000000" and plan.msg.hash == plan.sdl.version()
    assert r.to_json()["ok"] is True


async def test_deposit_below_the_chain_minimum(env: Env) -> None:
    r = (await plan_deployment(env.ctx, SDL, sender=env.sender, deposit_uact=100_000)).report
    assert not r.ok and by_name(r)["deposit"].ok is False
    assert "below the chain's minimum of 0.5 ACT" in r.problems[0]


async def test_act_short_offers_the_exact_mint(env: Env) -> None:
    r = (await plan_deployment(env.ctx, SDL, sender=env.sender, deposit_uact=1_500_000_000)).report
    assert not r.ok and [c.name for c in r.checks if not c.ok] == ["act"]
    assert "500 ACT missing" in by_name(r)["act"].message
    assert r.only_act_missing and r.mint is not None and r.mint.msg is not None
    assert r.mint.msg.coins_to_burn.denom == "uakt" and int(r.mint.msg.coins_to_burn.amount) == r.mint.uakt_to_burn
    assert r.mint.expected_uact >= 500_000_000
    assert r.mint.msg.owner == r.mint.msg.to == env.ctx.owner
    assert "Mint about" in r.mint.words()


async def test_a_small_shortfall_still_mints_the_minimum(env: Env, localnet) -> None:
    signer = Signer(os.urandom(32))
    localnet.fund(signer.address, {"uakt": 200_000_000})  # AKT only
    e = Env(localnet, signer)
    try:
        r = (await plan_deployment(e.ctx, SDL, sender=e.sender, deposit_uact=500_000)).report
        assert r.only_act_missing and r.mint.min_mint_uact == 10_000_000
        assert r.mint.expected_uact >= 10_000_000  # 0.5 ACT missing, but a mint below 10 ACT is cancelled
    finally:
        await e.chain.aclose()


async def test_not_enough_akt_for_the_mint(env: Env, localnet) -> None:
    signer = Signer(os.urandom(32))
    localnet.fund(signer.address, {"uakt": 2_000_000})  # 2 AKT: fees yes, a 10 ACT mint no
    e = Env(localnet, signer)
    try:
        r = (await plan_deployment(e.ctx, SDL, sender=e.sender, deposit_uact=500_000)).report
        assert not r.only_act_missing and r.mint.msg is None and "the mint needs" in r.mint.blocked
        assert "for minting the missing ACT and the fees" in by_name(r)["akt"].message
    finally:
        await e.chain.aclose()


async def test_an_account_that_does_not_exist(localnet) -> None:
    e = Env(localnet, Signer(os.urandom(32)))
    try:
        r = (await plan_deployment(e.ctx, SDL, sender=e.sender)).report
        assert not r.ok and {c.name for c in r.checks if not c.ok} == {"act", "akt"}
    finally:
        await e.chain.aclose()


async def test_sdl_priced_in_akt_is_refused_with_the_act_line(env: Env) -> None:
    r = (await plan_deployment(env.ctx, SDL.replace("denom: uact", "denom: uakt"), sender=env.sender)).report
    assert not by_name(r)["sdl"].ok and "must be priced in ACT" in by_name(r)["sdl"].message
    with pytest.raises(SdlValidationError):
        await plan_deployment(env.ctx, "version: '2.0'\nservices: {}", sender=env.sender)


async def test_a_deposit_grant_is_used_when_it_covers_the_deposit(env: Env, localnet) -> None:
    granter = Signer(os.urandom(32))
    localnet.fund(granter.address)
    g = Env(localnet, granter)
    try:
        grant = msgs.msg_grant(granter.address, env.ctx.owner, msgs.deposit_authorization([("uact", 50_000_000)]))
        await g.sender.send([grant])
        r = (await plan_deployment(env.ctx, SDL, sender=env.sender, deposit_uact=20_000_000)).report
        assert r.ok and r.sources == ("grant",) and r.granted_uact == 50_000_000
        assert "paid by a deposit grant" in by_name(r)["act"].message
        both = (await plan_deployment(env.ctx, SDL, sender=env.sender, deposit_uact=60_000_000)).report
        assert both.ok and both.sources == ("grant", "balance")
        forced = (await plan_deployment(env.ctx, SDL, sender=env.sender, deposit_uact=60_000_000,
                                        source="grant")).report
        assert not forced.ok and "deposit grants" in by_name(forced)["act"].message
    finally:
        await g.chain.aclose()
