"""Logs and events over loopback WebSocket (wss): reconnect by themselves, say so, no repeated lines, close codes."""

from __future__ import annotations

import asyncio
import random
import stat

import pytest
from aiohttp import WSCloseCode, web

from app.provider.certs import create_server_certificate
from app.provider.client import ProviderClient
from app.provider.errors import LeaseNotFound, ProviderAuthError, ProviderStreamError
from app.provider.jwt import JwtAuth, verify_token
from app.provider.models import KubeEvent, LogLine, StreamNotice
from app.provider.streams import Backoff, LogResync, _overlap, save_stream
from app.wallet.signer import Signer
from tests.core.provider_loopback import Gateway, wait_for

PROVIDER = "akash1jrkmdcwgq94uaamx6zax2luewlhf7u4k3rtk0c"
FAST = Backoff(base_s=0.01, cap_s=0.05, rng=random.Random(3))


@pytest.fixture
def signer():
    return Signer.from_mnemonic("abandon " * 11 + "about")


@pytest.fixture
async def gateway():
    gw = Gateway(create_server_certificate(PROVIDER, ["127.0.0.1"]))
    await gw.start()
    yield gw
    await gw.stop()


def _client(gw: Gateway, signer: Signer) -> ProviderClient:
    async def fetch(_p: str):
        return [(gw.pair.certificate.cert_pem, gw.pair.certificate.pubkey_pem)]

    return ProviderClient(gw.uri, PROVIDER, auth=JwtAuth(signer), fetch_certs=fetch)


