"""Typed constructors for every message the app sends (current chain types), with validated arguments.

Amounts are ints of base denoms (uakt, uact) for Coin, Decimal (or a decimal string) for DecCoin prices;
addresses are checked (bech32, prefix). Each function returns a generated protobuf message that
app.tx.builder.sign_tx packs and signs. MsgError names the argument that is wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from decimal import Decimal

from google.protobuf import any_pb2, duration_pb2, timestamp_pb2
from google.protobuf.message import Message

from app.config import BECH32_PREFIX, VALOPER_PREFIX
from app.proto.gen.akash.audit.v1 import msg_pb2 as audit_msg
from app.proto.gen.akash.base.attributes.v1.attribute_pb2 import Attribute
from app.proto.gen.akash.base.deposit.v1.deposit_pb2 import Deposit, Source
from app.proto.gen.akash.bme.v1 import msgs_pb2 as bme
from app.proto.gen.akash.cert.v1 import cert_pb2
from app.proto.gen.akash.cert.v1 import msg_pb2 as cert_msg
from app.proto.gen.akash.deployment.v1 import deployment_pb2 as dv1
from app.proto.gen.akash.deployment.v1 import group_pb2 as dgroup
from app.proto.gen.akash.deployment.v1beta4 import deploymentmsg_pb2 as dmsg
from app.proto.gen.akash.deployment.v1beta4 import groupmsg_pb2 as gmsg
from app.proto.gen.akash.deployment.v1beta4.groupspec_pb2 import GroupSpec
from app.proto.gen.akash.escrow.id.v1 import id_pb2 as escrow_id
from app.proto.gen.akash.escrow.v1 import authz_pb2 as escrow_authz
from app.proto.gen.akash.escrow.v1 import msg_pb2 as escrow_msg
from app.proto.gen.akash.market.v1 import bid_pb2 as mbid
from app.proto.gen.akash.market.v1 import lease_pb2 as mlease
from app.proto.gen.akash.market.v1.types_pb2 import LeaseClosedReason
from app.proto.gen.akash.market.v1beta5 import bidmsg_pb2 as bidmsg
from app.proto.gen.akash.market.v1beta5 import leasemsg_pb2 as leasemsg
from app.proto.gen.akash.market.v1beta5.resourcesoffer_pb2 import ResourceOffer
from app.proto.gen.akash.provider.v1beta4 import msg_pb2 as provider_msg
from app.proto.gen.akash.provider.v1beta4.provider_pb2 import Info
from app.proto.gen.cosmos.authz.v1beta1 import authz_pb2
from app.proto.gen.cosmos.authz.v1beta1 import tx_pb2 as authz_tx
from app.proto.gen.cosmos.bank.v1beta1 import bank_pb2
from app.proto.gen.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from app.proto.gen.cosmos.base.v1beta1.coin_pb2 import Coin, DecCoin
from app.proto.gen.cosmos.distribution.v1beta1 import tx_pb2 as distr_tx
from app.proto.gen.cosmos.feegrant.v1beta1 import feegrant_pb2
from app.proto.gen.cosmos.feegrant.v1beta1 import tx_pb2 as feegrant_tx
from app.proto.gen.cosmos.gov.v1 import gov_pb2 as gov1
from app.proto.gen.cosmos.gov.v1 import tx_pb2 as gov1_tx
from app.proto.gen.cosmos.gov.v1beta1 import gov_pb2 as gov1b1
from app.proto.gen.cosmos.gov.v1beta1 import tx_pb2 as gov1b1_tx
from app.proto.gen.cosmos.staking.v1beta1 import tx_pb2 as staking_tx
from app.proto.registry import pack_any
from app.units import AmountError, dec_to_atomics, parse_dec
from app.wallet.address import AddressError, validate_address

Coins = Iterable[tuple[str, int]]
UINT32_MAX = 2**32 - 1
UINT64_MAX = 2**64 - 1


class MsgError(ValueError):
    """An argument a message cannot be built from; the text names the argument."""


# ---------------------------------------------------------------------------------------- arguments


def _address(value: str, name: str, prefix: str = BECH32_PREFIX) -> str:
    try:
        validate_address(value, prefix)
    except AddressError as exc:
        raise MsgError(f"{name}: {exc}") from None
    return value


def _valoper(value: str, name: str) -> str:
    return _address(value, name, VALOPER_PREFIX)


def _uint(value: int, name: str, maximum: int = UINT64_MAX) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= maximum:
        raise MsgError(f"{name} must be a whole number from 0 to {maximum}, not {value!r}")
    return value


def _amount(value: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise MsgError(f"{name} must be a whole number of base units (e.g. 1000000 uakt = 1 AKT), not {value!r}")
    return value


def _denom(value: str, name: str) -> str:
    if not isinstance(value, str) or not value or len(value) > 128 or not value.isascii() or " " in value:
        raise MsgError(f"{name}: {value!r} is not a denom (e.g. 'uakt', 'uact', 'ibc/...')")
    return value


def coin(denom: str, amount: int, name: str = "amount") -> Coin:
    """Coin{denom, amount} with amount in base units (int)."""
    return Coin(denom=_denom(denom, f"{name}.denom"), amount=str(_amount(amount, name)))


def coins(items: Coins, name: str = "amount") -> list[Coin]:
    return [coin(d, a, f"{name}[{i}]") for i, (d, a) in enumerate(items)]


def dec_coin(denom: str, amount: Decimal | str | int, name: str = "price") -> DecCoin:
    """DecCoin with a LegacyDec amount: human value (Decimal("0.5")) -> wire atomics ("500000000000000000")."""
    if isinstance(amount, float):
        raise MsgError(f"{name}: use Decimal or a string, not a float")
    try:
        if parse_dec(amount) < 0:
            raise MsgError(f"{name} must not be negative")
        atomics = dec_to_atomics(amount)
    except AmountError as exc:
        raise MsgError(f"{name}: {exc}") from None
    return DecCoin(denom=_denom(denom, f"{name}.denom"), amount=atomics)


def _sources(sources: Sequence[str | int], name: str = "sources") -> list[int]:
    out = []
    for s in sources:
        try:
            value = Source.Value(s) if isinstance(s, str) else int(s)
        except ValueError:
            raise MsgError(f"{name}: unknown deposit source {s!r} (use 'balance' or 'grant')") from None
        if value == Source.invalid or value in out:
            raise MsgError(f"{name}: {s!r} is invalid or repeated")
        out.append(value)
    if not out:
        raise MsgError(f"{name}: at least one deposit source is needed")
    return out


def deposit(amount: int, denom: str = "uact", sources: Sequence[str | int] = ("balance",)) -> Deposit:
    """akash.base.deposit.v1.Deposit (sources tried in order: 'balance', 'grant')."""
    return Deposit(amount=coin(denom, amount, "deposit"), sources=_sources(sources))


# ---------------------------------------------------------------------------------------------- bank


def msg_send(from_address: str, to_address: str, amount: Coins) -> bank_tx.MsgSend:
    return bank_tx.MsgSend(from_address=_address(from_address, "from_address"),
                           to_address=_address(to_address, "to_address"), amount=coins(amount))


def msg_multi_send(inputs: Sequence[tuple[str, Coins]], outputs: Sequence[tuple[str, Coins]]) -> bank_tx.MsgMultiSend:
    return bank_tx.MsgMultiSend(
        inputs=[bank_pb2.Input(address=_address(a, f"inputs[{i}].address"), coins=coins(c, f"inputs[{i}].coins"))
                for i, (a, c) in enumerate(inputs)],
        outputs=[bank_pb2.Output(address=_address(a, f"outputs[{i}].address"), coins=coins(c, f"outputs[{i}].coins"))
                 for i, (a, c) in enumerate(outputs)],
    )


# ------------------------------------------------------------------------------------------- staking


def msg_delegate(delegator: str, validator: str, amount: int, denom: str = "uakt") -> staking_tx.MsgDelegate:
    return staking_tx.MsgDelegate(delegator_address=_address(delegator, "delegator"),
                                  validator_address=_valoper(validator, "validator"), amount=coin(denom, amount))


def msg_undelegate(delegator: str, validator: str, amount: int, denom: str = "uakt") -> staking_tx.MsgUndelegate:
    return staking_tx.MsgUndelegate(delegator_address=_address(delegator, "delegator"),
                                    validator_address=_valoper(validator, "validator"), amount=coin(denom, amount))


def msg_redelegate(delegator: str, src_validator: str, dst_validator: str, amount: int,
                   denom: str = "uakt") -> staking_tx.MsgBeginRedelegate:
    return staking_tx.MsgBeginRedelegate(
        delegator_address=_address(delegator, "delegator"),
        validator_src_address=_valoper(src_validator, "src_validator"),
        validator_dst_address=_valoper(dst_validator, "dst_validator"), amount=coin(denom, amount))


def msg_cancel_unbonding(delegator: str, validator: str, amount: int, creation_height: int,
                         denom: str = "uakt") -> staking_tx.MsgCancelUnbondingDelegation:
    return staking_tx.MsgCancelUnbondingDelegation(
        delegator_address=_address(delegator, "delegator"), validator_address=_valoper(validator, "validator"),
        amount=coin(denom, amount), creation_height=_uint(creation_height, "creation_height", 2**63 - 1))


# ------------------------------------------------------------------------------------------ distribution


def msg_withdraw_reward(delegator: str, validator: str) -> distr_tx.MsgWithdrawDelegatorReward:
    return distr_tx.MsgWithdrawDelegatorReward(delegator_address=_address(delegator, "delegator"),
                                               validator_address=_valoper(validator, "validator"))


def msg_withdraw_commission(validator: str) -> distr_tx.MsgWithdrawValidatorCommission:
    return distr_tx.MsgWithdrawValidatorCommission(validator_address=_valoper(validator, "validator"))


def msg_set_withdraw_address(delegator: str, withdraw_address: str) -> distr_tx.MsgSetWithdrawAddress:
    return distr_tx.MsgSetWithdrawAddress(delegator_address=_address(delegator, "delegator"),
                                          withdraw_address=_address(withdraw_address, "withdraw_address"))


# ------------------------------------------------------------------------------------------------ gov

_VOTE_WORDS = {"yes": 1, "abstain": 2, "no": 3, "no_with_veto": 4, "veto": 4}


def _vote_option(option: str | int, name: str = "option") -> int:
    if isinstance(option, int) and not isinstance(option, bool):
        if option in (1, 2, 3, 4):
            return option
    elif isinstance(option, str):
        key = option.strip().lower().removeprefix("vote_option_")
        if key in _VOTE_WORDS:
            return _VOTE_WORDS[key]
    raise MsgError(f"{name}: {option!r} is not a vote option (yes, no, abstain, no_with_veto)")


def msg_vote(proposal_id: int, voter: str, option: str | int, metadata: str = "") -> gov1_tx.MsgVote:
    """gov v1 vote; option 'yes' | 'no' | 'abstain' | 'no_with_veto' (or VOTE_OPTION_* / 1-4)."""
    return gov1_tx.MsgVote(proposal_id=_uint(proposal_id, "proposal_id"), voter=_address(voter, "voter"),
                           option=_vote_option(option), metadata=metadata)


def _weights(options: Sequence[tuple[str | int, Decimal | str]]) -> list[tuple[int, Decimal]]:
    out = []
    for i, (opt, weight) in enumerate(options):
        try:
            w = parse_dec(weight)
        except AmountError as exc:
            raise MsgError(f"options[{i}].weight: {exc}") from None
        if not 0 < w <= 1:
            raise MsgError(f"options[{i}].weight must be above 0 and at most 1")
        out.append((_vote_option(opt, f"options[{i}].option"), w))
    if not out or sum(w for _, w in out) != 1:
        raise MsgError("options: the weights must add up to 1")
    return out


def msg_vote_weighted(proposal_id: int, voter: str, options: Sequence[tuple[str | int, Decimal | str]],
                      metadata: str = "") -> gov1_tx.MsgVoteWeighted:
    """gov v1 weighted vote; gov v1 carries the weight as a decimal string ("0.5")."""
    return gov1_tx.MsgVoteWeighted(
        proposal_id=_uint(proposal_id, "proposal_id"), voter=_address(voter, "voter"), metadata=metadata,
        options=[gov1.WeightedVoteOption(option=o, weight=format(w.normalize(), "f")) for o, w in _weights(options)])


def msg_gov_deposit(proposal_id: int, depositor: str, amount: Coins) -> gov1_tx.MsgDeposit:
    return gov1_tx.MsgDeposit(proposal_id=_uint(proposal_id, "proposal_id"),
                              depositor=_address(depositor, "depositor"), amount=coins(amount))


def msg_submit_proposal(messages: Sequence[Message], initial_deposit: Coins, proposer: str, *, title: str,
                        summary: str, metadata: str = "", expedited: bool = False) -> gov1_tx.MsgSubmitProposal:
    return gov1_tx.MsgSubmitProposal(
        messages=[pack_any(m) for m in messages], initial_deposit=coins(initial_deposit, "initial_deposit"),
        proposer=_address(proposer, "proposer"), metadata=metadata, title=title, summary=summary, expedited=expedited)


def msg_vote_v1beta1(proposal_id: int, voter: str, option: str | int) -> gov1b1_tx.MsgVote:
    return gov1b1_tx.MsgVote(proposal_id=_uint(proposal_id, "proposal_id"), voter=_address(voter, "voter"),
                             option=_vote_option(option))


def msg_vote_weighted_v1beta1(proposal_id: int, voter: str,
                              options: Sequence[tuple[str | int, Decimal | str]]) -> gov1b1_tx.MsgVoteWeighted:
    """gov v1beta1 weighted vote; there the weight is a LegacyDec (atomics on the wire)."""
    return gov1b1_tx.MsgVoteWeighted(
        proposal_id=_uint(proposal_id, "proposal_id"), voter=_address(voter, "voter"),
        options=[gov1b1.WeightedVoteOption(option=o, weight=dec_to_atomics(w)) for o, w in _weights(options)])


def msg_gov_deposit_v1beta1(proposal_id: int, depositor: str, amount: Coins) -> gov1b1_tx.MsgDeposit:
    return gov1b1_tx.MsgDeposit(proposal_id=_uint(proposal_id, "proposal_id"),
                                depositor=_address(depositor, "depositor"), amount=coins(amount))


def text_proposal(title: str, description: str) -> gov1b1.TextProposal:
    return gov1b1.TextProposal(title=title, description=description)


# ---------------------------------------------------------------------------------------------- authz


def _timestamp(when: datetime | None, name: str) -> timestamp_pb2.Timestamp | None:
    if when is None:
        return None
    if when.tzinfo is None:
        raise MsgError(f"{name} needs a time zone (use datetime.now(timezone.utc) + ...)")
    ts = timestamp_pb2.Timestamp()
    ts.FromDatetime(when)
    return ts


def generic_authorization(msg_type_url: str) -> authz_pb2.GenericAuthorization:
    if not msg_type_url.startswith("/"):
        raise MsgError(f"msg_type_url: {msg_type_url!r} is not a type URL ('/cosmos.bank.v1beta1.MsgSend')")
    return authz_pb2.GenericAuthorization(msg=msg_type_url)


def deposit_authorization(spend_limits: Coins, scopes: Sequence[str] = ("deployment",)) -> escrow_authz.DepositAuthorization:
    """akash.escrow.v1.DepositAuthorization: lets the grantee fund deployments (the 'grant' deposit source)."""
    limits = coins(spend_limits, "spend_limits")
    try:
        scope_values = [escrow_authz.DepositAuthorization.Scope.Value(s) for s in scopes]
    except ValueError:
        raise MsgError(f"scopes: {list(scopes)!r}: use 'deployment' and/or 'bid'") from None
    auth = escrow_authz.DepositAuthorization(scopes=scope_values, spend_limits=limits)
    if len(limits) == 1:
        auth.spend_limit.CopyFrom(limits[0])  # the legacy single-coin field older nodes read
    return auth


def msg_grant(granter: str, grantee: str, authorization: Message, expiration: datetime | None = None) -> authz_tx.MsgGrant:
    grant = authz_pb2.Grant(authorization=pack_any(authorization))
    ts = _timestamp(expiration, "expiration")
    if ts is not None:
        grant.expiration.CopyFrom(ts)
    return authz_tx.MsgGrant(granter=_address(granter, "granter"), grantee=_address(grantee, "grantee"), grant=grant)


def msg_revoke(granter: str, grantee: str, msg_type_url: str) -> authz_tx.MsgRevoke:
    return authz_tx.MsgRevoke(granter=_address(granter, "granter"), grantee=_address(grantee, "grantee"),
                              msg_type_url=generic_authorization(msg_type_url).msg)


def msg_exec(grantee: str, msgs: Sequence[Message]) -> authz_tx.MsgExec:
    if not msgs:
        raise MsgError("msgs: MsgExec needs at least one message")
    return authz_tx.MsgExec(grantee=_address(grantee, "grantee"), msgs=[pack_any(m) for m in msgs])


# ------------------------------------------------------------------------------------------- feegrant


def basic_allowance(spend_limit: Coins = (), expiration: datetime | None = None) -> feegrant_pb2.BasicAllowance:
    allowance = feegrant_pb2.BasicAllowance(spend_limit=coins(spend_limit, "spend_limit"))
    ts = _timestamp(expiration, "expiration")
    if ts is not None:
        allowance.expiration.CopyFrom(ts)
    return allowance


def msg_grant_allowance(granter: str, grantee: str, allowance: Message) -> feegrant_tx.MsgGrantAllowance:
    return feegrant_tx.MsgGrantAllowance(granter=_address(granter, "granter"), grantee=_address(grantee, "grantee"),
                                         allowance=pack_any(allowance))


def msg_revoke_allowance(granter: str, grantee: str) -> feegrant_tx.MsgRevokeAllowance:
    return feegrant_tx.MsgRevokeAllowance(granter=_address(granter, "granter"), grantee=_address(grantee, "grantee"))


# ----------------------------------------------------------------------------------------- deployment


def deployment_id(owner: str, dseq: int) -> dv1.DeploymentID:
    return dv1.DeploymentID(owner=_address(owner, "owner"), dseq=_uint(dseq, "dseq"))


def group_id(owner: str, dseq: int, gseq: int) -> dgroup.GroupID:
    return dgroup.GroupID(owner=_address(owner, "owner"), dseq=_uint(dseq, "dseq"), gseq=_uint(gseq, "gseq", UINT32_MAX))


def _hash32(value: bytes) -> bytes:
    if not isinstance(value, bytes) or len(value) != 32:
        raise MsgError("hash must be the 32-byte sha256 of the manifest (the SDL version)")
    return value


def msg_create_deployment(owner: str, dseq: int, groups: Sequence[GroupSpec], hash32: bytes, deposit_amount: int,
                          deposit_denom: str = "uact", sources: Sequence[str | int] = ("balance",), *,
                          reclamation_min_window: timedelta | None = None) -> dmsg.MsgCreateDeployment:
    """MsgCreateDeployment (v1beta4). reclamation_min_window needs node v2.1.0+ (AEP-82)."""
    if not groups:
        raise MsgError("groups: a deployment needs at least one group")
    msg = dmsg.MsgCreateDeployment(id=deployment_id(owner, dseq), groups=list(groups), hash=_hash32(hash32),
                                   deposit=deposit(deposit_amount, deposit_denom, sources))
    if reclamation_min_window is not None:
        if reclamation_min_window <= timedelta(0):
            raise MsgError("reclamation_min_window must be positive")
        window = duration_pb2.Duration()
        window.FromTimedelta(reclamation_min_window)
        msg.reclamation.min_window.CopyFrom(window)
    return msg


def msg_update_deployment(owner: str, dseq: int, hash32: bytes) -> dmsg.MsgUpdateDeployment:
    return dmsg.MsgUpdateDeployment(id=deployment_id(owner, dseq), hash=_hash32(hash32))


def msg_close_deployment(owner: str, dseq: int) -> dmsg.MsgCloseDeployment:
    return dmsg.MsgCloseDeployment(id=deployment_id(owner, dseq))


def msg_close_group(owner: str, dseq: int, gseq: int) -> gmsg.MsgCloseGroup:
    return gmsg.MsgCloseGroup(id=group_id(owner, dseq, gseq))


def msg_pause_group(owner: str, dseq: int, gseq: int) -> gmsg.MsgPauseGroup:
    return gmsg.MsgPauseGroup(id=group_id(owner, dseq, gseq))


def msg_start_group(owner: str, dseq: int, gseq: int) -> gmsg.MsgStartGroup:
    return gmsg.MsgStartGroup(id=group_id(owner, dseq, gseq))


# --------------------------------------------------------------------------------------------- escrow


def msg_account_deposit(signer: str, owner: str, dseq: int, amount: int, denom: str = "uact",
                        sources: Sequence[str | int] = ("balance",)) -> escrow_msg.MsgAccountDeposit:
    """Top up a deployment's escrow (replaces MsgDepositDeployment); xid = "owner/dseq"."""
    _address(owner, "owner")
    xid = f"{owner}/{_uint(dseq, 'dseq')}"
    return escrow_msg.MsgAccountDeposit(signer=_address(signer, "signer"),
                                        id=escrow_id.Account(scope=escrow_id.Scope.deployment, xid=xid),
                                        deposit=deposit(amount, denom, sources))


