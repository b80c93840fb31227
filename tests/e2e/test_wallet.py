"""Wallet end to end on the local network: balances with USD, send with memo, decoded history, ACT refused, CSV,
and the headless `python -m app balance/send/history` with a keystore wallet."""

from __future__ import annotations

import os
from decimal import Decimal

import pytest

from app import account, history
from app.account import SendRefused
from app.chain import oracle
from app.chain.client import ChainClient
from app.localnet.genesis import DEMO_ADDRESS
from app.txplan import fee_reserve_uakt, max_spendable
from app.wallet.signer import Signer
from tests.e2e.holder_kit import (  # noqa: F401 - the chain fixture
    PASSWORD,
    balance,
    chain_fixture,
    keystore_wallet,
    run_cli,
    sign_and_send,
)
from tests.localnet_fixtures import NodeClient

RESERVE = fee_reserve_uakt()


async def test_balances_have_display_units_and_usd_values(chain: ChainClient, fresh_signer: Signer) -> None:
    ov = await account.load_overview(chain, fresh_signer.address)
    by = {b.symbol: b for b in ov.balances}
    assert by["AKT"].amount == 1_000_000_000 and by["ACT"].amount == 1_000_000_000 and by["USDC"].amount == 0
    assert not by["ACT"].transferable and by["AKT"].transferable
    price = (await oracle.aggregated_price(chain, "akt")).twap
    assert abs(ov.akt_price_usd - price) < Decimal("0.01")  # the oracle drifts block by block
    assert by["AKT"].usd_value == Decimal(1000) * ov.akt_price_usd and by["ACT"].usd_value == Decimal(1000)
    assert ov.total_usd == by["AKT"].usd_value + 1000


async def test_send_with_memo_shows_up_in_both_histories(chain: ChainClient, localnet: NodeClient,
                                                         fresh_signer: Signer, tmp_path) -> None:
    friend = Signer(os.urandom(32)).address
    ov = await account.load_overview(chain, fresh_signer.address)
    plan = account.build_send(fresh_signer.address, friend, 12_500_000, "uakt", balances=ov.as_dict(),
                              reserve_uakt=RESERVE, memo="rent for May", recipient_name="Landlord")
    assert plan.describe()[0].title == "Send 12.5 AKT"
    result = await sign_and_send(chain, localnet, fresh_signer, plan)
    assert result.memo == "rent for May"
    assert await balance(chain, friend) == 12_500_000

    mine = history.HistoryLoader(chain, fresh_signer.address, names={friend: "Landlord"})
    first = (await mine.more(1))[0]
    assert first.txhash == result.txhash and first.ok and first.memo == "rent for May"
    assert first.sentences == (f"Sent 12.5 AKT to Landlord ({friend[:12]}…{friend[-6:]})",)
    fee = result.fee[0].amount
    assert first.fee == {"uakt": fee} and first.change == {"uakt": -12_500_000 - fee}
    # The faucet funds accounts outside any transaction, so there is nothing else.
    assert await mine.more(10) == () and mine.exhausted

    theirs = await history.HistoryLoader(chain, friend).more(5)
    assert [e.sentences for e in theirs] == [(f"Received 12.5 AKT from {fresh_signer.address[:12]}…"
                                              f"{fresh_signer.address[-6:]}",)]
    assert theirs[0].change == {"uakt": 12_500_000} and theirs[0].fee == {}

    path = history.export_csv(await history.load_all(chain, fresh_signer.address), tmp_path / "h.csv")
    text = path.read_text(encoding="utf-8")
    assert result.txhash in text and "rent for May" in text and "-12.5" in text


async def test_act_and_too_much_are_refused_before_signing(chain: ChainClient, fresh_signer: Signer) -> None:
    ov = await account.load_overview(chain, fresh_signer.address)
    friend = Signer(os.urandom(32)).address
    with pytest.raises(SendRefused, match="ACT is not transferable"):
        account.build_send(fresh_signer.address, friend, 1_000_000, "uact", balances=ov.as_dict(), reserve_uakt=RESERVE)
    top = max_spendable(ov.amount_of("uakt"), "uakt", RESERVE)
    account.build_send(fresh_signer.address, friend, top, "uakt", balances=ov.as_dict(), reserve_uakt=RESERVE)
    with pytest.raises(Exception, match="kept for fees"):
        account.build_send(fresh_signer.address, friend, top + 1, "uakt", balances=ov.as_dict(), reserve_uakt=RESERVE)


async def test_demo_history_is_decoded_and_merged_newest_first(chain: ChainClient) -> None:
    loader = history.HistoryLoader(chain, DEMO_ADDRESS)
    entries = list(await loader.more(3))
    while not loader.exhausted:  # other tests may have used the demo account too: read it all
        entries += await loader.more(200)
    heights = [e.height for e in entries]
    assert heights == sorted(heights, reverse=True) and len({e.txhash for e in entries}) == len(entries)
    words = " | ".join(s for e in entries for s in e.sentences)
    for expected in ("Delegated 5,000 AKT to Aurora Staking", "Voted Yes on #4", "Received 20 AKT from",
                     "Started unbonding 100 AKT from Cedar Nodes", "Redelegated 500 AKT from Aurora Staking"):
        assert expected.split(" to ")[0].split(" from ")[0] in words, expected


def test_cli_balance_send_and_history(localnet: NodeClient, fresh_signer: Signer) -> None:
    me = keystore_wallet("cli-e2e").address
    localnet.fund(me, {"uakt": 50_000_000})
    friend = Signer(os.urandom(32)).address
    code, out = run_cli(localnet, "balance", "--address", me)
    assert code == 0 and out["balances"][0] == {"denom": "uakt", "symbol": "AKT", "amount": "50000000", "display": "50",
                                                 "usd": out["balances"][0]["usd"], "transferable": True}
    code, out = run_cli(localnet, "send", friend, "2.25", "--memo", "cli", "--wallet", "cli-e2e", "--password-stdin",
                     "--yes", stdin=PASSWORD + "\n")
    assert code == 0, out
    (sent,) = out["transactions"]
    assert sent["status"] == "confirmed" and sent["title"].startswith("Send 2.25 AKT") and sent["fee_uakt"] > 0
    assert localnet.balance(friend) == 2_250_000
    code, out = run_cli(localnet, "send", friend, "1", "--denom", "act", "--wallet", "cli-e2e", "--password-stdin",
                     "--yes", stdin=PASSWORD + "\n")
    assert code == 1 and out["field"] == "denom" and "not transferable" in out["error"]
    code, out = run_cli(localnet, "send", friend, "1", "--wallet", "cli-e2e", "--password-stdin", "--yes",
                     stdin="wrong password\n")
    assert code == 1 and "password" in out["error"].lower()
    code, out = run_cli(localnet, "history", "--wallet", "cli-e2e", "--limit", "5")
    assert code == 0 and out["entries"][0]["txhash"] == sent["txhash"] and out["entries"][0]["memo"] == "cli"
