"""Seed leases on a local node with real transactions only (HTTP): a fresh provider, a tenant, N deployments,
N bids, N leases, a hundred messages per transaction. Used by the provider tests (e2e, UI) and bench/b_earnings.py.

The deployments require a placement attribute only the fresh provider has, so the simulated fleet never bids
on them and the leases belong to a provider whose key we hold (it signs the bids and the withdrawals).
"""

from __future__ import annotations

import math
import os
import uuid
from dataclasses import dataclass
from decimal import Decimal

from app.chain import tendermint
from app.chain.client import ChainClient
from app.sdl import parse_sdl
from app.tx import msgs
from app.tx.broadcast import BroadcastConfig, Broadcaster
from app.wallet.signer import Signer
from tests.kits.sdl import web_sdl

PER_TX = 100
PRICE_UACT = Decimal("8")  # the provider's bid, per block


@dataclass
class Seeded:
    provider: Signer
    tenant: Signer
    dseqs: list[int]
    host_attr: str


def _batches(items: list[int], size: int = PER_TX) -> list[list[int]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


async def register_provider(b: Broadcaster, provider: Signer, host: str) -> None:
    await b.send(provider, [msgs.msg_create_provider(provider.address, "https://127.0.0.1:9", [("host", host)],
                                                     email="e2e@example.invalid")])


async def seed_leases(client: ChainClient, fund: object, count: int, *, deposit_uact: int = 5_000_000,
                      price_uact: Decimal = PRICE_UACT, provider: Signer | None = None,
                      tenant: Signer | None = None) -> Seeded:
    """`count` active leases of one fresh provider (or `provider`) with one fresh tenant. `fund(address, amounts)`
    is the faucet (the tests' NodeClient.fund); deposits default to 5 ACT per deployment, bids to 8 uact a block."""
    provider = provider or Signer(os.urandom(32))
    tenant = tenant or Signer(os.urandom(32))
    host = f"e2e-{uuid.uuid4().hex[:12]}"
    need_act = count * deposit_uact + 10_000_000
    fund(tenant.address, {"uakt": 100_000_000 + count * 200_000, "uact": need_act})  # type: ignore[operator]
    fund(provider.address, {"uakt": 100_000_000 + count * 700_000})  # type: ignore[operator]
    b = Broadcaster(client, BroadcastConfig(poll_interval_s=0.2, confirm_timeout_s=60.0))
    await register_provider(b, provider, host)
    max_price = max(10, math.ceil(price_uact))  # the order's highest price; the bid must not exceed it
    sdl = parse_sdl(web_sdl(max_price, attributes={"host": host}), network="mainnet")
    groups, version = sdl.groups(), sdl.version()
    base = (await tendermint.latest_block(client)).height * 100_000
    dseqs = [base + i for i in range(1, count + 1)]
    for batch in _batches(dseqs):
        await b.send(tenant, [msgs.msg_create_deployment(tenant.address, d, groups, version, deposit_uact)
                              for d in batch])
    for batch in _batches(dseqs):
        await b.send(provider, [msgs.msg_create_bid(tenant.address, d, 1, 1, provider.address, price_uact, "uact",
                                                    500_000, "uakt") for d in batch])
    for batch in _batches(dseqs):
        await b.send(tenant, [msgs.msg_create_lease(tenant.address, d, 1, 1, provider.address) for d in batch])
    return Seeded(provider, tenant, dseqs, host)
