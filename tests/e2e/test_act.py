"""ACT end to end: mint -> pending -> executed at the epoch -> ACT balance grows; a mint under the minimum is
refused before anything is signed; burn ACT back into AKT."""

from __future__ import annotations

import pytest

from app import bme, history
from app.chain import auth
from app.chain.bme import LedgerStatus
from app.chain.client import ChainClient
from app.chain.common import Coin
from app.txplan import PlanError, fee_reserve_uakt
from app.wallet.signer import Signer
from tests.e2e.holder_kit import balance, chain_fixture, sign_and_send  # noqa: F401 - the chain fixture
from tests.localnet_fixtures import NodeClient

AKT = 1_000_000
RESERVE = fee_reserve_uakt()


async def _no_sleep_advance(localnet: NodeClient):
    async def advance(_: float) -> None:
        localnet.advance(1)

    return advance


async def test_mint_is_followed_until_executed(chain: ChainClient, localnet: NodeClient, fresh_signer: Signer) -> None:
    me = fresh_signer.address
    state = await bme.load_state(chain)
    assert state.status.mints_allowed and state.akt_price and state.min_uact == 10_000_000
    act_before = await balance(chain, me, "uact")
    plan, quote = bme.build_mint(me, 20 * AKT, state, liquid_uakt=await balance(chain, me), reserve_uakt=RESERVE)
    assert quote.uact_out > 10_000_000 and plan.describe()[0].title == "Get ACT by burning 20 AKT"
    result = await sign_and_send(chain, localnet, fresh_signer, plan)

    pending = await bme.find_record(chain, me, result.height, Coin("uakt", 20 * AKT), "uact")
    assert pending is not None and pending.status in (LedgerStatus.PENDING, LedgerStatus.EXECUTED)
    outcome = await bme.follow(chain, me, result.height, Coin("uakt", 20 * AKT), timeout_s=60,
                               sleep=await _no_sleep_advance(localnet))
    assert outcome.status == LedgerStatus.EXECUTED and outcome.done and "20 AKT burned" in outcome.message
    minted = outcome.record.minted.coin.amount
    received = minted - minted * state.params.mint_spread_bps // 10_000
    assert await balance(chain, me, "uact") == act_before + received
    assert abs(received - quote.uact_out) <= quote.uact_out // 20  # the price drifts a little until the epoch
    entry = (await history.HistoryLoader(chain, me).more(1))[0]
    assert entry.sentences == ("Minted ACT from 20 AKT",)


async def test_below_minimum_mint_is_refused_before_signing(chain: ChainClient, fresh_signer: Signer) -> None:
    me = fresh_signer.address
    state = await bme.load_state(chain)
    sequence = (await auth.account(chain, me)).sequence
    with pytest.raises(PlanError, match="under the chain's minimum mint of 10 ACT") as err:
        bme.build_mint(me, 2 * AKT, state, liquid_uakt=await balance(chain, me), reserve_uakt=RESERVE)
    assert "Burn at least" in str(err.value)
    assert (await auth.account(chain, me)).sequence == sequence  # nothing was signed or sent
    enough = bme.mint_for_act(25_000_000, state.akt_price, state.params.mint_spread_bps)
    plan, quote = bme.build_mint(me, enough.uakt_in, state, liquid_uakt=await balance(chain, me), reserve_uakt=RESERVE)
    assert quote.uact_out >= 25_000_000 and plan.warnings == ()


async def test_burn_act_back_into_akt(chain: ChainClient, localnet: NodeClient, fresh_signer: Signer) -> None:
    me = fresh_signer.address
    state = await bme.load_state(chain)
    plan, quote = bme.build_burn(me, 5 * AKT, state, act_balance=await balance(chain, me, "uact"),
                                 liquid_uakt=await balance(chain, me), fee_uakt=1)
    akt_before = await balance(chain, me)
    result = await sign_and_send(chain, localnet, fresh_signer, plan)
    outcome = await bme.follow(chain, me, result.height, Coin("uact", 5 * AKT), timeout_s=60,
                               sleep=await _no_sleep_advance(localnet))
    assert outcome.status == LedgerStatus.EXECUTED
    gained = await balance(chain, me) - akt_before + result.fee[0].amount
    assert abs(gained - quote.uakt_out) <= quote.uakt_out // 20