# --------------------------------------------------------------------------------------------- market


# A bid / lease is named by its parts (owner, dseq, gseq, oseq, provider, bseq) or by a BidID / LeaseID
Ident = str | mbid.BidID | mlease.LeaseID


def bid_id(owner: Ident, dseq: int = 0, gseq: int = 0, oseq: int = 0,
           provider: str = "", bseq: int = 0) -> mbid.BidID:
    """A BidID from its parts, or a copy (checked) of a BidID / LeaseID given as the first argument."""
    if isinstance(owner, (mbid.BidID, mlease.LeaseID)):
        owner, dseq, gseq, oseq, provider, bseq = owner.owner, owner.dseq, owner.gseq, owner.oseq, owner.provider, owner.bseq
    return mbid.BidID(owner=_address(owner, "owner"), dseq=_uint(dseq, "dseq"), gseq=_uint(gseq, "gseq", UINT32_MAX),
                      oseq=_uint(oseq, "oseq", UINT32_MAX), provider=_address(provider, "provider"),
                      bseq=_uint(bseq, "bseq", UINT32_MAX))


def lease_id(owner: str | mbid.BidID | mlease.LeaseID, dseq: int = 0, gseq: int = 0, oseq: int = 0,
             provider: str = "", bseq: int = 0) -> mlease.LeaseID:
    b = bid_id(owner, dseq, gseq, oseq, provider, bseq)
    return mlease.LeaseID(owner=b.owner, dseq=b.dseq, gseq=b.gseq, oseq=b.oseq, provider=b.provider, bseq=b.bseq)


