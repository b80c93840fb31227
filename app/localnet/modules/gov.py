"""x/gov v1: proposals, deposits, (weighted) votes in v1 and v1beta1, tally and the end of voting periods."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from app.localnet import decmath as dm
from app.localnet.errors import TxError, module_error
from app.localnet.kv import View
from app.localnet.module import Ctx, Module, MsgHandler, Route
from app.localnet.modules import _gov_genesis, _gov_query
from app.localnet.modules.auth import module_address
from app.localnet.modules.bank import check_address, check_coins, coins_text, proto_coins
from app.localnet.protojson import any_to_json
from app.units import atomics_to_dec

PROPOSAL, VOTE, DEPOSIT, META = "gov.proposal", "gov.vote", "gov.deposit", "gov.meta"
OPTIONS = ["VOTE_OPTION_UNSPECIFIED", "VOTE_OPTION_YES", "VOTE_OPTION_ABSTAIN", "VOTE_OPTION_NO",
           "VOTE_OPTION_NO_WITH_VETO"]
STATUSES = ["PROPOSAL_STATUS_UNSPECIFIED", "PROPOSAL_STATUS_DEPOSIT_PERIOD", "PROPOSAL_STATUS_VOTING_PERIOD",
            "PROPOSAL_STATUS_PASSED", "PROPOSAL_STATUS_REJECTED", "PROPOSAL_STATUS_FAILED"]
DEPOSIT_PERIOD, VOTING_PERIOD, PASSED, REJECTED = STATUSES[1:5]
MAX_METADATA_LEN = 255


def pkey(proposal_id: int) -> str:
    return f"{proposal_id:020d}"


def err(code: int, desc: str, msg: str = "") -> TxError:
    return module_error("gov", code, desc, msg)


class GovModule(Module):
    name = "gov"
    order = 40

    # -- keeper --
    def params(self, kv: View) -> dict[str, Any]:
        return kv.get(META, "params")

    def proposal(self, kv: View, proposal_id: int) -> dict[str, Any] | None:
        return kv.get(PROPOSAL, pkey(proposal_id))

    def set_proposal(self, kv: View, p: dict[str, Any]) -> None:
        kv.set(PROPOSAL, pkey(p["id"]), p)

    def votes(self, kv: View, proposal_id: int) -> list[tuple[str, dict[str, Any]]]:
        return [(k.split("/", 1)[1], v) for k, v in kv.items(VOTE, pkey(proposal_id) + "/")]

    def tally(self, kv: View, proposal_id: int) -> tuple[dict[str, Decimal], Decimal]:
        """x/gov keeper.Tally: delegators' own votes, then validators' votes on the shares left to them."""
        staking = self.chain.module("staking")
        vals = {v["operator_address"]: {"v": v, "deduct": dm.ZERO, "vote": None}
                for v in staking.validators(kv) if v["status"] == "BOND_STATUS_BONDED"}
        results = {o: dm.ZERO for o in OPTIONS[1:]}
        total = dm.ZERO
        from app.wallet.address import convert_prefix

        for voter, vote in self.votes(kv, proposal_id):
            valoper = convert_prefix(voter, "akashvaloper")
            if valoper in vals:
                vals[valoper]["vote"] = vote["options"]
            for val_addr, shares in staking.delegations_of(kv, voter):
                if val_addr not in vals:
                    continue
                rec = vals[val_addr]
                rec["deduct"] = dm.add(rec["deduct"], shares)
                power = staking.tokens_from_shares(rec["v"], shares)
                for option, weight in vote["options"]:
                    results[option] = dm.add(results[option], dm.mul(power, weight))
                total = dm.add(total, power)
        for rec in vals.values():
            if rec["vote"] is None:
                continue
            left = dm.sub(rec["v"]["delegator_shares"], rec["deduct"])
            power = staking.tokens_from_shares(rec["v"], left)
            for option, weight in rec["vote"]:
                results[option] = dm.add(results[option], dm.mul(power, weight))
            total = dm.add(total, power)
        return results, total

    def _outcome(self, kv: View, proposal_id: int) -> tuple[bool, bool, dict[str, Decimal]]:
        """(passes, burn deposits, results) from the tally and the tally params."""
        results, total = self.tally(kv, proposal_id)
        prm = self.params(kv)
        bonded = self.chain.module("staking").bonded_tokens(kv)
        if bonded == 0 or dm.quo(total, bonded) < dm.D(prm["quorum"]):
            return False, bool(prm["burn_vote_quorum"]), results
        non_abstain = dm.sub(total, results["VOTE_OPTION_ABSTAIN"])
        if non_abstain == 0:
            return False, False, results
        if dm.quo(results["VOTE_OPTION_NO_WITH_VETO"], total) > dm.D(prm["veto_threshold"]):
            return False, bool(prm["burn_vote_veto"]), results
        return dm.quo(results["VOTE_OPTION_YES"], non_abstain) > dm.D(prm["threshold"]), False, results

    # -- genesis --
    def genesis(self, ctx: Ctx, spec: Any) -> None:
        _gov_genesis.write(self, ctx, spec)

    # -- messages --
    def msg_handlers(self) -> dict[str, MsgHandler]:
        return {
            "/cosmos.gov.v1.MsgVote": MsgHandler(lambda m: [m.voter], self.exec_vote_v1, self._validate_vote),
            "/cosmos.gov.v1beta1.MsgVote": MsgHandler(lambda m: [m.voter], self.exec_vote_v1beta1,
                                                      self._validate_vote),
            "/cosmos.gov.v1.MsgVoteWeighted": MsgHandler(lambda m: [m.voter], self.exec_weighted_v1,
                                                         self._validate_weighted),
            "/cosmos.gov.v1beta1.MsgVoteWeighted": MsgHandler(lambda m: [m.voter], self.exec_weighted_v1beta1,
                                                              self._validate_weighted),
            "/cosmos.gov.v1.MsgDeposit": MsgHandler(lambda m: [m.depositor], self.exec_deposit,
                                                    self._validate_deposit),
            "/cosmos.gov.v1beta1.MsgDeposit": MsgHandler(lambda m: [m.depositor], self.exec_deposit,
                                                         self._validate_deposit),
            "/cosmos.gov.v1.MsgSubmitProposal": MsgHandler(lambda m: [m.proposer], self.exec_submit,
                                                           self._validate_submit),
        }

    def _validate_vote(self, msg: Any) -> None:
        check_address(msg.voter, "voter")
        if not 1 <= msg.option <= 4:
            raise err(7, "invalid vote option", OPTIONS[msg.option] if 0 <= msg.option < 5 else str(msg.option))

    def _weights(self, msg: Any, v1beta1: bool) -> list[tuple[str, str]]:
        options = []
        for o in msg.options:
            weight = atomics_to_dec(o.weight) if v1beta1 else dm.D(o.weight or "0")
            if not 1 <= o.option <= 4 or weight <= 0 or weight > 1:
                raise err(7, "invalid vote option", f"{o.option} weight {o.weight}")
            options.append((OPTIONS[o.option], dm.text(weight)))
        if not options or sum(Decimal(w) for _, w in options) != 1:
            raise err(7, "invalid vote option", "total weight must be exactly 1")
        return options

    def _validate_weighted(self, msg: Any) -> None:
        check_address(msg.voter, "voter")
        self._weights(msg, "v1beta1" in msg.DESCRIPTOR.full_name)

    def add_vote(self, ctx: Ctx, proposal_id: int, voter: str, options: list[tuple[str, str]], metadata: str) -> None:
        p = self.proposal(ctx.kv, proposal_id)
        if p is None:
            raise err(2, "unknown proposal", str(proposal_id))
        if p["status"] != VOTING_PERIOD:
            raise err(3, "inactive proposal", str(proposal_id))
        if len(metadata) > MAX_METADATA_LEN:
            raise err(15, "metadata too long", f"metadata length must be at most {MAX_METADATA_LEN}")
        ctx.kv.set(VOTE, f"{pkey(proposal_id)}/{voter}", {"options": options, "metadata": metadata})
        ctx.emit("proposal_vote", ("voter", voter), ("option", json.dumps(
            [{"option": OPTIONS.index(o), "weight": w} for o, w in options], separators=(",", ":"))),
            ("proposal_id", proposal_id))

    def exec_vote_v1(self, ctx: Ctx, msg: Any) -> None:
        self.add_vote(ctx, msg.proposal_id, msg.voter, [(OPTIONS[msg.option], "1.000000000000000000")],
                      msg.metadata)

    def exec_vote_v1beta1(self, ctx: Ctx, msg: Any) -> None:
        self.add_vote(ctx, msg.proposal_id, msg.voter, [(OPTIONS[msg.option], "1.000000000000000000")], "")

    def exec_weighted_v1(self, ctx: Ctx, msg: Any) -> None:
        self.add_vote(ctx, msg.proposal_id, msg.voter, self._weights(msg, False), msg.metadata)

    def exec_weighted_v1beta1(self, ctx: Ctx, msg: Any) -> None:
        self.add_vote(ctx, msg.proposal_id, msg.voter, self._weights(msg, True), "")

    def _validate_deposit(self, msg: Any) -> None:
        check_address(msg.depositor, "depositor")
        check_coins(proto_coins(msg.amount))

    def add_deposit(self, ctx: Ctx, proposal_id: int, depositor: str, coins: dict[str, int]) -> None:
        p = self.proposal(ctx.kv, proposal_id)
        if p is None:
            raise err(2, "unknown proposal", str(proposal_id))
        if p["status"] not in (DEPOSIT_PERIOD, VOTING_PERIOD):
            raise err(3, "inactive proposal", str(proposal_id))
        ctx.module("bank").send_to_module(ctx, depositor, "gov", coins)
        key = f"{pkey(proposal_id)}/{depositor}"
        merged = dict(ctx.kv.get(DEPOSIT, key) or {})
        for d, a in coins.items():
            merged[d] = int(merged.get(d, 0)) + a
        ctx.kv.set(DEPOSIT, key, merged)
        for d, a in coins.items():
            p["total_deposit"][d] = p["total_deposit"].get(d, 0) + a
        ctx.emit("proposal_deposit", ("amount", coins_text(coins)), ("proposal_id", proposal_id),
                 ("depositor", depositor))
        min_deposit = {c["denom"]: int(c["amount"]) for c in self.params(ctx.kv)["min_deposit"]}
        if p["status"] == DEPOSIT_PERIOD and all(p["total_deposit"].get(d, 0) >= a for d, a in min_deposit.items()):
            p["status"] = VOTING_PERIOD
            p["voting_start_ns"] = ctx.time_ns
            p["voting_end_ns"] = ctx.time_ns + int(self.params(ctx.kv)["voting_period_ns"])
            ctx.emit("proposal_deposit", ("voting_period_start", proposal_id))
        self.set_proposal(ctx.kv, p)

    def exec_deposit(self, ctx: Ctx, msg: Any) -> None:
        self.add_deposit(ctx, msg.proposal_id, msg.depositor, proto_coins(msg.amount))

    def _validate_submit(self, msg: Any) -> None:
        check_address(msg.proposer, "proposer")
        if not msg.messages and not msg.title:
            raise err(11, "no messages proposed")
        if len(msg.metadata) > MAX_METADATA_LEN:
            raise err(15, "metadata too long")
        if not msg.title or not msg.summary:
            raise err(21, "invalid proposal", "proposal title and summary cannot be empty")

    def exec_submit(self, ctx: Ctx, msg: Any) -> Any:
        from app.proto.gen.cosmos.gov.v1 import tx_pb2 as gov_tx

        for any_msg in msg.messages:
            body = any_to_json(any_msg)
            if body.get("authority", module_address("gov")) != module_address("gov"):
                raise err(13, "expected gov account as only signer for proposal message")
        deposit = proto_coins(msg.initial_deposit)
        pid = int(ctx.kv.get(META, "next_id"))
        ctx.kv.set(META, "next_id", pid + 1)
        prm = self.params(ctx.kv)
        self.set_proposal(ctx.kv, {
            "id": pid, "messages": [any_to_json(m) for m in msg.messages], "status": DEPOSIT_PERIOD,
            "final_tally": {o: "0" for o in OPTIONS[1:]}, "submit_ns": ctx.time_ns,
            "deposit_end_ns": ctx.time_ns + int(prm["max_deposit_period_ns"]), "total_deposit": {},
            "voting_start_ns": 0, "voting_end_ns": 0, "metadata": msg.metadata, "title": msg.title,
            "summary": msg.summary, "proposer": msg.proposer, "expedited": msg.expedited, "failed_reason": "",
        })
        ctx.emit("submit_proposal", ("proposal_id", pid),
                 ("proposal_messages", ",".join(m.type_url for m in msg.messages)))
        if deposit:
            self.add_deposit(ctx, pid, msg.proposer, deposit)
        return gov_tx.MsgSubmitProposalResponse(proposal_id=pid)

    # -- end block --
    def end_block(self, ctx: Ctx) -> None:
        for _, p in ctx.kv.items(PROPOSAL):
            if p["status"] == DEPOSIT_PERIOD and p["deposit_end_ns"] <= ctx.time_ns:
                self._settle_deposits(ctx, p["id"], burn=False)
                ctx.kv.delete(PROPOSAL, pkey(p["id"]))
                ctx.emit("inactive_proposal", ("proposal_id", p["id"]), ("proposal_result", "proposal_dropped"))
            elif p["status"] == VOTING_PERIOD and p["voting_end_ns"] <= ctx.time_ns:
                passes, burn, results = self._outcome(ctx.kv, p["id"])
                p["status"] = PASSED if passes else REJECTED
                p["final_tally"] = {o: str(dm.trunc(v)) for o, v in results.items()}
                self._settle_deposits(ctx, p["id"], burn)
                for voter, _ in self.votes(ctx.kv, p["id"]):
                    ctx.kv.delete(VOTE, f"{pkey(p['id'])}/{voter}")
                self.set_proposal(ctx.kv, p)
                ctx.emit("active_proposal", ("proposal_id", p["id"]),
                         ("proposal_result", "proposal_passed" if passes else "proposal_rejected"))

    def _settle_deposits(self, ctx: Ctx, proposal_id: int, burn: bool) -> None:
        bank = ctx.module("bank")
        for key, coins in ctx.kv.items(DEPOSIT, pkey(proposal_id) + "/"):
            depositor = key.split("/", 1)[1]
            if burn:
                bank.burn(ctx, "gov", {d: int(a) for d, a in coins.items()})
            else:
                bank.send_from_module(ctx, "gov", depositor, {d: int(a) for d, a in coins.items()})
            ctx.kv.delete(DEPOSIT, key)

    # -- REST --
    def routes(self) -> list[Route]:
        return _gov_query.routes(self)


MODULE = GovModule
