"""The aiohttp REST server: module routes, the tx and block services, local-only routes, gateway error bodies."""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from app.config import DENOM_ACT, DENOM_AKT
from app.localnet.errors import GrpcError, invalid_argument, not_found
from app.localnet.genesis import DEMO_ADDRESS
from app.localnet.modules.auth import parse_address
from app.localnet.node import Node
from app.localnet.protojson import any_to_json
from app.localnet.render import block_response, events_json, tx_json, tx_response
from app.localnet.rest import Query, rfc3339
from app.proto.gen.cosmos.base.abci.v1beta1 import abci_pb2

log = logging.getLogger(__name__)
NODE_KEY = web.AppKey("node", Node)
MAX_ADVANCE = 100_000
FAUCET_DEFAULT = {DENOM_AKT: 1_000_000_000, DENOM_ACT: 1_000_000_000}
_COND = re.compile(r"^\s*([\w.\-]+)\s*(<=|>=|=|<|>)\s*('(?:[^']*)'|[\w.\-/]+)\s*$")


def dumps(body: Any) -> str:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)


def json_response(body: Any, status: int = 200) -> web.Response:
    return web.Response(text=dumps(body), status=status, content_type="application/json")


@web.middleware
async def gateway_errors(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                         ) -> web.StreamResponse:
    """Every failure as the gateway writes it: {"code", "message", "details": []} + the mapped status."""
    try:
        return await handler(request)
    except GrpcError as exc:
        return json_response(exc.body(), exc.http_status)
    except web.HTTPNotFound:
        return json_response({"code": 12, "message": "Not Implemented", "details": []}, 501)
    except web.HTTPMethodNotAllowed:
        return json_response({"code": 12, "message": "Method Not Allowed", "details": []}, 501)
    except Exception as exc:  # never a traceback page: a gateway-shaped 500 and the log
        log.exception("%s %s failed", request.method, request.path)
        return json_response({"code": 13, "message": f"internal error: {exc}", "details": []}, 500)


def query_of(request: web.Request) -> Query:
    args = {k: request.query.getall(k) for k in request.query}
    return Query(dict(request.match_info), args)


def sync_route(fn: Callable[[Query], Any]) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def handle(request: web.Request) -> web.Response:
        return json_response(fn(query_of(request)))

    return handle