def _reason(reason: str | int, name: str = "reason") -> int:
    try:
        if isinstance(reason, str):
            return LeaseClosedReason.Value(reason)
        LeaseClosedReason.Name(reason)
        return reason
    except (ValueError, TypeError):
        raise MsgError(f"{name}: unknown lease close reason {reason!r}") from None


def msg_create_lease(owner: Ident, dseq: int = 0, gseq: int = 0, oseq: int = 0, provider: str = "",
        bseq: int = 0) -> leasemsg.MsgCreateLease:
    """Accept a bid (the tenant signs); copy bseq from the bid."""
    return leasemsg.MsgCreateLease(bid_id=bid_id(owner, dseq, gseq, oseq, provider, bseq))


def msg_close_lease(owner: Ident, dseq: int = 0, gseq: int = 0, oseq: int = 0, provider: str = "",
        bseq: int = 0,
                    reason: str | int = "lease_closed_owner") -> leasemsg.MsgCloseLease:
    return leasemsg.MsgCloseLease(id=lease_id(owner, dseq, gseq, oseq, provider, bseq), reason=_reason(reason))


def msg_withdraw_lease(owner: Ident, dseq: int = 0, gseq: int = 0, oseq: int = 0, provider: str = "",
                       bseq: int = 0) -> leasemsg.MsgWithdrawLease:
    """Settle and withdraw a lease's earnings (the provider signs)."""
    return leasemsg.MsgWithdrawLease(id=lease_id(owner, dseq, gseq, oseq, provider, bseq))


