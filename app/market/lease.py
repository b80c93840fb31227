"""Accept bids and get the workload running: MsgCreateLease -> manifest to each provider in time -> lease status.

Everything is driven by the local record, so the flow resumes after a crash or a node restart:
send_manifests() picks the manifest whose hash equals the deployment's hash on chain and sends it to
every active lease's provider that does not have that version yet, within what is left of the
provider's 5-minute window (with retries). Before any lease is signed, each chosen provider's gateway
is probed: an offline provider is refused with ProviderOffline so another bid can be chosen.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from app.chain import deployment as chain_deployment
from app.chain import market
from app.chain.errors import NotFound, TxRejected
from app.chain.market import Bid, BidID, BidState, LeaseInfo, LeaseState, MarketFilters, OrderState
from app.chain.tx import TxResult
from app.market.access import ProviderAccess
from app.market.compare import BidRow
from app.market.context import MarketContext
from app.market.errors import (
    BidNotAvailable,
    DeploymentClosed,
    DeploymentNotFound,
    ProviderOffline,
    RecordMissing,
)
from app.market.providers import ProviderDirectory
from app.market.records import DeploymentRecord, LeaseRecord, ManifestVersion, now_iso
from app.market.signing import TxSender
from app.provider.client import MANIFEST_WINDOW_S
from app.provider.errors import ProviderError
from app.provider.models import LeaseStatus
from app.tx import msgs
from app.tx.describe import DescribeContext

log = logging.getLogger(__name__)
Progress = Callable[[str], None]
MIN_WINDOW_S = 20.0  # even late, give a provider this long: it may still accept
CODE_OUT_OF_GAS = 11


@dataclass(frozen=True)
class ManifestDelivery:
    """The outcome of sending the manifest to one provider (covering all of its leases of the deployment)."""

    provider: str
    host_uri: str
    leases: tuple[tuple[int, int], ...]
    ok: bool
    error: Exception | None = None
    retries: int = 0

    def words(self) -> str:
        if self.ok:
            return f"manifest accepted by {self.host_uri}"
        return f"manifest NOT delivered to {self.host_uri}: {self.error}"


@dataclass(frozen=True)
class AcceptResult:
    tx: TxResult
    leases: tuple[LeaseRecord, ...]
    deliveries: tuple[ManifestDelivery, ...]

    @property
    def ok(self) -> bool:
        return all(d.ok for d in self.deliveries)


def _bid_id(item: BidRow | BidID) -> BidID:
    return item.bid.id if isinstance(item, BidRow) else item


async def _check_bids(ctx: MarketContext, ids: Sequence[BidID]) -> dict[BidID, Bid]:
    """Each chosen bid is open and its order too (what MsgCreateLease requires); returns the bids."""
    found: dict[BidID, Bid] = {}
    seen_orders: set[tuple[int, int]] = set()
    for bid_id in ids:
        what = f"of {bid_id.provider} on group {bid_id.gseq}"
        if bid_id.owner != ctx.owner:
            raise BidNotAvailable(what, "it is for another account's deployment")
        if (bid_id.gseq, bid_id.oseq) in seen_orders:
            raise BidNotAvailable(what, "only one bid per group can be accepted")
        seen_orders.add((bid_id.gseq, bid_id.oseq))
        try:
            info = await market.bid(ctx.chain, bid_id)
            order = await market.order(ctx.chain, bid_id.order_id)
        except NotFound:
            raise BidNotAvailable(what, "it no longer exists (the provider withdrew it)") from None
        if info.bid.state is not BidState.OPEN:
            raise BidNotAvailable(what, f"it is {info.bid.state.value}")
        if order.state is not OrderState.OPEN:
            raise BidNotAvailable(what, f"its order is {order.state.value} (already leased or closed)")
        found[bid_id] = info.bid
    return found


async def accept_bids(ctx: MarketContext, dseq: int, chosen: Sequence[BidRow | BidID], sender: TxSender,
                      access: ProviderAccess, *, directory: ProviderDirectory | None = None,
                      check_online: bool = True, progress: Progress | None = None) -> AcceptResult:
    """Lease the chosen bids (one MsgCreateLease each, one transaction), then send the manifest to their providers.

    Refuses before signing when the manifest is not known locally (RecordMissing) or a provider is offline
    (ProviderOffline). Manifest failures do not raise: they are in `deliveries` (resend with send_manifests).
    """
    version = await current_version(ctx, dseq)  # never lease what we could not send a manifest for
    tx, records = await create_leases(ctx, dseq, chosen, sender, directory=directory, check_online=check_online,
                                      progress=progress)
    deliveries = await send_manifests(ctx, dseq, access, version=version, progress=progress)
    return AcceptResult(tx, records, tuple(deliveries))


async def create_leases(ctx: MarketContext, dseq: int, chosen: Sequence[BidRow | BidID], sender: TxSender, *,
                        directory: ProviderDirectory | None = None, check_online: bool = True,
                        progress: Progress | None = None) -> tuple[TxResult, tuple[LeaseRecord, ...]]:
    """The lease step alone (checks, probe, MsgCreateLease, the record); send_manifests() is the next step."""
    say = progress or (lambda _t: None)
    ids = [_bid_id(c) for c in chosen]
    if not ids:
        raise BidNotAvailable("(none)", "no bid was chosen")
    await current_version(ctx, dseq)
    bids = await _check_bids(ctx, ids)
    directory = directory or ProviderDirectory(ctx.chain)
    await directory.refresh()
    if check_online:
        status = await directory.probe([i.provider for i in ids], force=True)
        for i in ids:
            st = status.get(i.provider)
            if st is not None and not st.online:
                raise ProviderOffline(i.provider, directory.card(i.provider).host_uri, st.error or "no answer")
    lease_msgs = [msgs.msg_create_lease(i.owner, i.dseq, i.gseq, i.oseq, i.provider, i.bseq) for i in ids]
    prices = {(i.dseq, i.gseq, i.oseq, i.provider): (bids[i].price.amount, bids[i].price.denom) for i in ids}
    names = {i.provider: directory.card(i.provider).name for i in ids}
    context = DescribeContext(names=names, bid_prices=prices, block_time_s=await ctx.clock.block_time_s())
    try:
        result = await sender.send(lease_msgs, context=context)
    except TxRejected as exc:
        if exc.code != CODE_OUT_OF_GAS or exc.stage != "deliver" or exc.codespace not in ("sdk", ""):
            raise
        # Creating a lease closes the order's other bids: bids placed after the fee estimate cost gas the
        # estimate did not include. Nothing was leased; estimate again on the new state (a new confirmation).
        say("More bids arrived while the lease was being signed, so it needed more gas; estimating again…")
        await _check_bids(ctx, ids)
        result = await sender.send(lease_msgs, context=context)
    say(f"Lease{'s' if len(ids) > 1 else ''} created in block {result.height:,}.")
    records = tuple(LeaseRecord(i.gseq, i.oseq, i.provider, i.bseq, directory.card(i.provider).host_uri,
                                str(bids[i].price.amount), bids[i].price.denom, result.height) for i in ids)

    def remember(r: DeploymentRecord) -> None:
        for lease in records:
            r.upsert_lease(lease)

    ctx.records.mutate(ctx.owner, dseq, remember)
    return result, records


async def current_version(ctx: MarketContext, dseq: int) -> ManifestVersion:
    """The locally recorded manifest whose hash is the deployment's hash on chain."""
    try:
        info = await chain_deployment.deployment(ctx.chain, ctx.owner, int(dseq))
    except NotFound:
        raise DeploymentNotFound(ctx.owner, int(dseq)) from None
    if info.deployment.state.value == "closed":
        raise DeploymentClosed(int(dseq))
    record = ctx.records.get(ctx.owner, dseq)
    version = record.version(info.deployment.hash.hex()) if record else None
    if version is None:
        what = "the manifest for the deployment's current version" if record else "the SDL and manifest"
        raise RecordMissing(int(dseq), what)
    return version


