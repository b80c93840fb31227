"""Which official TypeScript library reads (and encodes) each message type, and how each one behaves."""

from __future__ import annotations

import re
from dataclasses import dataclass

from google.protobuf.descriptor import Descriptor, FieldDescriptor


@dataclass(frozen=True)
class Flavor:
    """The JSON reading and binary writing rules of one generated-code family."""

    name: str
    source: str  # what the oracle prints as type_source
    camel_keys: bool  # JSON keys are lowerCamelCase (else the proto field names)
    emit_all: bool  # toJSON writes every field (cosmjs-types) instead of only non-default ones
    bigint: bool  # 64-bit ints are read with BigInt() (cosmjs-types) instead of Long.fromValue()
    strict_base64: bool  # bytes are read with atob() (strict) instead of Buffer.from (lenient)
    writer: str  # "cosmjs" | "protobufjs" | "bufbuild"


COSMJS = Flavor(
    "cosmjs", "@cosmjs/stargate@0.39.0 defaultRegistryTypes (cosmjs-types@0.11.0)",
    camel_keys=True, emit_all=True, bigint=True, strict_base64=True, writer="cosmjs",
)
AKASH_API = Flavor(
    "akash-api", "@akashnetwork/akash-api@1.4.3",
    camel_keys=True, emit_all=False, bigint=False, strict_base64=False, writer="protobufjs",
)
CHAIN_SDK = Flavor(
    "chain-sdk", "@akashnetwork/chain-sdk@1.0.0-alpha.25",
    camel_keys=False, emit_all=False, bigint=False, strict_base64=False, writer="bufbuild",
)

_LEGACY_AKASH = re.compile(r"akash\.(deployment\.v1beta3|market\.v1beta4|cert\.v1beta3)\.")

# Fields and types our .proto files have (node v2.1.0, AEP-82) that chain-sdk 1.0.0-alpha.25 lacks:
# the signing request format follows the library, so they are unknown there.
NEWER_THAN_ORACLE_FIELDS: dict[str, frozenset[str]] = {
    "akash.deployment.v1beta4.MsgCreateDeployment": frozenset({"reclamation"}),
    "akash.market.v1beta5.MsgCreateBid": frozenset({"reclamation_window"}),
    "akash.market.v1beta5.Params": frozenset({"min_reclamation_window", "max_reclamation_window"}),
}
NEWER_THAN_ORACLE_TYPES = frozenset({"akash.market.v1beta5.MsgLeaseStartReclaim"})
NEWER_THAN_ORACLE_FIELDS["akash.escrow.v1.DepositAuthorization"] = frozenset({"spend_limits"})
# enum values the alpha.25 fromJSON does not know (it reads them as UNRECOGNIZED, -1)
NEWER_THAN_ORACLE_ENUM_VALUES: dict[str, frozenset[int]] = {
    "akash.market.v1.Lease.State": frozenset({4}),
}

# chain-sdk's encode patches: LegacyDec string fields sent as Decimal.fromUserInput(v, 18).atomics
LEGACY_DEC_FIELDS: dict[str, tuple[str, ...]] = {
    "cosmos.base.v1beta1.DecCoin": ("amount",),
    "akash.bme.v1.CoinPrice": ("price",),
    "akash.bme.v1.CollateralRatio": ("ratio", "reference_price"),
    "akash.escrow.types.v1.Balance": ("amount",),
    "cosmos.base.v1beta1.DecProto": ("dec",),
    "cosmos.distribution.v1beta1.DelegatorStartingInfo": ("stake",),
    "cosmos.distribution.v1beta1.Params": ("base_proposer_reward", "bonus_proposer_reward", "community_tax"),
    "cosmos.distribution.v1beta1.ValidatorSlashEvent": ("fraction",),
    "cosmos.gov.v1beta1.WeightedVoteOption": ("weight",),
    "cosmos.staking.v1beta1.CommissionRates": ("max_change_rate", "max_rate", "rate"),
    "cosmos.staking.v1beta1.Delegation": ("shares",),
    "cosmos.staking.v1beta1.MsgEditValidator": ("commission_rate",),
    "cosmos.staking.v1beta1.Params": ("min_commission_rate",),
    "cosmos.staking.v1beta1.RedelegationEntry": ("shares_dst",),
    "cosmos.staking.v1beta1.Validator": ("delegator_shares",),
}


# cosmjs-types (telescope) creates these message fields as X.fromPartial({}) when the JSON omits them,
# so they are encoded present-but-empty (gogoproto non-nullable fields); every other library leaves them out.
COSMJS_PRESENT_BY_DEFAULT: dict[str, frozenset[str]] = {
    "cosmos.authz.v1beta1.MsgGrant": frozenset({"grant"}),
    "cosmos.bank.v1beta1.MsgUpdateParams": frozenset({"params"}),
    "cosmos.distribution.v1beta1.MsgUpdateParams": frozenset({"params"}),
    "cosmos.gov.v1.MsgUpdateParams": frozenset({"params"}),
    "cosmos.staking.v1beta1.MsgBeginRedelegate": frozenset({"amount"}),
    "cosmos.staking.v1beta1.MsgCancelUnbondingDelegation": frozenset({"amount"}),
    "cosmos.staking.v1beta1.MsgCreateValidator": frozenset({"description", "commission", "value"}),
    "cosmos.staking.v1beta1.MsgDelegate": frozenset({"amount"}),
    "cosmos.staking.v1beta1.MsgEditValidator": frozenset({"description"}),
    "cosmos.staking.v1beta1.MsgUndelegate": frozenset({"amount"}),
    "cosmos.staking.v1beta1.MsgUpdateParams": frozenset({"params"}),
    "cosmos.staking.v1beta1.Params": frozenset({"unbonding_time"}),
    "ibc.applications.transfer.v1.MsgTransfer": frozenset({"token", "timeout_height"}),
}


def flavor_for(type_url: str, cosmos_types: str = "cosmjs") -> Flavor:
    """The library the oracle's registry uses for this type URL."""
    from app.tx.oracle_registry import CHAIN_SDK_COSMOS_TYPES

    name = type_url.rsplit("/", 1)[-1]
    if name.startswith(("cosmos.", "ibc.")):
        # chain-sdk's cosmos Msgs replace the cosmjs ones only in "chain-sdk" mode; the rest stay cosmjs
        return CHAIN_SDK if cosmos_types == "chain-sdk" and type_url in CHAIN_SDK_COSMOS_TYPES else COSMJS
    if _LEGACY_AKASH.match(name):
        return AKASH_API
    return CHAIN_SDK


def lower_camel(name: str) -> str:
    return re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), name)


def json_fields(desc: Descriptor, flavor: Flavor) -> tuple[tuple[FieldDescriptor, str], ...]:
    """(field, JSON key) pairs the flavor's fromJSON reads, in field order."""
    key = (desc.full_name, flavor.name)
    cached = _FIELDS_CACHE.get(key)
    if cached is None:
        skip = NEWER_THAN_ORACLE_FIELDS.get(desc.full_name, frozenset())
        cached = tuple(
            (f, lower_camel(f.name) if flavor.camel_keys else f.name) for f in desc.fields if f.name not in skip
        )
        _FIELDS_CACHE[key] = cached
    return cached


_FIELDS_CACHE: dict[tuple[str, str], tuple[tuple[FieldDescriptor, str], ...]] = {}