def msg_lease_start_reclaim(owner: Ident, dseq: int = 0, gseq: int = 0, oseq: int = 0, provider: str = "",
        bseq: int = 0,
                            reason: str | int = "lease_closed_reason_decommission") -> leasemsg.MsgLeaseStartReclaim:
    """Start the reclamation window of a lease (provider; node v2.1.0+)."""
    return leasemsg.MsgLeaseStartReclaim(id=lease_id(owner, dseq, gseq, oseq, provider, bseq), reason=_reason(reason))


def msg_create_bid(owner: str, dseq: int, gseq: int, oseq: int, provider: str, price: Decimal | str,
                   price_denom: str, deposit_amount: int, deposit_denom: str = "uakt",
                   sources: Sequence[str | int] = ("balance",), resources_offer: Sequence[ResourceOffer] = (),
                   *, bseq: int = 0, reclamation_window: timedelta | None = None) -> bidmsg.MsgCreateBid:
    """A provider's bid: price per block (DecCoin), bid deposit, offered resources."""
    msg = bidmsg.MsgCreateBid(id=bid_id(owner, dseq, gseq, oseq, provider, bseq), price=dec_coin(price_denom, price),
                              deposit=deposit(deposit_amount, deposit_denom, sources),
                              resources_offer=list(resources_offer))
    if reclamation_window is not None:
        msg.reclamation_window.FromTimedelta(reclamation_window)
    return msg


