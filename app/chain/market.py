"""Orders, bids and leases (akash.market.v1beta5; IDs of akash.market.v1), market params."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from app.chain.common import Coin, DecCoin, Page, coins, dec_coin_or_zero
from app.chain.escrow import EscrowAccount, EscrowPayment
from app.chain.jsonread import ChainEnum, Obj
from app.chain.pagination import DEFAULT_PAGE_SIZE, Listing, PageRequest, fetch_all, fetch_page
from app.chain.resources import GroupSpec, Resources

if TYPE_CHECKING:
    from app.chain.client import ChainClient

ORDERS = "/akash/market/v1beta5/orders/list"
ORDER_INFO = "/akash/market/v1beta5/orders/info"
BIDS = "/akash/market/v1beta5/bids/list"
BID_INFO = "/akash/market/v1beta5/bids/info"
LEASES = "/akash/market/v1beta5/leases/list"
LEASE_INFO = "/akash/market/v1beta5/leases/info"
PARAMS = "/akash/market/v1beta5/params"


class OrderState(ChainEnum):
    INVALID = "invalid"
    OPEN = "open"
    ACTIVE = "active"
    CLOSED = "closed"


class BidState(ChainEnum):
    INVALID = "invalid"
    OPEN = "open"
    ACTIVE = "active"
    LOST = "lost"
    CLOSED = "closed"


class LeaseState(ChainEnum):
    INVALID = "invalid"
    ACTIVE = "active"
    INSUFFICIENT_FUNDS = "insufficient_funds"
    CLOSED = "closed"
    RECLAIMING = "reclaiming"  # v2.1.0


class LeaseClosedReason(ChainEnum):
    INVALID = "lease_closed_invalid"
    OWNER = "lease_closed_owner"
    UNSTABLE = "lease_closed_reason_unstable"
    DECOMMISSION = "lease_closed_reason_decommission"
    UNSPECIFIED = "lease_closed_reason_unspecified"
    MANIFEST_TIMEOUT = "lease_closed_reason_manifest_timeout"
    INSUFFICIENT_FUNDS = "lease_closed_reason_insufficient_funds"


ORDER_STATE_NUMBERS = dict(enumerate(OrderState))
BID_STATE_NUMBERS = dict(enumerate(BidState))
LEASE_STATE_NUMBERS = dict(enumerate(LeaseState))
REASON_NUMBERS = dict(zip((0, 1, 10000, 10001, 10002, 10003, 20000), LeaseClosedReason, strict=True))


@dataclass(frozen=True)
class OrderID:
    owner: str
    dseq: int
    gseq: int
    oseq: int

    @classmethod
    def parse(cls, o: Obj) -> OrderID:
        return cls(o.text("owner", required=True), o.integer("dseq", required=True), o.integer("gseq"), o.integer("oseq"))


@dataclass(frozen=True)
class BidID:
    """Also the LeaseID: a lease is identified by the bid it accepted (bseq included)."""

    owner: str
    dseq: int
    gseq: int
    oseq: int
    provider: str
    bseq: int

    @classmethod
    def parse(cls, o: Obj) -> BidID:
        return cls(
            o.text("owner", required=True),
            o.integer("dseq", required=True),
            o.integer("gseq"),
            o.integer("oseq"),
            o.text("provider", required=True),
            o.integer("bseq"),
        )

    @property
    def order_id(self) -> OrderID:
        return OrderID(self.owner, self.dseq, self.gseq, self.oseq)

    def query(self, prefix: str = "id") -> dict[str, object]:
        return {f"{prefix}.{k}": v for k, v in self.__dict__.items()}


LeaseID = BidID


@dataclass(frozen=True)
class Order:
    id: OrderID
    state: OrderState
    spec: GroupSpec
    created_at: int

    @classmethod
    def parse(cls, o: Obj) -> Order:
        return cls(
            OrderID.parse(o.need("id")),
            o.enum("state", OrderState, ORDER_STATE_NUMBERS),
            GroupSpec.parse(o.need("spec")),
            o.integer("created_at"),
        )


@dataclass(frozen=True)
class ResourceOffer:
    resources: Resources
    count: int


@dataclass(frozen=True)
class Bid:
    id: BidID
    state: BidState
    price: DecCoin  # per block
    created_at: int
    resources_offer: tuple[ResourceOffer, ...]
    reclamation_window: timedelta | None  # v2.1.0

    @classmethod
    def parse(cls, o: Obj) -> Bid:
        offers = tuple(ResourceOffer(Resources.parse(r.need("resources")), r.integer("count")) for r in o.children("resources_offer"))
        return cls(
            BidID.parse(o.need("id")),
            o.enum("state", BidState, BID_STATE_NUMBERS),
            dec_coin_or_zero(o, "price"),
            o.integer("created_at"),
            offers,
            o.duration("reclamation_window"),
        )


@dataclass(frozen=True)
class BidInfo:
    """A bid with the provider's bid deposit (its escrow account; not the tenant's funds)."""

    bid: Bid
    escrow_account: EscrowAccount | None

    @classmethod
    def parse(cls, o: Obj) -> BidInfo:
        return cls(Bid.parse(o.need("bid")), o.optional("escrow_account", EscrowAccount.parse))


@dataclass(frozen=True)
class LeaseReclamation:
    window: timedelta | None
    started_at: int  # height
    deadline: datetime | None
    reason: LeaseClosedReason

    @classmethod
    def parse(cls, o: Obj) -> LeaseReclamation:
        deadline = o.integer("deadline")
        return cls(
            o.duration("window"),
            o.integer("started_at"),
            datetime.fromtimestamp(deadline, UTC) if deadline else None,
            o.enum("reason", LeaseClosedReason, REASON_NUMBERS),
        )


@dataclass(frozen=True)
class Lease:
    id: BidID
    state: LeaseState
    price: DecCoin  # per block
    created_at: int
    closed_on: int
    reason: LeaseClosedReason
    reclamation: LeaseReclamation | None

    @classmethod
    def parse(cls, o: Obj) -> Lease:
        return cls(
            BidID.parse(o.need("id")),
            o.enum("state", LeaseState, LEASE_STATE_NUMBERS),
            dec_coin_or_zero(o, "price"),
            o.integer("created_at"),
            o.integer("closed_on"),
            o.enum("reason", LeaseClosedReason, REASON_NUMBERS),
            o.optional("reclamation", LeaseReclamation.parse),
        )


@dataclass(frozen=True)
class LeaseInfo:
    lease: Lease
    escrow_payment: EscrowPayment | None

    @classmethod
    def parse(cls, o: Obj) -> LeaseInfo:
        return cls(Lease.parse(o.need("lease")), o.optional("escrow_payment", EscrowPayment.parse))


@dataclass(frozen=True)
class MarketParams:
    bid_min_deposit: Coin | None
    bid_min_deposits: tuple[Coin, ...]
    order_max_bids: int
    min_reclamation_window: timedelta | None
    max_reclamation_window: timedelta | None

    @classmethod
    def parse(cls, o: Obj) -> MarketParams:
        return cls(
            o.optional("bid_min_deposit", Coin.parse),
            coins(o, "bid_min_deposits"),
            o.integer("order_max_bids"),
            o.duration("min_reclamation_window"),
            o.duration("max_reclamation_window"),
        )


@dataclass(frozen=True)
class MarketFilters:
    """`filters.*` of the list queries; empty fields are not sent."""

    owner: str = ""
    dseq: int | None = None
    gseq: int | None = None
    oseq: int | None = None
    provider: str = ""
    bseq: int | None = None
    state: str = ""

    def params(self, with_bid_fields: bool = True) -> dict[str, object]:
        fields = dict(self.__dict__)
        if not with_bid_fields:
            fields.pop("provider")
            fields.pop("bseq")
        return {f"filters.{k}": v for k, v in fields.items() if v not in ("", None)}


async def orders_page(client: ChainClient, filters: MarketFilters, page: PageRequest = PageRequest()) -> Page[Order]:
    return await fetch_page(client, ORDERS, "orders", Order.parse, params=filters.params(False), page=page)


async def order(client: ChainClient, oid: OrderID) -> Order:
    params = {"id.owner": oid.owner, "id.dseq": oid.dseq, "id.gseq": oid.gseq, "id.oseq": oid.oseq}
    return Order.parse(Obj(await client.get(ORDER_INFO, params), ORDER_INFO).need("order"))


async def bids_page(client: ChainClient, filters: MarketFilters, page: PageRequest = PageRequest()) -> Page[BidInfo]:
    return await fetch_page(client, BIDS, "bids", BidInfo.parse, params=filters.params(), page=page)


async def bids(client: ChainClient, filters: MarketFilters, *, cap: int = 1000) -> Listing[BidInfo]:
    return await fetch_all(client, BIDS, "bids", BidInfo.parse, params=filters.params(), cap=cap)


async def bid(client: ChainClient, bid_id: BidID) -> BidInfo:
    return BidInfo.parse(Obj(await client.get(BID_INFO, bid_id.query()), BID_INFO))


async def leases_page(client: ChainClient, filters: MarketFilters, page: PageRequest = PageRequest()) -> Page[LeaseInfo]:
    return await fetch_page(client, LEASES, "leases", LeaseInfo.parse, params=filters.params(), page=page)


async def leases(client: ChainClient, filters: MarketFilters, *, page_size: int = DEFAULT_PAGE_SIZE,
                 cap: int = 2000) -> Listing[LeaseInfo]:
    return await fetch_all(client, LEASES, "leases", LeaseInfo.parse, params=filters.params(), page_size=page_size,
                           cap=cap)


async def lease(client: ChainClient, lease_id: BidID) -> LeaseInfo:
    return LeaseInfo.parse(Obj(await client.get(LEASE_INFO, lease_id.query()), LEASE_INFO))


async def params(client: ChainClient) -> MarketParams:
    return MarketParams.parse(Obj(await client.get(PARAMS), PARAMS).need("params"))
