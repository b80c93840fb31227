"""REST of akash deployment v1beta4: deployments list/info (with groups and escrow account), group info, params."""

from __future__ import annotations

from typing import Any

from app.localnet.errors import invalid_argument, not_found
from app.localnet.module import Route
from app.localnet.modules._escrow_query import account_json
from app.localnet.modules.auth import parse_address
from app.localnet.rest import Query, paged

DEPLOYMENT_STATES = ("active", "closed")


def deployment_json(d: dict[str, Any]) -> dict[str, Any]:
    return {"id": {"owner": d["owner"], "dseq": str(d["dseq"])}, "state": d["state"], "hash": d["hash"],
            "created_at": str(d["created_at"]), "reclamation": d.get("reclamation")}


def group_json(g: dict[str, Any]) -> dict[str, Any]:
    return {"id": {"owner": g["owner"], "dseq": str(g["dseq"]), "gseq": g["gseq"]}, "state": g["state"],
            "group_spec": g["spec"], "created_at": str(g["created_at"])}


class DeploymentQueries:
    """Mixed into the deployment module: its REST routes."""

    chain: Any

    def deployment_routes(self) -> list[Route]:
        p = "/akash/deployment/v1beta4"
        return [Route("GET", f"{p}/deployments/list", self.q_list), Route("GET", f"{p}/deployments/info", self.q_info),
                Route("GET", f"{p}/groups/info", self.q_group), Route("GET", f"{p}/params", self.q_params)]

    def _full(self, d: dict[str, Any]) -> dict[str, Any]:
        root = self.chain.root
        acc = root.get("escrow.account", f"deployment/{d['owner']}/{d['dseq']}")
        groups = [g for _, g in root.items("deployment.group", f"{d['owner']}/{d['dseq']:020d}/")]
        return {"deployment": deployment_json(d), "groups": [group_json(g) for g in groups],
                "escrow_account": account_json(acc) if acc else None}

    def q_list(self, q: Query) -> dict:
        owner = q.str("filters.owner")
        if owner:
            parse_address(owner, "owner address")
        dseq = q.uint("filters.dseq")
        state = q.str("filters.state")
        if state and state not in DEPLOYMENT_STATES:
            raise invalid_argument(f"invalid deployment state {state!r}: use active or closed")
        entries = [(k, d) for k, d in self.chain.root.items("deployment.deployment", owner + "/" if owner else "")
                   if (not dseq or d["dseq"] == dseq) and (not state or d["state"] == state)]
        return paged(q, "deployments", entries, self._full)

    def _id(self, q: Query) -> tuple[str, int]:
        owner = parse_address(q.str("id.owner"), "owner address")
        return owner, q.uint("id.dseq")

    def q_info(self, q: Query) -> dict:
        owner, dseq = self._id(q)
        d = self.chain.root.get("deployment.deployment", f"{owner}/{dseq:020d}")
        if d is None:
            raise not_found("deployment not found")
        return self._full(d)

    def q_group(self, q: Query) -> dict:
        owner, dseq = self._id(q)
        g = self.chain.root.get("deployment.group", f"{owner}/{dseq:020d}/{q.uint('id.gseq'):010d}")
        if g is None:
            raise not_found("group not found")
        return {"group": group_json(g)}

    def q_params(self, q: Query) -> dict:
        params = self.chain.root.get("deployment.params", "params")
        return {"params": {"min_deposits": [dict(c) for c in params["min_deposits"]]}}
