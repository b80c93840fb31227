"""The one async REST client of the app (mainnet, sandbox, local node): pooling, retries, failover, state."""

from __future__ import annotations

import asyncio
import json
import logging
import random
import socket
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from app.chain.endpoints import EndpointPool
from app.chain.errors import EndpointFailure, MalformedResponse, NodeUnavailable, http_error, parse_error_body
from app.chain.health import ConnectionState, Listener, StateTracker
from app.chain.params import encode_params
from app.chain.policy import TRANSIENT_STATUSES, RetryPolicy, Timeouts
from app.config import Network

log = logging.getLogger(__name__)

NODE_INFO_PATH = "/cosmos/base/tendermint/v1beta1/node_info"
_BIG_BODY = 1 << 20  # answers above 1 MiB are decoded in a worker thread so the UI loop stays fluid
_USER_AGENT = "akash-desk/0.1"

# Errors raised before any byte of the request left: the request certainly did not reach the node.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


@dataclass
class _Attempt:
    """Outcome of one try against one endpoint that did not produce a final answer."""

    reason: str
    maybe_delivered: bool = False
    malformed: MalformedResponse | None = None
    retry_after_s: float | None = None
    unreachable: bool = False  # connect timeout: a black-holed host, not worth a second try this request


class ChainClient:
    """Async REST client for one network, shared by every service of the app.

    - `get(path, params)` / `post(path, body)` return decoded JSON (dict/list), or raise a typed ChainError.
    - transient failures (connect errors, timeouts, 429/502/503/504, non-JSON answers) fail over to the
      next endpoint at once, and each round over all endpoints is separated by a jittered backoff.
    - `state` / `add_listener` expose the connection state for the UI header; no Qt here.
    """

    def __init__(
        self,
        network: Network | Sequence[str],
        *,
        timeouts: Timeouts = Timeouts(),
        retry: RetryPolicy = RetryPolicy(),
        slow_after_s: float = 2.0,
        cooldown_s: float = 15.0,
        max_connections: int = 16,
        transport: httpx.AsyncBaseTransport | None = None,
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.network = network if isinstance(network, Network) else None
        urls = network.rest if isinstance(network, Network) else tuple(network)
        self.pool = EndpointPool(urls, cooldown_s=cooldown_s, clock=clock)
        self.tracker = StateTracker(self.pool.current, slow_after_s)
        self.timeouts = timeouts
        self.retry = retry
        self._rng = rng or random.Random()
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(
                connect=timeouts.connect_s, read=timeouts.read_s, write=timeouts.write_s, pool=timeouts.pool_s
            ),
            limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections),
            headers={"Accept": "application/json", "User-Agent": _USER_AGENT},
            follow_redirects=True,
            transport=transport,
        )

    # -- state -------------------------------------------------------------------------------------------
    @property
    def chain_id(self) -> str:
        return self.network.chain_id if self.network else ""

    @property
    def state(self) -> ConnectionState:
        return self.tracker.state

    def add_listener(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(ConnectionState)` on every change; returns the function that unsubscribes."""
        return self.tracker.add_listener(listener)

    # -- requests ----------------------------------------------------------------------------------------
    async def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return await self._request("GET", path, params=encode_params(params), body=None, resend_safe=True)

    async def post(self, path: str, body: Any, *, resend_safe: bool = False) -> Any:
        """POST JSON. With resend_safe=False a request that may have reached a node is never sent again."""
        return await self._request("POST", path, params=None, body=body, resend_safe=resend_safe)

    async def _request(
        self, method: str, path: str, *, params: list[tuple[str, str]] | None, body: Any, resend_safe: bool
    ) -> Any:
        if not path.startswith("/"):
            path = "/" + path
        failures: list[EndpointFailure] = []
        malformed: MalformedResponse | None = None
        malformed_count = 0
        maybe_delivered = False
        unreachable: set[str] = set()
        for round_index in range(max(1, self.retry.rounds)):
            order = [url for url in self.pool.order() if url not in unreachable]
            if not order:
                break
            retry_after = None
            for position, url in enumerate(order):
                outcome = await self._try(method, url, path, params, body)
                if not isinstance(outcome, _Attempt):
                    return outcome
                failures.append(EndpointFailure(url, outcome.reason))
                self.pool.mark_failed(url, outcome.reason)
                if outcome.unreachable:
                    unreachable.add(url)
                if outcome.malformed is not None:
                    malformed, malformed_count = outcome.malformed, malformed_count + 1
                maybe_delivered = maybe_delivered or outcome.maybe_delivered
                retry_after = outcome.retry_after_s if outcome.retry_after_s is not None else retry_after
                if outcome.maybe_delivered and not resend_safe:
                    self.tracker.offline(outcome.reason)
                    raise NodeUnavailable(method, path, failures, maybe_delivered=True)
                last_round = round_index == self.retry.rounds - 1
                nxt = order[position + 1] if position + 1 < len(order) else (None if last_round else order[0])
                if nxt is not None:
                    self.tracker.failing_over(url, nxt, outcome.reason)
            if round_index < self.retry.rounds - 1:
                delay = self.retry.delay(round_index, self._rng)
                if retry_after is not None:
                    delay = max(delay, min(retry_after, self.retry.max_delay_s))
                await asyncio.sleep(delay)
        self.tracker.offline(failures[-1].reason if failures else "no endpoint")
        if malformed is not None and malformed_count == len(failures):
            raise malformed
        raise NodeUnavailable(method, path, failures, maybe_delivered=maybe_delivered)

    async def _try(
        self, method: str, url: str, path: str, params: list[tuple[str, str]] | None, body: Any
    ) -> Any | _Attempt:
        """One attempt at one endpoint: the decoded answer, a raised verdict error, or an _Attempt failure."""
        started = time.monotonic()
        try:
            response = await self._http.request(method, url + path, params=params, json=body)
        except _NOT_SENT as exc:
            return _Attempt(_describe(exc, self.timeouts), unreachable=isinstance(exc, httpx.ConnectTimeout))
        except httpx.TransportError as exc:
            return _Attempt(_describe(exc, self.timeouts), maybe_delivered=method != "GET")
        latency = time.monotonic() - started
        status = response.status_code
        if status in TRANSIENT_STATUSES:
            return _Attempt(
                f"HTTP {status} ({_status_reason(response)})",
                maybe_delivered=method != "GET" and status != 429,
                retry_after_s=_retry_after(response),
            )
        if 200 <= status < 300:
            try:
                data = await _decode_json(response.content)
            except ValueError:
                bad = MalformedResponse(path, "", f"the answer is not JSON (from {url})")
                return _Attempt("answered with something that is not JSON", malformed=bad)
            self.pool.mark_ok(url, latency)
            self.tracker.answered(url, latency)
            return data
        grpc_code, _message, _details = parse_error_body(response.text)
        if grpc_code is None and (status >= 500 or status == 404):
            # No gateway error body: a proxy or a broken node, not the chain's verdict. Try elsewhere.
            return _Attempt(f"HTTP {status} without a gateway error body", maybe_delivered=method != "GET")
        # The node itself answered: it is healthy, the request is what failed.
        self.pool.mark_ok(url, latency)
        self.tracker.answered(url, latency)
        raise http_error(status, response.text, path=path, endpoint=url)

    # -- maintenance -------------------------------------------------------------------------------------
    async def probe(self) -> ConnectionState:
        """Ask every endpoint better than the current one (and cooling ones) for node_info, once, now.

        The best one that answers becomes current. Meant for a background timer, so the app moves back
        to its preferred endpoint without a user request paying for the check.
        """
        current_rank = self.pool.health(self.pool.current).rank
        for url in self.pool.urls:
            health = self.pool.health(url)
            if health.rank >= current_rank and not self.pool.cooling(health):
                break
            outcome = await self._try("GET", url, NODE_INFO_PATH, None, None)
            if isinstance(outcome, _Attempt):
                self.pool.mark_failed(url, outcome.reason)
                continue
            break
        return self.state

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> ChainClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


async def _decode_json(content: bytes) -> Any:
    if len(content) > _BIG_BODY:
        return await asyncio.to_thread(json.loads, content)
    return json.loads(content)


def _describe(exc: httpx.TransportError, timeouts: Timeouts) -> str:
    """A reason a person can read ('connection refused', 'no answer within 20 s')."""
    if isinstance(exc, httpx.ConnectTimeout):
        return f"could not connect within {timeouts.connect_s:g} s"
    if isinstance(exc, httpx.ReadTimeout):
        return f"no answer within {timeouts.read_s:g} s"
    if isinstance(exc, httpx.WriteTimeout):
        return f"could not send the request within {timeouts.write_s:g} s"
    if isinstance(exc, httpx.PoolTimeout):
        return "too many requests in flight"
    if isinstance(exc, httpx.ConnectError):
        return _connect_reason(exc)
    if isinstance(exc, httpx.RemoteProtocolError):
        return "the connection was closed before the answer was complete"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _connect_reason(exc: BaseException) -> str:
    """The root cause of a connect failure (refused, name not resolved, ...) from the exception chain."""
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            break
        if isinstance(seen, ConnectionRefusedError) or "refused" in str(seen).lower():
            return "connection refused"
        if isinstance(seen, socket.gaierror) or "name or service not known" in str(seen).lower():
            return "host name not found"
        seen = seen.__cause__ or seen.__context__
    return f"cannot connect ({exc or 'connection failed'})"


def _status_reason(response: httpx.Response) -> str:
    return {
        429: "rate limited",
        502: "bad gateway",
        503: "unavailable",
        504: "gateway timeout",
    }.get(response.status_code, response.reason_phrase or "error")


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
