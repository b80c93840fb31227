"""Authz grants (cosmos.authz.v1beta1): who may act for whom, with typed authorizations and expirations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from app.chain.common import Coin, coins
from app.chain.jsonread import Obj
from app.chain.pagination import Listing, fetch_all
from app.chain.params import segment

if TYPE_CHECKING:
    from app.chain.client import ChainClient

GRANTS = "/cosmos/authz/v1beta1/grants"
GRANTER = "/cosmos/authz/v1beta1/grants/granter/{granter}"
GRANTEE = "/cosmos/authz/v1beta1/grants/grantee/{grantee}"
GENERIC_AUTHORIZATION = "/cosmos.authz.v1beta1.GenericAuthorization"
DEPOSIT_AUTHORIZATION = "/akash.escrow.v1.DepositAuthorization"


@dataclass(frozen=True)
class GenericAuthorization:
    """Lets the grantee send one message type (`msg`, a type URL) for the granter, without limit."""

    msg: str


@dataclass(frozen=True)
class DepositAuthorization:
    """Lets the grantee deposit the granter's funds into escrow accounts of `scopes` (deployment, bid)."""

    spend_limit: Coin | None  # the one coin of older grants
    spend_limits: tuple[Coin, ...]
    scopes: tuple[str, ...]

    @property
    def limits(self) -> tuple[Coin, ...]:
        """The limits in force: spend_limits, or the legacy spend_limit when a grant has none."""
        if self.spend_limits:
            return self.spend_limits
        return (self.spend_limit,) if self.spend_limit is not None else ()

    def limit_of(self, denom: str) -> int:
        return sum(c.amount for c in self.limits if c.denom == denom)


@dataclass(frozen=True)
class OtherAuthorization:
    """Any other kind (SendAuthorization, StakeAuthorization, ...): its type URL only."""

    type_url: str


Authorization = GenericAuthorization | DepositAuthorization | OtherAuthorization


DEPOSIT_SCOPES = {0: "invalid", 1: "deployment", 2: "bid"}  # akash.escrow.v1 scope numbers


def parse_authorization(o: Obj) -> Authorization:
    kind = o.text("@type")
    if kind == GENERIC_AUTHORIZATION:
        return GenericAuthorization(o.text("msg"))
    if kind == DEPOSIT_AUTHORIZATION:
        scopes = tuple(DEPOSIT_SCOPES.get(s, str(s)) if isinstance(s, int) else str(s) for s in o.raw("scopes") or ())
        return DepositAuthorization(o.optional("spend_limit", Coin.parse), coins(o, "spend_limits"), scopes)
    return OtherAuthorization(kind)


@dataclass(frozen=True)
class Grant:
    """One grant; granter and grantee are empty in answers of /grants (the query names them)."""

    granter: str
    grantee: str
    authorization: Authorization
    expiration: datetime | None  # None: never expires

    @classmethod
    def parse(cls, o: Obj) -> Grant:
        return cls(o.text("granter"), o.text("grantee"), parse_authorization(o.need("authorization")),
                   o.time("expiration"))

    def live(self, now: datetime) -> bool:
        return self.expiration is None or self.expiration > now


async def grants_to(client: ChainClient, grantee: str, *, cap: int = 500) -> Listing[Grant]:
    """Every grant given to `grantee`."""
    return await fetch_all(client, GRANTEE.format(grantee=segment(grantee)), "grants", Grant.parse, cap=cap)


async def grants_by(client: ChainClient, granter: str, *, cap: int = 500) -> Listing[Grant]:
    """Every grant `granter` gave."""
    return await fetch_all(client, GRANTER.format(granter=segment(granter)), "grants", Grant.parse, cap=cap)


async def grants(client: ChainClient, granter: str, grantee: str, msg_type_url: str = "") -> Listing[Grant]:
    """The grants from `granter` to `grantee` (for one message type when given)."""
    params = {"granter": granter, "grantee": grantee, "msg_type_url": msg_type_url or None}
    return await fetch_all(client, GRANTS, "grants", Grant.parse, params=params)
