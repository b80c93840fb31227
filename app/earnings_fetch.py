"""What the earnings view reads from the chain, in few requests: a provider's leases, and for the running ones
their tenants' deployments in brief (escrow account and resources, app.chain.deployment.DeploymentSummary)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from app.chain import deployment as chain_deployment
from app.chain import market
from app.chain.deployment import DeploymentState, DeploymentSummary
from app.chain.errors import NotFound
from app.chain.market import LeaseInfo

if TYPE_CHECKING:
    from app.chain.client import ChainClient

PAGE = 500
CAP = 100_000
INFO_PER_TENANT_MAX = 4  # up to this many running deployments of a tenant: fetch each; more: list the tenant's
PARALLEL = 8


async def leases(client: ChainClient, provider: str) -> tuple[tuple[LeaseInfo, ...], bool]:
    """Every lease of the provider (any state), 500 a page; (leases, truncated at CAP)."""
    listing = await market.leases(client, market.MarketFilters(provider=provider), page_size=PAGE, cap=CAP)
    return listing.items, listing.truncated


async def _info(client: ChainClient, owner: str, dseq: int) -> DeploymentSummary | None:
    try:
        return await chain_deployment.deployment_summary(client, owner, dseq)
    except NotFound:  # closed and pruned meanwhile: no accrual, no resources for it
        return None


async def _tenant(client: ChainClient, owner: str) -> list[DeploymentSummary]:
    listing = await chain_deployment.deployment_summaries(client, owner, state=DeploymentState.ACTIVE, page_size=PAGE,
                                                          cap=CAP)
    return list(listing.items)


async def tenant_deployments(client: ChainClient, running: list[LeaseInfo]) -> dict[tuple[str, int], DeploymentSummary]:
    """The deployments behind running leases: per tenant one info request each (few) or one list (many)."""
    by_owner: dict[str, set[int]] = {}
    for li in running:
        by_owner.setdefault(li.lease.id.owner, set()).add(li.lease.id.dseq)
    gate = asyncio.Semaphore(PARALLEL)
    found: dict[tuple[str, int], DeploymentSummary] = {}

    async def one(owner: str, dseqs: set[int]) -> None:
        async with gate:
            if len(dseqs) <= INFO_PER_TENANT_MAX:
                items = [d for s in sorted(dseqs) if (d := await _info(client, owner, s)) is not None]
            else:
                items = await _tenant(client, owner)
        for d in items:
            if d.id.dseq in dseqs:
                found[(owner, d.id.dseq)] = d

    await asyncio.gather(*(one(o, d) for o, d in by_owner.items()))
    return found
