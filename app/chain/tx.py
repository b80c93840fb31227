"""Transactions (cosmos.tx.v1beta1): a tx by hash with its events, and event-query search for history."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from app.chain.common import Coin, coins
from app.chain.jsonread import Obj
from app.chain.params import segment

if TYPE_CHECKING:
    from app.chain.client import ChainClient

TXS = "/cosmos/tx/v1beta1/txs"
TX = "/cosmos/tx/v1beta1/txs/{hash}"


@dataclass(frozen=True)
class EventAttribute:
    key: str
    value: str
    index: bool


@dataclass(frozen=True)
class Event:
    type: str
    attributes: tuple[EventAttribute, ...]

    def get(self, key: str) -> str:
        return next((a.value for a in self.attributes if a.key == key), "")

    @classmethod
    def parse(cls, o: Obj) -> Event:
        attrs = tuple(EventAttribute(a.text("key"), a.text("value"), a.flag("index")) for a in o.children("attributes"))
        return cls(o.text("type"), attrs)


@dataclass(frozen=True)
class TxMessage:
    type_url: str
    json: str  # the message's fields as canonical JSON text

    @classmethod
    def parse(cls, o: Obj) -> TxMessage:
        fields = {k: o.raw(k) for k in o.field_names() if k != "@type"}
        return cls(o.text("@type"), json.dumps(fields, sort_keys=True, separators=(",", ":")))

    @property
    def fields(self) -> dict[str, Any]:
        return json.loads(self.json)


@dataclass(frozen=True)
class TxResult:
    """A transaction as included in a block (or as far as the node knows it): outcome, gas, events."""

    txhash: str
    height: int
    code: int  # 0 = success
    codespace: str
    raw_log: str
    gas_wanted: int
    gas_used: int
    timestamp: datetime | None
    events: tuple[Event, ...]
    messages: tuple[TxMessage, ...]
    memo: str
    fee: tuple[Coin, ...]
    fee_payer: str
    fee_granter: str

    @property
    def ok(self) -> bool:
        return self.code == 0

    def events_of(self, event_type: str) -> tuple[Event, ...]:
        return tuple(e for e in self.events if e.type == event_type)

    @classmethod
    def parse(cls, response: Obj, tx: Obj | None = None) -> TxResult:
        """From a tx_response, with the decoded tx from the answer (or the response's own `tx` Any)."""
        tx = tx or response.child("tx")
        body = tx.child("body") if tx is not None else None
        auth = tx.child("auth_info") if tx is not None else None
        fee = auth.child("fee") if auth is not None else None
        return cls(
            txhash=response.text("txhash", required=True).upper(),
            height=response.integer("height"),
            code=response.integer("code"),
            codespace=response.text("codespace"),
            raw_log=response.text("raw_log"),
            gas_wanted=response.integer("gas_wanted"),
            gas_used=response.integer("gas_used"),
            timestamp=response.time("timestamp"),
            events=tuple(Event.parse(e) for e in response.children("events")),
            messages=tuple(TxMessage.parse(m) for m in body.children("messages")) if body is not None else (),
            memo=body.text("memo") if body is not None else "",
            fee=coins(fee, "amount") if fee is not None else (),
            fee_payer=fee.text("payer") if fee is not None else "",
            fee_granter=fee.text("granter") if fee is not None else "",
        )


@dataclass(frozen=True)
class TxSearchPage:
    items: tuple[TxResult, ...]
    total: int  # across all pages
    page: int
    limit: int

    @property
    def has_more(self) -> bool:
        return self.page * self.limit < self.total


def parse_get_tx(data: object, path: str) -> TxResult:
    root = Obj(data, path)
    return TxResult.parse(root.need("tx_response"), root.child("tx"))


async def get_tx(client: ChainClient, txhash: str) -> TxResult:
    """A transaction by hash; raises NotFound while it is not (yet) in a block."""
    path = TX.format(hash=segment(txhash.upper()))
    return parse_get_tx(await client.get(path), path)


async def search_txs(
    client: ChainClient, query: str, *, page: int = 1, limit: int = 50, newest_first: bool = True
) -> TxSearchPage:
    """Txs matching a CometBFT event query, e.g. "message.sender='akash1...'" (SDK 0.50+ `query` param)."""
    params = {
        "query": query,
        "page": max(1, page),
        "limit": max(1, limit),
        "order_by": "ORDER_BY_DESC" if newest_first else "ORDER_BY_ASC",
    }
    return parse_search(await client.get(TXS, params), TXS, page, limit)


def parse_search(data: object, path: str, page: int = 1, limit: int = 50) -> TxSearchPage:
    root = Obj(data, path)
    responses = root.children("tx_responses")
    txs = root.children("txs")
    items = tuple(TxResult.parse(r, txs[i] if i < len(txs) else None) for i, r in enumerate(responses))
    total = root.integer("total")
    if not total:
        pag = root.child("pagination")
        total = pag.integer("total") if pag is not None else len(items)
    return TxSearchPage(items, total, max(1, page), max(1, limit))
