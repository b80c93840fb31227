"""Tenant: time from creating a deployment to a comparison table of its bids, on the local network (1 s blocks).

For each run: sign and confirm MsgCreateDeployment, then poll the bids (app.market.bids) and build the
comparison table (providers, audits, online probes, prices) until every matching provider has bid.
Also the cost of building the table itself, with cold and warm provider caches.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import time
import urllib.request

from app import config
from app.chain.client import ChainClient
from app.localnet.providers.config import ENV_VAR
from app.localnet.runner import LocalNode
from app.market import render
from app.market.bids import compare_bids, snapshot
from app.market.context import MarketContext
from app.market.deploy import create_deployment, plan_deployment
from app.market.providers import ProviderDirectory
from app.market.signing import DirectSender
from app.tx.broadcast import Broadcaster
from app.wallet.signer import Signer
from tests.kits.sdl import web_sdl

RUNS = 3
EXPECTED_BIDDERS = 6  # the fleet's online providers that can serve the SDL below (fjord stays offline)
SDL = web_sdl()


def _fund(url: str, address: str) -> None:
    req = urllib.request.Request(url + "/localnet/faucet", data=json.dumps({"address": address}).encode(),
                                 method="POST", headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=30).read()


async def _run(url: str) -> None:
    network = config.local_network(int(url.rsplit(":", 1)[1]))
    signer = Signer(os.urandom(32))
    _fund(url, signer.address)
    async with ChainClient(network) as chain:
        ctx = MarketContext.create(chain, network, signer.address)
        sender = DirectSender(Broadcaster(chain, chain_id=network.chain_id), signer)
        created, first, full, tables = [], [], [], []
        rows: list = []
        for _ in range(RUNS):
            plan = await plan_deployment(ctx, SDL, sender=sender, deposit_uact=5_000_000)
            t0 = time.perf_counter()
            record = await create_deployment(ctx, plan, sender)
            t1 = time.perf_counter()
            directory = ProviderDirectory(chain)  # cold caches: what a fresh window pays
            t_first = None
            while True:
                snap = await snapshot(ctx, record.dseq)
                s0 = time.perf_counter()
                rows = await compare_bids(ctx, snap, directory)
                tables.append(time.perf_counter() - s0)
                if rows and t_first is None:
                    t_first = time.perf_counter()
                if len(rows) >= EXPECTED_BIDDERS or time.perf_counter() - t1 > 60:
                    break
                await asyncio.sleep(0.25)
            created.append(t1 - t0)
            first.append((t_first or time.perf_counter()) - t0)
            full.append(time.perf_counter() - t0)
        print(f"  create deployment (sign, broadcast, in a block): median {statistics.median(created):.2f} s")
        print(f"  creation -> first bid in the table:              median {statistics.median(first):.2f} s")
        print(f"  creation -> table with all {EXPECTED_BIDDERS} bids:              median {statistics.median(full):.2f} s "
              f"(runs: {', '.join(f'{x:.2f}' for x in full)})")
        print(f"  building one table (chain + probes + prices):    cold {max(tables) * 1000:.0f} ms, "
              f"warm median {statistics.median(tables) * 1000:.0f} ms")
        print("\n".join("  | " + line for line in render.bid_table(rows).splitlines()[:9]))


def main() -> None:
    old = os.environ.get(ENV_VAR)
    os.environ[ENV_VAR] = json.dumps({"seed": 5, "skip_chance": 0.0, "offline": {"fjord": "always"}})
    try:
        node = LocalNode(block_time=1.0)
    finally:
        os.environ.pop(ENV_VAR, None) if old is None else os.environ.__setitem__(ENV_VAR, old)
    try:
        asyncio.run(_run(node.url))
    finally:
        node.cleanup()


if __name__ == "__main__":
    main()
