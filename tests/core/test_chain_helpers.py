"""Loopback HTTP nodes for the chain client tests: a scriptable aiohttp server that injects faults."""

from __future__ import annotations

import asyncio
import json
import socket
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Reply:
    """One scripted answer: status, body (dict -> JSON, str/bytes -> raw), optional delay before it."""

    status: int = 200
    body: Any = field(default_factory=dict)
    delay_s: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False  # close the connection without answering


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    raw_path: str = ""


class FakeNode:
    """An aiohttp server on 127.0.0.1 with per-path scripted replies (queue) or handlers, recording requests."""

    def __init__(self) -> None:
        self.scripts: dict[tuple[str, str], deque[Reply]] = defaultdict(deque)
        self.defaults: dict[tuple[str, str], Reply] = {}
        self.handlers: dict[tuple[str, str], Handler] = {}
        self.prefix_handlers: list[tuple[str, str, Handler]] = []
        self.seen: list[Seen] = []
        self._runner: web.AppRunner | None = None
        self.url = ""

    def script(self, method: str, path: str, *replies: Reply) -> None:
        self.scripts[(method, path)].extend(replies)

    def always(self, method: str, path: str, reply: Reply) -> None:
        self.defaults[(method, path)] = reply

    def handle(self, method: str, path: str, handler: Handler) -> None:
        self.handlers[(method, path)] = handler

    def handle_prefix(self, method: str, prefix: str, handler: Handler) -> None:
        self.prefix_handlers.append((method, prefix, handler))

    def count(self, method: str, path: str) -> int:
        return sum(1 for s in self.seen if s.method == method and s.path == path)

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        body = None
        if request.can_read_body:
            raw = await request.read()
            try:
                body = json.loads(raw)
            except ValueError:
                body = raw
        query: dict[str, list[str]] = defaultdict(list)
        for k, v in request.query.items():
            query[k].append(v)
        self.seen.append(Seen(request.method, request.path, dict(query), body, request.raw_path))
        key = (request.method, request.path)
        if key in self.handlers:
            return await self.handlers[key](request)
        for method, prefix, handler in self.prefix_handlers:
            if request.method == method and request.path.startswith(prefix):
                return await handler(request)
        queue = self.scripts.get(key)
        reply = queue.popleft() if queue else self.defaults.get(key)
        if reply is None:
            return web.json_response({"code": 12, "message": "Not Implemented", "details": []}, status=501)
        if reply.delay_s:
            await asyncio.sleep(reply.delay_s)
        if reply.drop:
            assert request.transport is not None
            request.transport.close()
            return web.Response(status=200)
        if isinstance(reply.body, (dict, list)):
            return web.json_response(reply.body, status=reply.status, headers=reply.headers)
        text = reply.body if isinstance(reply.body, (str, bytes)) else str(reply.body)
        return web.Response(body=text, status=reply.status, headers=reply.headers, content_type="text/html")

    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        sockets = site._server.sockets  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{sockets[0].getsockname()[1]}"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


def dead_url() -> str:
    """A loopback URL where nothing listens: connecting to it is refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


NODE_INFO = {
    "default_node_info": {"network": "localnet-1", "moniker": "fake", "version": "0.38.19", "default_node_id": "ab"},
    "application_version": {"name": "akash", "app_name": "akash", "version": "2.1.0", "cosmos_sdk_version": "v0.53.7"},
}