class PodLog:
    """A pod's growing log; each WebSocket connection replays `tail` lines then streams new ones."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.lines: list[str] = []

    def add(self, n: int) -> None:
        self.lines += [f"line {len(self.lines) + i}" for i in range(n)]


def _logs_route(gw: Gateway, pods: list[PodLog], script: list[str], queries: list[dict[str, str]]):
    """Serve logs; `script` says what each successive connection does after the replay: drop / close / 4001..."""

    async def handler(request: web.Request) -> web.StreamResponse:
        queries.append(dict(request.query))
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        tail = int(request.query.get("tail", "-1"))
        action = script.pop(0) if script else "hold"
        for pod in pods:
            replay = pod.lines if tail < 0 else pod.lines[len(pod.lines) - tail :] if tail else []
            for line in replay:
                await ws.send_json({"name": pod.name, "message": line})
        if action.startswith("grow"):  # new lines after the replay, then drop
            for pod in pods:
                start = len(pod.lines)
                pod.add(int(action.split(":")[1]))
                for line in pod.lines[start:]:
                    await ws.send_json({"name": pod.name, "message": line})
            action = "drop"
        if action == "drop":
            await asyncio.sleep(0.05)
            request.transport.abort()  # no close frame: the provider vanished
            return ws
        if action.startswith("code:"):
            await ws.close(code=int(action[5:]), message=b"no running pods" if action == "code:4000" else b"")
            return ws
        if action == "close":
            await ws.close(code=WSCloseCode.OK)
            return ws
        async for _msg in ws:  # hold until the client closes
            pass
        return ws

    gw.route("GET", "/lease/*/*/*/logs", handler)


async def _collect(stream, count: int, timeout: float = 10.0) -> list:
    out = []

    async def run():
        async for item in stream:
            out.append(item)
            if len(out) >= count:
                return

    await asyncio.wait_for(run(), timeout)
    return out


async def test_logs_reconnect_without_repeating_lines(gateway, signer):
    web_pod, db_pod = PodLog("web-7d9f-abcde"), PodLog("db-55c4-zz9xy")
    web_pod.add(3)
    db_pod.add(2)
    queries: list[dict[str, str]] = []
    _logs_route(gateway, [web_pod, db_pod], ["drop", "grow:2", "hold"], queries)
    async with _client(gateway, signer) as client:
        stream = client.logs(8, 1, 1, tail=100, services=["web", "db"], backoff=FAST)
        items = await _collect(stream, 5 + 2 + 2 + 4)  # 5 lines, notices x2, 4 new lines, notices x2
        await stream.aclose()
    lines = [(i.name, i.message) for i in items if isinstance(i, LogLine)]
    notices = [i.kind for i in items if isinstance(i, StreamNotice)]
    expected = [("web-7d9f-abcde", f"line {i}") for i in range(5)] + [("db-55c4-zz9xy", f"line {i}") for i in range(4)]
    assert sorted(lines) == sorted(expected)  # every line once, including those written during the gap
    assert len(lines) == len(set(lines))
    assert notices == ["reconnecting", "reconnected", "reconnecting", "reconnected"]
    assert queries[0] == {"follow": "true", "tail": "100", "service": "web,db"}
    assert queries[1]["tail"] == "3"  # the longest pod history: its overlap is dropped
    token = gateway.seen[0][2]["Authorization"].removeprefix("Bearer ")
    assert "logs" in verify_token(token, signer.public_key)["leases"]["scope"]
    assert LogLine("web-7d9f-abcde", "x", items[0].received_at).service_in(("web", "db")) == "web"


async def test_not_following_ends_at_the_close(gateway, signer):
    pod = PodLog("web-1")
    pod.add(4)
    _logs_route(gateway, [pod], ["close"], [])
    async with _client(gateway, signer) as client:
        items = [i async for i in client.logs(8, 1, 1, follow=False, tail=-1, backoff=FAST)]
    assert [i.message for i in items if isinstance(i, LogLine)] == [f"line {i}" for i in range(4)]
    assert isinstance(items[-1], StreamNotice) and items[-1].kind == "ended"


async def test_close_4001_is_lease_not_found(gateway, signer):
    _logs_route(gateway, [], ["code:4001"], [])
    async with _client(gateway, signer) as client:
        with pytest.raises(LeaseNotFound):
            async for _ in client.logs(8, 1, 1, backoff=FAST):
                pass


async def test_close_4000_retries_then_gives_up(gateway, signer):
    queries: list[dict[str, str]] = []
    _logs_route(gateway, [], ["code:4000"] * 5, queries)
    notices = []
    async with _client(gateway, signer) as client:
        with pytest.raises(ProviderStreamError, match="no running pods"):
            async for item in client.logs(8, 1, 1, backoff=FAST, max_attempts=2):
                notices.append(item)
    assert len(queries) == 3
    assert [n.kind for n in notices] == ["reconnecting", "reconnected", "reconnecting", "reconnected"]
    assert "no running pods" in notices[0].reason


async def test_refused_token_on_websocket_is_typed(gateway, signer):
    async def refuse(_r: web.Request) -> web.Response:
        return web.json_response({"message": "JWT is invalid"}, status=401)

    gateway.route("GET", "/lease/*/*/*/logs", refuse)
    async with _client(gateway, signer) as client:
        with pytest.raises(ProviderAuthError, match="JWT is invalid"):
            async for _ in client.logs(8, 1, 1, backoff=FAST):
                pass
    assert len(gateway.seen) == 2  # once more with a fresh token


async def test_cancelling_the_consumer_closes_the_socket(gateway, signer):
    closed = asyncio.Event()

    async def handler(request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json({"name": "web-1", "message": "hello"})
        async for _msg in ws:  # ends when the client closes
            pass
        closed.set()
        return ws

    gateway.route("GET", "/lease/*/*/*/logs", handler)
    got = []
    async with _client(gateway, signer) as client:

        async def consume():
            async for item in client.logs(8, 1, 1, backoff=FAST):
                got.append(item)

        task = asyncio.create_task(consume())
        await wait_for(lambda: bool(got))
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await asyncio.wait_for(closed.wait(), 5)
    assert got[0].message == "hello"


async def test_events_skip_replayed_events_after_reconnect(gateway, signer):
    events = [
        {"type": "Normal", "reason": "Scheduled", "note": "assigned", "reportingController": "scheduler",
         "object": {"kind": "Pod", "namespace": "ns", "name": "web-1"}},
        {"type": "Normal", "reason": "Pulling", "note": "pulling nginx", "object": {"kind": "Pod", "namespace": "ns", "name": "web-1"}},
    ]
    connections = []

    async def handler(request: web.Request) -> web.StreamResponse:
        connections.append(dict(request.query))
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        for ev in events:
            await ws.send_json(ev)
        if len(connections) == 1:
            await asyncio.sleep(0.05)
            request.transport.abort()
            return ws
        await ws.send_json({"type": "Warning", "reason": "BackOff", "note": "restarting", "object": {"kind": "Pod", "name": "web-1"}})
        async for _msg in ws:
            pass
        return ws

    gateway.route("GET", "/lease/*/*/*/kubeevents", handler)
    async with _client(gateway, signer) as client:
        stream = client.events(8, 1, 1, backoff=FAST)
        items = await _collect(stream, 5)
        await stream.aclose()
    evs = [i for i in items if isinstance(i, KubeEvent)]
    assert [e.reason for e in evs] == ["Scheduled", "Pulling", "BackOff"]
    assert evs[0].reporting_controller == "scheduler" and evs[0].object_name == "web-1"
    assert connections[0] == {"follow": "true"}


async def test_save_stream_to_a_private_file(gateway, signer, tmp_path):
    pod = PodLog("web-1")
    pod.add(3)
    _logs_route(gateway, [pod], ["drop", "close"], [])
    target = tmp_path / "logs.txt"
    async with _client(gateway, signer) as client:
        written = await save_stream(client.logs(8, 1, 1, follow=False, backoff=FAST), target)
    text = target.read_text()
    assert written == 3 and text.count("[web-1] line") == 3
    assert "--- reconnecting" in text and "--- ended" in text
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


# ---- the overlap logic on its own --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("history", "received", "final", "expected"),
    [
        (["a", "b", "c"], ["b", "c", "d"], False, 2),
        (["a", "b", "c"], ["a", "b", "c"], False, 3),
        (["a", "b", "c"], ["x"], False, 0),
        (["a", "b", "c"], ["a", "b"], False, None),  # could still be a 3-line overlap
        (["a", "b", "c"], ["a", "b"], True, 0),
        (["x", "x"], ["x", "x", "y"], False, 2),  # repeated lines: the longest overlap wins
        (["x", "x"], ["x"], False, None),
        (["x", "x"], ["x"], True, 1),
        ([], ["a"], False, 0),
    ],
)
def test_overlap(history, received, final, expected):
    assert _overlap(history, received, final=final) == expected


def test_resync_flushes_after_a_pause():
    r = LogResync()
    now = None

    def line(name, msg):
        from datetime import UTC, datetime

        return LogLine(name, msg, now or datetime.now(UTC))

    for m in ("a", "b", "c"):
        r.feed(line("p", m))
    assert r.reconnect_tail() == 3
    assert r.feed(line("q", "new pod")) != []  # no history: passes at once
    assert r.feed(line("p", "a")) == [] and r.pending  # could be the replay of a, b, c
    assert [x.message for x in r.flush()] == ["a"]  # the pause says it was a new line after all
    assert [x.message for x in r.feed(line("p", "d"))] == ["d"]


async def test_provider_offline_then_back(gateway, signer):
    pod = PodLog("web-1")
    pod.add(2)
    _logs_route(gateway, [pod], ["drop", "hold"], [])
    items: list = []
    async with _client(gateway, signer) as client:
        stream = client.logs(8, 1, 1, backoff=Backoff(base_s=0.05, cap_s=0.1, rng=random.Random(4)))

        async def consume():
            async for item in stream:
                items.append(item)

        task = asyncio.create_task(consume())
        await wait_for(lambda: any(isinstance(i, LogLine) for i in items))
        port = gateway.port
        await gateway.stop()  # the provider goes away entirely
        await wait_for(lambda: sum(isinstance(i, StreamNotice) and "refused" in i.reason for i in items) >= 2)
        pod.add(1)
        await gateway.start(port)
        await wait_for(lambda: any(isinstance(i, StreamNotice) and i.kind == "reconnected" for i in items))
        await wait_for(lambda: [i.message for i in items if isinstance(i, LogLine)][-1:] == ["line 2"])
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    messages = [i.message for i in items if isinstance(i, LogLine)]
    assert messages == ["line 0", "line 1", "line 2"]  # the replayed lines were not shown twice
