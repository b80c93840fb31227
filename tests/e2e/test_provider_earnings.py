"""Provider earnings end to end: leases seeded with real txs (a fresh provider whose key we hold), earnings
grow as blocks pass, withdraw-all in one transaction, the provider's balance grows, CSV and history agree."""

from __future__ import annotations

import os
from decimal import Decimal

from app import earnings, history
from app.chain.client import ChainClient
from app.txplan import fee_reserve_uakt
from app.wallet.signer import Signer
from tests.e2e.holder_kit import balance, chain_fixture, sign_and_send  # noqa: F401 - the chain fixture
from tests.kits.leases import PRICE_UACT, seed_leases
from tests.localnet_fixtures import NodeClient

LEASES = 3


async def test_earnings_grow_and_withdraw_all(chain: ChainClient, localnet: NodeClient, tmp_path) -> None:
    seeded = await seed_leases(chain, localnet.fund, LEASES)
    provider = seeded.provider.address
    first = await earnings.load(chain, provider)
    assert len(first.running) == LEASES and not first.truncated
    assert all(e.rate == PRICE_UACT and e.denom == "uact" for e in first.leases)
    assert first.monthly_rate["uact"] == PRICE_UACT * LEASES * first.clock.blocks_per_month
    res = first.resources
    assert (res.cpu_millis, res.memory_bytes, res.gpu_units, res.endpoints) == (1500, 3 * 512 * 2**20, 0, 3)

    localnet.advance(40)
    grown = await earnings.load(chain, provider)
    blocks = grown.clock.height - first.clock.height
    assert blocks >= 40
    gain = grown.total["uact"] - first.total.get("uact", Decimal(0))
    assert gain == PRICE_UACT * LEASES * blocks  # rate x blocks, exactly
    assert grown.window("24h") == grown.total == grown.window("30d")  # everything happened today
    assert sum(d.amounts.get("uact", Decimal(0)) for d in grown.daily) == grown.total["uact"]
    assert grown.collectable == grown.total and grown.at_risk == {}

    plans = earnings.build_withdraw_all(provider, grown, liquid_uakt=await balance(chain, provider),
                                        fee_uakt=fee_reserve_uakt(txs=1))
    (plan,) = plans
    assert len(plan.msgs) == LEASES and plan.describe()[0].title.startswith("Withdraw the earnings of lease")
    before = await balance(chain, provider, "uact")
    result = await sign_and_send(chain, localnet, seeded.provider, plan)
    paid = await balance(chain, provider, "uact") - before
    # settled at the tx's block: what was collectable at our reading, plus the blocks since, in whole uact
    assert int(grown.collectable["uact"]) <= paid
    assert paid <= int(grown.collectable["uact"]) + PRICE_UACT * LEASES * (result.height - grown.clock.height)

    after = await earnings.load(chain, provider)
    assert after.withdrawn["uact"] == paid
    assert all(e.payment.balance < 1 for e in after.leases)  # only fractions of a uact stay behind
    assert after.total["uact"] >= grown.total["uact"]

    entry = (await history.HistoryLoader(chain, provider).more(1))[0]
    assert entry.txhash == result.txhash and entry.change["uact"] == paid
    assert all(s.startswith("Withdrew lease earnings") for s in entry.sentences) and len(entry.sentences) == LEASES

    path = earnings.export_csv(after, tmp_path / "earnings.csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("owner,dseq,gseq,oseq,state") and len([x for x in lines if seeded.tenant.address in x]) == 3


async def test_watch_only_address_without_leases(chain: ChainClient) -> None:
    nobody = Signer(os.urandom(32)).address
    e = await earnings.load(chain, nobody)
    assert e.leases == () and e.total == {} and len(e.daily) == earnings.DAYS
