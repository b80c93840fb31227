"""Accounts (cosmos.auth.v1beta1): number, sequence and public key of base, vesting and module accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from app.chain.common import Coin, coins
from app.chain.errors import MalformedResponse
from app.chain.jsonread import Obj
from app.chain.params import segment

if TYPE_CHECKING:
    from app.chain.client import ChainClient

ACCOUNT = "/cosmos/auth/v1beta1/accounts/{address}"

BASE = "/cosmos.auth.v1beta1.BaseAccount"
MODULE = "/cosmos.auth.v1beta1.ModuleAccount"
VESTING_KINDS = {
    "/cosmos.vesting.v1beta1.ContinuousVestingAccount": "continuous_vesting",
    "/cosmos.vesting.v1beta1.DelayedVestingAccount": "delayed_vesting",
    "/cosmos.vesting.v1beta1.PeriodicVestingAccount": "periodic_vesting",
    "/cosmos.vesting.v1beta1.PermanentLockedAccount": "permanent_locked",
}


@dataclass(frozen=True)
class PubKey:
    type_url: str  # "/cosmos.crypto.secp256k1.PubKey"
    key_b64: str


@dataclass(frozen=True)
class Vesting:
    original_vesting: tuple[Coin, ...]
    delegated_free: tuple[Coin, ...]
    delegated_vesting: tuple[Coin, ...]
    start_time: datetime | None
    end_time: datetime | None


@dataclass(frozen=True)
class Account:
    kind: str  # "base", "module", "continuous_vesting", ... or the @type of an unknown kind
    type_url: str
    address: str
    account_number: int
    sequence: int
    pub_key: PubKey | None  # None until the account has signed its first transaction
    module_name: str = ""
    permissions: tuple[str, ...] = ()
    vesting: Vesting | None = None

    @classmethod
    def parse(cls, o: Obj) -> Account:
        type_url = o.text("@type")
        if type_url == MODULE:
            base = o.need("base_account")
            return _with_base(cls, "module", type_url, base, module_name=o.text("name"), permissions=o.texts("permissions"))
        if type_url in VESTING_KINDS:
            bva = o.need("base_vesting_account")
            return _with_base(cls, VESTING_KINDS[type_url], type_url, bva.need("base_account"), vesting=_vesting(o, bva))
        if o.has("address"):  # BaseAccount, or an unknown kind with the base fields inline
            return _with_base(cls, "base" if type_url == BASE else type_url or "base", type_url, o)
        if o.has("base_account"):
            return _with_base(cls, type_url, type_url, o.need("base_account"))
        raise MalformedResponse(o.where, o.path, f"unknown account type {type_url!r} without an address")


def _with_base(cls: type[Account], kind: str, type_url: str, base: Obj, **extra: object) -> Account:
    pk = base.child("pub_key")
    pub = PubKey(pk.text("@type"), pk.text("key")) if pk is not None else None
    return cls(
        kind=kind,
        type_url=type_url,
        address=base.text("address", required=True),
        account_number=base.integer("account_number"),
        sequence=base.integer("sequence"),
        pub_key=pub,
        **extra,  # type: ignore[arg-type]
    )


def _vesting(o: Obj, bva: Obj) -> Vesting:
    end = bva.integer("end_time")  # unix seconds (int64)
    start = o.integer("start_time") if o.has("start_time") else None
    return Vesting(
        original_vesting=coins(bva, "original_vesting"),
        delegated_free=coins(bva, "delegated_free"),
        delegated_vesting=coins(bva, "delegated_vesting"),
        start_time=datetime.fromtimestamp(start, UTC) if start else None,
        end_time=datetime.fromtimestamp(end, UTC) if end else None,
    )


def parse_account_response(data: object, path: str) -> Account:
    return Account.parse(Obj(data, path).need("account"))


async def account(client: ChainClient, address: str) -> Account:
    """The account; raises NotFound for an address that never received funds."""
    path = ACCOUNT.format(address=segment(address))
    return parse_account_response(await client.get(path), path)
