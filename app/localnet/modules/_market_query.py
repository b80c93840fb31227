"""REST of akash market v1beta5: orders, bids (with their escrow account) and leases (with their payment)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.localnet.errors import invalid_argument, not_found
from app.localnet.module import Route
from app.localnet.modules._escrow_query import account_json, payment_json
from app.localnet.modules.auth import parse_address
from app.localnet.rest import Query, dec, paged

ORDER_STATES = ("open", "active", "closed")
BID_STATES = ("open", "active", "lost", "closed")
LEASE_STATES = ("active", "insufficient_funds", "closed", "reclaiming")


def _id(r: dict[str, Any], bid: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"owner": r["owner"], "dseq": str(r["dseq"]), "gseq": r["gseq"], "oseq": r["oseq"]}
    if bid:
        out.update(provider=r["provider"], bseq=r.get("bseq", 0))
    return out


def _price(p: dict[str, str]) -> dict[str, str]:
    return {"denom": p["denom"], "amount": dec(p["amount"])}


def order_json(o: dict[str, Any]) -> dict[str, Any]:
    return {"id": _id(o, False), "state": o["state"], "spec": o["spec"], "created_at": str(o["created_at"]),
            "reclamation": o.get("reclamation")}


def bid_json(b: dict[str, Any]) -> dict[str, Any]:
    return {"id": _id(b, True), "state": b["state"], "price": _price(b["price"]), "created_at": str(b["created_at"]),
            "resources_offer": [{"resources": r["resources"], "count": r["count"], "prices": None}
                                for r in b["resources_offer"]],
            "reclamation_window": b.get("reclamation_window")}


def lease_json(lease: dict[str, Any]) -> dict[str, Any]:
    return {"id": _id(lease, True), "state": lease["state"], "price": _price(lease["price"]),
            "created_at": str(lease["created_at"]), "closed_on": str(lease["closed_on"]), "reason": lease["reason"],
            "reclamation": lease.get("reclamation")}


class _Filters:
    """filters.* (list) or id.* (info) of a market query, validated like the gateway does."""

    def __init__(self, q: Query, prefix: str, states: tuple[str, ...] = ()) -> None:
        self.owner = q.str(f"{prefix}.owner")
        if self.owner:
            parse_address(self.owner, "owner address")
        self.provider = q.str(f"{prefix}.provider")
        if self.provider:
            parse_address(self.provider, "provider address")
        self.dseq, self.gseq, self.oseq = q.uint(f"{prefix}.dseq"), q.uint(f"{prefix}.gseq"), q.uint(f"{prefix}.oseq")
        self.bseq = q.uint(f"{prefix}.bseq")
        self.state = q.str(f"{prefix}.state")
        if self.state and self.state not in states:
            raise invalid_argument(f"invalid state value {self.state!r}: use one of {', '.join(states)}")

    def prefix(self) -> str:
        """The narrowest key prefix the filters allow (keys are owner/dseq/gseq/oseq/provider/bseq)."""
        parts = []
        for value, width in ((self.owner, 0), (self.dseq, 20), (self.gseq, 10), (self.oseq, 10)):
            if not value:
                break
            parts.append(f"{value:0{width}d}" if width else value)
        return "/".join(parts) + "/" if parts else ""

    def match(self, r: dict[str, Any]) -> bool:
        return ((not self.owner or r["owner"] == self.owner) and (not self.dseq or r["dseq"] == self.dseq)
                and (not self.gseq or r["gseq"] == self.gseq) and (not self.oseq or r["oseq"] == self.oseq)
                and (not self.provider or r.get("provider") == self.provider)
                and (not self.bseq or r.get("bseq", 0) == self.bseq)
                and (not self.state or r["state"] == self.state))


class MarketQueries:
    """Mixed into the market module: its REST routes."""

    chain: Any

    def market_routes(self) -> list[Route]:
        p = "/akash/market/v1beta5"
        return [Route("GET", f"{p}/orders/list", self.q_orders), Route("GET", f"{p}/orders/info", self.q_order),
                Route("GET", f"{p}/bids/list", self.q_bids), Route("GET", f"{p}/bids/info", self.q_bid),
                Route("GET", f"{p}/leases/list", self.q_leases), Route("GET", f"{p}/leases/info", self.q_lease),
                Route("GET", f"{p}/params", self.q_params)]

    def _list(self, q: Query, bucket: str, field: str, states: tuple[str, ...],
              render: Callable[[dict[str, Any]], Any]) -> dict:
        f = _Filters(q, "filters", states)
        entries = [(k, r) for k, r in self.chain.root.items(bucket, f.prefix()) if f.match(r)]
        return paged(q, field, entries, render)

    def _one(self, q: Query, bucket: str, bid: bool) -> dict[str, Any] | None:
        f = _Filters(q, "id")
        if not f.owner:
            raise invalid_argument("empty owner address: id.owner is required")
        key = f"{f.prefix()}{f.provider}/{f.bseq:010d}" if bid else f.prefix().rstrip("/")
        return self.chain.root.get(bucket, key)

    def bid_with_account(self, b: dict[str, Any]) -> dict[str, Any]:
        xid = f"{b['owner']}/{b['dseq']}/{b['gseq']}/{b['oseq']}/{b['provider']}"
        acc = self.chain.root.get("escrow.account", f"bid/{xid}")
        return {"bid": bid_json(b), "escrow_account": account_json(acc) if acc else None}

    def lease_with_payment(self, lease: dict[str, Any]) -> dict[str, Any]:
        key = f"deployment/{lease['owner']}/{lease['dseq']}/{lease['gseq']}/{lease['oseq']}/{lease['provider']}"
        pay = self.chain.root.get("escrow.payment", key)
        return {"lease": lease_json(lease), "escrow_payment": payment_json(pay) if pay else None}

    def q_orders(self, q: Query) -> dict:
        return self._list(q, "market.order", "orders", ORDER_STATES, order_json)

    def q_order(self, q: Query) -> dict:
        o = self._one(q, "market.order", False)
        if o is None:
            raise not_found("order not found")
        return {"order": order_json(o)}

    def q_bids(self, q: Query) -> dict:
        return self._list(q, "market.bid", "bids", BID_STATES, self.bid_with_account)

    def q_bid(self, q: Query) -> dict:
        b = self._one(q, "market.bid", True)
        if b is None:
            raise not_found("bid not found")
        return self.bid_with_account(b)

    def q_leases(self, q: Query) -> dict:
        return self._list(q, "market.lease", "leases", LEASE_STATES, self.lease_with_payment)

    def q_lease(self, q: Query) -> dict:
        lease = self._one(q, "market.lease", True)
        if lease is None:
            raise not_found("lease not found")
        return self.lease_with_payment(lease)

    def q_params(self, q: Query) -> dict:
        p = self.chain.root.get("market.params", "params")
        return {"params": {"bid_min_deposit": dict(p["bid_min_deposit"]), "order_max_bids": p["order_max_bids"],
                           "bid_min_deposits": [dict(c) for c in p["bid_min_deposits"]],
                           "min_reclamation_window": f"{p['min_reclamation_window']}s",
                           "max_reclamation_window": f"{p['max_reclamation_window']}s"}}
