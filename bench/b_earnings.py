"""Provider earnings: time to load the earnings of a provider with 1,000 leases from the local network.

Setup (not timed in the figure): a local node with the simulated fleet switched off, then 1,000 leases made
with real transactions over HTTP (tests/kits/leases.py: a fresh provider and tenant, 100 messages a tx),
then 100 blocks so every lease has accrued something. Timed: app.earnings.load with a fresh client (lease
list, tenants' deployments and escrow accounts, block clock, all the arithmetic), then the CSV.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time

from app import earnings
from app.chain.client import ChainClient
from app.localnet.runner import LocalNode

LEASES = 1000
RUNS = 3


async def _seed(url: str, node: LocalNode) -> str:
    from tests.kits.leases import seed_leases
    from tests.localnet_fixtures import NodeClient

    async with ChainClient([url]) as client:
        seeded = await seed_leases(client, NodeClient(node).fund, LEASES)
    return seeded.provider.address


async def _load(url: str, provider: str) -> tuple[float, earnings.ProviderEarnings]:
    async with ChainClient([url]) as client:
        t0 = time.perf_counter()
        result = await earnings.load(client, provider)
        return time.perf_counter() - t0, result


def main() -> None:
    os.environ["AKASH_DESK_LOCALNET_PROVIDERS"] = '{"enabled": false}'
    with LocalNode(block_time=1.0) as node:
        t0 = time.perf_counter()
        provider = asyncio.run(_seed(node.url, node))
        print(f"  setup: {LEASES} leases created with real txs in {time.perf_counter() - t0:.1f} s")
        from tests.localnet_fixtures import NodeClient

        NodeClient(node).advance(100)
        times = []
        result = None
        for _ in range(RUNS):
            seconds, result = asyncio.run(_load(node.url, provider))
            times.append(seconds)
        assert result is not None and len(result.leases) == LEASES
        t1 = time.perf_counter()
        text = earnings.to_csv(result)
        csv_s = time.perf_counter() - t1
        total = result.total.get("uact", 0)
        print(f"  load earnings of a provider with {len(result.leases)} leases: median {statistics.median(times):.2f} s "
              f"(best {min(times):.2f} s, {RUNS} runs, fresh client each)")
        print(f"  CSV of {len(text.splitlines())} lines: {csv_s * 1000:.0f} ms; total earned {total / 10**6:.2f} ACT")
