"""Deposit grants given to the account (authz DepositAuthorization): the `grant` source of a deposit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from app.chain import authz
from app.chain.client import ChainClient
from app.chain.common import Coin
from app.chain.errors import NodeError


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
    def of(cls, grant: authz.Grant) -> DepositGrant | None:
        """The deposit grant a chain grant is, or None for any other authorization."""
        auth = grant.authorization
        if not isinstance(auth, authz.DepositAuthorization):
            return None
        return cls(grant.granter, auth.limits, auth.scopes, grant.expiration)


async def deposit_grants(chain: ChainClient, grantee: str, *, scope: str = "deployment",
                         now: datetime | None = None) -> list[DepositGrant]:
    """Live deposit grants to `grantee` that cover `scope`; an empty list when the node has none (or no authz)."""
    try:
        listing = await authz.grants_to(chain, grantee)
    except NodeError as exc:
        if exc.status in (404, 501):  # no authz module / route on this node
            return []
        raise
    moment = now or datetime.now(UTC)
    found = (DepositGrant.of(g) for g in listing.items if g.live(moment))
    return [g for g in found if g is not None and scope in g.scopes]


def granted_total(grants: list[DepositGrant], denom: str) -> int:
    return sum(g.limit_of(denom) for g in grants)
