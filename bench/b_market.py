"""Marketplace on the local node: MsgCreateDeployment -> first bid and all bids (1 s blocks), bids-list time at 500 bids."""

from __future__ import annotations

import asyncio
import base64
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from aiohttp import web

from app.localnet.genesis import DEMO_MNEMONIC
from app.localnet.node import Node
from app.localnet.providers.config import FleetConfig
from app.localnet.server import make_app
from app.proto.gen.akash.base.deposit.v1 import deposit_pb2
from app.proto.gen.akash.deployment.v1beta4 import deploymentmsg_pb2 as dmsg
from app.proto.gen.cosmos.base.v1beta1 import coin_pb2
from app.sdl import parse_sdl
from app.tx.builder import Fee, sign_tx
from app.wallet.signer import Signer
from tests.kits.sdl import web_sdl

SDL = web_sdl(cpu="0.1", memory="128Mi", storage="256Mi")
BIDDERS = 6  # the fleet less the offline provider


class Bench:
    def __init__(self, block_time: float) -> None:
        self.node = Node(Path(tempfile.mkdtemp(prefix="bench-market-")), "localnet-1", block_time)
        self.node.provider_config = FleetConfig(seed=1, skip_chance=0.0, offline={"fjord": "always"})
        self.demo = Signer.from_mnemonic(DEMO_MNEMONIC)
        self.sdl = parse_sdl(SDL)
        self.sequence = 0
        self.runner = web.AppRunner(make_app(self.node), access_log=None)
        self.url = ""

    async def __aenter__(self) -> Bench:
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self.runner.addresses[0][1]}"
        acc = self.node.chain.module("auth").get_account(self.node.chain.root, self.demo.address)
        self.account_number, self.sequence = int(acc["account_number"]), int(acc["sequence"])
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.runner.cleanup()

    def deployment_tx(self, dseqs: list[int]) -> bytes:
        msgs = [dmsg.MsgCreateDeployment(
            id={"owner": self.demo.address, "dseq": d}, groups=self.sdl.groups(), hash=self.sdl.version(),
            deposit=deposit_pb2.Deposit(amount=coin_pb2.Coin(denom="uact", amount="500000"), sources=[1]))
            for d in dseqs]
        gas = 400_000 * len(msgs)
        tx = sign_tx(self.demo, msgs, chain_id="localnet-1", account_number=self.account_number,
                     sequence=self.sequence, fee=Fee((("uakt", gas // 40),), gas))
        self.sequence += 1
        return tx.tx_bytes

    async def bid_count(self, c: httpx.AsyncClient, dseq: int | None = None) -> int:
        params = {"filters.owner": self.demo.address, "pagination.limit": "1000"}
        if dseq is not None:
            params["filters.dseq"] = str(dseq)
        r = await c.get(self.url + "/akash/market/v1beta5/bids/list", params=params)
        return len(r.json()["bids"])


async def time_to_bids() -> tuple[float, float]:
    """Wall time from broadcasting MsgCreateDeployment to the first bid and to all bids in bids/list."""
    async with Bench(block_time=1.0) as b, httpx.AsyncClient(timeout=30) as c:
        await asyncio.sleep(1.5)  # the providers' certificates go on chain first
        raw = b.deployment_tx([777])
        t0 = time.perf_counter()
        r = await c.post(b.url + "/cosmos/tx/v1beta1/txs",
                         json={"tx_bytes": base64.b64encode(raw).decode(), "mode": "BROADCAST_MODE_SYNC"})
        assert r.json()["tx_response"]["code"] == 0, r.text
        first = 0.0
        while time.perf_counter() - t0 < 30:
            n = await b.bid_count(c, 777)
            if n and not first:
                first = time.perf_counter() - t0
            if n >= BIDDERS:
                return first, time.perf_counter() - t0
            await asyncio.sleep(0.05)
        raise RuntimeError(f"only {n} of {BIDDERS} bids after 30 s")


async def bids_list_time(target: int = 500) -> tuple[int, float, float, float]:
    """(bids, median and p95 ms of bids/list?filters.owner= with 500 bids, seconds to build them)."""
    async with Bench(block_time=3600) as b, httpx.AsyncClient(timeout=60) as c:
        fleet = b.node.chain.module("fleet").fleet
        t0 = time.perf_counter()
        await b.node.advance(1)
        await fleet.tick()
        deployments = -(-target // BIDDERS)
        for start in range(0, deployments, 10):
            b.node.broadcast(b.deployment_tx(list(range(1000 + start, 1000 + min(start + 10, deployments)))))
        for _ in range(6):
            await b.node.advance(1)
            await fleet.tick()
        built = time.perf_counter() - t0
        count = await b.bid_count(c)
        samples = []
        for _ in range(25):
            s = time.perf_counter()
            await b.bid_count(c)
            samples.append((time.perf_counter() - s) * 1000)
        samples.sort()
        return count, statistics.median(samples), samples[int(len(samples) * 0.95) - 1], built


def main() -> None:
    first, everyone = asyncio.run(time_to_bids())
    print(f"  MsgCreateDeployment -> first bid: {first:.2f} s, all {BIDDERS} bids: {everyone:.2f} s (1 s blocks)")
    count, median, p95, built = asyncio.run(bids_list_time())
    print(f"  bids/list with {count} bids (one owner, limit 1000): median {median:.1f} ms, p95 {p95:.1f} ms over HTTP "
          f"(built in {built:.1f} s)")
