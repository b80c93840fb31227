"""Cosmos pagination: page requests (pagination.key/limit/...), an async iterator over all items, fetch-all."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import aclosing
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from app.chain.common import Page, PageInfo
from app.chain.errors import MalformedResponse
from app.chain.jsonread import Obj

if TYPE_CHECKING:
    from app.chain.client import ChainClient

T = TypeVar("T")
DEFAULT_PAGE_SIZE = 100
DEFAULT_CAP = 10_000


@dataclass(frozen=True)
class PageRequest:
    """`pagination.*` query parameters. Use either `key` (from the previous page) or `offset`."""

    key: str | None = None
    offset: int | None = None
    limit: int | None = None
    count_total: bool = False
    reverse: bool = False

    def params(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.key:
            out["pagination.key"] = self.key
        if self.offset is not None:
            out["pagination.offset"] = self.offset
        if self.limit is not None:
            out["pagination.limit"] = self.limit
        if self.count_total:
            out["pagination.count_total"] = True
        if self.reverse:
            out["pagination.reverse"] = True
        return out


@dataclass(frozen=True)
class Listing(Generic[T]):
    """Everything a fetch-all collected; `truncated` says the cap stopped it before the end."""

    items: tuple[T, ...]
    truncated: bool
    total: int | None  # the node's count, when it gave one


def parse_page(data: Any, path: str, items_key: str, parse: Callable[[Obj], T]) -> Page[T]:
    root = Obj(data, path)
    items = tuple(parse(o) for o in root.children(items_key))
    return Page(items, PageInfo.parse(root.child("pagination")))


async def fetch_page(
    client: ChainClient,
    path: str,
    items_key: str,
    parse: Callable[[Obj], T],
    *,
    params: Mapping[str, Any] | None = None,
    page: PageRequest = PageRequest(),
) -> Page[T]:
    data = await client.get(path, {**(params or {}), **page.params()})
    return parse_page(data, path, items_key, parse)


async def _pages(
    client: ChainClient,
    path: str,
    items_key: str,
    parse: Callable[[Obj], T],
    params: Mapping[str, Any] | None,
    limit: Callable[[], int],
    *,
    reverse: bool = False,
    count_total: bool = False,
) -> AsyncIterator[Page[T]]:
    """Pages one after another, following next_key; `limit()` sizes each request, `count_total` asks the first."""
    key: str | None = None
    seen: set[str] = set()
    while True:
        request = PageRequest(key=key, limit=limit(), reverse=reverse, count_total=count_total and key is None)
        page = await fetch_page(client, path, items_key, parse, params=params, page=request)
        yield page
        key = page.page.next_key
        if not key:
            return
        if key in seen:
            raise MalformedResponse(path, "$.pagination.next_key", "the node returned the same page key twice")
        seen.add(key)


async def iterate(
    client: ChainClient,
    path: str,
    items_key: str,
    parse: Callable[[Obj], T],
    *,
    params: Mapping[str, Any] | None = None,
    page_size: int = DEFAULT_PAGE_SIZE,
    reverse: bool = False,
) -> AsyncIterator[T]:
    """Every item of a list query, page after page (following next_key), fetched lazily."""
    async with aclosing(_pages(client, path, items_key, parse, params, lambda: page_size, reverse=reverse)) as pages:
        async for page in pages:
            for item in page.items:
                yield item


async def fetch_all(
    client: ChainClient,
    path: str,
    items_key: str,
    parse: Callable[[Obj], T],
    *,
    params: Mapping[str, Any] | None = None,
    page_size: int = DEFAULT_PAGE_SIZE,
    cap: int = DEFAULT_CAP,
) -> Listing[T]:
    """All items up to `cap` (a guard against unbounded lists such as every provider ever registered)."""
    items: list[T] = []
    total: int | None = None

    def limit() -> int:  # no more than the cap needs, plus one to tell "exactly cap" from "more"
        return min(page_size, max(1, cap - len(items) + 1))

    async with aclosing(_pages(client, path, items_key, parse, params, limit, count_total=True)) as pages:
        async for page in pages:
            if total is None:  # only the first request asks the node to count
                total = page.page.total or None
            items.extend(page.items)
            if len(items) > cap or (len(items) == cap and page.page.next_key):
                return Listing(tuple(items[:cap]), True, total)
    return Listing(tuple(items), False, total)

