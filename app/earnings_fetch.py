"""What the earnings view reads from the chain, in few requests: a provider's leases, and for the running ones
their tenants' escrow accounts and leased resources (narrow parsing: only the fields earnings use)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.chain import deployment as chain_deployment
from app.chain import market
from app.chain.deployment import DeploymentState
from app.chain.errors import NotFound
from app.chain.escrow import EscrowAccount
from app.chain.jsonread import Obj
from app.chain.market import LeaseInfo
from app.chain.pagination import fetch_all
from app.earnings_math import LeasedResources

if TYPE_CHECKING:
    from app.chain.client import ChainClient

PAGE = 500
CAP = 100_000
INFO_PER_TENANT_MAX = 4  # up to this many running deployments of a tenant: fetch each; more: list the tenant's
PARALLEL = 8


@dataclass(frozen=True)
class TenantDeployment:
    """A deployment as earnings need it: its escrow account and the resources of each group."""

    owner: str
    dseq: int
    account: EscrowAccount | None
    resources: dict[int, LeasedResources] = field(default_factory=dict)  # gseq -> resources of the group


def _value(o: Obj | None, key: str) -> int:
    inner = o.child(key) if o is not None else None
    return inner.integer("val") if inner is not None else 0


def _group_resources(spec: Obj) -> LeasedResources:
    out = LeasedResources()
    for unit in spec.children("resources"):
        r, n = unit.need("resource"), unit.integer("count")
        storage = sum(_value(s, "quantity") for s in r.children("storage"))
        out = out + LeasedResources(_value(r.child("cpu"), "units") * n, _value(r.child("memory"), "quantity") * n,
                                    storage * n, _value(r.child("gpu"), "units") * n, len(r.children("endpoints")) * n)
    return out


def parse_tenant_deployment(o: Obj) -> TenantDeployment:
    """From a deployments list item or a deployment info answer (same shape)."""
    ident = o.need("deployment").need("id")
    esc = o.child("escrow_account")
    groups = {}
    for g in o.children("groups"):
        groups[g.need("id").integer("gseq")] = _group_resources(g.need("group_spec"))
    return TenantDeployment(ident.text("owner", required=True), ident.integer("dseq", required=True),
                            EscrowAccount.parse(esc) if esc is not None else None, groups)


async def leases(client: ChainClient, provider: str) -> tuple[tuple[LeaseInfo, ...], bool]:
    """Every lease of the provider (any state), 500 a page; (leases, truncated at CAP)."""
    listing = await fetch_all(client, market.LEASES, "leases", LeaseInfo.parse,
                              params={"filters.provider": provider}, page_size=PAGE, cap=CAP)
    return listing.items, listing.truncated


async def _info(client: ChainClient, owner: str, dseq: int) -> TenantDeployment | None:
    try:
        data = await client.get(chain_deployment.INFO, {"id.owner": owner, "id.dseq": int(dseq)})
    except NotFound:  # closed and pruned meanwhile: no accrual, no resources for it
        return None
    return parse_tenant_deployment(Obj(data, chain_deployment.INFO))


async def _tenant(client: ChainClient, owner: str) -> list[TenantDeployment]:
    params = {"filters.owner": owner, "filters.state": DeploymentState.ACTIVE.value}
    listing = await fetch_all(client, chain_deployment.LIST, "deployments", parse_tenant_deployment, params=params,
                              page_size=PAGE, cap=CAP)
    return list(listing.items)


async def tenant_deployments(client: ChainClient, running: list[LeaseInfo]) -> dict[tuple[str, int], TenantDeployment]:
    """The deployments behind running leases: per tenant one info request each (few) or one list (many)."""
    by_owner: dict[str, set[int]] = {}
    for li in running:
        by_owner.setdefault(li.lease.id.owner, set()).add(li.lease.id.dseq)
    gate = asyncio.Semaphore(PARALLEL)
    found: dict[tuple[str, int], TenantDeployment] = {}

    async def one(owner: str, dseqs: set[int]) -> None:
        async with gate:
            if len(dseqs) <= INFO_PER_TENANT_MAX:
                items = [d for s in sorted(dseqs) if (d := await _info(client, owner, s)) is not None]
            else:
                items = await _tenant(client, owner)
        for d in items:
            if d.dseq in dseqs:
                found[(owner, d.dseq)] = d

    await asyncio.gather(*(one(o, d) for o, d in by_owner.items()))
    return found
