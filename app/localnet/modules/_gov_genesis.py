"""Genesis proposals of the local network: passed, rejected, two in voting, one in its deposit period."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from app.config import DENOM_AKT
from app.localnet.modules.auth import module_address
from app.wallet.address import convert_prefix

if TYPE_CHECKING:
    from app.localnet.module import Ctx
    from app.localnet.modules.gov import GovModule

S = 1_000_000_000
DAY = 86_400 * S
AKT = 1_000_000
PARAMS = {
    "min_deposit": [{"denom": DENOM_AKT, "amount": str(1000 * AKT)}],
    "max_deposit_period_ns": 2 * DAY,
    "voting_period_ns": 600 * S,
    "quorum": "0.334000000000000000",
    "threshold": "0.500000000000000000",
    "veto_threshold": "0.334000000000000000",
    "min_initial_deposit_ratio": "0.000000000000000000",
    "proposal_cancel_ratio": "0.500000000000000000",
    "proposal_cancel_dest": "",
    "expedited_voting_period_ns": 300 * S,
    "expedited_threshold": "0.667000000000000000",
    "expedited_min_deposit": [{"denom": DENOM_AKT, "amount": str(2000 * AKT)}],
    "burn_vote_quorum": False,
    "burn_proposal_deposit_prevote": False,
    "burn_vote_veto": True,
    "min_deposit_ratio": "0.010000000000000000",
}


def _upgrade(name: str, height: int, info: str) -> dict[str, Any]:
    return {"@type": "/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade", "authority": module_address("gov"),
            "plan": {"name": name, "time": "0001-01-01T00:00:00Z", "height": str(height), "info": info,
                     "upgraded_client_state": None}}


def _spend(recipient: str, akt: int) -> dict[str, Any]:
    return {"@type": "/cosmos.distribution.v1beta1.MsgCommunityPoolSpend", "authority": module_address("gov"),
            "recipient": recipient, "amount": [{"denom": DENOM_AKT, "amount": str(akt * AKT)}]}


def _text(title: str, description: str) -> dict[str, Any]:
    return {"@type": "/cosmos.gov.v1.MsgExecLegacyContent", "authority": module_address("gov"),
            "content": {"@type": "/cosmos.gov.v1beta1.TextProposal", "title": title, "description": description}}


def write(gov: GovModule, ctx: Ctx, spec: Any) -> None:
    from app.localnet.genesis import local_key
    from app.localnet.modules.gov import DEPOSIT, META, PROPOSAL, VOTE, pkey

    g = spec.genesis_time_ns
    ops = [convert_prefix(v.operator, "akash") for v in spec.validators]
    treasury, friend = local_key("treasury").address, local_key("friend").address
    ctx.kv.set(META, "params", PARAMS)
    zero = {"VOTE_OPTION_YES": "0", "VOTE_OPTION_ABSTAIN": "0", "VOTE_OPTION_NO": "0",
            "VOTE_OPTION_NO_WITH_VETO": "0"}

    def proposal(pid: int, title: str, summary: str, msg: dict[str, Any], status: str, submit: int,
                 voting: tuple[int, int] | None, deposit: int, proposer: str,
                 tally: dict[str, str] | None = None) -> None:
        ctx.kv.set(PROPOSAL, pkey(pid), {
            "id": pid, "messages": [msg], "status": status, "final_tally": tally or zero, "submit_ns": submit,
            "deposit_end_ns": submit + 2 * DAY, "total_deposit": {DENOM_AKT: deposit * AKT},
            "voting_start_ns": voting[0] if voting else 0, "voting_end_ns": voting[1] if voting else 0,
            "metadata": json.dumps({"title": title, "summary": summary[:80]}, separators=(",", ":")),
            "title": title, "summary": summary, "proposer": proposer, "expedited": False, "failed_reason": "",
        })

    proposal(1, "Akash Network v2.0.0 Upgrade (Mainnet 17)",
             "Upgrade to v2.0.0: the BME module and the ACT token, a price oracle and epochs.",
             _upgrade("v2.0.0", 26063777, "https://github.com/akash-network/node/releases/tag/v2.0.0"),
             "PROPOSAL_STATUS_PASSED", g - 120 * DAY, (g - 120 * DAY, g - 113 * DAY), 1000, ops[0],
             {"VOTE_OPTION_YES": "35102265275414", "VOTE_OPTION_ABSTAIN": "763068307757",
              "VOTE_OPTION_NO": "8545777331", "VOTE_OPTION_NO_WITH_VETO": "0"})
    proposal(2, "Community Pool Spend: Marketing Retrospective",
             "Fund a retrospective campaign from the community pool.", _spend(treasury, 250000),
             "PROPOSAL_STATUS_REJECTED", g - 60 * DAY, (g - 60 * DAY, g - 53 * DAY), 1000, treasury,
             {"VOTE_OPTION_YES": "4120000000000", "VOTE_OPTION_ABSTAIN": "1250000000000",
              "VOTE_OPTION_NO": "21900000000000", "VOTE_OPTION_NO_WITH_VETO": "3100000000000"})
    proposal(3, "Signal: Prioritise GPU Provider Onboarding",
             "A text proposal asking core teams to prioritise GPU provider onboarding.",
             _text("Signal: Prioritise GPU Provider Onboarding", "Prioritise GPU provider onboarding in 2027."),
             "PROPOSAL_STATUS_PASSED", g - 30 * DAY, (g - 30 * DAY, g - 23 * DAY), 1000, ops[1],
             {"VOTE_OPTION_YES": "30200000000000", "VOTE_OPTION_ABSTAIN": "2000000000000",
              "VOTE_OPTION_NO": "900000000000", "VOTE_OPTION_NO_WITH_VETO": "0"})
    proposal(4, "Akash Network v2.2.0 Upgrade",
             "Upgrade the network to v2.2.0. Voting ends 10 minutes after the local genesis.",
             _upgrade("v2.2.0", 40000000, "https://github.com/akash-network/node/releases/tag/v2.2.0"),
             "PROPOSAL_STATUS_VOTING_PERIOD", g - DAY, (g - DAY, g + 600 * S), 1000, ops[0])
    proposal(5, "Community Pool Spend: Provider Incentives Pilot 2027",
             "Fund a provider incentives pilot. Voting ends 20 minutes after the local genesis.",
             _spend(friend, 500000), "PROPOSAL_STATUS_VOTING_PERIOD", g - DAY, (g - DAY, g + 1200 * S), 1000,
             treasury)
    proposal(6, "Akash Accelerate 2027 Hackathon Fund",
             "Fund the 2027 hackathon prizes. Still collecting its deposit.", _spend(treasury, 75000),
             "PROPOSAL_STATUS_DEPOSIT_PERIOD", g - 3600 * S, None, 200, friend)
    ctx.kv.set(META, "next_id", 7)
    for pid, proposer, amount in ((4, ops[0], 1000), (5, treasury, 1000), (6, friend, 200)):
        ctx.kv.set(DEPOSIT, f"{pkey(pid)}/{proposer}", {DENOM_AKT: amount * AKT})
    ctx.module("bank").fund(ctx, module_address("gov"), {DENOM_AKT: 2200 * AKT})
    one = "1.000000000000000000"
    votes = {4: [(0, "VOTE_OPTION_YES"), (1, "VOTE_OPTION_YES"), (2, "VOTE_OPTION_YES"),
                 (3, "VOTE_OPTION_ABSTAIN"), (4, "VOTE_OPTION_NO")],
             5: [(0, "VOTE_OPTION_NO"), (2, "VOTE_OPTION_NO"), (5, "VOTE_OPTION_YES"), (6, "VOTE_OPTION_YES")]}
    for pid, entries in votes.items():
        for idx, option in entries:
            ctx.kv.set(VOTE, f"{pkey(pid)}/{ops[idx]}", {"options": [[option, one]], "metadata": ""})