async def active_leases(ctx: MarketContext, dseq: int) -> list[LeaseInfo]:
    listing = await market.leases(ctx.chain, MarketFilters(owner=ctx.owner, dseq=int(dseq)))
    return [le for le in listing.items if le.lease.state is LeaseState.ACTIVE]


async def _window_s(ctx: MarketContext, created_height: int) -> float:
    """What is left of the provider's 5-minute manifest window for a lease created at that height."""
    tip = await ctx.clock.tip()
    elapsed = Decimal(max(0, tip.height - created_height)) * await ctx.clock.block_time_s()
    return max(MIN_WINDOW_S, MANIFEST_WINDOW_S - float(elapsed))


async def send_manifests(ctx: MarketContext, dseq: int, access: ProviderAccess, *, version: ManifestVersion | None = None,
                         manifest_json: str | None = None, only_missing: bool = False,
                         progress: Progress | None = None) -> list[ManifestDelivery]:
    """Send the manifest to every provider with an active lease of the deployment (concurrently).

    `only_missing` skips providers that already accepted this version. `manifest_json` sends exactly
    that text instead of the recorded one (the provider checks it against the on-chain hash: 422 if not).
    """
    say = progress or (lambda _t: None)
    version = version or await current_version(ctx, dseq)
    body = manifest_json if manifest_json is not None else version.manifest_json
    record = ctx.records.get(ctx.owner, dseq)
    by_provider: dict[str, list[LeaseInfo]] = {}
    for info in await active_leases(ctx, dseq):
        by_provider.setdefault(info.lease.id.provider, []).append(info)
    if only_missing and record is not None:
        by_provider = {p: ls for p, ls in by_provider.items()
                       if any((le := record.lease(i.lease.id.gseq, i.lease.id.oseq, p)) is None
                              or le.manifest_version_hex != version.version_hex for i in ls)}
    directory = ProviderDirectory(ctx.chain)
    await directory.refresh()
    tasks = [_deliver(ctx, int(dseq), access, directory.card(p).host_uri, p, leases, body, say)
             for p, leases in by_provider.items()]
    deliveries = list(await asyncio.gather(*tasks))
    sent_ok = {d.provider for d in deliveries if d.ok} if manifest_json is None else set()

    def remember(r: DeploymentRecord) -> None:
        for p, leases in by_provider.items():
            for info in leases:
                i = info.lease.id
                le = r.lease(i.gseq, i.oseq, p) or LeaseRecord(i.gseq, i.oseq, p, i.bseq, directory.card(p).host_uri,
                                                               str(info.lease.price.amount), info.lease.price.denom,
                                                               info.lease.created_at)
                if p in sent_ok:
                    le.manifest_version_hex, le.manifest_sent_at = version.version_hex, now_iso()
                r.upsert_lease(le)

    ctx.records.mutate(ctx.owner, dseq, remember)
    return deliveries


