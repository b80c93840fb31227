"""Messages in plain words for the confirmation dialog: what, how much, to whom, the cost per month.

describe_msgs() takes protobuf messages (as the constructors build them), packed Anys, or decoded dicts
({"@type": url, ...} as app.tx.decode gives them) and never fails: an unknown type is listed field by field.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from google.protobuf import any_pb2
from google.protobuf.message import Message

from app import config
from app.denoms import DenomBook
from app.tx.msgread import (
    CoinWords,
    Wordings,
    deposit_coin,
    escrow_target,
    msg_id,
    msg_kind,
    vote_option,
    weight_percent,
)
from app.units import plain_decimal

Line = tuple[str, str]
UNBONDING_DAYS = 21


def blocks_per_month(block_time_s: Decimal | str = config.DEFAULT_BLOCK_TIME_S) -> Decimal:
    """Console's figure: 30.437 days of blocks (about 431,249 at 6.098 s)."""
    return Decimal("30.437") * 24 * 3600 / Decimal(block_time_s)


@dataclass(frozen=True)
class MsgDescription:
    """One message for a person: a title ("Send 12.5 AKT"), labelled lines, and warnings if any."""

    title: str
    lines: tuple[Line, ...]
    warnings: tuple[str, ...] = ()
    type_url: str = ""


@dataclass
class DescribeContext:
    """What the caller knows that the messages do not say (all optional)."""

    names: Mapping[str, str] = field(default_factory=dict)  # address -> "Alice", "Validator X", "My savings"
    bid_prices: Mapping[tuple[int, int, int, str], tuple[Decimal, str]] = field(default_factory=dict)
    proposal_titles: Mapping[int, str] = field(default_factory=dict)
    block_time_s: Decimal = Decimal(config.DEFAULT_BLOCK_TIME_S)
    denoms: DenomBook = field(default_factory=DenomBook)  # display units (the chain's metadata when known)
    unbonding_time: timedelta | None = None  # the chain's staking param; mainnet's 21 days when unknown


# -- normalising the input -------------------------------------------------------------------------------


def _as_dict(msg: Message | any_pb2.Any | Mapping[str, Any]) -> dict[str, Any]:
    from app.tx.decode import any_to_dict, msg_to_dict

    if isinstance(msg, any_pb2.Any):
        return any_to_dict(msg)
    if isinstance(msg, Message):
        from app.proto.registry import type_url_of

        return {"@type": type_url_of(msg), **msg_to_dict(msg)}
    if isinstance(msg, Mapping):
        return dict(msg)
    raise TypeError(f"cannot describe a {type(msg).__name__}")


# -- formatting ------------------------------------------------------------------------------------------