async def read_json(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise invalid_argument(f"invalid JSON body: {exc}") from None
    if not isinstance(body, dict):
        raise invalid_argument("the request body must be a JSON object")
    return body


def tx_bytes_of(body: dict[str, Any]) -> bytes:
    text = body.get("tx_bytes") or body.get("txBytes") or ""
    if not isinstance(text, str) or not text:
        raise invalid_argument("invalid empty tx")
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise invalid_argument("tx_bytes is not valid base64") from None


class CoreRoutes:
    """Routes of the node itself (tendermint and tx services) and the local-only /localnet routes."""

    def __init__(self, node: Node) -> None:
        self.node = node

    # -- tendermint service --
    async def node_info(self, request: web.Request) -> web.Response:
        chain_id = self.node.chain.chain_id
        return json_response({
            "default_node_info": {
                "protocol_version": {"p2p": "8", "block": "11", "app": "0"},
                "default_node_id": "b4b2ee4b5f1b0c2b6c0f4b7d1e2a3c4d5e6f7a8b",
                "listen_addr": "tcp://127.0.0.1:26656", "network": chain_id, "version": "0.38.19",
                "channels": "QCAhIiMwOGBhAA==", "moniker": "akash-desk-localnet",
                "other": {"tx_index": "on", "rpc_address": "tcp://127.0.0.1:26657"},
            },
            "application_version": {
                "name": "akash", "app_name": "akash", "version": "2.1.0",
                "git_commit": "0000000000000000000000000000000000000000", "build_tags": "localnet",
                "go_version": "go version go1.24.11 linux/amd64", "build_deps": [],
                "cosmos_sdk_version": "v0.53.7-akash.2",
            },
        })

    async def syncing(self, request: web.Request) -> web.Response:
        return json_response({"syncing": False})

    def _block(self, height: int) -> dict[str, Any]:
        block = self.node.store.block(height)
        if block is None:
            raise invalid_argument(f"requested block height {height} is bigger then the chain length "
                                   f"{self.node.height}") if height > self.node.height else \
                not_found(f"block {height} not found")
        return block

    async def latest_block(self, request: web.Request) -> web.Response:
        return json_response(block_response(self._block(self.node.height)))

    async def block_by_height(self, request: web.Request) -> web.Response:
        raw = request.match_info["height"]
        if not raw.isdigit() or int(raw) == 0:
            raise invalid_argument("requested block height must be a positive integer")
        return json_response(block_response(self._block(int(raw))))

    # -- tx service --
    async def broadcast(self, request: web.Request) -> web.Response:
        body = await read_json(request)
        mode = body.get("mode", "BROADCAST_MODE_SYNC")
        if mode not in ("BROADCAST_MODE_SYNC", "BROADCAST_MODE_ASYNC", 2, 3):
            raise invalid_argument(f"unsupported broadcast mode {mode}; supported: BROADCAST_MODE_SYNC, "
                                   "BROADCAST_MODE_ASYNC")
        raw = tx_bytes_of(body)
        result = self.node.broadcast(raw)
        if mode in ("BROADCAST_MODE_ASYNC", 3):
            result = {**result, "codespace": "", "code": 0, "raw_log": ""}
        return json_response({"tx_response": result})

    async def simulate(self, request: web.Request) -> web.Response:
        raw = tx_bytes_of(await read_json(request))
        out = self.node.simulate(raw)
        if out.code != 0:
            raise GrpcError(2, f"{out.log} With gas wanted: '{out.gas_wanted}' and gas used: '{out.gas_used}' ")
        data = abci_pb2.TxMsgData()
        for url, value in out.msg_responses:
            data.msg_responses.add(type_url=url, value=value)
        return json_response({
            "gas_info": {"gas_wanted": str(out.gas_wanted), "gas_used": str(out.gas_used)},
            "result": {"data": base64.b64encode(data.SerializeToString()).decode(), "log": "",
                       "events": events_json(out.events),
                       "msg_responses": [any_to_json(a) for a in data.msg_responses]},
        })

    async def get_tx(self, request: web.Request) -> web.Response:
        h = request.match_info["hash"]
        if not re.fullmatch(r"[0-9a-fA-F]{64}", h):
            raise invalid_argument(f"invalid tx hash {h!r}: a tx hash is 64 hex characters")
        found = self.node.store.tx(h)
        if found is None:
            raise not_found(f"tx not found: {h}")
        raw, record = found
        return json_response({"tx": tx_json(raw), "tx_response": tx_response(record, raw)})

    async def search_txs(self, request: web.Request) -> web.Response:
        q = query_of(request)
        text = q.str("query")
        conditions = _parse_query(text) if text else [c for e in q.list("events") for c in _parse_query(e)]
        if not conditions:
            raise invalid_argument("query cannot be empty")
        page = q.uint("page", 1) or 1
        limit = q.uint("limit") or q.uint("pagination.limit") or 100
        limit = min(limit, 100)
        order = q.enum("order_by", ["ORDER_BY_UNSPECIFIED", "ORDER_BY_ASC", "ORDER_BY_DESC"])
        total, rows = self.node.store.search_txs(conditions, order == "ORDER_BY_DESC", (page - 1) * limit, limit)
        return json_response({
            "txs": [tx_json(raw) for raw, _ in rows],
            "tx_responses": [tx_response(rec, raw) for raw, rec in rows],
            "pagination": None,
            "total": str(total),
        })

    # -- local-only --
    async def advance(self, request: web.Request) -> web.Response:
        body = await read_json(request)
        blocks = body.get("blocks", 1)
        if not isinstance(blocks, int) or isinstance(blocks, bool) or not 1 <= blocks <= MAX_ADVANCE:
            raise invalid_argument(f"blocks must be a whole number from 1 to {MAX_ADVANCE}")
        height = await self.node.advance(blocks)
        return json_response({"height": str(height), "time": rfc3339(self.node.chain.time_at(height))})

    async def faucet(self, request: web.Request) -> web.Response:
        body = await read_json(request)
        address = parse_address(str(body.get("address", "")))
        coins = dict(FAUCET_DEFAULT)
        amounts = body.get("amounts")
        if amounts is not None:
            coins = {}
            for c in amounts if isinstance(amounts, list) else [None]:
                if not (isinstance(c, dict) and str(c.get("amount", "")).isdigit() and c.get("denom")):
                    raise invalid_argument('amounts must be a list of {"denom": "uakt", "amount": "1000"}')
                coins[str(c["denom"])] = coins.get(str(c["denom"]), 0) + int(c["amount"])
        height = await self.node.faucet(address, coins)
        return json_response({"address": address, "amount": [{"denom": d, "amount": str(a)}
                                                             for d, a in sorted(coins.items())],
                              "height": str(height)})

    async def provider(self, request: web.Request) -> web.Response:
        """Take a simulated provider offline (gateway closed, no bids, no upkeep) or back online."""
        body = await read_json(request)
        name, online = body.get("name"), body.get("online")
        if not isinstance(name, str) or not isinstance(online, bool):
            raise invalid_argument('the body must be {"name": "<simulated provider>", "online": true or false}')
        fleet = self.node.chain.module("fleet").fleet
        if fleet is None:
            raise not_found("the simulated providers are switched off on this node")
        try:
            provider = fleet.by_name(name)
        except KeyError:
            raise not_found(f"no simulated provider {name!r}; running: {', '.join(fleet.names())}") from None
        await provider.set_online(online)
        return json_response({"name": provider.name, "address": provider.address, "online": provider.online})

    async def status(self, request: web.Request) -> web.Response:
        n = self.node
        return json_response({"chain_id": n.chain.chain_id, "height": str(n.height),
                              "latest_block_time": rfc3339(n.chain.time_at(n.height)),
                              "block_time": f"{n.block_time_ns / 1e9:g}s", "mempool_size": len(n.mempool),
                              "demo_address": DEMO_ADDRESS, "local": True})


def _parse_query(text: str) -> list[tuple[str, str, str]]:
    """Tendermint query syntax, AND only: message.sender='akash1...' AND tx.height>=5."""
    out = []
    for part in re.split(r"\s+AND\s+", text.strip(), flags=re.IGNORECASE):
        m = _COND.match(part)
        if not m:
            raise invalid_argument(f"invalid query condition {part!r}; use key='value' joined by AND")
        key, op, value = m.groups()
        value = value[1:-1] if value.startswith("'") else value
        if op != "=" and key != "tx.height":
            raise invalid_argument(f"only tx.height can be compared with {op}")
        if key == "tx.height" and not value.isdigit():
            raise invalid_argument("tx.height must be a number")
        out.append((key, op, value))
    return out


def make_app(node: Node) -> web.Application:
    app = web.Application(middlewares=[gateway_errors], client_max_size=4 * 1024 * 1024)
    app[NODE_KEY] = node
    core = CoreRoutes(node)
    tm = "/cosmos/base/tendermint/v1beta1"
    r = app.router
    r.add_get(f"{tm}/node_info", core.node_info)
    r.add_get(f"{tm}/syncing", core.syncing)
    r.add_get(f"{tm}/blocks/latest", core.latest_block)
    r.add_get(f"{tm}/blocks/{{height}}", core.block_by_height)
    r.add_post("/cosmos/tx/v1beta1/txs", core.broadcast)
    r.add_post("/cosmos/tx/v1beta1/simulate", core.simulate)
    r.add_get("/cosmos/tx/v1beta1/txs", core.search_txs)
    r.add_get("/cosmos/tx/v1beta1/txs/{hash}", core.get_tx)
    r.add_post("/localnet/advance", core.advance)
    r.add_post("/localnet/faucet", core.faucet)
    r.add_post("/localnet/provider", core.provider)
    r.add_get("/localnet/status", core.status)
    for m in node.chain.modules:
        for route in m.routes():
            r.add_route(route.method, route.path, sync_route(route.handler))

    async def on_startup(_: web.Application) -> None:
        await node.start()

    async def on_cleanup(_: web.Application) -> None:
        await node.stop()

    app.on_startup.append(on_startup)
    app.on_cleanup.append(on_cleanup)
    return app
