"""MarketContext: what every tenant flow needs (chain client, network, owner, records, block clock, settings)."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.chain.client import ChainClient
from app.config import Network
from app.market.blocktime import BlockClock
from app.market.records import RecordStore


@dataclass
class MarketContext:
    """One account on one network. Build it with `MarketContext.create(chain, network, owner)`."""

    chain: ChainClient
    network: Network
    owner: str
    records: RecordStore
    clock: BlockClock
    favourites: tuple[str, ...] = ()  # provider addresses the person starred (Settings.favourite_providers)
    extra: dict = field(default_factory=dict)

    @classmethod
    def create(cls, chain: ChainClient, network: Network, owner: str, *, records: RecordStore | None = None,
               favourites: tuple[str, ...] | list[str] = ()) -> MarketContext:
        return cls(chain, network, owner, records or RecordStore.for_network(network), BlockClock(chain),
                   tuple(favourites))

    @property
    def sdl_network(self) -> str:
        """The SDL parser's network flavour (USDC denom rules): the local node behaves like mainnet."""
        return "sandbox" if self.network.key == "sandbox" else "mainnet"
