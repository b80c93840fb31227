"""A provider's HTTPS gateway (the routes of akash-network/provider gateway/rest), on a loopback port."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import WSMsgType, web

from app.localnet.modules.deployment import dkey
from app.localnet.providers import gwauth
from app.localnet.providers.gwauth import AuthError, Claims
from app.localnet.providers.manifest import (
    ManifestError,
    cross_validate,
    decode_manifest,
    manifest_hash,
    validate_manifest,
)
from app.localnet.providers.tlsbridge import ClientCertServerContext
from app.localnet.providers.workloads import Cluster, LeaseRun

log = logging.getLogger(__name__)
CLAIMS_KEY = web.RequestKey("akash_claims", Claims)
WS_INTERNAL, WS_LEASE_NOT_FOUND = 4000, 4001
FOLLOW_POLL_S = 1.0
VERSION = {
    "akash": {"version": "v0.16.0", "commit": "afc4dd7c", "buildTags": "\"osusergo,netgo,ledger,static_build\"",
              "go": "go version go1.24.3 linux/amd64", "cosmosSdkVersion": "v0.53.7-akash.2"},
    "kube": {"major": "1", "minor": "31", "gitVersion": "v1.31.4+k3s1", "gitCommit": "a562d7d2", "gitTreeState": "clean",
             "buildDate": "2024-12-10T11:37:16Z", "goVersion": "go1.22.9", "compiler": "gc", "platform": "linux/amd64"},
}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def text_error(message: str, status: int) -> web.Response:
    """http.Error: text/plain, the message and a newline."""
    return web.Response(text=message + "\n", status=status, content_type="text/plain", charset="utf-8")


def auth_error(exc: AuthError) -> web.Response:
    return web.json_response({"message": exc.message}, status=exc.status)


def go_json(obj: Any) -> web.Response:
    return web.Response(text=json.dumps(obj, separators=(",", ":")), content_type="application/json",
                        charset="UTF-8")


class Gateway:
    """Serves one provider: status, manifests, lease status, logs and events, behind mTLS or JWT auth."""

    def __init__(self, provider: Any) -> None:
        self.p = provider  # the SimProvider: .address, .node, .cluster, .hostname, .status_numbers()
        self.cluster: Cluster = provider.cluster
        self._runner: web.AppRunner | None = None
        self._sockets: set[web.WebSocketResponse] = set()
        self.port = 0

    @property
    def root(self) -> Any:
        return self.p.node.chain.root

    # -- lifecycle --
    async def start(self, port: int, cert_pem: bytes, key_pem: bytes) -> int:
        """Listen on 127.0.0.1:port (0 = any free port); returns the port."""
        app = web.Application(middlewares=[self._authenticate], client_max_size=8 * 1024 * 1024)
        r = app.router
        r.add_get("/version", self.version)
        r.add_get("/address", self.address)
        r.add_get("/status", self.status)
        r.add_put("/deployment/{dseq}/manifest", self.put_manifest)
        lease = "/lease/{dseq}/{gseq}/{oseq}"
        r.add_get(f"{lease}/manifest", self.get_manifest)
        r.add_get(f"{lease}/status", self.lease_status)
        r.add_get(f"{lease}/service/{{service}}/status", self.service_status)
        r.add_get(f"{lease}/logs", self.logs)
        r.add_get(f"{lease}/kubeevents", self.kube_events)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=2.0)
        await self._runner.setup()
        context = ClientCertServerContext(cert_pem, key_pem, self._check_peer)
        site = web.TCPSite(self._runner, "127.0.0.1", port, ssl_context=context)  # type: ignore[arg-type]
        try:
            await site.start()
        except OSError:
            await self._runner.cleanup()
            self._runner = None
            raise
        self.port = int(self._runner.addresses[0][1])
        return self.port

    async def stop(self) -> None:
        for ws in list(self._sockets):  # streams end when the provider goes away (1001 going away)
            await ws.close(code=1001, message=b"provider going offline")
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def running(self) -> bool:
        return self._runner is not None

    def _check_peer(self, chain: list[bytes]) -> bool:
        """The handshake-time check (VerifyPeerCertificate): a certificate that is not valid on chain is refused."""
        try:
            gwauth.check_client_certificate(self.root, chain)
        except AuthError as exc:
            log.info("provider %s: refused a client certificate: %s", self.p.name, exc.message)
            return False
        return True

    # -- authentication (prepareAuthMiddleware) --
    @web.middleware
    async def _authenticate(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            request[CLAIMS_KEY] = self._claims(request)
        except AuthError as exc:
            return auth_error(exc)
        return await handler(request)

    def _claims(self, request: web.Request) -> Claims:
        token = gwauth.bearer_token(request.headers.get("Authorization"), len(request.headers.getall("Authorization", [])))
        tls = request.transport.get_extra_info("ssl_object") if request.transport else None
        chain = tls.peer_chain() if tls is not None else []
        claims = Claims()
        if chain:  # re-checked per request: a certificate revoked since the handshake stops working
            claims = Claims(gwauth.check_client_certificate(self.root, chain), "full")
        if claims.access != "none" and token:
            raise AuthError(*gwauth.AMBIGUOUS)
        if token:
            claims = gwauth.verify_jwt(self.root, token, time.time())
        return claims

    def _require(self, request: web.Request, scope: str | None, dseq: int, gseq: int = 0, oseq: int = 0) -> Claims:
        claims: Claims = request[CLAIMS_KEY]
        if not claims.for_provider(self.p.address):
            raise AuthError(*gwauth.UNAUTHORIZED)
        if claims.issuer == "" or (scope and not claims.allows(claims.issuer, self.p.address, scope, dseq, gseq, oseq)):
            raise AuthError(*gwauth.UNAUTHORIZED)
        return claims

    @staticmethod
    def _uint(request: web.Request, name: str) -> int:
        raw = request.match_info[name]
        if not raw.isdigit() or int(raw) >= 2**64 or (name != "dseq" and int(raw) >= 2**32):
            raise ValueError(f"invalid {name} {raw!r}")
        return int(raw)

    # -- unauthenticated --
    async def version(self, request: web.Request) -> web.Response:
        return go_json(VERSION)

    async def address(self, request: web.Request) -> web.Response:
        return go_json({"address": self.p.address})

    async def status(self, request: web.Request) -> web.Response:
        return go_json({**self.p.status_numbers(), "address": self.p.address})

    # -- manifests --
    async def put_manifest(self, request: web.Request) -> web.Response:
        try:
            dseq = self._uint(request, "dseq")
        except ValueError as exc:
            return text_error(str(exc), 400)
        try:
            claims = self._require(request, "send-manifest", dseq)
        except AuthError as exc:
            return auth_error(exc)
        body = await request.read()
        try:
            groups = decode_manifest(body)
        except ManifestError as exc:
            return text_error(str(exc), 422)
        owner = claims.issuer
        leases = self.p.active_leases(owner, dseq)
        if not leases:
            return text_error("no lease for deployment", 404)
        deployment = self.root.get("deployment.deployment", dkey(owner, dseq))
        version = manifest_hash(groups)
        if deployment is None or base64.b64decode(deployment["hash"]) != version:
            return text_error("manifest version validation failed", 422)
        specs = [g["spec"] for _, g in self.root.items("deployment.group", dkey(owner, dseq) + "/")]
        try:
            validate_manifest(groups)
            cross_validate(groups, specs)
        except ManifestError as exc:
            return text_error(str(exc), 422)
        self.cluster.accept(owner, dseq, groups, version, leases)
        self.p.on_manifest(owner, dseq)
        return web.Response(status=200)

    def _lease(self, request: web.Request, scope: str | None) -> tuple[LeaseRun | None, tuple[str, int, int, int]]:
        dseq, gseq, oseq = (self._uint(request, n) for n in ("dseq", "gseq", "oseq"))
        claims = self._require(request, scope, dseq, gseq, oseq)
        return self.cluster.run(claims.issuer, dseq, gseq, oseq), (claims.issuer, dseq, gseq, oseq)

    async def _guarded(self, request: web.Request, scope: str | None,
                       fn: Callable[[LeaseRun | None], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
        try:
            run, _ = self._lease(request, scope)
        except ValueError as exc:
            return text_error(str(exc), 400)
        except AuthError as exc:
            return auth_error(exc)
        return await fn(run)

    async def get_manifest(self, request: web.Request) -> web.StreamResponse:
        async def answer(run: LeaseRun | None) -> web.StreamResponse:
            return text_error("lease not found", 404) if run is None else go_json([run.group])
        return await self._guarded(request, "get-manifest", answer)

    async def lease_status(self, request: web.Request) -> web.StreamResponse:
        async def answer(run: LeaseRun | None) -> web.StreamResponse:
            return web.Response(status=404) if run is None else go_json(run.status(time.time()))
        return await self._guarded(request, "status", answer)

    async def service_status(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["service"]

        async def answer(run: LeaseRun | None) -> web.StreamResponse:
            service = next((s for s in run.services() if s["name"] == name), None) if run else None
            if service is None:
                return text_error("no service for that lease", 404)
            return go_json(run.service_status(service, time.time()))  # type: ignore[union-attr]
        return await self._guarded(request, None, answer)

    # -- streams --
    @staticmethod
    def _stream_params(request: web.Request) -> tuple[bool, int | None, list[str]]:
        services = request.query.get("service", "")
        if services.endswith(","):
            raise ValueError('parameter "service" must not contain trailing comma')
        follow = request.query.get("follow", "")
        follow_on = False
        if follow:
            if follow not in ("1", "t", "T", "true", "TRUE", "True", "0", "f", "F", "false", "FALSE", "False"):
                raise ValueError(f'strconv.ParseBool: parsing "{follow}": invalid syntax')
            follow_on = follow in ("1", "t", "T", "true", "TRUE", "True")
        tail_raw = request.query.get("tail", "")
        tail = None
        if tail_raw:
            if not tail_raw.lstrip("-").isdigit() or int(tail_raw) < -1:
                raise ValueError('parameter "tail" contains invalid value')
            tail = int(tail_raw) if int(tail_raw) > -1 else None
        return follow_on, tail, [s for s in services.split(",") if s]

    async def _open_ws(self, request: web.Request, scope: str) -> tuple[web.StreamResponse, Any]:
        try:
            follow, tail, services = self._stream_params(request)
            run, _ = self._lease(request, scope)
        except ValueError as exc:
            return text_error(str(exc), 400), None
        except AuthError as exc:
            return auth_error(exc), None
        ws = web.WebSocketResponse(heartbeat=10.0)
        await ws.prepare(request)
        self._sockets.add(ws)
        return ws, (run, follow, tail, services)

    async def logs(self, request: web.Request) -> web.StreamResponse:
        ws, params = await self._open_ws(request, "logs")
        if params is None:
            return ws
        run, follow, tail, services = params
        assert isinstance(ws, web.WebSocketResponse)
        if run is None:
            await ws.close(code=WS_LEASE_NOT_FOUND)
            return ws
        pods = [p for p in run.pods if not services or p.service in services]
        if not pods:
            await ws.close(code=WS_INTERNAL, message=b"no running pods")
            return ws
        now = time.time()
        sent = {}
        for pod in pods:
            lines = pod.logs.lines_until(now)
            if tail is not None:
                lines = lines[len(lines) - tail:] if tail else []
            for line in lines:
                await ws.send_json({"name": pod.name, "message": line})
            sent[pod.name] = pod.logs.count_until(now)
        if follow:
            await self._follow(ws, run, lambda t: self._new_lines(pods, sent, t))
        await ws.close()
        self._sockets.discard(ws)
        return ws

    @staticmethod
    def _new_lines(pods: list[Any], sent: dict[str, int], now: float) -> list[dict[str, str]]:
        out = []
        for pod in pods:
            upto = pod.logs.count_until(now)
            out += [{"name": pod.name, "message": pod.logs.at(i)} for i in range(sent[pod.name], upto)]
            sent[pod.name] = upto
        return out

    async def _follow(self, ws: web.WebSocketResponse, run: LeaseRun,
                      fresh: Callable[[float], list[dict[str, Any]]]) -> None:
        """Keep streaming until the client leaves, the lease ends or the gateway stops."""
        reader = asyncio.ensure_future(self._drain(ws))
        try:
            while not reader.done() and not ws.closed and self.cluster.runs.get(
                    (run.owner, run.dseq, run.gseq, run.oseq)) is run:
                for message in fresh(time.time()):
                    await ws.send_json(message)
                await asyncio.wait([reader], timeout=FOLLOW_POLL_S)
        except ConnectionResetError:
            pass
        finally:
            reader.cancel()

    @staticmethod
    async def _drain(ws: web.WebSocketResponse) -> None:
        async for msg in ws:
            if msg.type in (WSMsgType.CLOSE, WSMsgType.ERROR):
                break

    async def kube_events(self, request: web.Request) -> web.StreamResponse:
        ws, params = await self._open_ws(request, "events")
        if params is None:
            return ws
        run, follow, _, services = params
        assert isinstance(ws, web.WebSocketResponse)
        if run is None:
            await ws.close(code=WS_LEASE_NOT_FOUND)
            return ws
        names = {p.name for p in run.pods if not services or p.service in services}
        for event in run.events():
            if event["object"]["name"] in names:
                await ws.send_json(event)
        if follow:
            await self._follow(ws, run, lambda t: [])
        await ws.close()
        self._sockets.discard(ws)
        return ws
