"""One sentence per message of a past transaction, from the account's point of view ("Sent 5 AKT to ...")."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from app.chain.tx import Event
from app.denoms import DenomBook
from app.tx.msgread import (
    CoinWords,
    Wordings,
    deposit_coin,
    escrow_target,
    humanize,
    msg_id,
    vote_option,
    weight_percent,
)

__all__ = ["MsgContext", "humanize", "parse_coins", "sentence"]
_COIN = re.compile(r"(\d+)([a-zA-Z][a-zA-Z0-9/:._-]*)")


def parse_coins(text: str) -> dict[str, int]:
    """'5uakt,12ibc/ABC' (event attribute form, possibly JSON-quoted) -> {denom: amount}."""
    out: dict[str, int] = {}
    for amount, denom in _COIN.findall(text.strip().strip('"')):
        out[denom] = out.get(denom, 0) + int(amount)
    return out


@dataclass(frozen=True)
class MsgContext:
    """What one message's sentence may use: who is reading, names, units, and the message's own events."""

    me: str
    names: Mapping[str, str]
    denoms: DenomBook
    events: Sequence[Event]  # the events of this message (msg_index), [] for a failed tx

    def who(self, address: str) -> str:
        if address == self.me:
            return "yourself"
        name = self.names.get(address)
        if name and address.startswith("akashvaloper"):
            return name  # monikers are what people know validators by
        return f"{name} ({_short(address)})" if name else _short(address)

    @cached_property
    def words(self) -> CoinWords:
        return CoinWords(self.denoms)

    def coin(self, c: Mapping[str, Any] | None) -> str:
        return self.words.coin(c)

    def coins(self, cs: Sequence[Mapping[str, Any]] | None) -> str:
        return self.words.coins(cs)

    def amounts(self, amounts: Mapping[str, int]) -> str:
        return self.words.amounts(amounts)

    def received(self) -> dict[str, int]:
        """Coins this message paid to the account (coin_received events)."""
        out: dict[str, int] = {}
        for e in self.events:
            if e.type == "coin_received" and e.get("receiver") == self.me:
                for d, a in parse_coins(e.get("amount")).items():
                    out[d] = out.get(d, 0) + a
        return out

    def event_value(self, event_type: str, key: str) -> str:
        return next((e.get(key) for e in self.events if e.type == event_type and e.get(key)), "")


def _short(address: str) -> str:
    return address if len(address) <= 20 else f"{address[:12]}…{address[-6:]}"


Sentence = Callable[[Mapping[str, Any], MsgContext], str]
SENTENCES: Wordings[MsgContext, str] = Wordings()


@SENTENCES.of("cosmos.bank", "MsgSend")
def _send(m: Mapping[str, Any], c: MsgContext) -> str:
    amount = c.coins(m.get("amount"))
    src, dst = str(m.get("from_address", "")), str(m.get("to_address", ""))
    if src == c.me and dst == c.me:
        return f"Sent {amount} to yourself"
    if src == c.me:
        return f"Sent {amount} to {c.who(dst)}"
    return f"Received {amount} from {c.who(src)}"


@SENTENCES.of("cosmos.bank", "MsgMultiSend")
def _multi_send(m: Mapping[str, Any], c: MsgContext) -> str:
    inputs = m.get("inputs") or []
    if any(i.get("address") == c.me for i in inputs):
        outs = m.get("outputs") or []
        return f"Sent {c.coins([x for o in outs for x in o.get('coins') or []])} to {len(outs)} addresses"
    mine = [x for o in m.get("outputs") or [] if o.get("address") == c.me for x in o.get("coins") or []]
    return f"Received {c.coins(mine)} from {c.who(str(inputs[0].get('address', ''))) if inputs else 'a multi-send'}"


def _rewards_note(c: MsgContext) -> str:
    got = parse_coins(c.event_value("withdraw_rewards", "amount"))
    return f" (and claimed {c.amounts(got)} of rewards)" if any(got.values()) else ""


@SENTENCES.of("cosmos.staking", "MsgDelegate")
def _delegate(m: Mapping[str, Any], c: MsgContext) -> str:
    return f"Delegated {c.coin(m.get('amount'))} to {c.who(str(m.get('validator_address', '')))}{_rewards_note(c)}"


@SENTENCES.of("cosmos.staking", "MsgUndelegate")
def _undelegate(m: Mapping[str, Any], c: MsgContext) -> str:
    when = c.event_value("unbond", "completion_time")
    until = f", free on {when[:10]}" if when else ""
    return f"Started unbonding {c.coin(m.get('amount'))} from {c.who(str(m.get('validator_address', '')))}{until}"


@SENTENCES.of("cosmos.staking", "MsgBeginRedelegate")
def _redelegate(m: Mapping[str, Any], c: MsgContext) -> str:
    return (f"Redelegated {c.coin(m.get('amount'))} from {c.who(str(m.get('validator_src_address', '')))} "
            f"to {c.who(str(m.get('validator_dst_address', '')))}")


@SENTENCES.of("cosmos.staking", "MsgCancelUnbondingDelegation")
def _cancel_unbonding(m: Mapping[str, Any], c: MsgContext) -> str:
    return f"Cancelled unbonding {c.coin(m.get('amount'))} with {c.who(str(m.get('validator_address', '')))}"


@SENTENCES.of("cosmos.distribution", "MsgWithdrawDelegatorReward")
def _claim(m: Mapping[str, Any], c: MsgContext) -> str:
    got = parse_coins(c.event_value("withdraw_rewards", "amount")) or c.received()
    amount = c.amounts(got) if any(got.values()) else "rewards"
    suffix = " of rewards" if any(got.values()) else ""
    return f"Claimed {amount}{suffix} from {c.who(str(m.get('validator_address', '')))}"


@SENTENCES.of("cosmos.distribution", "MsgWithdrawValidatorCommission")
def _commission(m: Mapping[str, Any], c: MsgContext) -> str:
    got = c.received()
    return f"Withdrew {c.amounts(got) if got else 'the'} validator commission"


@SENTENCES.of("cosmos.distribution", "MsgSetWithdrawAddress")
def _withdraw_address(m: Mapping[str, Any], c: MsgContext) -> str:
    return f"Set the rewards address to {c.who(str(m.get('withdraw_address', '')))}"


@SENTENCES.of("cosmos.gov", "MsgVote")
def _vote(m: Mapping[str, Any], c: MsgContext) -> str:
    return f"Voted {vote_option(m.get('option', '?'))} on #{m.get('proposal_id', '?')}"


@SENTENCES.of("cosmos.gov", "MsgVoteWeighted")
def _vote_weighted(m: Mapping[str, Any], c: MsgContext) -> str:
    parts = [f"{vote_option(o.get('option', '?'))} {weight_percent(o.get('weight', '0'))}%" for o in m.get("options") or []]
    return f"Voted {', '.join(parts)} on #{m.get('proposal_id', '?')}"


@SENTENCES.of("cosmos.gov", "MsgDeposit")
def _gov_deposit(m: Mapping[str, Any], c: MsgContext) -> str:
    return f"Deposited {c.coins(m.get('amount'))} on proposal #{m.get('proposal_id', '?')}"


@SENTENCES.of("cosmos.gov", "MsgSubmitProposal")
def _submit_proposal(m: Mapping[str, Any], c: MsgContext) -> str:
    pid = c.event_value("submit_proposal", "proposal_id")
    title = str(m.get("title", "")) or "a proposal"
    return f"Submitted proposal {'#' + pid + ' ' if pid else ''}“{title}”"


@SENTENCES.of("akash.deployment", "MsgCreateDeployment")
def _create_deployment(m: Mapping[str, Any], c: MsgContext) -> str:
    return f"Created deployment {_dseq(m)} with {c.coin(deposit_coin(m.get('deposit')))} deposit"


@SENTENCES.of("akash.deployment", "MsgUpdateDeployment")
def _update_deployment(m: Mapping[str, Any], c: MsgContext) -> str:
    return f"Updated deployment {_dseq(m)}"


@SENTENCES.of("akash.deployment", "MsgCloseDeployment")
def _close_deployment(m: Mapping[str, Any], c: MsgContext) -> str:
    back = c.received()
    return f"Closed deployment {_dseq(m)}" + (f" ({c.amounts(back)} returned)" if back else "")


def _group(verb: str) -> Sentence:
    def sentence(m: Mapping[str, Any], c: MsgContext) -> str:
        group = msg_id(m, "id")
        return f"{verb} group {group.get('gseq', '?')} of deployment {group.get('dseq', '?')}"
    return sentence


for _name, _verb in (("MsgCloseGroup", "Closed"), ("MsgPauseGroup", "Paused"), ("MsgStartGroup", "Started")):
    SENTENCES.of("akash.deployment", _name)(_group(_verb))


@SENTENCES.of("akash.escrow", "MsgAccountDeposit")
def _account_deposit(m: Mapping[str, Any], c: MsgContext) -> str:
    return f"Added {c.coin(deposit_coin(m.get('deposit')))} to {escrow_target(msg_id(m, 'id'))}"


@SENTENCES.of("akash.market", "MsgCreateLease")
def _create_lease(m: Mapping[str, Any], c: MsgContext) -> str:
    bid = msg_id(m, "bid_id", "id")
    return f"Accepted the bid of {c.who(str(bid.get('provider', '')))} for deployment {bid.get('dseq', '?')}"


@SENTENCES.of("akash.market", "MsgCloseLease")
def _close_lease(m: Mapping[str, Any], c: MsgContext) -> str:
    lease = msg_id(m, "id", "lease_id")
    return f"Closed the lease of deployment {lease.get('dseq', '?')} with {c.who(str(lease.get('provider', '')))}"


@SENTENCES.of("akash.market", "MsgWithdrawLease")
def _withdraw_lease(m: Mapping[str, Any], c: MsgContext) -> str:
    lease = msg_id(m, "id", "lease_id", "bid_id")
    got = c.received()
    amount = f" {c.amounts(got)}" if got else ""
    if lease.get("provider") == c.me:
        return f"Withdrew lease earnings{amount} (deployment {lease.get('dseq', '?')})"
    return f"Settled the lease of deployment {lease.get('dseq', '?')}"


@SENTENCES.of("akash.market", "MsgCreateBid")
def _create_bid(m: Mapping[str, Any], c: MsgContext) -> str:
    bid = msg_id(m, "id", "order_id")
    price = m.get("price") or {}
    return (f"Bid {price.get('amount', '?')} {price.get('denom', '')} per block on deployment {bid.get('dseq', '?')} "
            f"of {c.who(str(bid.get('owner', '')))}")


@SENTENCES.of("akash.market", "MsgCloseBid")
def _close_bid(m: Mapping[str, Any], c: MsgContext) -> str:
    bid = msg_id(m, "id", "bid_id")
    return f"Closed the bid on deployment {bid.get('dseq', '?')}"


@SENTENCES.of("akash.cert", "MsgCreateCertificate")
def _create_cert(m: Mapping[str, Any], c: MsgContext) -> str:
    return "Published a client certificate"


@SENTENCES.of("akash.cert", "MsgRevokeCertificate")
def _revoke_cert(m: Mapping[str, Any], c: MsgContext) -> str:
    return f"Revoked certificate {(m.get('id') or {}).get('serial', '')}".rstrip()


@SENTENCES.of("akash.bme", "MsgMintACT")
def _mint_act(m: Mapping[str, Any], c: MsgContext) -> str:
    return f"Minted ACT from {c.coin(m.get('coins_to_burn'))}"


@SENTENCES.of("akash.bme", "MsgBurnACT")
def _burn_act(m: Mapping[str, Any], c: MsgContext) -> str:
    return f"Burned {c.coin(m.get('coins_to_burn'))} for AKT"


@SENTENCES.of("akash.bme", "MsgBurnMint")
def _burn_mint(m: Mapping[str, Any], c: MsgContext) -> str:
    target = c.denoms.symbol(str(m.get("denom_to_mint", "")))
    return f"Converted {c.coin(m.get('coins_to_burn'))} into {target}"


def _provider(verb: str) -> Sentence:
    def sentence(m: Mapping[str, Any], c: MsgContext) -> str:
        host = str(m.get("host_uri", ""))
        return f"{verb} the provider record" + (f" ({host})" if host else "")
    return sentence


for _name, _verb in (("MsgCreateProvider", "Registered"), ("MsgUpdateProvider", "Updated"),
                     ("MsgDeleteProvider", "Deleted")):
    SENTENCES.of("akash.provider", _name)(_provider(_verb))


@SENTENCES.of("cosmos.authz", "MsgGrant")
def _grant(m: Mapping[str, Any], c: MsgContext) -> str:
    auth = ((m.get("grant") or {}).get("authorization") or {})
    kind = str(auth.get("@type", "")).rsplit(".", 1)[-1] or "an authorization"
    return f"Granted {c.who(str(m.get('grantee', '')))} {kind}"


@SENTENCES.of("cosmos.authz", "MsgRevoke")
def _revoke(m: Mapping[str, Any], c: MsgContext) -> str:
    return f"Revoked the grant of {c.who(str(m.get('grantee', '')))} for {str(m.get('msg_type_url', '')).rsplit('.', 1)[-1]}"


@SENTENCES.of("cosmos.authz", "MsgExec")
def _exec(m: Mapping[str, Any], c: MsgContext) -> str:
    inner = m.get("msgs") or []
    return f"Executed {len(inner)} message{'s' if len(inner) != 1 else ''} under a grant"


@SENTENCES.of("cosmos.feegrant", "MsgGrantAllowance")
def _fee_grant(m: Mapping[str, Any], c: MsgContext) -> str:
    return f"Allowed {c.who(str(m.get('grantee', '')))} to pay fees from this account"


@SENTENCES.of("cosmos.feegrant", "MsgRevokeAllowance")
def _fee_revoke(m: Mapping[str, Any], c: MsgContext) -> str:
    return f"Stopped paying the fees of {c.who(str(m.get('grantee', '')))}"


def _dseq(m: Mapping[str, Any]) -> str:
    return str(msg_id(m, "id").get("dseq") or "?")


def sentence(type_url: str, fields: Mapping[str, Any], context: MsgContext) -> str:
    """The sentence of one message; never fails (a malformed message falls back to its type)."""
    return SENTENCES.word(type_url, fields, context, lambda: humanize(type_url))
