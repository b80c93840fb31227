"""Type URL <-> generated message class for every type in app/proto (Msgs, Any-packed types); Any packing."""

from __future__ import annotations

import functools
import importlib
import pkgutil

from google.protobuf import any_pb2, descriptor_pool
from google.protobuf.message import DecodeError, Message
from google.protobuf.message_factory import GetMessageClass

_GEN_PACKAGE = "app.proto.gen"

# Types that travel inside google.protobuf.Any besides the Msgs: authorizations, fee allowances,
# public keys, accounts and governance proposal content.
ANY_PACKED_TYPES: tuple[str, ...] = (
    "cosmos.authz.v1beta1.GenericAuthorization",
    "cosmos.bank.v1beta1.SendAuthorization",
    "cosmos.staking.v1beta1.StakeAuthorization",
    "akash.escrow.v1.DepositAuthorization",
    "akash.deployment.v1beta3.DepositDeploymentAuthorization",
    "cosmos.feegrant.v1beta1.BasicAllowance",
    "cosmos.feegrant.v1beta1.PeriodicAllowance",
    "cosmos.feegrant.v1beta1.AllowedMsgAllowance",
    "cosmos.crypto.secp256k1.PubKey",
    "cosmos.crypto.ed25519.PubKey",
    "cosmos.crypto.multisig.LegacyAminoPubKey",
    "cosmos.auth.v1beta1.BaseAccount",
    "cosmos.auth.v1beta1.ModuleAccount",
    "cosmos.vesting.v1beta1.BaseVestingAccount",
    "cosmos.vesting.v1beta1.ContinuousVestingAccount",
    "cosmos.vesting.v1beta1.DelayedVestingAccount",
    "cosmos.vesting.v1beta1.PeriodicVestingAccount",
    "cosmos.vesting.v1beta1.PermanentLockedAccount",
    "cosmos.gov.v1beta1.TextProposal",
    "cosmos.params.v1beta1.ParameterChangeProposal",
    "cosmos.upgrade.v1beta1.SoftwareUpgradeProposal",
    "cosmos.upgrade.v1beta1.CancelSoftwareUpgradeProposal",
    "cosmos.distribution.v1beta1.CommunityPoolSpendProposal",
)


class UnknownTypeUrl(LookupError):
    """A type URL that names no message type known to app/proto."""

    def __init__(self, type_url: str, where: str = "") -> None:
        self.type_url = type_url
        prefix = f"{where}: " if where else ""
        super().__init__(
            f"{prefix}unknown type URL {type_url!r}: no such message in app/proto "
            "(type URLs look like '/cosmos.bank.v1beta1.MsgSend')"
        )


@functools.cache
def _load_all() -> tuple[str, ...]:
    """Import every generated module once so the default descriptor pool knows every type."""
    gen = importlib.import_module(_GEN_PACKAGE)
    names = []
    for info in pkgutil.walk_packages(gen.__path__, _GEN_PACKAGE + "."):
        if info.name.endswith("_pb2"):
            importlib.import_module(info.name)
            names.append(info.name)
    return tuple(names)


def _full_name(type_url: str) -> str:
    # A type URL is "<host>/<full name>"; the SDK uses the empty host ("/cosmos.bank.v1beta1.MsgSend").
    return type_url.rsplit("/", 1)[-1]


def type_url_of(msg_or_class: Message | type[Message]) -> str:
    """"/" + full proto name, the type URL the Cosmos SDK uses."""
    return "/" + msg_or_class.DESCRIPTOR.full_name


def message_class(type_url: str) -> type[Message]:
    """The generated class for a type URL ('/pkg.Name' or 'pkg.Name'); UnknownTypeUrl if there is none."""
    _load_all()
    name = _full_name(type_url)
    if not name or name != name.strip():
        raise UnknownTypeUrl(type_url)
    try:
        desc = descriptor_pool.Default().FindMessageTypeByName(name)
    except KeyError:
        raise UnknownTypeUrl(type_url) from None
    if not desc.file.name.startswith(("akash/", "cosmos/", "ibc/", "tendermint/", "google/protobuf/")):
        raise UnknownTypeUrl(type_url)
    return GetMessageClass(desc)


@functools.cache
def msg_type_urls() -> tuple[str, ...]:
    """Every transaction Msg type URL we can sign (sorted)."""
    urls = []
    for module_name in _load_all():
        module = importlib.import_module(module_name)
        for name, desc in module.DESCRIPTOR.message_types_by_name.items():
            if name.startswith("Msg") and not name.endswith("Response") and name != "MsgData":
                urls.append("/" + desc.full_name)
    return tuple(sorted(urls))


def pack_any(msg: Message) -> any_pb2.Any:
    """Wrap a message in Any with the SDK's type URL ("/" + full name, no host)."""
    return any_pb2.Any(type_url=type_url_of(msg), value=msg.SerializeToString(deterministic=True))


def unpack_any(packed: any_pb2.Any) -> Message:
    """The message inside an Any; UnknownTypeUrl for a type we do not know, ValueError for bad bytes."""
    cls = message_class(packed.type_url)
    try:
        return cls.FromString(packed.value)
    except DecodeError as exc:
        raise ValueError(f"Any {packed.type_url}: value is not a valid {cls.DESCRIPTOR.full_name}: {exc}") from None