def msg_close_bid(owner: Ident, dseq: int = 0, gseq: int = 0, oseq: int = 0, provider: str = "",
        bseq: int = 0,
                  reason: str | int = "lease_closed_invalid") -> bidmsg.MsgCloseBid:
    return bidmsg.MsgCloseBid(id=bid_id(owner, dseq, gseq, oseq, provider, bseq), reason=_reason(reason))


# ----------------------------------------------------------------------------------------------- cert


def _pem(value: str | bytes, block: str, name: str) -> bytes:
    data = value.encode("ascii") if isinstance(value, str) else bytes(value)
    if f"-----BEGIN {block}-----".encode() not in data:
        raise MsgError(f"{name} must be a PEM block '-----BEGIN {block}-----'")
    return data


def msg_create_certificate(owner: str, cert_pem: str | bytes, pubkey_pem: str | bytes) -> cert_msg.MsgCreateCertificate:
    """Publish an mTLS client certificate; both fields carry the PEM text itself (bytes)."""
    return cert_msg.MsgCreateCertificate(owner=_address(owner, "owner"), cert=_pem(cert_pem, "CERTIFICATE", "cert_pem"),
                                         pubkey=_pem(pubkey_pem, "EC PUBLIC KEY", "pubkey_pem"))


def msg_revoke_certificate(owner: str, serial: str | int) -> cert_msg.MsgRevokeCertificate:
    text = str(serial)
    if not text.isdigit():
        raise MsgError(f"serial must be the certificate's decimal serial number, not {serial!r}")
    return cert_msg.MsgRevokeCertificate(id=cert_pb2.ID(owner=_address(owner, "owner"), serial=text))


