"""x/staking: validators, delegations, unbonding and redelegation with a short unbonding time, the active set."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from google.protobuf.timestamp_pb2 import Timestamp

from app.config import DENOM_AKT
from app.localnet import decmath as dm
from app.localnet.errors import TxError, module_error, sdk_error
from app.localnet.kv import View
from app.localnet.module import Ctx, Module, MsgHandler, Route
from app.localnet.modules import _staking_query as sq
from app.localnet.modules.auth import module_address
from app.localnet.modules.bank import check_address, proto_coins
from app.proto.gen.cosmos.base.v1beta1 import coin_pb2
from app.proto.gen.cosmos.staking.v1beta1 import tx_pb2 as st
from app.wallet.address import AddressError, convert_prefix, validate_address

VALIDATOR = "staking.validator"
DELEGATION = "staking.delegation"  # "<delegator>/<valoper>" -> {"shares"}
UNBONDING = "staking.ubd"  # "<delegator>/<valoper>" -> {"entries": [...]}
REDELEGATION = "staking.red"  # "<delegator>/<src>/<dst>" -> {"entries": [...]}
META = "staking.meta"
BONDED, UNBONDING_S, UNBONDED = "BOND_STATUS_BONDED", "BOND_STATUS_UNBONDING", "BOND_STATUS_UNBONDED"
STATUSES = ["BOND_STATUS_UNSPECIFIED", UNBONDED, UNBONDING_S, BONDED]
POOL = {BONDED: "bonded_tokens_pool", UNBONDING_S: "not_bonded_tokens_pool", UNBONDED: "not_bonded_tokens_pool"}


def err(code: int, desc: str, msg: str = "") -> TxError:
    return module_error("staking", code, desc, msg)


def check_valoper(text: str, what: str = "validator") -> None:
    try:
        validate_address(text, "akashvaloper")
    except AddressError as exc:
        raise sdk_error(7, f"invalid {what} address: {exc}") from None


def timestamp(ns: int) -> Timestamp:
    return Timestamp(seconds=ns // 1_000_000_000, nanos=ns % 1_000_000_000)


class StakingModule(Module):
    name = "staking"
    order = 20

    # -- keeper: reads --
    def params(self, kv: View) -> dict[str, Any]:
        return kv.get(META, "params")

    def validator(self, kv: View, valoper: str) -> dict[str, Any] | None:
        return kv.get(VALIDATOR, valoper)

    def validators(self, kv: View) -> list[dict[str, Any]]:
        return [v for _, v in kv.items(VALIDATOR)]

    def delegation(self, kv: View, delegator: str, valoper: str) -> dict[str, Any] | None:
        return kv.get(DELEGATION, f"{delegator}/{valoper}")

    def delegations_of(self, kv: View, delegator: str) -> list[tuple[str, Decimal]]:
        return [(k.split("/", 1)[1], Decimal(v["shares"])) for k, v in kv.items(DELEGATION, delegator + "/")]

    @staticmethod
    def tokens_from_shares(val: dict[str, Any], shares: Decimal) -> Decimal:
        total = Decimal(val["delegator_shares"])
        return dm.quo(dm.mul(shares, val["tokens"]), total) if total else dm.ZERO

    @staticmethod
    def shares_from_tokens(val: dict[str, Any], tokens: int) -> Decimal:
        total = Decimal(val["delegator_shares"])
        return dm.quo(dm.mul(tokens, total), val["tokens"]) if int(val["tokens"]) else dm.D(tokens)

    def bonded_tokens(self, kv: View) -> int:
        return sum(int(v["tokens"]) for v in self.validators(kv) if v["status"] == BONDED)

    # -- keeper: writes --
    def set_validator(self, kv: View, val: dict[str, Any]) -> None:
        kv.set(VALIDATOR, val["operator_address"], val)

    def _next_unbonding_id(self, kv: View) -> int:
        n = int(kv.get(META, "next_unbonding_id") or 1)
        kv.set(META, "next_unbonding_id", n + 1)
        return n

    def add_tokens(self, ctx: Ctx, delegator: str, valoper: str, amount: int, source: str | None) -> Decimal:
        """Delegate `amount` (from `source` account, or already in the pools when None); returns new shares."""
        val = self.validator(ctx.kv, valoper)
        assert val is not None
        dist = ctx.module("distribution")
        dist.before_delegation_change(ctx, delegator, valoper)
        if source is not None:
            bank = ctx.module("bank")
            have = bank.balance(ctx.kv, source, DENOM_AKT)
            if have < amount:
                raise sdk_error(5, f"failed to delegate; {have}{DENOM_AKT} is smaller than {amount}{DENOM_AKT}")
            bank.send_to_module(ctx, source, POOL[val["status"]], {DENOM_AKT: amount})
        shares = self.shares_from_tokens(val, amount)
        val["tokens"] = int(val["tokens"]) + amount
        val["delegator_shares"] = dm.text(dm.add(val["delegator_shares"], shares))
        self.set_validator(ctx.kv, val)
        d = self.delegation(ctx.kv, delegator, valoper) or {"shares": "0"}
        d["shares"] = dm.text(dm.add(d["shares"], shares))
        ctx.kv.set(DELEGATION, f"{delegator}/{valoper}", d)
        dist.after_delegation_change(ctx, delegator, valoper)
        return shares

    def remove_shares(self, ctx: Ctx, delegator: str, valoper: str, shares: Decimal) -> int:
        """Unbond shares from a delegation; returns the tokens they were worth (left in the validator's pool)."""
        val = self.validator(ctx.kv, valoper)
        d = self.delegation(ctx.kv, delegator, valoper)
        if val is None or d is None:
            raise err(19, "no delegation for (address, validator) tuple")
        if shares > Decimal(d["shares"]):
            raise sdk_error(18, "invalid shares amount")
        dist = ctx.module("distribution")
        dist.before_delegation_change(ctx, delegator, valoper)
        remaining = dm.sub(d["shares"], shares)
        if remaining == 0:
            ctx.kv.delete(DELEGATION, f"{delegator}/{valoper}")
            dist.forget_delegation(ctx, delegator, valoper)
        else:
            d["shares"] = dm.text(remaining)
            ctx.kv.set(DELEGATION, f"{delegator}/{valoper}", d)
        total_shares = dm.sub(val["delegator_shares"], shares)
        if total_shares == 0:
            tokens = int(val["tokens"])
        else:
            tokens = dm.trunc(self.tokens_from_shares(val, shares))
        val["tokens"] = int(val["tokens"]) - tokens
        val["delegator_shares"] = dm.text(total_shares)
        self.set_validator(ctx.kv, val)
        if remaining != 0:
            dist.after_delegation_change(ctx, delegator, valoper)
        return tokens

    def _validated_amount(self, ctx: Ctx, amount: Any) -> int:
        coins = proto_coins([amount])
        if amount.denom != DENOM_AKT:
            raise sdk_error(18, f"invalid coin denomination: got {amount.denom}, expected {DENOM_AKT}")
        value = coins.get(DENOM_AKT, 0)
        if value <= 0:
            raise sdk_error(18, "invalid delegation amount")
        return value

    def _existing_validator(self, ctx: Ctx, valoper: str, code: int = 3,
                            desc: str = "validator does not exist") -> dict[str, Any]:
        val = self.validator(ctx.kv, valoper)
        if val is None:
            raise err(code, desc)
        return val

    # -- messages --
    def msg_handlers(self) -> dict[str, MsgHandler]:
        p = "/cosmos.staking.v1beta1."
        return {
            p + "MsgDelegate": MsgHandler(lambda m: [m.delegator_address], self.exec_delegate, self._validate),
            p + "MsgUndelegate": MsgHandler(lambda m: [m.delegator_address], self.exec_undelegate, self._validate),
            p + "MsgBeginRedelegate": MsgHandler(lambda m: [m.delegator_address], self.exec_redelegate,
                                                 self._validate_redelegate),
            p + "MsgCancelUnbondingDelegation": MsgHandler(lambda m: [m.delegator_address],
                                                           self.exec_cancel_unbonding, self._validate),
        }

    def _validate(self, msg: Any) -> None:
        check_address(msg.delegator_address, "delegator")
        check_valoper(msg.validator_address)

    def _validate_redelegate(self, msg: Any) -> None:
        check_address(msg.delegator_address, "delegator")
        check_valoper(msg.validator_src_address, "source validator")
        check_valoper(msg.validator_dst_address, "destination validator")

    def exec_delegate(self, ctx: Ctx, msg: st.MsgDelegate) -> st.MsgDelegateResponse:
        val = self._existing_validator(ctx, msg.validator_address)
        amount = self._validated_amount(ctx, msg.amount)
        if Decimal(val["delegator_shares"]) > 0 and int(val["tokens"]) == 0:
            raise err(34, "cannot delegate to validators with invalid (zero) ex-rate")
        shares = self.add_tokens(ctx, msg.delegator_address, msg.validator_address, amount, msg.delegator_address)
        ctx.emit("delegate", ("validator", msg.validator_address), ("delegator", msg.delegator_address),
                 ("amount", f"{amount}{DENOM_AKT}"), ("new_shares", dm.text(shares)))
        return st.MsgDelegateResponse()

    def exec_undelegate(self, ctx: Ctx, msg: st.MsgUndelegate) -> st.MsgUndelegateResponse:
        val = self._existing_validator(ctx, msg.validator_address)
        amount = self._validated_amount(ctx, msg.amount)
        shares = self.shares_from_tokens(val, amount)
        d = self.delegation(ctx.kv, msg.delegator_address, msg.validator_address)
        if d is None:
            raise err(19, "no delegation for (address, validator) tuple")
        if shares > Decimal(d["shares"]):
            raise sdk_error(18, "invalid shares amount")
        ubd = ctx.kv.get(UNBONDING, f"{msg.delegator_address}/{msg.validator_address}") or {"entries": []}
        if len(ubd["entries"]) >= int(self.params(ctx.kv)["max_entries"]):
            raise err(27, "too many unbonding delegation entries for (delegator, validator) tuple")
        tokens = self.remove_shares(ctx, msg.delegator_address, msg.validator_address, shares)
        if val["status"] == BONDED:
            ctx.module("bank").send(ctx, _pool("bonded_tokens_pool"), _pool("not_bonded_tokens_pool"),
                                    {DENOM_AKT: tokens})
        completion = self._completion_time(ctx, val)
        ubd["entries"].append({"creation_height": ctx.height, "completion_time_ns": completion,
                               "initial_balance": tokens, "balance": tokens,
                               "unbonding_id": self._next_unbonding_id(ctx.kv)})
        ctx.kv.set(UNBONDING, f"{msg.delegator_address}/{msg.validator_address}", ubd)
        ctx.emit("unbond", ("validator", msg.validator_address), ("delegator", msg.delegator_address),
                 ("amount", f"{tokens}{DENOM_AKT}"), ("completion_time", sq.rfc(completion)))
        return st.MsgUndelegateResponse(completion_time=timestamp(completion),
                                        amount=coin_pb2.Coin(denom=DENOM_AKT, amount=str(tokens)))

    def _completion_time(self, ctx: Ctx, val: dict[str, Any]) -> int:
        if val["status"] == UNBONDED:
            return ctx.time_ns
        if val["status"] == UNBONDING_S:
            return int(val["unbonding_time_ns"])
        return ctx.time_ns + int(self.params(ctx.kv)["unbonding_time_ns"])

    def exec_redelegate(self, ctx: Ctx, msg: st.MsgBeginRedelegate) -> st.MsgBeginRedelegateResponse:
        d, s, t = msg.delegator_address, msg.validator_src_address, msg.validator_dst_address
        if s == t:
            raise err(29, "cannot redelegate to the same validator")
        src = self._existing_validator(ctx, s, 44, "redelegation source validator not found")
        dst = self._existing_validator(ctx, t, 31, "redelegation destination validator not found")
        amount = self._validated_amount(ctx, msg.amount)
        if any(k.endswith("/" + s) and _immature(v, ctx.time_ns)
               for k, v in ctx.kv.items(REDELEGATION, d + "/")):
            raise err(32, "redelegation to this validator already in progress; first redelegation to this "
                      "validator must complete before next redelegation")
        red = ctx.kv.get(REDELEGATION, f"{d}/{s}/{t}") or {"entries": []}
        if len(red["entries"]) >= int(self.params(ctx.kv)["max_entries"]):
            raise err(33, "too many redelegation entries for (delegator, src-validator, dst-validator) tuple")
        shares = self.shares_from_tokens(src, amount)
        tokens = self.remove_shares(ctx, d, s, shares)
        if tokens == 0:
            raise err(30, "too few tokens to redelegate (truncates to zero tokens)")
        src_pool, dst_pool = POOL[src["status"]], POOL[dst["status"]]
        if src_pool != dst_pool:
            ctx.module("bank").send(ctx, _pool(src_pool), _pool(dst_pool), {DENOM_AKT: tokens})
        shares_dst = self.add_tokens(ctx, d, t, tokens, None)
        completion = self._completion_time(ctx, src)
        if completion > ctx.time_ns:
            red["entries"].append({"creation_height": ctx.height, "completion_time_ns": completion,
                                   "initial_balance": tokens, "shares_dst": dm.text(shares_dst),
                                   "unbonding_id": self._next_unbonding_id(ctx.kv)})
            ctx.kv.set(REDELEGATION, f"{d}/{s}/{t}", red)
        ctx.emit("redelegate", ("source_validator", s), ("destination_validator", t),
                 ("amount", f"{tokens}{DENOM_AKT}"), ("completion_time", sq.rfc(completion)))
        return st.MsgBeginRedelegateResponse(completion_time=timestamp(completion))

    def exec_cancel_unbonding(self, ctx: Ctx, msg: st.MsgCancelUnbondingDelegation) -> None:
        val = self._existing_validator(ctx, msg.validator_address)
        amount = self._validated_amount(ctx, msg.amount)
        key = f"{msg.delegator_address}/{msg.validator_address}"
        ubd = ctx.kv.get(UNBONDING, key)
        entry = next((e for e in (ubd or {"entries": []})["entries"]
                      if e["creation_height"] == msg.creation_height), None)
        if ubd is None or entry is None:
            raise err(26, "no unbonding delegation found")
        if amount > entry["balance"]:
            raise sdk_error(18, "amount is greater than the unbonding delegation entry balance")
        if val["status"] == BONDED:
            ctx.module("bank").send(ctx, _pool("not_bonded_tokens_pool"), _pool("bonded_tokens_pool"),
                                    {DENOM_AKT: amount})
        self.add_tokens(ctx, msg.delegator_address, msg.validator_address, amount, None)
        entry["balance"] -= amount
        entry["initial_balance"] -= amount
        ubd["entries"] = [e for e in ubd["entries"] if e["balance"] > 0]
        if ubd["entries"]:
            ctx.kv.set(UNBONDING, key, ubd)
        else:
            ctx.kv.delete(UNBONDING, key)
        ctx.emit("cancel_unbonding_delegation", ("amount", f"{amount}{DENOM_AKT}"),
                 ("validator", msg.validator_address), ("delegator", msg.delegator_address),
                 ("creation_height", msg.creation_height))
        return None

    # -- end block: matured entries and the validator set --
    def end_block(self, ctx: Ctx) -> None:
        bank = ctx.module("bank")
        for key, ubd in ctx.kv.items(UNBONDING):
            mature = [e for e in ubd["entries"] if e["completion_time_ns"] <= ctx.time_ns]
            if not mature:
                continue
            delegator, valoper = key.split("/", 1)
            for e in mature:
                bank.send(ctx, _pool("not_bonded_tokens_pool"), delegator, {DENOM_AKT: e["balance"]})
                ctx.emit("complete_unbonding", ("amount", f"{e['balance']}{DENOM_AKT}"),
                         ("validator", valoper), ("delegator", delegator))
            rest = [e for e in ubd["entries"] if e["completion_time_ns"] > ctx.time_ns]
            if rest:
                ctx.kv.set(UNBONDING, key, {"entries": rest})
            else:
                ctx.kv.delete(UNBONDING, key)
        for key, red in ctx.kv.items(REDELEGATION):
            rest = [e for e in red["entries"] if e["completion_time_ns"] > ctx.time_ns]
            if len(rest) == len(red["entries"]):
                continue
            delegator, s, t = key.split("/")
            ctx.emit("complete_redelegation", ("delegator", delegator), ("source_validator", s),
                     ("destination_validator", t))
            if rest:
                ctx.kv.set(REDELEGATION, key, {"entries": rest})
            else:
                ctx.kv.delete(REDELEGATION, key)
        self._update_validator_set(ctx)

    def _update_validator_set(self, ctx: Ctx) -> None:
        """The top max_validators non-jailed validators by tokens are bonded; the pools follow them."""
        vals = self.validators(ctx.kv)
        limit = int(self.params(ctx.kv)["max_validators"])
        ranked = sorted((v for v in vals if not v["jailed"] and int(v["tokens"]) > 0),
                        key=lambda v: (-int(v["tokens"]), v["operator_address"]))
        active = {v["operator_address"] for v in ranked[:limit]}
        unbonding_ns = int(self.params(ctx.kv)["unbonding_time_ns"])
        bank = ctx.module("bank")
        for v in vals:
            addr, status, changed = v["operator_address"], v["status"], False
            if addr in active and status != BONDED:
                bank.send(ctx, _pool("not_bonded_tokens_pool"), _pool("bonded_tokens_pool"),
                          {DENOM_AKT: int(v["tokens"])})
                v.update(status=BONDED, unbonding_height=0, unbonding_time_ns=0)
                changed = True
            elif addr not in active and status == BONDED:
                bank.send(ctx, _pool("bonded_tokens_pool"), _pool("not_bonded_tokens_pool"),
                          {DENOM_AKT: int(v["tokens"])})
                v.update(status=UNBONDING_S, unbonding_height=ctx.height,
                         unbonding_time_ns=ctx.time_ns + unbonding_ns)
                changed = True
            elif status == UNBONDING_S and int(v["unbonding_time_ns"]) <= ctx.time_ns:
                v.update(status=UNBONDED)
                changed = True
            if changed:
                self.set_validator(ctx.kv, v)

    # -- genesis: validators with self-delegations; one jailed (slashed 5%), the smallest outside the set --
    def genesis(self, ctx: Ctx, spec: Any) -> None:
        ctx.kv.set(META, "params", {"unbonding_time_ns": spec.unbonding_time_ns, "max_validators": spec.max_validators,
                                    "max_entries": 7, "historical_entries": 10000,
                                    "min_commission_rate": "0.050000000000000000"})
        bank = ctx.module("bank")
        for v in spec.validators:
            valoper = v.operator
            self.set_validator(ctx.kv, {
                "operator_address": valoper, "consensus_pubkey": v.consensus_pubkey_b64, "jailed": False,
                "status": UNBONDED, "tokens": 0, "delegator_shares": "0", "description": v.description(),
                "unbonding_height": 0, "unbonding_time_ns": 0,
                "commission": {"rate": v.rate, "max_rate": v.max_rate, "max_change_rate": v.max_change_rate,
                               "update_time_ns": spec.genesis_time_ns - v.commission_age_ns},
                "min_self_delegation": 1,
            })
            account = convert_account(valoper)
            bank.fund(ctx, account, {DENOM_AKT: v.self_stake + 10_000_000_000})
            self.add_tokens(ctx, account, valoper, v.self_stake, account)
        self._update_validator_set(ctx)
        for v in spec.validators:
            if v.jailed:
                self.jail(ctx, v.operator, spec.slash_fraction)

    def jail(self, ctx: Ctx, valoper: str, fraction: str) -> None:
        """Jail and slash a validator: its tokens shrink (shares stay), it leaves the active set."""
        val = self.validator(ctx.kv, valoper)
        assert val is not None
        burned = dm.trunc(dm.mul(val["tokens"], fraction))
        ctx.module("bank").burn(ctx, POOL[val["status"]], {DENOM_AKT: burned})
        val["tokens"] = int(val["tokens"]) - burned
        val["jailed"] = True
        self.set_validator(ctx.kv, val)
        self._update_validator_set(ctx)

    # -- REST --
    def routes(self) -> list[Route]:
        return sq.routes(self)


def _pool(name: str) -> str:
    return module_address(name)


def convert_account(valoper: str) -> str:
    return convert_prefix(valoper, "akash")


def _immature(red: dict[str, Any], now_ns: int) -> bool:
    return any(e["completion_time_ns"] > now_ns for e in red["entries"])


MODULE = StakingModule
