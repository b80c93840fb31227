"""Local node: start time, sustained query rate, tx rate, and the worst block interval meanwhile."""

from __future__ import annotations

import asyncio
import base64
import os
import time

import httpx

from app.localnet.runner import LocalNode
from app.proto.gen.cosmos.bank.v1beta1 import tx_pb2 as bank
from app.proto.gen.cosmos.base.v1beta1 import coin_pb2
from app.tx.builder import Fee, sign_tx
from app.wallet.signer import Signer

DEMO = "akash1c2qvxwatpml5he5apgkwlc62qa3aj58cdhlqj5"
QUERIES = ["/cosmos/bank/v1beta1/balances/" + DEMO, "/cosmos/staking/v1beta1/validators",
           "/cosmos/auth/v1beta1/accounts/" + DEMO, "/cosmos/distribution/v1beta1/delegators/" + DEMO + "/rewards",
           "/cosmos/gov/v1/proposals", "/cosmos/base/tendermint/v1beta1/blocks/latest"]


async def query_rate(url: str, seconds: float) -> float:
    done = 0
    async with httpx.AsyncClient(base_url=url, timeout=10) as client:
        end = time.monotonic() + seconds

        async def worker(i: int) -> None:
            nonlocal done
            while time.monotonic() < end:
                r = await client.get(QUERIES[(done + i) % len(QUERIES)])
                r.raise_for_status()
                done += 1

        await asyncio.gather(*(worker(i) for i in range(8)))
    return done / seconds


async def tx_rate(url: str, count: int) -> tuple[float, int]:
    signers = [Signer(os.urandom(32)) for _ in range(count // 10)]
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        for s in signers:
            (await client.post("/localnet/faucet", json={"address": s.address})).raise_for_status()
        txs = []
        for s in signers:
            acc = (await client.get(f"/cosmos/auth/v1beta1/accounts/{s.address}")).json()["account"]
            for seq in range(10):
                msg = bank.MsgSend(from_address=s.address, to_address=DEMO,
                                   amount=[coin_pb2.Coin(denom="uakt", amount="1")])
                txs.append(sign_tx(s, [msg], chain_id="localnet-1", account_number=int(acc["account_number"]),
                                   sequence=seq, fee=Fee(amount=(("uakt", 5000),), gas=200_000)).tx_bytes)
        start = time.monotonic()
        accepted = 0
        for raw in txs:
            r = await client.post("/cosmos/tx/v1beta1/txs", json={"tx_bytes": base64.b64encode(raw).decode(),
                                                                   "mode": "BROADCAST_MODE_SYNC"})
            accepted += r.json()["tx_response"]["code"] == 0
        elapsed = time.monotonic() - start
        while (await client.get("/localnet/status")).json()["mempool_size"]:
            await asyncio.sleep(0.05)
        return accepted / elapsed, accepted


async def block_intervals(url: str, seconds: float) -> float:
    """Worst wall-clock gap between consecutive heights seen while polling."""
    worst, last_h, last_t = 0.0, None, time.monotonic()
    async with httpx.AsyncClient(base_url=url, timeout=10) as client:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            h = (await client.get("/localnet/status")).json()["height"]
            now = time.monotonic()
            if h != last_h:
                if last_h is not None:
                    worst = max(worst, now - last_t)
                last_h, last_t = h, now
            await asyncio.sleep(0.02)
    return worst


async def run(url: str) -> None:
    watch = asyncio.create_task(block_intervals(url, 12))
    qps = await query_rate(url, 5)
    tps, accepted = await tx_rate(url, 300)
    worst = await watch
    print(f"  sustained queries:   {qps:8.0f} /s (8 concurrent clients, mixed endpoints)")
    print(f"  tx broadcast (sync): {tps:8.0f} /s ({accepted} accepted MsgSend txs)")
    print(f"  worst block interval while loaded: {worst:.2f} s (block time 1 s)")


def main() -> None:
    t0 = time.monotonic()
    with LocalNode(block_time=1.0) as node:
        print(f"local node: started (genesis + history) in {time.monotonic() - t0:.2f} s")
        asyncio.run(run(node.url))


if __name__ == "__main__":
    main()
