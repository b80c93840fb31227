"""The REST client against real loopback servers that fail: down, slow, 5xx, malformed, failover, state."""

from __future__ import annotations

import random
import time
from collections.abc import AsyncIterator

import pytest

from app.chain import bank
from app.chain.client import ChainClient
from app.chain.errors import BadRequest, MalformedResponse, NodeError, NodeUnavailable, NotFound
from app.chain.health import ConnectionState, ConnectionStatus
from app.chain.policy import RetryPolicy, Timeouts
from app.config import local_network
from tests.core.test_chain_helpers import NODE_INFO, FakeNode, Reply, dead_url

FAST = RetryPolicy(rounds=3, base_delay_s=0.01, max_delay_s=0.05)
SHORT = Timeouts(connect_s=1.0, read_s=0.4, write_s=1.0, pool_s=1.0)
PATH = "/cosmos/base/tendermint/v1beta1/node_info"


@pytest.fixture
async def node() -> AsyncIterator[FakeNode]:
    n = FakeNode()
    await n.start()
    yield n
    await n.stop()


@pytest.fixture
async def node2() -> AsyncIterator[FakeNode]:
    n = FakeNode()
    await n.start()
    yield n
    await n.stop()


def client_for(*urls: str, **kw: object) -> ChainClient:
    kw.setdefault("retry", FAST)
    kw.setdefault("timeouts", SHORT)
    return ChainClient(list(urls), rng=random.Random(7), **kw)  # type: ignore[arg-type]


class Recorder:
    def __init__(self) -> None:
        self.states: list[ConnectionState] = []

    def __call__(self, state: ConnectionState) -> None:
        self.states.append(state)

    @property
    def statuses(self) -> list[ConnectionStatus]:
        return [s.status for s in self.states]


async def test_get_sends_nested_params_and_reports_ok(node: FakeNode) -> None:
    node.always("GET", "/q", Reply(body={"ok": True}))
    async with client_for(node.url) as c:
        rec = Recorder()
        c.add_listener(rec)
        data = await c.get("/q", {"filters": {"owner": "akash1x", "dseq": 5}, "pagination.limit": 2, "count": True, "skip": None})
        assert data == {"ok": True}
        assert node.seen[0].query == {"filters.owner": ["akash1x"], "filters.dseq": ["5"], "pagination.limit": ["2"], "count": ["true"]}
        assert c.state.status is ConnectionStatus.OK and c.state.endpoint == node.url
        assert c.state.latency_ms is not None and c.state.label.startswith("ok · ")
        assert rec.statuses == [ConnectionStatus.OK]


async def test_post_sends_json(node: FakeNode) -> None:
    node.always("POST", "/cosmos/tx/v1beta1/simulate", Reply(body={"gas_info": {"gas_used": "10"}}))
    async with client_for(node.url) as c:
        out = await c.post("/cosmos/tx/v1beta1/simulate", {"tx_bytes": "AAA="}, resend_safe=True)
    assert out["gas_info"]["gas_used"] == "10"
    assert node.seen[0].body == {"tx_bytes": "AAA="}


async def test_node_down_is_node_unavailable_with_reason() -> None:
    url = dead_url()
    async with client_for(url) as c:
        rec = Recorder()
        c.add_listener(rec)
        with pytest.raises(NodeUnavailable) as info:
            await c.get(PATH)
    err = info.value
    assert url in str(err) and "connection refused" in str(err)
    assert "Check your internet connection" in str(err)
    assert err.failures and all(f.endpoint == url for f in err.failures)
    assert len(err.failures) == FAST.rounds
    assert rec.statuses[-1] is ConnectionStatus.OFFLINE and c.state.status is ConnectionStatus.OFFLINE


async def test_slow_node_times_out_then_fails_clearly(node: FakeNode) -> None:
    node.always("GET", PATH, Reply(body=NODE_INFO, delay_s=3.0))
    async with client_for(node.url, retry=RetryPolicy(rounds=2, base_delay_s=0.01)) as c:
        started = time.monotonic()
        with pytest.raises(NodeUnavailable, match=r"no answer within 0.4 s"):
            await c.get(PATH)
        assert time.monotonic() - started < 2.5  # two read timeouts, not the server's 3 s delay
    assert node.count("GET", PATH) == 2


async def test_slow_but_answering_is_reported_slow(node: FakeNode) -> None:
    node.always("GET", PATH, Reply(body=NODE_INFO, delay_s=0.15))
    async with client_for(node.url, slow_after_s=0.05) as c:
        await c.get(PATH)
        assert c.state.status is ConnectionStatus.SLOW and c.state.latency_ms >= 150


