"""Deposit grants given to the account (authz DepositAuthorization): the `grant` source of a deposit.

app/chain has no authz module yet, so this reads `/cosmos/authz/v1beta1/grants/grantee/{addr}` itself
(through the one ChainClient) and keeps only live DepositAuthorization grants for deployments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from app.chain.client import ChainClient
from app.chain.common import Coin
from app.chain.errors import NodeError
from app.chain.jsonread import Obj
from app.chain.pagination import fetch_all
from app.chain.params import segment

GRANTEE = "/cosmos/authz/v1beta1/grants/grantee/{grantee}"
DEPOSIT_AUTHORIZATION = "/akash.escrow.v1.DepositAuthorization"


@dataclass(frozen=True)
class DepositGrant:
    """A granter lets us deposit from its funds up to `limit` (per denom) into escrow `scopes`."""

    granter: str
    limits: tuple[Coin, ...]
    scopes: tuple[str, ...]
    expiration: datetime | None

    def limit_of(self, denom: str) -> int:
        return sum(c.amount for c in self.limits if c.denom == denom)

    @classmethod
    def parse(cls, o: Obj) -> DepositGrant | None:
        auth = o.child("authorization")
        if auth is None or auth.text("@type") != DEPOSIT_AUTHORIZATION:
            return None
        limits = tuple(Coin.parse(c) for c in auth.children("spend_limits"))
        legacy = auth.child("spend_limit")
        if not limits and legacy is not None:  # before spend_limits existed: one coin
            limits = (Coin.parse(legacy),)
        scopes = tuple(str(s) for s in (auth.raw("scopes") or ()))
        return cls(o.text("granter"), limits, scopes, o.time("expiration"))

    def live(self, now: datetime) -> bool:
        return self.expiration is None or self.expiration > now


async def deposit_grants(chain: ChainClient, grantee: str, *, scope: str = "deployment",
                         now: datetime | None = None) -> list[DepositGrant]:
    """Live deposit grants to `grantee` that cover `scope`; an empty list when the node has none (or no authz)."""
    path = GRANTEE.format(grantee=segment(grantee))
    try:
        listing = await fetch_all(chain, path, "grants", DepositGrant.parse, cap=500)
    except NodeError as exc:
        if exc.status in (404, 501):  # no authz module / route on this node
            return []
        raise
    moment = now or datetime.now(UTC)
    return [g for g in listing.items if g is not None and g.live(moment) and scope in g.scopes]


def granted_total(grants: list[DepositGrant], denom: str) -> int:
    return sum(g.limit_of(denom) for g in grants)