class _Words(CoinWords):
    def __init__(self, context: DescribeContext) -> None:
        super().__init__(context.denoms, full_denoms=True)  # what is signed shows unknown denoms whole
        self.ctx = context

    def unbonding(self) -> str:
        """'21 days', '3 minutes': the unbonding period in words."""
        period = self.ctx.unbonding_time
        if period is None:
            return f"{UNBONDING_DAYS} days"
        seconds = int(period.total_seconds())
        for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
            if seconds >= size:
                n = round(seconds / size)
                return f"{n} {unit}{'s' if n != 1 else ''}"
        return f"{seconds} seconds"

    def who(self, address: str) -> str:
        name = self.ctx.names.get(address)
        return f"{name} ({address})" if name else address or "(none)"

    def per_block_monthly(self, amount: Decimal, denom: str) -> str:
        """'431.25 ACT per month (1000 uact per block)' for a per-block price."""
        monthly = amount * blocks_per_month(self.ctx.block_time_s)
        value = (monthly / (Decimal(10) ** self.denoms.info(denom).exponent)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return f"{value:,} {self.symbol(denom)} per month ({plain_decimal(amount)} {denom} per block)"


def _dec(text: Any) -> Decimal:
    try:
        return Decimal(str(text))
    except InvalidOperation:
        return Decimal(0)


def _resource_val(node: Mapping[str, Any] | None, key: str) -> int:
    """ResourceValue.val: bytes holding ASCII digits (base64 in the decoded dict)."""
    inner = (node or {}).get(key) or {}
    raw = inner.get("val", "")
    try:
        digits = base64.b64decode(raw).decode("ascii") if raw else "0"
        return int(digits)
    except (ValueError, UnicodeDecodeError):
        return 0


def _size(n: int) -> str:
    for unit, factor in (("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= factor:
            return f"{plain_decimal(Decimal(n) / factor)} {unit}"
    return f"{n} B"


def _unit_summary(resource: Mapping[str, Any]) -> str:
    cpu = Decimal(_resource_val(resource.get("cpu"), "units")) / 1000
    memory = _resource_val(resource.get("memory"), "quantity")
    storage = sum(_resource_val(s, "quantity") for s in resource.get("storage") or ())
    gpu = _resource_val(resource.get("gpu"), "units")
    parts = [f"{plain_decimal(cpu)} CPU", f"{_size(memory)} memory", f"{_size(storage)} storage"]
    if gpu:
        parts.append(f"{gpu} GPU")
    return ", ".join(parts)


def _sources(deposit: Mapping[str, Any]) -> str:
    words = {"balance": "from your balance", "grant": "from an authorization (grant)"}
    sources = [words.get(str(s), str(s)) for s in deposit.get("sources") or ()]
    return " then ".join(sources) or "from your balance"


def _lease_ref(i: Mapping[str, Any]) -> str:
    return f"{i.get('dseq', '?')}/{i.get('gseq', '?')}/{i.get('oseq', '?')}"


# -- one function per message family ---------------------------------------------------------------------

Describer = Callable[[dict[str, Any], _Words], MsgDescription]
_DESCRIBERS: Wordings[_Words, MsgDescription] = Wordings()


@_DESCRIBERS.of("cosmos.bank", "MsgSend")
def _send(m: dict, w: _Words) -> MsgDescription:
    amount = w.coins(m.get("amount"))
    return MsgDescription(f"Send {amount}", (("To", w.who(m.get("to_address", ""))), ("From", w.who(m.get("from_address", ""))),
                                             ("Amount", amount)))


@_DESCRIBERS.of("cosmos.staking", "MsgDelegate")
def _delegate(m: dict, w: _Words) -> MsgDescription:
    amount = w.coin(m.get("amount"))
    return MsgDescription(f"Stake {amount}", (("Validator", w.who(m.get("validator_address", ""))), ("Amount", amount)),
                          (f"Unstaking later takes {w.unbonding()} before the AKT can be spent.",))


@_DESCRIBERS.of("cosmos.staking", "MsgUndelegate")
def _undelegate(m: dict, w: _Words) -> MsgDescription:
    amount = w.coin(m.get("amount"))
    return MsgDescription(f"Unstake {amount}", (("Validator", w.who(m.get("validator_address", ""))), ("Amount", amount)),
                          (f"The AKT stays locked for {w.unbonding()} and earns nothing meanwhile.",))


@_DESCRIBERS.of("cosmos.staking", "MsgBeginRedelegate")
def _redelegate(m: dict, w: _Words) -> MsgDescription:
    amount = w.coin(m.get("amount"))
    return MsgDescription(f"Move {amount} of stake", (("From validator", w.who(m.get("validator_src_address", ""))),
                                                      ("To validator", w.who(m.get("validator_dst_address", ""))),
                                                      ("Amount", amount)))


@_DESCRIBERS.of("cosmos.staking", "MsgCancelUnbondingDelegation")
def _cancel_unbonding(m: dict, w: _Words) -> MsgDescription:
    amount = w.coin(m.get("amount"))
    return MsgDescription(f"Cancel unstaking {amount}", (("Validator", w.who(m.get("validator_address", ""))),
                                                         ("Amount", amount), ("Started at block", str(m.get("creation_height", "")))))


@_DESCRIBERS.of("cosmos.distribution", "MsgWithdrawDelegatorReward")
def _claim(m: dict, w: _Words) -> MsgDescription:
    return MsgDescription("Claim staking rewards", (("Validator", w.who(m.get("validator_address", ""))),))


@_DESCRIBERS.of("cosmos.distribution", "MsgWithdrawValidatorCommission")
def _commission(m: dict, w: _Words) -> MsgDescription:
    return MsgDescription("Withdraw validator commission", (("Validator", w.who(m.get("validator_address", ""))),))


@_DESCRIBERS.of("cosmos.distribution", "MsgSetWithdrawAddress")
def _withdraw_address(m: dict, w: _Words) -> MsgDescription:
    return MsgDescription("Change where staking rewards are paid", (("Paid to", w.who(m.get("withdraw_address", ""))),),
                          ("Future rewards go to this address, not to this account.",))


def _proposal(m: dict, w: _Words) -> str:
    pid = str(m.get("proposal_id", "?"))
    title = w.ctx.proposal_titles.get(int(pid)) if pid.isdigit() else None
    return f"#{pid} {title}" if title else f"#{pid}"


@_DESCRIBERS.of("cosmos.gov", "MsgVote")
def _vote(m: dict, w: _Words) -> MsgDescription:
    option = vote_option(m.get("option", "?"))
    return MsgDescription(f"Vote {option} on proposal #{m.get('proposal_id', '?')}",
                          (("Proposal", _proposal(m, w)), ("Vote", option), ("Voter", w.who(m.get("voter", "")))))


@_DESCRIBERS.of("cosmos.gov", "MsgVoteWeighted")
def _vote_weighted(m: dict, w: _Words) -> MsgDescription:
    lines = [("Proposal", _proposal(m, w))]
    for o in m.get("options") or ():
        lines.append((vote_option(o.get("option")), f"{weight_percent(o.get('weight', 0))} %"))
    return MsgDescription(f"Split vote on proposal #{m.get('proposal_id', '?')}", tuple(lines))


@_DESCRIBERS.of("cosmos.gov", "MsgDeposit")
def _gov_deposit(m: dict, w: _Words) -> MsgDescription:
    amount = w.coins(m.get("amount"))
    return MsgDescription(f"Deposit {amount} on proposal #{m.get('proposal_id', '?')}",
                          (("Proposal", _proposal(m, w)), ("Amount", amount)),
                          ("The deposit can be burned if the proposal is vetoed or misses its quorum.",))


@_DESCRIBERS.of("cosmos.gov", "MsgSubmitProposal")
def _submit_proposal(m: dict, w: _Words) -> MsgDescription:
    lines = [("Title", str(m.get("title", "")) or "(in the proposal content)"),
             ("Deposit", w.coins(m.get("initial_deposit")))]
    return MsgDescription("Submit a governance proposal", tuple(lines))


def _authorization(a: Mapping[str, Any] | None, w: _Words) -> str:
    a = a or {}
    kind = str(a.get("@type", ""))
    if kind.endswith("GenericAuthorization"):
        return f"send {a.get('msg', '?')} for you"
    if kind.endswith("SendAuthorization"):
        return f"send up to {w.coins(a.get('spend_limit'))} from your account"
    if kind.endswith("DepositAuthorization"):
        limits = a.get("spend_limits") or ([a["spend_limit"]] if a.get("spend_limit") else [])
        return f"fund deployments from your account, up to {w.coins(limits)}"
    if kind.endswith("StakeAuthorization"):
        return "stake, unstake or move your stake"
    return kind.rsplit(".", 1)[-1] or "an unknown permission"


@_DESCRIBERS.of("cosmos.authz", "MsgGrant")
def _grant(m: dict, w: _Words) -> MsgDescription:
    grant = m.get("grant") or {}
    return MsgDescription(
        f"Allow {w.who(m.get('grantee', ''))} to act for you",
        (("Grantee", w.who(m.get("grantee", ""))), ("Permission", _authorization(grant.get("authorization"), w)),
         ("Expires", str(grant.get("expiration") or "never"))),
        ("The grantee can do this without asking you until it expires or you revoke it.",),
    )


@_DESCRIBERS.of("cosmos.authz", "MsgRevoke")
def _revoke(m: dict, w: _Words) -> MsgDescription:
    return MsgDescription(f"Revoke the permission of {w.who(m.get('grantee', ''))}",
                          (("Grantee", w.who(m.get("grantee", ""))), ("Message", str(m.get("msg_type_url", "")))))


@_DESCRIBERS.of("cosmos.authz", "MsgExec")
def _exec(m: dict, w: _Words) -> MsgDescription:
    inner = [describe_msg(x, w.ctx) for x in m.get("msgs") or ()]
    lines = [("On behalf of", "the accounts that granted you permission")]
    lines += [(f"Message {i + 1}", d.title) for i, d in enumerate(inner)]
    return MsgDescription("Act with a permission (authz)", tuple(lines), tuple(x for d in inner for x in d.warnings))


@_DESCRIBERS.of("cosmos.feegrant", "MsgGrantAllowance")
def _fee_grant(m: dict, w: _Words) -> MsgDescription:
    allowance = m.get("allowance") or {}
    limit = w.coins(allowance.get("spend_limit")) if allowance.get("spend_limit") else "no limit"
    return MsgDescription(f"Pay the fees of {w.who(m.get('grantee', ''))}",
                          (("Grantee", w.who(m.get("grantee", ""))), ("Up to", limit),
                           ("Expires", str(allowance.get("expiration") or "never"))))


@_DESCRIBERS.of("cosmos.feegrant", "MsgRevokeAllowance")
def _fee_revoke(m: dict, w: _Words) -> MsgDescription:
    return MsgDescription(f"Stop paying the fees of {w.who(m.get('grantee', ''))}", (("Grantee", w.who(m.get("grantee", ""))),))


@_DESCRIBERS.of("akash.deployment", "MsgCreateDeployment")
def _create_deployment(m: dict, w: _Words) -> MsgDescription:
    ident = msg_id(m, "id")
    lines: list[Line] = [("Deployment", str(ident.get("dseq", "?")))]
    totals: dict[str, Decimal] = {}
    for group in m.get("groups") or ():
        units = []
        for unit in group.get("resources") or ():
            count = int(unit.get("count") or 0)
            units.append(f"{count} × ({_unit_summary(unit.get('resource') or {})})")
            price = unit.get("price") or {}
            totals[str(price.get("denom", ""))] = totals.get(str(price.get("denom", "")), Decimal(0)) + _dec(
                price.get("amount", 0)) * count
        lines.append((f"Group {group.get('name', '')}".strip(), "; ".join(units) or "no resources"))
    for denom, total in totals.items():
        lines.append(("Highest price", w.per_block_monthly(total, denom)))
    deposit = m.get("deposit") or {}
    lines.append(("Deposit", f"{w.coin(deposit_coin(deposit))} {_sources(deposit)}"))
    return MsgDescription(f"Create deployment {ident.get('dseq', '')}".strip(), tuple(lines),
                          ("The deposit is held in escrow to pay the provider; what is left comes back when you close it.",))


@_DESCRIBERS.of("akash.deployment", "MsgUpdateDeployment")
def _update_deployment(m: dict, w: _Words) -> MsgDescription:
    ident = msg_id(m, "id")
    digest = base64.b64decode(m.get("hash") or m.get("version") or "").hex()  # v1beta3 called it version
    return MsgDescription(f"Update deployment {ident.get('dseq', '')}", (("Deployment", str(ident.get("dseq", "?"))),
                                                                           ("New version", digest[:16] or "(none)")),
                          ("Send the new manifest to the provider afterwards (Akash Desk does it for you).",))


@_DESCRIBERS.of("akash.deployment", "MsgCloseDeployment")
def _close_deployment(m: dict, w: _Words) -> MsgDescription:
    ident = msg_id(m, "id")
    return MsgDescription(f"Close deployment {ident.get('dseq', '')}", (("Deployment", str(ident.get("dseq", "?"))),),
                          ("Its leases end and the workloads stop for good; the unspent deposit comes back to you.",))


def _group_action(verb: str) -> Describer:
    def build(m: dict, w: _Words) -> MsgDescription:
        ident = msg_id(m, "id")
        return MsgDescription(f"{verb} group {ident.get('dseq', '?')}/{ident.get('gseq', '?')}",
                              (("Deployment", str(ident.get("dseq", "?"))), ("Group", str(ident.get("gseq", "?")))))

    return build


for _name, _verb in (("MsgCloseGroup", "Close"), ("MsgPauseGroup", "Pause"), ("MsgStartGroup", "Start")):
    _DESCRIBERS.of("akash.deployment", _name)(_group_action(_verb))


@_DESCRIBERS.of("akash.escrow", "MsgAccountDeposit")
def _account_deposit(m: dict, w: _Words) -> MsgDescription:
    account = msg_id(m, "id")
    deposit = m.get("deposit") or {}
    amount = w.coin(deposit_coin(deposit))
    return MsgDescription(f"Add {amount} to {escrow_target(account)}", (("Escrow account", str(account.get("xid", ""))),
                                                                        ("Amount", amount), ("Paid", _sources(deposit))))


@_DESCRIBERS.of("akash.deployment", "MsgDepositDeployment")
def _legacy_deposit(m: dict, w: _Words) -> MsgDescription:
    ident = msg_id(m, "id")
    amount = w.coin(m.get("amount"))
    return MsgDescription(f"Add {amount} to deployment {ident.get('dseq', '')}", (("Deployment", str(ident.get("dseq", "?"))),
                                                                                 ("Amount", amount)))


@_DESCRIBERS.of("akash.market", "MsgCreateLease")
def _create_lease(m: dict, w: _Words) -> MsgDescription:
    bid = msg_id(m, "bid_id", "id")
    provider = str(bid.get("provider", ""))
    lines: list[Line] = [("Deployment", _lease_ref(bid)), ("Provider", w.who(provider))]
    key = (int(bid.get("dseq", 0) or 0), int(bid.get("gseq", 0) or 0), int(bid.get("oseq", 0) or 0), provider)
    price = w.ctx.bid_prices.get(key)
    if price is not None:
        lines.append(("Price", w.per_block_monthly(*price)))
    return MsgDescription(f"Accept the bid of {w.ctx.names.get(provider, provider)}", tuple(lines),
                          ("The lease is paid from the deployment's deposit, block by block, until you close it.",))


_CLOSE_REASONS = {"lease_closed_owner": "closed by you", "lease_closed_reason_unstable": "unstable",
                  "lease_closed_reason_decommission": "decommissioned",
                  "lease_closed_reason_manifest_timeout": "manifest not sent in time",
                  "lease_closed_reason_insufficient_funds": "out of funds"}


@_DESCRIBERS.of("akash.market", "MsgCloseLease")
def _close_lease(m: dict, w: _Words) -> MsgDescription:
    lease = msg_id(m, "id", "lease_id")
    lines = [("Lease", _lease_ref(lease)), ("Provider", w.who(str(lease.get("provider", ""))))]
    if m.get("reason"):
        lines.append(("Reason", _CLOSE_REASONS.get(str(m["reason"]), str(m["reason"]))))
    return MsgDescription(f"Close lease {_lease_ref(lease)}", tuple(lines), ("The workload on this provider stops.",))


@_DESCRIBERS.of("akash.market", "MsgWithdrawLease")
def _withdraw_lease(m: dict, w: _Words) -> MsgDescription:
    lease = msg_id(m, "id", "lease_id", "bid_id")
    return MsgDescription(f"Withdraw the earnings of lease {_lease_ref(lease)}",
                          (("Lease", _lease_ref(lease)), ("Tenant", w.who(str(lease.get("owner", ""))))))


@_DESCRIBERS.of("akash.market", "MsgCreateBid")
def _create_bid(m: dict, w: _Words) -> MsgDescription:
    bid = msg_id(m, "id", "order_id")
    price = m.get("price") or {}
    lines = [("Order", _lease_ref(bid)), ("Price", w.per_block_monthly(_dec(price.get("amount", 0)), str(price.get("denom", ""))))]
    if m.get("deposit"):
        lines.append(("Deposit", w.coin(deposit_coin(m["deposit"]))))
    return MsgDescription(f"Bid on order {_lease_ref(bid)}", tuple(lines))


@_DESCRIBERS.of("akash.market", "MsgCloseBid")
def _close_bid(m: dict, w: _Words) -> MsgDescription:
    bid = msg_id(m, "id", "bid_id")
    return MsgDescription(f"Withdraw the bid on order {_lease_ref(bid)}", (("Order", _lease_ref(bid)),))


@_DESCRIBERS.of("akash.cert", "MsgCreateCertificate")
def _create_cert(m: dict, w: _Words) -> MsgDescription:
    return MsgDescription("Publish a client certificate", (("Owner", w.who(m.get("owner", ""))),),
                          ("It lets providers recognise you (mTLS); it holds no secret.",))


@_DESCRIBERS.of("akash.cert", "MsgRevokeCertificate")
def _revoke_cert(m: dict, w: _Words) -> MsgDescription:
    ident = msg_id(m, "id")
    return MsgDescription(f"Revoke certificate {ident.get('serial', '')}", (("Owner", w.who(ident.get("owner", ""))),
                                                                            ("Serial", str(ident.get("serial", "")))),
                          ("Providers stop accepting this certificate.",))


@_DESCRIBERS.of("akash.bme", "MsgMintACT")
def _mint_act(m: dict, w: _Words) -> MsgDescription:
    burn = w.coin(m.get("coins_to_burn"))
    return MsgDescription(f"Get ACT by burning {burn}", (("Burn", burn), ("ACT goes to", w.who(m.get("to", "")))),
                          ("Done at the next epoch (about a minute) at the oracle price; cancelled if it yields under 10 ACT.",))


@_DESCRIBERS.of("akash.bme", "MsgBurnACT")
def _burn_act(m: dict, w: _Words) -> MsgDescription:
    burn = w.coin(m.get("coins_to_burn"))
    return MsgDescription(f"Turn {burn} back into AKT", (("Burn", burn), ("AKT goes to", w.who(m.get("to", "")))),
                          ("Done at the next epoch at the oracle price.",))


@_DESCRIBERS.of("akash.bme", "MsgBurnMint")
def _burn_mint(m: dict, w: _Words) -> MsgDescription:
    burn = w.coin(m.get("coins_to_burn"))
    target = w.symbol(str(m.get("denom_to_mint", "")))
    return MsgDescription(f"Convert {burn} into {target}", (("Burn", burn), ("Goes to", w.who(m.get("to", "")))))




def _flatten(value: Any, prefix: str, out: list[Line]) -> None:
    if isinstance(value, Mapping):
        for k, v in value.items():
            if k != "@type":
                _flatten(v, f"{prefix}.{k}" if prefix else str(k), out)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _flatten(v, f"{prefix}[{i}]", out)
    else:
        out.append((prefix, str(value)))


def _unknown(m: dict, type_url: str) -> MsgDescription:
    lines: list[Line] = []
    _flatten(m, "", lines)
    shown = lines[:20] + ([("…", f"{len(lines) - 20} more fields")] if len(lines) > 20 else [])
    return MsgDescription(f"{msg_kind(type_url)[1] or 'Unknown message'} ({type_url})", tuple(shown),
                          ("Akash Desk has no plain-words description of this message: check every field.",), type_url)


def describe_msg(msg: Message | any_pb2.Any | Mapping[str, Any], context: DescribeContext | None = None) -> MsgDescription:
    data = _as_dict(msg)
    type_url = str(data.get("@type", ""))
    if "error" in data and "value_b64" in data:  # app.tx.decode could not read it
        return _unknown(data, type_url)
    # an unknown kind or a malformed message is shown raw: describing never fails
    d = _DESCRIBERS.word(type_url, data, _Words(context or DescribeContext()), lambda: _unknown(data, type_url))
    return MsgDescription(d.title, d.lines, d.warnings, type_url)


def describe_msgs(msgs: Sequence[Message | any_pb2.Any | Mapping[str, Any]],
                  context: DescribeContext | None = None) -> list[MsgDescription]:
    """One plain-words description per message, in order."""
    return [describe_msg(m, context) for m in msgs]
