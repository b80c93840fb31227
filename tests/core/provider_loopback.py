"""Loopback scaffolding for the provider client tests: a chain REST stub serving certificates, an HTTPS +
WebSocket gateway (aiohttp, stdlib TLS) and an mTLS gateway (pyOpenSSL) that checks client certificates
itself, as the Go provider does. Fault injection only: the client under test is the real one.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import os
import socket
import ssl
import tempfile
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from cryptography.hazmat.primitives import serialization
from OpenSSL import SSL, crypto

from app.provider.certs import ClientKeyPair, common_name, pem_to_der


@dataclass
class ChainCert:
    owner: str
    pair: ClientKeyPair
    state: str = "valid"


class ChainStub:
    """GET /akash/cert/v1/certificates/list with filter.owner / filter.serial / filter.state."""

    def __init__(self) -> None:
        self.certs: list[ChainCert] = []
        self.requests: list[dict[str, str]] = []
        self.url = ""
        self._runner: web.AppRunner | None = None

    def publish(self, owner: str, pair: ClientKeyPair, state: str = "valid") -> None:
        self.certs.append(ChainCert(owner, pair, state))

    async def _list(self, request: web.Request) -> web.Response:
        q = dict(request.query)
        self.requests.append(q)
        rows = []
        for c in self.certs:
            if q.get("filter.owner") and q["filter.owner"] != c.owner:
                continue
            if q.get("filter.state") and q["filter.state"] != c.state:
                continue
            if q.get("filter.serial") and q["filter.serial"] != str(c.pair.certificate.serial):
                continue
            rows.append(
                {
                    "certificate": {
                        "state": c.state,
                        "cert": base64.b64encode(c.pair.certificate.cert_pem.encode()).decode(),
                        "pubkey": base64.b64encode(c.pair.certificate.pubkey_pem.encode()).decode(),
                    },
                    "serial": str(c.pair.certificate.serial),
                }
            )
        return web.json_response({"certificates": rows, "pagination": {"next_key": None, "total": str(len(rows))}})

    async def start(self) -> str:
        app = web.Application()
        app.router.add_get("/akash/cert/v1/certificates/list", self._list)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


def server_context(pair: ClientKeyPair) -> ssl.SSLContext:
    """A stdlib TLS 1.3 server context presenting `pair` (written to a private temp dir, then removed)."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    folder = tempfile.mkdtemp()
    cert, key = os.path.join(folder, "cert.pem"), os.path.join(folder, "key.pem")
    try:
        with open(cert, "w") as f:
            f.write(pair.certificate.cert_pem)
        with open(key, "w") as f:
            f.write(pair.key_pem)
        ctx.load_cert_chain(cert, key)
    finally:
        os.unlink(cert)
        os.unlink(key)
        os.rmdir(folder)
    return ctx


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Gateway:
    """An HTTPS gateway on 127.0.0.1 whose routes the test sets; records every request it sees."""

    pair: ClientKeyPair
    routes: dict[tuple[str, str], Handler] = field(default_factory=dict)
    seen: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    port: int = 0
    _runner: web.AppRunner | None = None
    _site: web.TCPSite | None = None

    @property
    def uri(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def route(self, method: str, path: str, handler: Handler) -> None:
        self.routes[(method, path)] = handler

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        self.seen.append((request.method, request.path_qs, dict(request.headers)))
        for (method, pattern), handler in self.routes.items():
            if method == request.method and _match(pattern, request.path):
                return await handler(request)
        return web.Response(status=404, text="404 page not found")

    async def start(self, port: int = 0) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        self._site = web.TCPSite(self._runner, "127.0.0.1", port, ssl_context=server_context(self.pair))
        await self._site.start()
        self.port = self._site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def restart_with(self, pair: ClientKeyPair) -> None:
        """Serve a different certificate on the same port (a provider rotating its certificate)."""
        await self.stop()
        self.pair = pair
        await self.start(self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


def _match(pattern: str, path: str) -> bool:
    a, b = pattern.strip("/").split("/"), path.strip("/").split("/")
    return len(a) == len(b) and all(x == "*" or x == y for x, y in zip(a, b, strict=True))


def json_handler(body: Any, status: int = 200) -> Handler:
    async def handler(_request: web.Request) -> web.Response:
        return web.Response(status=status, text=json.dumps(body), content_type="application/json")

    return handler


# ---- an mTLS gateway: requests a client certificate and checks it itself (like the Go provider) --------


class MtlsGateway:
    """A threaded TLS 1.3 server (pyOpenSSL) answering canned JSON per path.

    It asks for a client certificate, accepts the handshake only when the certificate's SHA-256 is in
    `allowed` (otherwise OpenSSL sends a bad-certificate alert), and records the SNI and client CN.
    """

    def __init__(self, pair: ClientKeyPair, answers: dict[str, tuple[int, Any]]) -> None:
        self.pair = pair
        self.answers = answers
        self.allowed: set[str] = set()
        self.sni: list[str | None] = []
        self.clients: list[str] = []
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.errors: list[Exception] = []
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(8)
        self.port = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def uri(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def _context(self) -> SSL.Context:
        ctx = SSL.Context(SSL.TLS_METHOD)
        ctx.set_min_proto_version(SSL.TLS1_3_VERSION)
        ctx.use_certificate(_x509(self.pair.certificate.cert_pem))
        ctx.use_privatekey(serialization.load_pem_private_key(self.pair.key_pem.encode(), password=None))  # type: ignore[arg-type]

        def verify(_conn: SSL.Connection, cert: crypto.X509, _errno: int, depth: int, _ok: int) -> bool:
            der = crypto.dump_certificate(crypto.FILETYPE_ASN1, cert)
            return depth == 0 and hashlib.sha256(der).hexdigest() in self.allowed

        ctx.set_verify(SSL.VERIFY_PEER | SSL.VERIFY_FAIL_IF_NO_PEER_CERT, verify)

        def on_sni(conn: SSL.Connection) -> None:
            name = conn.get_servername()
            self.sni.append(name.decode() if name else None)

        ctx.set_tlsext_servername_callback(on_sni)
        return ctx

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        with socket.create_connection(("127.0.0.1", self.port), timeout=1):
            pass  # wakes the accept() so the thread sees the stop flag
        self._thread.join(timeout=5)
        self._sock.close()

    def _serve(self) -> None:
        ctx = self._context()
        while not self._stop.is_set():
            try:
                raw, _ = self._sock.accept()
            except OSError:
                return
            if self._stop.is_set():
                raw.close()
                return
            threading.Thread(target=self._one, args=(ctx, raw), daemon=True).start()

    def _one(self, ctx: SSL.Context, raw: socket.socket) -> None:
        raw.settimeout(None)  # pyOpenSSL needs a blocking socket (a timeout makes it raise WantRead)
        conn = SSL.Connection(ctx, raw)
        conn.set_accept_state()
        try:
            conn.do_handshake()
            peer = conn.get_peer_certificate(as_cryptography=True)
            if peer is not None:
                self.clients.append(common_name(peer))
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
            head = data.split(b"\r\n\r\n", 1)[0].decode()
            lines = head.split("\r\n")
            _method, path, _ = lines[0].split(" ", 2)
            headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
            self.requests.append((path, headers))
            status, body = self.answers.get(path, (404, "404 page not found"))
            payload = (json.dumps(body) if not isinstance(body, str) else body).encode()
            conn.sendall(
                f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
                f"Connection: close\r\n\r\n".encode()
                + payload
            )
            conn.shutdown()
        except (SSL.Error, OSError) as exc:
            self.errors.append(exc)
        finally:
            raw.close()


def _x509(pem: str) -> Any:
    from cryptography import x509

    return x509.load_der_x509_certificate(pem_to_der(pem, "CERTIFICATE"))


async def wait_for(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not predicate():
        if loop.time() > end:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)
