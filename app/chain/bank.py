"""Balances, denom metadata and send-enabled flags (cosmos.bank.v1beta1)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.chain.common import Coin
from app.chain.jsonread import Obj
from app.chain.pagination import Listing, fetch_all
from app.chain.params import segment

if TYPE_CHECKING:
    from app.chain.client import ChainClient

BALANCES = "/cosmos/bank/v1beta1/balances/{address}"
BY_DENOM = "/cosmos/bank/v1beta1/balances/{address}/by_denom"
SPENDABLE = "/cosmos/bank/v1beta1/spendable_balances/{address}"
DENOMS_METADATA = "/cosmos/bank/v1beta1/denoms_metadata"
SEND_ENABLED = "/cosmos/bank/v1beta1/send_enabled"


@dataclass(frozen=True)
class DenomUnit:
    denom: str
    exponent: int
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class DenomMetadata:
    base: str
    display: str
    name: str
    symbol: str
    description: str
    units: tuple[DenomUnit, ...]

    @classmethod
    def parse(cls, o: Obj) -> DenomMetadata:
        units = tuple(
            DenomUnit(u.text("denom"), u.integer("exponent"), u.texts("aliases")) for u in o.children("denom_units")
        )
        return cls(o.text("base"), o.text("display"), o.text("name"), o.text("symbol"), o.text("description"), units)

    @property
    def display_exponent(self) -> int:
        return next((u.exponent for u in self.units if u.denom == self.display), 0)


@dataclass(frozen=True)
class SendEnabled:
    denom: str
    enabled: bool

    @classmethod
    def parse(cls, o: Obj) -> SendEnabled:
        return cls(o.text("denom"), o.flag("enabled"))


async def balances(client: ChainClient, address: str) -> tuple[Coin, ...]:
    """All balances (every denom) of an address; an unknown address simply has none."""
    path = BALANCES.format(address=segment(address))
    listing = await fetch_all(client, path, "balances", Coin.parse, cap=1000)
    return listing.items


async def balance(client: ChainClient, address: str, denom: str) -> Coin:
    path = BY_DENOM.format(address=segment(address))
    data = await client.get(path, {"denom": denom})
    child = Obj(data, path).child("balance")
    return Coin.parse(child) if child is not None else Coin(denom, 0)


async def spendable_balances(client: ChainClient, address: str) -> tuple[Coin, ...]:
    """What can be sent or spent now (excludes locked vesting coins)."""
    path = SPENDABLE.format(address=segment(address))
    return (await fetch_all(client, path, "balances", Coin.parse, cap=1000)).items


async def denoms_metadata(client: ChainClient) -> Listing[DenomMetadata]:
    return await fetch_all(client, DENOMS_METADATA, "metadatas", DenomMetadata.parse, cap=1000)


async def send_enabled(client: ChainClient, denoms: tuple[str, ...] = ()) -> tuple[SendEnabled, ...]:
    """Per-denom send flags the chain sets explicitly (uact is false on Akash); absent = the default."""
    data = await client.get(SEND_ENABLED, {"denoms": list(denoms)} if denoms else None)
    return tuple(SendEnabled.parse(o) for o in Obj(data, SEND_ENABLED).children("send_enabled"))
