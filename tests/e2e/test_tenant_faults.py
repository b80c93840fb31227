"""Tenant faults end to end on the local network (no mocks): a bidding provider that is offline, a manifest the
provider rejects (wrong hash, 422), the node restarted between the lease and the manifest, and a deployment
running out of funds (low-funds signal first, then the lease closed for insufficient funds)."""

from __future__ import annotations

import asyncio
import os
import socket
import time
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from app import config
from app.chain.client import ChainClient
from app.localnet.providers.catalog import FLEET
from app.market.access import ProviderAccess
from app.market.bids import compare_bids, snapshot
from app.market.compare import BidRow, auto_select
from app.market.context import MarketContext
from app.market.deploy import create_deployment, plan_deployment
from app.market.errors import ProviderOffline
from app.market.lease import accept_bids, create_leases, lease_statuses, send_manifests
from app.market.overview import deployments_overview
from app.market.providers import ProviderDirectory
from app.market.records import RecordStore
from app.market.runway import LowFundsMonitor, deployment_runway
from app.market.signing import DirectSender
from app.market.streams import deployment_stream
from app.provider.errors import ManifestRejected
from app.provider.models import LogLine
from app.sdl import parse_sdl
from app.tx.broadcast import Broadcaster
from app.wallet.signer import Signer
from tests.e2e.test_tenant import SDL, start_node
from tests.localnet_fixtures import NodeClient

GPU_SDL = """
version: "2.0"
services:
  trainer:
    image: pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime
    expose:
      - port: 8888
        as: 8888
        to: [{global: true}]
profiles:
  compute:
    trainer:
      resources:
        cpu: {units: 4}
        memory: {size: 16Gi}
        storage: [{size: 20Gi}]
        gpu:
          units: 1
          attributes:
            vendor:
              nvidia:
                - model: h100
  placement:
    gpu:
      pricing:
        trainer: {denom: uact, amount: 50000}
deployment:
  trainer:
    gpu: {profile: trainer, count: 1}
"""


@pytest.fixture(scope="module")
def node() -> Iterator[NodeClient]:
    local = start_node()
    try:
        yield NodeClient(local)
    finally:
        local.cleanup()


class Tenant:
    """A funded tenant account with the market services of the app, on one node."""

    def __init__(self, url: str, signer: Signer) -> None:
        self.network = config.local_network(int(url.rsplit(":", 1)[1]))
        self.chain = ChainClient(self.network)
        self.signer = signer
        self.ctx = MarketContext.create(self.chain, self.network, signer.address)
        self.sender = DirectSender(Broadcaster(self.chain, chain_id=self.network.chain_id), signer)
        self.access = ProviderAccess.jwt(signer)
        self.directory = ProviderDirectory(self.chain)

    async def deploy(self, sdl: str = SDL, deposit_uact: int = 5_000_000) -> int:
        plan = await plan_deployment(self.ctx, sdl, sender=self.sender, deposit_uact=deposit_uact)
        return (await create_deployment(self.ctx, plan, self.sender)).dseq

    async def rows(self, dseq: int, at_least: int = 1, timeout_s: float = 30.0, probe: bool = True) -> list[BidRow]:
        deadline = time.monotonic() + timeout_s
        while True:
            rows = await compare_bids(self.ctx, await snapshot(self.ctx, dseq), self.directory, probe=probe)
            if len(rows) >= at_least or time.monotonic() > deadline:
                return rows
            await asyncio.sleep(0.5)


@pytest.fixture
async def tenant(node: NodeClient) -> AsyncIterator[Tenant]:
    signer = Signer(os.urandom(32))
    node.fund(signer.address)  # 1000 AKT + 1000 ACT
    t = Tenant(node.url, signer)
    yield t
    await t.chain.aclose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_an_offline_provider_is_refused_before_signing_and_another_is_chosen(tenant: Tenant,
                                                                                 node: NodeClient) -> None:
    dseq = await tenant.deploy()
    bids = await tenant.rows(dseq, at_least=6, probe=False)  # every matching provider bid; no probe cached yet
    cheapest = min(bids, key=lambda r: r.bid.price.amount)
    spec = next(p for p in FLEET if p.address == cheapest.provider)
    # The cheapest bidder goes offline (its gateway closes; the local-only route of the node).
    assert node.request("POST", "/localnet/provider", {"name": spec.name, "online": False})[0] == 200
    try:
        rows = await tenant.rows(dseq, at_least=len(bids))
        offline_row = next(r for r in rows if r.provider == cheapest.provider)
        assert offline_row.online is False and "refused" in offline_row.status.error
        assert offline_row.card.name == spec.organization

        sent_before = len(tenant.sender.sent)
        with pytest.raises(ProviderOffline) as err:
            await accept_bids(tenant.ctx, dseq, [offline_row], tenant.sender, tenant.access,
                              directory=tenant.directory)
        assert cheapest.provider in str(err.value) and "Choose a bid from another provider" in str(err.value)
        assert len(tenant.sender.sent) == sent_before  # nothing was signed

        picked = auto_select(rows)[(1, 1)]  # the cheapest bid is the offline provider's, but auto-select skips it
        assert picked.provider != cheapest.provider and picked.online
        done = await accept_bids(tenant.ctx, dseq, [picked], tenant.sender, tenant.access, directory=tenant.directory)
        assert done.ok and done.leases[0].provider == picked.provider
    finally:
        assert node.request("POST", "/localnet/provider", {"name": spec.name, "online": True})[0] == 200