async def _deliver(ctx: MarketContext, dseq: int, access: ProviderAccess, host_uri: str, provider: str,
                   leases: list[LeaseInfo], body: str, say: Progress) -> ManifestDelivery:
    keys = tuple((i.lease.id.gseq, i.lease.id.oseq) for i in leases)
    if not host_uri:
        return ManifestDelivery(provider, host_uri, keys, False, RuntimeError("the provider has no gateway address on chain"))
    window = await _window_s(ctx, min(i.lease.created_at for i in leases))
    retries = 0

    def on_retry(attempt: int, reason: str, delay: float) -> None:
        nonlocal retries
        retries = attempt
        say(f"{host_uri}: {reason}; retrying in {delay:.0f} s")

    try:
        async with access.client(ctx.chain, host_uri, provider) as client:
            await client.send_manifest(dseq, body, window_s=window, on_retry=on_retry)
    except ProviderError as exc:
        log.info("manifest for %s to %s failed: %s", dseq, host_uri, exc)
        return ManifestDelivery(provider, host_uri, keys, False, exc, retries)
    say(f"Manifest accepted by {host_uri}.")
    return ManifestDelivery(provider, host_uri, keys, True, None, retries)


@dataclass(frozen=True)
class LeaseView:
    """One active lease and what its provider says about it (or why it could not)."""

    lease: LeaseInfo
    host_uri: str
    status: LeaseStatus | None
    error: ProviderError | None

    @property
    def uris(self) -> tuple[str, ...]:
        return self.status.uris if self.status else ()


async def lease_statuses(ctx: MarketContext, dseq: int, access: ProviderAccess) -> list[LeaseView]:
    """The provider's status of every active lease: services, replicas, URIs, forwarded ports, IPs."""
    directory = ProviderDirectory(ctx.chain)
    await directory.refresh()

    async def one(info: LeaseInfo) -> LeaseView:
        i = info.lease.id
        host = directory.card(i.provider).host_uri
        try:
            async with access.client(ctx.chain, host, i.provider) as client:
                return LeaseView(info, host, await client.lease_status(i.dseq, i.gseq, i.oseq), None)
        except ProviderError as exc:
            return LeaseView(info, host, None, exc)

    return list(await asyncio.gather(*(one(info) for info in await active_leases(ctx, dseq))))
