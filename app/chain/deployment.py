"""Deployments and groups (akash.deployment.v1beta4): list with filters, info with escrow, params.

DeploymentInfo is the whole answer; DeploymentSummary reads only ids, escrow and resource quantities, about
three times faster, for views that load thousands of deployments (a provider's tenants in earnings).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from app.chain.common import Coin, Page, coins
from app.chain.errors import MalformedResponse
from app.chain.escrow import EscrowAccount
from app.chain.jsonread import ChainEnum, Obj
from app.chain.pagination import Listing, PageRequest, fetch_all, fetch_page
from app.chain.resources import GroupSpec, ResourceTotals, group_totals

if TYPE_CHECKING:
    from app.chain.client import ChainClient

LIST = "/akash/deployment/v1beta4/deployments/list"
INFO = "/akash/deployment/v1beta4/deployments/info"
GROUP_INFO = "/akash/deployment/v1beta4/groups/info"
PARAMS = "/akash/deployment/v1beta4/params"


class DeploymentState(ChainEnum):
    INVALID = "invalid"
    ACTIVE = "active"
    CLOSED = "closed"


class GroupState(ChainEnum):
    INVALID = "invalid"
    OPEN = "open"
    PAUSED = "paused"
    INSUFFICIENT_FUNDS = "insufficient_funds"
    CLOSED = "closed"


DEPLOYMENT_STATE_NUMBERS = dict(enumerate(DeploymentState))
GROUP_STATE_NUMBERS = dict(enumerate(GroupState))


@dataclass(frozen=True)
class DeploymentID:
    owner: str
    dseq: int

    @classmethod
    def parse(cls, o: Obj) -> DeploymentID:
        return cls(o.text("owner", required=True), o.integer("dseq", required=True))


@dataclass(frozen=True)
class GroupID:
    owner: str
    dseq: int
    gseq: int

    @classmethod
    def parse(cls, o: Obj) -> GroupID:
        return cls(o.text("owner", required=True), o.integer("dseq", required=True), o.integer("gseq"))


@dataclass(frozen=True)
class Deployment:
    id: DeploymentID
    state: DeploymentState
    hash_b64: str  # sha256 of the manifest (the version), base64 as the gateway shows it
    created_at: int  # height
    reclamation_min_window: timedelta | None  # v2.1.0+, None when not set

    @classmethod
    def parse(cls, o: Obj) -> Deployment:
        rec = o.child("reclamation")
        return cls(
            DeploymentID.parse(o.need("id")),
            o.enum("state", DeploymentState, DEPLOYMENT_STATE_NUMBERS),
            o.text("hash"),
            o.integer("created_at"),
            rec.duration("min_window") if rec is not None else None,
        )

    @property
    def hash(self) -> bytes:
        """The 32-byte version hash (decoded on demand)."""
        try:
            return base64.b64decode(self.hash_b64, validate=True)
        except (binascii.Error, ValueError):
            raise MalformedResponse("", "deployment.hash", "not standard base64") from None


@dataclass(frozen=True)
class Group:
    id: GroupID
    state: GroupState
    spec: GroupSpec
    created_at: int

    @classmethod
    def parse(cls, o: Obj) -> Group:
        return cls(
            GroupID.parse(o.need("id")),
            o.enum("state", GroupState, GROUP_STATE_NUMBERS),
            GroupSpec.parse(o.need("group_spec")),
            o.integer("created_at"),
        )


@dataclass(frozen=True)
class DeploymentInfo:
    """A deployment with its groups and its escrow account (the tenant's funds)."""

    deployment: Deployment
    groups: tuple[Group, ...]
    escrow_account: EscrowAccount | None

    @classmethod
    def parse(cls, o: Obj) -> DeploymentInfo:
        return cls(
            Deployment.parse(o.need("deployment")),
            tuple(Group.parse(g) for g in o.children("groups")),
            o.optional("escrow_account", EscrowAccount.parse),
        )


@dataclass(frozen=True)
class DeploymentSummary:
    """A deployment in brief: its id, escrow account and each group's resources added up (no attributes,
    requirements nor prices)."""

    id: DeploymentID
    escrow_account: EscrowAccount | None
    group_totals: dict[int, ResourceTotals]  # gseq -> the group's resources

    @classmethod
    def parse(cls, o: Obj) -> DeploymentSummary:
        """From a deployments list item or a deployment info answer (same shape)."""
        groups = {g.need("id").integer("gseq"): group_totals(g.need("group_spec")) for g in o.children("groups")}
        return cls(DeploymentID.parse(o.need("deployment").need("id")), o.optional("escrow_account", EscrowAccount.parse),
                   groups)


@dataclass(frozen=True)
class DeploymentParams:
    min_deposits: tuple[Coin, ...]

    @classmethod
    def parse(cls, o: Obj) -> DeploymentParams:
        return cls(coins(o, "min_deposits"))

    def min_deposit(self, denom: str) -> int:
        return next((c.amount for c in self.min_deposits if c.denom == denom), 0)


def _filters(owner: str, dseq: int | None, state: DeploymentState | None) -> dict[str, object]:
    return {"filters.owner": owner or None, "filters.dseq": dseq, "filters.state": state.value if state else None}


async def deployments_page(
    client: ChainClient,
    owner: str = "",
    *,
    dseq: int | None = None,
    state: DeploymentState | None = None,
    page: PageRequest = PageRequest(),
) -> Page[DeploymentInfo]:
    params = _filters(owner, dseq, state)
    return await fetch_page(client, LIST, "deployments", DeploymentInfo.parse, params=params, page=page)


async def deployments(
    client: ChainClient, owner: str, *, state: DeploymentState | None = None, cap: int = 2000
) -> Listing[DeploymentInfo]:
    params = _filters(owner, None, state)
    return await fetch_all(client, LIST, "deployments", DeploymentInfo.parse, params=params, cap=cap)


async def deployment_summaries(
    client: ChainClient, owner: str, *, state: DeploymentState | None = None, page_size: int = 500, cap: int = 100_000
) -> Listing[DeploymentSummary]:
    params = _filters(owner, None, state)
    return await fetch_all(client, LIST, "deployments", DeploymentSummary.parse, params=params, page_size=page_size,
                           cap=cap)


async def deployment(client: ChainClient, owner: str, dseq: int) -> DeploymentInfo:
    return DeploymentInfo.parse(Obj(await client.get(INFO, _info_params(owner, dseq)), INFO))


async def deployment_summary(client: ChainClient, owner: str, dseq: int) -> DeploymentSummary:
    return DeploymentSummary.parse(Obj(await client.get(INFO, _info_params(owner, dseq)), INFO))


def _info_params(owner: str, dseq: int) -> dict[str, object]:
    return {"id.owner": owner, "id.dseq": int(dseq)}


async def group(client: ChainClient, owner: str, dseq: int, gseq: int) -> Group:
    data = await client.get(GROUP_INFO, {"id.owner": owner, "id.dseq": int(dseq), "id.gseq": int(gseq)})
    return Group.parse(Obj(data, GROUP_INFO).need("group"))


async def params(client: ChainClient) -> DeploymentParams:
    return DeploymentParams.parse(Obj(await client.get(PARAMS), PARAMS).need("params"))