# ------------------------------------------------------------------------------------------------ bme


def msg_mint_act(owner: str, to: str, uakt: int) -> bme.MsgMintACT:
    """Burn `uakt` to mint ACT for `to` (queued, executed at the next epoch)."""
    return bme.MsgMintACT(owner=_address(owner, "owner"), to=_address(to, "to"), coins_to_burn=coin("uakt", uakt, "uakt"))


def msg_burn_act(owner: str, to: str, uact: int) -> bme.MsgBurnACT:
    """Burn `uact` to get AKT back for `to`."""
    return bme.MsgBurnACT(owner=_address(owner, "owner"), to=_address(to, "to"), coins_to_burn=coin("uact", uact, "uact"))


def msg_burn_mint(owner: str, to: str, burn_amount: int, burn_denom: str, denom_to_mint: str) -> bme.MsgBurnMint:
    return bme.MsgBurnMint(owner=_address(owner, "owner"), to=_address(to, "to"),
                           coins_to_burn=coin(burn_denom, burn_amount, "burn_amount"),
                           denom_to_mint=_denom(denom_to_mint, "denom_to_mint"))


# ------------------------------------------------------------------------------------ provider / audit


def _attributes(attrs: Iterable[tuple[str, str]], name: str = "attributes") -> list[Attribute]:
    out = []
    for i, (k, v) in enumerate(attrs):
        if not k:
            raise MsgError(f"{name}[{i}]: the key is empty")
        out.append(Attribute(key=k, value=v))
    return out