async def test_a_manifest_with_the_wrong_hash_is_rejected_and_explained(tenant: Tenant) -> None:
    dseq = await tenant.deploy()
    rows = await tenant.rows(dseq, at_least=6)  # all the matching online providers
    await create_leases(tenant.ctx, dseq, [auto_select(rows)[(1, 1)]], tenant.sender, directory=tenant.directory)
    other = parse_sdl(SDL.replace("nginx:1.27", "nginx:1.26")).manifest_sorted_json()
    [bad] = await send_manifests(tenant.ctx, dseq, tenant.access, manifest_json=other)
    assert not bad.ok and isinstance(bad.error, ManifestRejected)
    assert "different manifest hash than the one on chain" in str(bad.error)
    assert tenant.ctx.records.get(tenant.ctx.owner, dseq).leases[0].manifest_version_hex == ""
    [good] = await send_manifests(tenant.ctx, dseq, tenant.access)  # the recorded manifest matches the chain
    assert good.ok
    assert tenant.ctx.records.get(tenant.ctx.owner, dseq).leases[0].manifest_version_hex

    # then the workload runs: follow its logs (the merged stream of every lease), stop after a few lines
    lines = []
    stream = deployment_stream(tenant.ctx, dseq, tenant.access, follow=True, tail=2, services=("web",))
    async for entry in stream:
        if isinstance(entry.item, LogLine):
            lines.append(entry)
        if len(lines) >= 4:
            break
    await stream.aclose()
    assert {(e.gseq, e.oseq) for e in lines} == {(1, 1)} and all(e.item.name.startswith("web-") for e in lines)
    assert [t for t in asyncio.all_tasks() if "pump" in repr(t.get_coro())] == []  # nothing left running


async def test_the_flow_resumes_from_the_record_after_a_node_restart(tmp_path: Path) -> None:
    port = free_port()
    local = start_node(tmp_path / "chain", port)
    try:
        signer = Signer(os.urandom(32))
        NodeClient(local).fund(signer.address)
        first = Tenant(local.url, signer)
        dseq = await first.deploy()
        rows = await first.rows(dseq, at_least=6)
        await create_leases(first.ctx, dseq, [auto_select(rows)[(1, 1)]], first.sender, directory=first.directory)
        await first.chain.aclose()

        local.stop()  # the node (and its providers) go down between the lease and the manifest
        local = start_node(tmp_path / "chain", port)

        again = Tenant(local.url, signer)  # a new session: only the local record remembers the manifest
        try:
            record = RecordStore.for_network(again.network).get(signer.address, dseq)
            assert record is not None and record.leases[0].manifest_version_hex == ""
            [delivery] = await send_manifests(again.ctx, dseq, again.access, only_missing=True)
            assert delivery.ok, delivery.error
            views = await lease_statuses(again.ctx, dseq, again.access)
            assert views[0].uris and views[0].error is None
            assert again.ctx.records.get(signer.address, dseq).leases[0].manifest_version_hex == record.current.version_hex
            assert await send_manifests(again.ctx, dseq, again.access, only_missing=True) == []
        finally:
            await again.chain.aclose()
    finally:
        local.cleanup()


async def test_running_out_of_funds_signals_first_then_closes_the_lease(tenant: Tenant, node: NodeClient) -> None:
    dseq = await tenant.deploy(GPU_SDL, deposit_uact=500_000)  # the chain's minimum at an H100's price
    rows = await tenant.rows(dseq)
    assert {r.card.name for r in rows} == {"Delta GPU Pte"}  # the only H100 provider
    done = await accept_bids(tenant.ctx, dseq, [rows[0]], tenant.sender, tenant.access, directory=tenant.directory)
    assert done.ok

    signals = []
    monitor = LowFundsMonitor(threshold_s=Decimal(3600), notify=signals.append)
    runway = await deployment_runway(tenant.ctx, dseq)
    assert runway.blocks_left is not None and runway.seconds_left < 3600
    monitor.update([runway])
    assert [s.level for s in signals] == ["low"] and "runs out of funds" in signals[0].message

    node.advance(runway.blocks_left + 10)  # past the end of the escrow; the provider's funds monitor settles it
    deadline = time.monotonic() + 30
    while True:
        lines = await deployments_overview(tenant.ctx, directory=tenant.directory)
        line = next(d for d in lines if d.dseq == dseq)
        if line.leases and line.leases[0].state != "active" or time.monotonic() > deadline:
            break
        monitor.update([line.runway] if line.runway else [])
        await asyncio.sleep(0.5)
    lease = line.leases[0]
    assert lease.state == "insufficient_funds" and lease.state_text == "Closed: out of funds"
    assert "escrow ran out" in lease.close_reason
    assert line.state == "closed" and line.state_text == "Closed: out of funds"
    assert signals[0].level == "low"  # the person was told before the lease closed
    record = tenant.ctx.records.get(tenant.ctx.owner, dseq)
    assert record.state == "closed" and record.leases[0].close_reason == "lease_closed_reason_insufficient_funds"
