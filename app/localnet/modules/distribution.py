"""x/distribution: per-block rewards to bonded validators (commission + a reward-per-share index), withdrawals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app.config import DENOM_AKT
from app.localnet import decmath as dm
from app.localnet.errors import module_error, not_found
from app.localnet.kv import View
from app.localnet.module import Ctx, Module, MsgHandler, Route
from app.localnet.modules._staking_query import parse_valoper
from app.localnet.modules.auth import module_address, parse_address
from app.localnet.modules.bank import check_address, check_coins, coins_text, proto_coins
from app.localnet.modules.staking import check_valoper
from app.localnet.rest import Query, dec, dec_coins, paged
from app.proto.gen.cosmos.base.v1beta1 import coin_pb2
from app.proto.gen.cosmos.distribution.v1beta1 import tx_pb2 as dt
from app.wallet.address import convert_prefix

VAL = "distr.val"  # valoper -> {"cum", "commission", "outstanding"} (decimal texts, uakt)
START = "distr.start"  # "<delegator>/<valoper>" -> {"cum"}: the index when the delegation last changed
WITHDRAW = "distr.withdraw"  # delegator -> withdraw address
META = "distr.meta"
COMMUNITY_TAX = Decimal("0.020000000000000000")


def err(code: int, desc: str) -> Exception:
    return module_error("distribution", code, desc)


def operator_account(valoper: str) -> str:
    return convert_prefix(valoper, "akash")


class DistributionModule(Module):
    name = "distribution"
    order = 30

    # -- keeper --
    def _val(self, kv: View, valoper: str) -> dict[str, str]:
        return kv.get(VAL, valoper) or {"cum": "0", "commission": "0", "outstanding": "0"}

    def pending_reward(self, kv: View, delegator: str, valoper: str) -> Decimal:
        d = kv.get("staking.delegation", f"{delegator}/{valoper}")
        if d is None:
            return dm.ZERO
        start = kv.get(START, f"{delegator}/{valoper}") or {"cum": "0"}
        return dm.mul(d["shares"], dm.sub(self._val(kv, valoper)["cum"], start["cum"]))

    def community_pool(self, kv: View) -> Decimal:
        return dm.D(kv.get(META, "community_pool") or "0")

    def _add_pool(self, kv: View, amount: Decimal) -> None:
        kv.set(META, "community_pool", dm.text(dm.add(self.community_pool(kv), amount)))

    def withdraw_address(self, kv: View, delegator: str) -> str:
        return kv.get(WITHDRAW, delegator) or delegator

    def withdraw(self, ctx: Ctx, delegator: str, valoper: str) -> int:
        """Pay the delegation's rewards (whole uakt; the fraction goes to the community pool)."""
        reward = self.pending_reward(ctx.kv, delegator, valoper)
        paid = dm.trunc(reward)
        if paid:
            ctx.module("bank").send_from_module(ctx, "distribution", self.withdraw_address(ctx.kv, delegator),
                                                {DENOM_AKT: paid})
        self._add_pool(ctx.kv, dm.sub(reward, paid))
        val = self._val(ctx.kv, valoper)
        val["outstanding"] = dm.text(dm.sub(val["outstanding"], reward))
        ctx.kv.set(VAL, valoper, val)
        ctx.kv.set(START, f"{delegator}/{valoper}", {"cum": val["cum"]})
        ctx.emit("withdraw_rewards", ("amount", f"{paid}{DENOM_AKT}"), ("validator", valoper),
                 ("delegator", delegator))
        return paid

    # staking hooks
    def before_delegation_change(self, ctx: Ctx, delegator: str, valoper: str) -> None:
        if ctx.kv.get("staking.delegation", f"{delegator}/{valoper}") is not None:
            self.withdraw(ctx, delegator, valoper)

    def after_delegation_change(self, ctx: Ctx, delegator: str, valoper: str) -> None:
        ctx.kv.set(START, f"{delegator}/{valoper}", {"cum": self._val(ctx.kv, valoper)["cum"]})

    def forget_delegation(self, ctx: Ctx, delegator: str, valoper: str) -> None:
        ctx.kv.delete(START, f"{delegator}/{valoper}")

    # -- begin block: allocate what the fee collector holds --
    def begin_block(self, ctx: Ctx) -> None:
        bank = ctx.module("bank")
        collected = bank.balance(ctx.kv, module_address("fee_collector"), DENOM_AKT)
        if collected == 0:
            return
        bank.send(ctx, module_address("fee_collector"), module_address("distribution"), {DENOM_AKT: collected})
        staking = ctx.module("staking")
        bonded = [v for v in staking.validators(ctx.kv) if v["status"] == "BOND_STATUS_BONDED"]
        power = sum(int(v["tokens"]) for v in bonded)
        to_validators = dm.mul(collected, dm.sub(1, COMMUNITY_TAX))
        distributed = dm.ZERO
        for v in bonded:
            reward = dm.quo(dm.mul(to_validators, v["tokens"]), power)
            commission = dm.mul(reward, v["commission"]["rate"])
            shares = Decimal(v["delegator_shares"])
            rec = self._val(ctx.kv, v["operator_address"])
            rec["commission"] = dm.text(dm.add(rec["commission"], commission))
            rec["outstanding"] = dm.text(dm.add(rec["outstanding"], reward))
            if shares:
                rec["cum"] = dm.text(dm.add(rec["cum"], dm.quo(dm.sub(reward, commission), shares)))
            ctx.kv.set(VAL, v["operator_address"], rec)
            distributed = dm.add(distributed, reward)
        self._add_pool(ctx.kv, dm.sub(collected, distributed))

    # -- messages --
    def msg_handlers(self) -> dict[str, MsgHandler]:
        p = "/cosmos.distribution.v1beta1."
        return {
            p + "MsgWithdrawDelegatorReward": MsgHandler(lambda m: [m.delegator_address], self.exec_withdraw,
                                                         self._validate_withdraw),
            p + "MsgSetWithdrawAddress": MsgHandler(lambda m: [m.delegator_address], self.exec_set_withdraw,
                                                    self._validate_set_withdraw),
            p + "MsgWithdrawValidatorCommission": MsgHandler(lambda m: [operator_account(m.validator_address)],
                                                             self.exec_commission,
                                                             lambda m: check_valoper(m.validator_address)),
            p + "MsgFundCommunityPool": MsgHandler(lambda m: [m.depositor], self.exec_fund_pool,
                                                   self._validate_fund_pool),
        }

    def _validate_withdraw(self, msg: Any) -> None:
        check_address(msg.delegator_address, "delegator")
        check_valoper(msg.validator_address)

    def _validate_set_withdraw(self, msg: Any) -> None:
        check_address(msg.delegator_address, "delegator")
        check_address(msg.withdraw_address, "withdraw")

    def _validate_fund_pool(self, msg: Any) -> None:
        check_address(msg.depositor, "depositor")
        check_coins(proto_coins(msg.amount))

    def exec_withdraw(self, ctx: Ctx, msg: dt.MsgWithdrawDelegatorReward) -> dt.MsgWithdrawDelegatorRewardResponse:
        if ctx.module("staking").validator(ctx.kv, msg.validator_address) is None:
            raise err(6, "no validator distribution info")
        if ctx.kv.get("staking.delegation", f"{msg.delegator_address}/{msg.validator_address}") is None:
            raise err(5, "no delegation distribution info")
        paid = self.withdraw(ctx, msg.delegator_address, msg.validator_address)
        resp = dt.MsgWithdrawDelegatorRewardResponse()
        if paid:
            resp.amount.append(coin_pb2.Coin(denom=DENOM_AKT, amount=str(paid)))
        return resp

    def exec_set_withdraw(self, ctx: Ctx, msg: dt.MsgSetWithdrawAddress) -> None:
        if ctx.module("auth").is_module_account(ctx.kv, msg.withdraw_address):
            raise module_error("sdk", 4, "unauthorized", f"{msg.withdraw_address} is not allowed to receive funds")
        if msg.withdraw_address == msg.delegator_address:
            ctx.kv.delete(WITHDRAW, msg.delegator_address)
        else:
            ctx.kv.set(WITHDRAW, msg.delegator_address, msg.withdraw_address)
        ctx.emit("set_withdraw_address", ("withdraw_address", msg.withdraw_address))
        return None

    def exec_commission(self, ctx: Ctx, msg: Any) -> Any:
        rec = self._val(ctx.kv, msg.validator_address)
        paid = dm.trunc(dm.D(rec["commission"]))
        if paid == 0:
            raise err(7, "no validator commission to withdraw")
        rec["commission"] = dm.text(dm.sub(rec["commission"], paid))
        rec["outstanding"] = dm.text(dm.sub(rec["outstanding"], paid))
        ctx.kv.set(VAL, msg.validator_address, rec)
        ctx.module("bank").send_from_module(ctx, "distribution", operator_account(msg.validator_address),
                                            {DENOM_AKT: paid})
        ctx.emit("withdraw_commission", ("amount", f"{paid}{DENOM_AKT}"))
        return dt.MsgWithdrawValidatorCommissionResponse(amount=[coin_pb2.Coin(denom=DENOM_AKT, amount=str(paid))])

    def exec_fund_pool(self, ctx: Ctx, msg: Any) -> None:
        coins = proto_coins(msg.amount)
        ctx.module("bank").send_to_module(ctx, msg.depositor, "distribution", coins)
        self._add_pool(ctx.kv, dm.D(coins.get(DENOM_AKT, 0)))
        ctx.emit("fund_community_pool", ("amount", coins_text(coins)))
        return None

    # -- REST --
    def routes(self) -> list[Route]:
        p = "/cosmos/distribution/v1beta1"
        return [
            Route("GET", f"{p}/params", self.q_params),
            Route("GET", f"{p}/community_pool", self.q_pool),
            Route("GET", f"{p}/delegators/{{delegator_address}}/rewards", self.q_rewards),
            Route("GET", f"{p}/delegators/{{delegator_address}}/rewards/{{validator_address}}", self.q_reward),
            Route("GET", f"{p}/delegators/{{delegator_address}}/validators", self.q_delegator_validators),
            Route("GET", f"{p}/delegators/{{delegator_address}}/withdraw_address", self.q_withdraw_address),
            Route("GET", f"{p}/validators/{{validator_address}}", self.q_validator_info),
            Route("GET", f"{p}/validators/{{validator_address}}/commission", self.q_commission),
            Route("GET", f"{p}/validators/{{validator_address}}/outstanding_rewards", self.q_outstanding),
            Route("GET", f"{p}/validators/{{validator_address}}/slashes", self.q_slashes),
        ]

    def _need_validator(self, q: Query) -> str:
        valoper = parse_valoper(q.path["validator_address"])
        if self.chain.module("staking").validator(self.chain.root, valoper) is None:
            raise not_found(f"validator {valoper} does not exist")
        return valoper

    def q_params(self, q: Query) -> dict:
        return {"params": {"community_tax": dec(COMMUNITY_TAX), "base_proposer_reward": dec(0),
                           "bonus_proposer_reward": dec(0), "withdraw_addr_enabled": True}}

    def q_pool(self, q: Query) -> dict:
        return {"pool": dec_coins({DENOM_AKT: self.community_pool(self.chain.root)})}

    def q_rewards(self, q: Query) -> dict:
        delegator = parse_address(q.path["delegator_address"], "delegator address")
        root = self.chain.root
        rewards, total = [], dm.ZERO
        for valoper, _ in self.chain.module("staking").delegations_of(root, delegator):
            r = self.pending_reward(root, delegator, valoper)
            total = dm.add(total, r)
            rewards.append({"validator_address": valoper, "reward": dec_coins({DENOM_AKT: r})})
        return {"rewards": rewards, "total": dec_coins({DENOM_AKT: total})}

    def q_reward(self, q: Query) -> dict:
        delegator = parse_address(q.path["delegator_address"], "delegator address")
        valoper = self._need_validator(q)
        if self.chain.root.get("staking.delegation", f"{delegator}/{valoper}") is None:
            raise not_found("delegation does not exist")
        return {"rewards": dec_coins({DENOM_AKT: self.pending_reward(self.chain.root, delegator, valoper)})}

    def q_delegator_validators(self, q: Query) -> dict:
        delegator = parse_address(q.path["delegator_address"], "delegator address")
        return {"validators": [v for v, _ in self.chain.module("staking").delegations_of(self.chain.root,
                                                                                          delegator)]}

    def q_withdraw_address(self, q: Query) -> dict:
        delegator = parse_address(q.path["delegator_address"], "delegator address")
        return {"withdraw_address": self.withdraw_address(self.chain.root, delegator)}

    def q_validator_info(self, q: Query) -> dict:
        valoper = self._need_validator(q)
        rec = self._val(self.chain.root, valoper)
        self_bond = self.pending_reward(self.chain.root, operator_account(valoper), valoper)
        return {"operator_address": operator_account(valoper),
                "self_bond_rewards": dec_coins({DENOM_AKT: self_bond}),
                "commission": dec_coins({DENOM_AKT: dm.D(rec["commission"])})}

    def q_commission(self, q: Query) -> dict:
        rec = self._val(self.chain.root, self._need_validator(q))
        return {"commission": {"commission": dec_coins({DENOM_AKT: dm.D(rec["commission"])})}}

    def q_outstanding(self, q: Query) -> dict:
        rec = self._val(self.chain.root, self._need_validator(q))
        return {"rewards": {"rewards": dec_coins({DENOM_AKT: dm.D(rec["outstanding"])})}}

    def q_slashes(self, q: Query) -> dict:
        self._need_validator(q)
        return paged(q, "slashes", [])


MODULE = DistributionModule
