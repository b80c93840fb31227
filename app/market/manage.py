"""Change a running deployment: update its SDL (new hash, manifest resent), add funds, close it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.chain import bank
from app.chain import deployment as chain_deployment
from app.chain.deployment import DeploymentInfo, DeploymentState
from app.chain.errors import NotFound
from app.chain.tx import TxResult
from app.config import DENOM_ACT
from app.market.access import ProviderAccess
from app.market.changes import group_changes
from app.market.context import MarketContext
from app.market.deploy import default_name, mark_closed
from app.market.errors import (
    DeploymentClosed,
    DeploymentNotFound,
    NothingToUpdate,
    PreflightFailed,
    UpdateRefused,
)
from app.market.funding import plan_mint
from app.market.grants import deposit_grants, granted_total
from app.market.lease import ManifestDelivery, send_manifests
from app.market.preflight import choose_sources
from app.market.records import DeploymentRecord, ManifestVersion
from app.market.runway import Runway, deployment_runway
from app.market.signing import TxSender
from app.sdl.model import parse_sdl
from app.tx import msgs
from app.units import format_amount

Progress = Callable[[str], None]


async def open_deployment(ctx: MarketContext, dseq: int) -> DeploymentInfo:
    """The deployment on chain; DeploymentNotFound / DeploymentClosed otherwise."""
    try:
        info = await chain_deployment.deployment(ctx.chain, ctx.owner, int(dseq))
    except NotFound:
        raise DeploymentNotFound(ctx.owner, int(dseq)) from None
    if info.deployment.state is DeploymentState.CLOSED:
        raise DeploymentClosed(int(dseq))
    return info


@dataclass(frozen=True)
class UpdateResult:
    tx: TxResult
    version: ManifestVersion
    deliveries: tuple[ManifestDelivery, ...]
    notes: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return all(d.ok for d in self.deliveries)


async def update_deployment(ctx: MarketContext, dseq: int, sdl_text: str | bytes, sender: TxSender,
                            access: ProviderAccess, *, progress: Progress | None = None) -> UpdateResult:
    """New SDL -> manifest -> MsgUpdateDeployment with its hash -> the manifest to every lease's provider.

    Refuses (UpdateRefused, nothing signed) an SDL whose groups differ from the leased ones, and
    (NothingToUpdate) one that gives the same manifest.
    """
    say = progress or (lambda _t: None)
    info = await open_deployment(ctx, dseq)
    sdl = parse_sdl(sdl_text, network=ctx.sdl_network, allow_reclamation=True)
    refused, notes = group_changes([g.spec for g in info.groups], sdl.group_specs())
    if refused:
        raise UpdateRefused(refused)
    version = ManifestVersion(sdl.text, sdl.manifest_sorted_json(), sdl.version().hex())
    if version.version_hex == info.deployment.hash.hex():
        raise NothingToUpdate(int(dseq))

    def keep(r: DeploymentRecord) -> None:
        r.add_version(version)

    def create() -> DeploymentRecord:  # deployed from elsewhere: start its record now
        return DeploymentRecord(int(dseq), ctx.owner, ctx.network.key, ctx.network.chain_id, default_name(sdl),
                                state="active", created_height=info.deployment.created_at)

    ctx.records.mutate(ctx.owner, dseq, keep, create=create)  # before signing: the hash must never be orphaned
    result = await sender.send([msgs.msg_update_deployment(ctx.owner, int(dseq), sdl.version())])
    say(f"Deployment {dseq} updated in block {result.height:,}; sending the new manifest…")
    deliveries = await send_manifests(ctx, dseq, access, version=version, progress=say)
    return UpdateResult(result, version, tuple(deliveries), tuple(notes))


@dataclass(frozen=True)
class DepositResult:
    tx: TxResult
    amount_uact: int
    sources: tuple[str, ...]
    runway: Runway | None


async def add_funds(ctx: MarketContext, dseq: int, amount_uact: int, sender: TxSender, *,
                    source: str = "auto") -> DepositResult:
    """MsgAccountDeposit into the deployment's escrow (from the balance, or a deposit grant that covers it)."""
    if amount_uact <= 0:
        raise ValueError("the amount to add must be more than 0")
    await open_deployment(ctx, dseq)
    balance = (await bank.balance(ctx.chain, ctx.owner, DENOM_ACT)).amount
    granted = granted_total(await deposit_grants(ctx.chain, ctx.owner), DENOM_ACT)
    sources = choose_sources(amount_uact, balance, granted, source)
    available = (balance if "balance" in sources else 0) + (granted if "grant" in sources else 0)
    if available < amount_uact:
        short = amount_uact - available
        mint = await plan_mint(ctx.chain, ctx.owner, short)
        raise PreflightFailed(None, [f"{format_amount(available, DENOM_ACT)} available, "
                                     f"{format_amount(amount_uact, DENOM_ACT)} asked", mint.words()])
    result = await sender.send([msgs.msg_account_deposit(ctx.owner, ctx.owner, int(dseq), amount_uact, DENOM_ACT,
                                                         sources)])

    def remember(r: DeploymentRecord) -> None:
        r.deposit_uact += amount_uact

    ctx.records.mutate(ctx.owner, dseq, remember)
    return DepositResult(result, amount_uact, sources, await deployment_runway(ctx, dseq))


async def close_deployment(ctx: MarketContext, dseq: int, sender: TxSender) -> TxResult:
    """MsgCloseDeployment: its leases close, what is left in escrow goes back to the depositors."""
    await open_deployment(ctx, dseq)
    result = await sender.send([msgs.msg_close_deployment(ctx.owner, int(dseq))])
    mark_closed(ctx, dseq, "lease_closed_owner")
    return result
