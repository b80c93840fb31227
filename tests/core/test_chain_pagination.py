"""Pagination against a loopback node that pages with opaque next_key values."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from app.chain import bank, staking
from app.chain.client import ChainClient
from app.chain.common import Coin
from app.chain.errors import MalformedResponse
from app.chain.pagination import PageRequest, fetch_all, fetch_page, iterate
from app.chain.policy import RetryPolicy
from tests.core.test_chain_helpers import FakeNode

PATH = "/cosmos/bank/v1beta1/balances/akash1many"
COINS = [{"denom": f"ibc/{i:04d}", "amount": str(i)} for i in range(23)]


def paged(items: list[dict], key_name: str = "balances", loop_key: bool = False):
    async def handler(request: web.Request) -> web.Response:
        limit = int(request.query.get("pagination.limit", "100"))
        key = request.query.get("pagination.key")
        start = int(base64.b64decode(key).decode()) if key else int(request.query.get("pagination.offset", "0"))
        if request.query.get("pagination.reverse") == "true":
            items_ = list(reversed(items))
        else:
            items_ = items
        chunk = items_[start : start + limit]
        nxt = start + limit
        next_key = base64.b64encode(str(nxt).encode()).decode() if nxt < len(items_) else None
        if loop_key and next_key:
            next_key = base64.b64encode(b"0").decode() if start else next_key
        total = str(len(items_)) if request.query.get("pagination.count_total") == "true" else "0"
        return web.json_response({key_name: chunk, "pagination": {"next_key": next_key, "total": total}})

    return handler


@pytest.fixture
async def client() -> AsyncIterator[tuple[FakeNode, ChainClient]]:
    node = FakeNode()
    await node.start()
    node.handle("GET", PATH, paged(COINS))
    c = ChainClient([node.url], retry=RetryPolicy(rounds=1))
    yield node, c
    await c.aclose()
    await node.stop()


async def test_fetch_all_follows_next_key(client: tuple[FakeNode, ChainClient]) -> None:
    node, c = client
    listing = await fetch_all(c, PATH, "balances", Coin.parse, page_size=5)
    assert [x.amount for x in listing.items] == list(range(23))
    assert listing.truncated is False and listing.total == 23
    assert node.count("GET", PATH) == 5
    first, second = node.seen[0].query, node.seen[1].query
    assert "pagination.key" not in first and first["pagination.count_total"] == ["true"]
    assert second["pagination.key"] == [base64.b64encode(b"5").decode()]


async def test_fetch_all_cap_truncates(client: tuple[FakeNode, ChainClient]) -> None:
    _node, c = client
    listing = await fetch_all(c, PATH, "balances", Coin.parse, page_size=5, cap=12)
    assert len(listing.items) == 12 and listing.truncated is True
    exact = await fetch_all(c, PATH, "balances", Coin.parse, page_size=10, cap=23)
    assert len(exact.items) == 23 and exact.truncated is False


async def test_async_iterator_is_lazy(client: tuple[FakeNode, ChainClient]) -> None:
    node, c = client
    seen = []
    async for coin in iterate(c, PATH, "balances", Coin.parse, page_size=4):
        seen.append(coin.amount)
        if len(seen) == 6:
            break
    assert seen == [0, 1, 2, 3, 4, 5] and node.count("GET", PATH) == 2
    everything = [coin.amount async for coin in iterate(c, PATH, "balances", Coin.parse, page_size=7, reverse=True)]
    assert everything == list(reversed(range(23)))


async def test_single_page_request_params(client: tuple[FakeNode, ChainClient]) -> None:
    node, c = client
    page = await fetch_page(c, PATH, "balances", Coin.parse, page=PageRequest(offset=20, limit=10, count_total=True))
    assert [x.amount for x in page.items] == [20, 21, 22] and page.page.next_key is None and page.page.total == 23
    assert node.seen[-1].query["pagination.offset"] == ["20"]


async def test_query_helpers_page_through(client: tuple[FakeNode, ChainClient]) -> None:
    _node, c = client
    assert len(await bank.balances(c, "akash1many")) == 23


async def test_repeated_next_key_is_detected() -> None:
    node = FakeNode()
    await node.start()
    vals = [{"operator_address": f"akashvaloper{i}", "tokens": "1"} for i in range(10)]
    node.handle("GET", staking.VALIDATORS, paged(vals, "validators", loop_key=True))
    try:
        async with ChainClient([node.url], retry=RetryPolicy(rounds=1)) as c:
            with pytest.raises(MalformedResponse, match="same page key twice"):
                await fetch_all(c, staking.VALIDATORS, "validators", staking.Validator.parse, page_size=3)
    finally:
        await node.stop()
