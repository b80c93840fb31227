"""REST queries of x/gov: the v1 family and the legacy v1beta1 family, in the gateway's JSON shapes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.localnet import decmath as dm
from app.localnet.errors import invalid_argument, not_found
from app.localnet.module import Route
from app.localnet.modules.auth import parse_address
from app.localnet.rest import ZERO_TIME, Query, coins, dec, duration, paged, rfc3339

if TYPE_CHECKING:
    from app.localnet.modules.gov import GovModule

V1_TALLY = {"VOTE_OPTION_YES": "yes_count", "VOTE_OPTION_ABSTAIN": "abstain_count", "VOTE_OPTION_NO": "no_count",
            "VOTE_OPTION_NO_WITH_VETO": "no_with_veto_count"}
V1BETA1_TALLY = {"VOTE_OPTION_YES": "yes", "VOTE_OPTION_ABSTAIN": "abstain", "VOTE_OPTION_NO": "no",
                 "VOTE_OPTION_NO_WITH_VETO": "no_with_veto"}


def _time_or_null(ns: int) -> str | None:
    return rfc3339(ns) if ns else None


def routes(m: GovModule) -> list[Route]:  # noqa: C901 - one closure per REST route
    from app.localnet.modules.gov import DEPOSIT, OPTIONS, PROPOSAL, STATUSES, VOTING_PERIOD, pkey

    root = m.chain.root

    def need(q: Query) -> dict[str, Any]:
        raw = q.path["proposal_id"]
        if not raw.isdigit():
            raise invalid_argument(f"type mismatch, parameter: proposal_id, error: strconv.ParseUint: parsing "
                                   f"{raw!r}: invalid syntax")
        if int(raw) == 0:
            raise invalid_argument("proposal id can not be 0")
        p = m.proposal(root, int(raw))
        if p is None:
            raise not_found(f"proposal {raw} doesn't exist")
        return p

    def tally_counts(p: dict[str, Any]) -> dict[str, str]:
        if p["status"] == VOTING_PERIOD:
            results, _ = m.tally(root, p["id"])
            return {o: str(dm.trunc(v)) for o, v in results.items()}
        return p["final_tally"]

    def v1_proposal(p: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": str(p["id"]), "messages": p["messages"], "status": p["status"],
            "final_tally_result": {V1_TALLY[o]: c for o, c in p["final_tally"].items()},
            "submit_time": rfc3339(p["submit_ns"]), "deposit_end_time": rfc3339(p["deposit_end_ns"]),
            "total_deposit": coins(p["total_deposit"]),
            "voting_start_time": _time_or_null(p["voting_start_ns"]),
            "voting_end_time": _time_or_null(p["voting_end_ns"]),
            "metadata": p["metadata"], "title": p["title"], "summary": p["summary"], "proposer": p["proposer"],
            "expedited": p["expedited"], "failed_reason": p["failed_reason"],
        }

    def v1beta1_proposal(p: dict[str, Any]) -> dict[str, Any]:
        content = next((msg["content"] for msg in p["messages"]
                        if msg["@type"] == "/cosmos.gov.v1.MsgExecLegacyContent"), p["messages"][0])
        return {
            "proposal_id": str(p["id"]), "content": content, "status": p["status"],
            "final_tally_result": {V1BETA1_TALLY[o]: c for o, c in p["final_tally"].items()},
            "submit_time": rfc3339(p["submit_ns"]), "deposit_end_time": rfc3339(p["deposit_end_ns"]),
            "total_deposit": coins(p["total_deposit"]),
            "voting_start_time": rfc3339(p["voting_start_ns"]) if p["voting_start_ns"] else ZERO_TIME,
            "voting_end_time": rfc3339(p["voting_end_ns"]) if p["voting_end_ns"] else ZERO_TIME,
        }

    def filtered(q: Query) -> list[tuple[str, dict[str, Any]]]:
        status = q.enum("proposal_status", STATUSES)
        voter, depositor = q.str("voter"), q.str("depositor")
        if voter:
            parse_address(voter, "voter address")
        if depositor:
            parse_address(depositor, "depositor address")
        out = []
        for key, p in root.items(PROPOSAL):
            if status and status != STATUSES[0] and p["status"] != status:
                continue
            if voter and root.get("gov.vote", f"{key}/{voter}") is None:
                continue
            if depositor and root.get(DEPOSIT, f"{key}/{depositor}") is None:
                continue
            out.append((key, p))
        return out

    def options_json(vote: dict[str, Any]) -> list[dict[str, str]]:
        return [{"option": o, "weight": dec(w)} for o, w in vote["options"]]

    def vote_v1(pid: int, voter: str, vote: dict[str, Any]) -> dict[str, Any]:
        return {"proposal_id": str(pid), "voter": voter, "options": options_json(vote), "metadata": vote["metadata"]}

    def vote_v1beta1(pid: int, voter: str, vote: dict[str, Any]) -> dict[str, Any]:
        return {"proposal_id": str(pid), "voter": voter, "option": OPTIONS[0], "options": options_json(vote)}

    def votes(q: Query, render: Any) -> dict:
        p = need(q)
        return paged(q, "votes", [(voter, render(p["id"], voter, v)) for voter, v in m.votes(root, p["id"])])

    def vote(q: Query, render: Any) -> dict:
        p = need(q)
        voter = parse_address(q.path["voter"], "voter address")
        v = root.get("gov.vote", f"{pkey(p['id'])}/{voter}")
        if v is None:
            raise not_found(f"voter: {voter} not found for proposal: {p['id']}")
        return {"vote": render(p["id"], voter, v)}

    def deposit_json(pid: int, depositor: str, amount: dict[str, int]) -> dict[str, Any]:
        return {"proposal_id": str(pid), "depositor": depositor, "amount": coins(amount)}

    def deposits(q: Query) -> dict:
        p = need(q)
        return paged(q, "deposits", [(k, deposit_json(p["id"], k.split("/", 1)[1], c))
                                     for k, c in root.items(DEPOSIT, pkey(p["id"]) + "/")])

    def deposit(q: Query) -> dict:
        p = need(q)
        depositor = parse_address(q.path["depositor"], "depositor address")
        c = root.get(DEPOSIT, f"{pkey(p['id'])}/{depositor}")
        if c is None:
            raise not_found(f"depositor: {depositor} not found for proposal: {p['id']}")
        return {"deposit": deposit_json(p["id"], depositor, c)}

    def params_v1(q: Query) -> dict:
        kind = q.path["params_type"]
        if kind not in ("voting", "deposit", "tallying"):
            raise invalid_argument(f"{kind} is not a valid parameter type")
        prm = m.params(root)
        voting = {"voting_period": duration(prm["voting_period_ns"])}
        deposit_p = {"min_deposit": prm["min_deposit"], "max_deposit_period": duration(prm["max_deposit_period_ns"])}
        tally = {"quorum": prm["quorum"], "threshold": prm["threshold"], "veto_threshold": prm["veto_threshold"]}
        full = {k: v for k, v in prm.items() if not k.endswith("_ns")}
        full.update(max_deposit_period=duration(prm["max_deposit_period_ns"]),
                    voting_period=duration(prm["voting_period_ns"]),
                    expedited_voting_period=duration(prm["expedited_voting_period_ns"]))
        order = ["min_deposit", "max_deposit_period", "voting_period", "quorum", "threshold", "veto_threshold",
                 "min_initial_deposit_ratio", "proposal_cancel_ratio", "proposal_cancel_dest",
                 "expedited_voting_period", "expedited_threshold", "expedited_min_deposit", "burn_vote_quorum",
                 "burn_proposal_deposit_prevote", "burn_vote_veto", "min_deposit_ratio"]
        return {"voting_params": voting if kind == "voting" else None,
                "deposit_params": deposit_p if kind == "deposit" else None,
                "tally_params": tally if kind == "tallying" else None,
                "params": {k: full[k] for k in order}}

    def params_v1beta1(q: Query) -> dict:
        kind = q.path["params_type"]
        if kind not in ("voting", "deposit", "tallying"):
            raise invalid_argument(f"{kind} is not a valid parameter type")
        prm = m.params(root)
        return {"voting_params": {"voting_period": duration(prm["voting_period_ns"]) if kind == "voting" else "0s"},
                "deposit_params": {"min_deposit": prm["min_deposit"] if kind == "deposit" else [],
                                   "max_deposit_period": duration(prm["max_deposit_period_ns"])
                                   if kind == "deposit" else "0s"},
                "tally_params": {"quorum": dec(prm["quorum"] if kind == "tallying" else 0),
                                 "threshold": dec(prm["threshold"] if kind == "tallying" else 0),
                                 "veto_threshold": dec(prm["veto_threshold"] if kind == "tallying" else 0)}}

    v1, v0 = "/cosmos/gov/v1", "/cosmos/gov/v1beta1"
    pid = "{proposal_id}"
    return [
        Route("GET", f"{v1}/proposals", lambda q: paged(q, "proposals", filtered(q), v1_proposal)),
        Route("GET", f"{v1}/proposals/{pid}", lambda q: {"proposal": v1_proposal(need(q))}),
        Route("GET", f"{v1}/proposals/{pid}/tally",
              lambda q: {"tally": {V1_TALLY[o]: c for o, c in tally_counts(need(q)).items()}}),
        Route("GET", f"{v1}/proposals/{pid}/votes", lambda q: votes(q, vote_v1)),
        Route("GET", f"{v1}/proposals/{pid}/votes/{{voter}}", lambda q: vote(q, vote_v1)),
        Route("GET", f"{v1}/proposals/{pid}/deposits", deposits),
        Route("GET", f"{v1}/proposals/{pid}/deposits/{{depositor}}", deposit),
        Route("GET", f"{v1}/params/{{params_type}}", params_v1),
        Route("GET", f"{v1}/constitution", lambda q: {"constitution": ""}),
        Route("GET", f"{v0}/proposals", lambda q: paged(q, "proposals", filtered(q), v1beta1_proposal)),
        Route("GET", f"{v0}/proposals/{pid}", lambda q: {"proposal": v1beta1_proposal(need(q))}),
        Route("GET", f"{v0}/proposals/{pid}/tally",
              lambda q: {"tally": {V1BETA1_TALLY[o]: c for o, c in tally_counts(need(q)).items()}}),
        Route("GET", f"{v0}/proposals/{pid}/votes", lambda q: votes(q, vote_v1beta1)),
        Route("GET", f"{v0}/proposals/{pid}/votes/{{voter}}", lambda q: vote(q, vote_v1beta1)),
        Route("GET", f"{v0}/proposals/{pid}/deposits", deposits),
        Route("GET", f"{v0}/proposals/{pid}/deposits/{{depositor}}", deposit),
        Route("GET", f"{v0}/params/{{params_type}}", params_v1beta1),
    ]
