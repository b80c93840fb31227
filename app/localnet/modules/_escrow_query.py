"""REST of akash escrow v1: /akash/escrow/v1/types/accounts and /payments with state and xid-prefix filters."""

from __future__ import annotations

from typing import Any

from app.localnet.errors import invalid_argument
from app.localnet.module import Route
from app.localnet.rest import Query, dec, paged

ACCOUNT_STATES = ("open", "closed", "overdrawn")


def dec_coin(c: dict[str, str]) -> dict[str, str]:
    return {"denom": c["denom"], "amount": dec(c["amount"])}


def account_json(acc: dict[str, Any]) -> dict[str, Any]:
    """akash.escrow.types.v1.Account as the gateway writes it."""
    return {
        "id": {"scope": acc["scope"], "xid": acc["xid"]},
        "state": {
            "owner": acc["owner"],
            "state": acc["state"],
            "transferred": [dec_coin(c) for c in acc["transferred"]],
            "settled_at": str(acc["settled_at"]),
            "funds": [dec_coin(c) for c in acc["funds"]],
            "deposits": [{"owner": d["owner"], "height": str(d["height"]), "source": d["source"],
                          "balance": dec_coin(d["balance"])} for d in acc["deposits"]],
        },
    }


def payment_json(p: dict[str, Any]) -> dict[str, Any]:
    """akash.escrow.types.v1.Payment."""
    return {
        "id": {"aid": dict(p["aid"]), "xid": p["xid"]},
        "state": {"owner": p["owner"], "state": p["state"], "rate": dec_coin(p["rate"]),
                  "balance": dec_coin(p["balance"]), "unsettled": dec_coin(p["unsettled"]),
                  "withdrawn": dict(p["withdrawn"])},
    }


def _xid_parts(q: Query) -> list[str]:
    """The xid filter split into key components; it must start with a scope (deployment or bid)."""
    xid = q.str("xid")
    if not xid:
        return []
    parts = xid.strip("/").split("/")
    if parts[0] not in ("deployment", "bid"):
        raise invalid_argument(f"invalid xid {xid!r}: it must start with the scope, e.g. deployment/akash1.../1234")
    return parts


def _state(q: Query) -> str:
    state = q.str("state")
    if state and state not in ACCOUNT_STATES:
        raise invalid_argument(f"invalid state {state!r}: use open, closed or overdrawn")
    return state


def _matches(parts: list[str], key_parts: list[str]) -> bool:
    """Component-wise key prefix (so dseq 12 does not match dseq 123)."""
    return key_parts[: len(parts)] == parts


class EscrowQueries:
    """Mixed into the escrow module: its REST routes."""

    chain: Any

    def escrow_routes(self) -> list[Route]:
        p = "/akash/escrow/v1/types"
        return [Route("GET", f"{p}/accounts", self.q_accounts), Route("GET", f"{p}/payments", self.q_payments)]

    def q_accounts(self, q: Query) -> dict:
        state, parts = _state(q), _xid_parts(q)
        entries = [(f"{a['state']}/{k}", a) for k, a in self.chain.root.items("escrow.account")
                   if (not state or a["state"] == state) and _matches(parts, k.split("/"))]
        entries.sort(key=lambda e: (ACCOUNT_STATES.index(e[1]["state"]), e[0]))
        return paged(q, "accounts", entries, account_json)

    def q_payments(self, q: Query) -> dict:
        state, parts = _state(q), _xid_parts(q)
        entries = [(f"{p['state']}/{k}", p) for k, p in self.chain.root.items("escrow.payment")
                   if (not state or p["state"] == state) and _matches(parts, k.split("/"))]
        entries.sort(key=lambda e: (ACCOUNT_STATES.index(e[1]["state"]), e[0]))
        return paged(q, "payments", entries, payment_json)