async def test_503_then_ok_is_retried(node: FakeNode) -> None:
    node.script("GET", PATH, Reply(503, "busy"), Reply(502, "bad gw"), Reply(body=NODE_INFO))
    async with client_for(node.url) as c:
        rec = Recorder()
        c.add_listener(rec)
        assert (await c.get(PATH))["default_node_info"]["network"] == "localnet-1"
    assert node.count("GET", PATH) == 3
    assert ConnectionStatus.FAILING_OVER in rec.statuses and rec.statuses[-1] is ConnectionStatus.OK


async def test_429_honours_retry_after(node: FakeNode) -> None:
    node.script("GET", PATH, Reply(429, {"code": 8, "message": "slow down"}, headers={"Retry-After": "0.3"}))
    node.always("GET", PATH, Reply(body=NODE_INFO))
    async with client_for(node.url, retry=RetryPolicy(rounds=2, base_delay_s=0.01, max_delay_s=1.0)) as c:
        started = time.monotonic()
        await c.get(PATH)
        assert time.monotonic() - started >= 0.3


async def test_500_with_gateway_body_is_the_nodes_verdict(node: FakeNode) -> None:
    node.always("GET", "/q", Reply(500, {"code": 13, "message": "panic in query", "details": []}))
    async with client_for(node.url) as c:
        with pytest.raises(NodeError) as info:
            await c.get("/q")
        assert c.state.status is ConnectionStatus.OK  # the node answered; it is not down
    err = info.value
    assert (err.status, err.grpc_code, err.message) == (500, 13, "panic in query")
    assert "gRPC Internal" in str(err)
    assert node.count("GET", "/q") == 1  # not retried


async def test_500_without_body_fails_over(node: FakeNode, node2: FakeNode) -> None:
    node.always("GET", PATH, Reply(500, "<html>oops</html>"))
    node2.always("GET", PATH, Reply(body=NODE_INFO))
    async with client_for(node.url, node2.url) as c:
        await c.get(PATH)
        assert c.state.endpoint == node2.url


async def test_404_400_and_error_body_parsing(node: FakeNode) -> None:
    node.always("GET", "/missing", Reply(404, {"code": 5, "message": "account akash1x not found", "details": []}))
    node.always("GET", "/bad", Reply(400, {"code": 3, "message": "invalid address", "details": [{"@type": "x"}]}))
    node.always("GET", "/conflict", Reply(409, {"error": "conflict here"}))
    async with client_for(node.url) as c:
        with pytest.raises(NotFound) as nf:
            await c.get("/missing")
        assert nf.value.message == "account akash1x not found" and nf.value.grpc_code == 5
        assert "a new account only exists after it first receives funds" in str(nf.value)
        with pytest.raises(BadRequest, match="invalid address"):
            await c.get("/bad")
        with pytest.raises(NodeError, match="conflict here"):
            await c.get("/conflict")


async def test_404_without_gateway_body_fails_over(node: FakeNode, node2: FakeNode) -> None:
    node.always("GET", PATH, Reply(404, "<html>no such page</html>"))
    node2.always("GET", PATH, Reply(body=NODE_INFO))
    async with client_for(node.url, node2.url) as c:
        assert (await c.get(PATH))["default_node_info"]["moniker"] == "fake"


async def test_malformed_json_single_endpoint(node: FakeNode) -> None:
    node.always("GET", PATH, Reply(200, "{not json"))
    async with client_for(node.url) as c:
        with pytest.raises(MalformedResponse) as info:
            await c.get(PATH)
    assert info.value.path == PATH and "not JSON" in str(info.value)


async def test_malformed_json_fails_over_to_a_good_endpoint(node: FakeNode, node2: FakeNode) -> None:
    node.always("GET", PATH, Reply(200, "<!doctype html>"))
    node2.always("GET", PATH, Reply(body=NODE_INFO))
    async with client_for(node.url, node2.url) as c:
        assert (await c.get(PATH))["default_node_info"]["network"] == "localnet-1"


async def test_wrong_shape_is_malformed_naming_path_and_field(node: FakeNode) -> None:
    path = "/cosmos/bank/v1beta1/balances/akash1x"
    node.always("GET", path, Reply(body={"balances": [{"denom": "uakt", "amount": {"oops": 1}}]}))
    async with client_for(node.url) as c:
        with pytest.raises(MalformedResponse) as info:
            await bank.balances(c, "akash1x")
    assert info.value.path == path and info.value.field == "$.balances[0].amount"