def msg_create_provider(owner: str, host_uri: str, attributes: Iterable[tuple[str, str]] = (), email: str = "",
                        website: str = "") -> provider_msg.MsgCreateProvider:
    if not host_uri.startswith("https://"):
        raise MsgError("host_uri must be the provider's https:// gateway URL")
    return provider_msg.MsgCreateProvider(owner=_address(owner, "owner"), host_uri=host_uri,
                                          attributes=_attributes(attributes), info=Info(email=email, website=website))


def msg_update_provider(owner: str, host_uri: str, attributes: Iterable[tuple[str, str]] = (), email: str = "",
                        website: str = "") -> provider_msg.MsgUpdateProvider:
    if not host_uri.startswith("https://"):
        raise MsgError("host_uri must be the provider's https:// gateway URL")
    return provider_msg.MsgUpdateProvider(owner=_address(owner, "owner"), host_uri=host_uri,
                                          attributes=_attributes(attributes), info=Info(email=email, website=website))


def msg_delete_provider(owner: str) -> provider_msg.MsgDeleteProvider:
    return provider_msg.MsgDeleteProvider(owner=_address(owner, "owner"))


def msg_sign_provider_attributes(owner: str, auditor: str,
                                 attributes: Iterable[tuple[str, str]]) -> audit_msg.MsgSignProviderAttributes:
    return audit_msg.MsgSignProviderAttributes(owner=_address(owner, "owner"), auditor=_address(auditor, "auditor"),
                                               attributes=_attributes(attributes))


def msg_delete_provider_attributes(owner: str, auditor: str, keys: Sequence[str]) -> audit_msg.MsgDeleteProviderAttributes:
    return audit_msg.MsgDeleteProviderAttributes(owner=_address(owner, "owner"), auditor=_address(auditor, "auditor"),
                                                 keys=list(keys))


def as_any(msg: Message) -> any_pb2.Any:
    return pack_any(msg)