async def test_failover_from_dead_endpoint_and_state_transitions(node: FakeNode) -> None:
    dead = dead_url()
    node.always("GET", PATH, Reply(body=NODE_INFO))
    async with client_for(dead, node.url) as c:
        rec = Recorder()
        c.add_listener(rec)
        await c.get(PATH)
        assert [(s.status, s.endpoint) for s in rec.states] == [
            (ConnectionStatus.FAILING_OVER, node.url),
            (ConnectionStatus.OK, node.url),
        ]
        assert dead in rec.states[0].detail and "connection refused" in rec.states[0].detail
        # The dead endpoint cools down: the next request goes straight to the live one.
        await c.get(PATH)
        assert c.pool.order()[0] == node.url
        assert rec.statuses[-1] is ConnectionStatus.OK and len(rec.states) == 2


async def test_reprobe_returns_to_the_preferred_endpoint(node: FakeNode, node2: FakeNode) -> None:
    now = [1000.0]
    node.script("GET", PATH, Reply(503, "down for a moment"))
    node.always("GET", PATH, Reply(body=NODE_INFO))
    node2.always("GET", PATH, Reply(body=NODE_INFO))
    async with client_for(node.url, node2.url, cooldown_s=10.0, clock=lambda: now[0]) as c:
        await c.get(PATH)
        assert c.state.endpoint == node2.url
        await c.get(PATH)
        assert c.state.endpoint == node2.url and node.count("GET", PATH) == 1  # preferred one still cooling
        now[0] += 11
        await c.get(PATH)  # cooldown over: the preferred endpoint is tried first again
        assert c.state.endpoint == node.url and node.count("GET", PATH) == 2


async def test_probe_moves_back_without_a_user_request(node: FakeNode, node2: FakeNode) -> None:
    now = [0.0]
    node.script("GET", PATH, Reply(503, "x"))
    node.always("GET", PATH, Reply(body=NODE_INFO))
    node2.always("GET", PATH, Reply(body=NODE_INFO))
    async with client_for(node.url, node2.url, clock=lambda: now[0]) as c:
        await c.get(PATH)
        assert c.state.endpoint == node2.url
        state = await c.probe()
        assert state.endpoint == node.url and c.pool.order()[0] == node.url


async def test_every_endpoint_down_lists_each_reason(node: FakeNode) -> None:
    dead = dead_url()
    node.always("GET", PATH, Reply(503, "maintenance"))
    async with client_for(dead, node.url, retry=RetryPolicy(rounds=1)) as c:
        with pytest.raises(NodeUnavailable) as info:
            await c.get(PATH)
    text = str(info.value)
    assert f"{dead}: connection refused" in text and f"{node.url}: HTTP 503 (unavailable)" in text


async def test_post_not_resent_when_it_may_have_arrived(node: FakeNode) -> None:
    node.always("POST", "/cosmos/tx/v1beta1/txs", Reply(drop=True))
    async with client_for(node.url) as c:
        with pytest.raises(NodeUnavailable) as info:
            await c.post("/cosmos/tx/v1beta1/txs", {"tx_bytes": "AA=="})
    assert info.value.maybe_delivered is True
    assert node.count("POST", "/cosmos/tx/v1beta1/txs") == 1


async def test_post_resend_safe_is_retried(node: FakeNode) -> None:
    node.script("POST", "/s", Reply(drop=True), Reply(504, "gw timeout"))
    node.always("POST", "/s", Reply(body={"ok": 1}))
    async with client_for(node.url) as c:
        assert await c.post("/s", {"a": 1}, resend_safe=True) == {"ok": 1}
    assert node.count("POST", "/s") == 3


async def test_listener_errors_are_contained_and_removable(node: FakeNode) -> None:
    node.always("GET", PATH, Reply(body=NODE_INFO))
    async with client_for(node.url) as c:
        rec = Recorder()

        def broken(_state: ConnectionState) -> None:
            raise RuntimeError("listener bug")

        c.add_listener(broken)
        remove = c.add_listener(rec)
        remove()
        await c.get(PATH)
        assert rec.states == [] and c.state.status is ConnectionStatus.OK


async def test_network_preset_and_path_segments_are_encoded(node: FakeNode) -> None:
    from app.chain import auth

    port = int(node.url.rsplit(":", 1)[1])
    async with ChainClient(local_network(port), retry=FAST, timeouts=SHORT) as c:
        assert c.chain_id == "localnet-1"
        with pytest.raises(NodeError):  # the fake node has no such route: 501 Unimplemented
            await auth.account(c, "a/b?x=1")
    # "a/b?x=1" stays one path segment: it can never reach another route or add a query.
    assert node.seen[-1].raw_path == "/cosmos/auth/v1beta1/accounts/a%2Fb%3Fx%3D1"
