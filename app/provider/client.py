"""The tenant's client for one provider's gateway: status, manifest, lease status, logs and events streams.

Every connection is verified by app.provider.tls (public PKI or the provider's on-chain certificate)
before a byte of a request is written. Authentication is a JwtAuth (bearer ES256K token, the
default) or an MtlsAuth (a client certificate published on chain). Errors are the typed ones of
app.provider.errors; tokens and keys never reach a log or an exception.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import ssl
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import InvalidHandshake, InvalidStatus

from app.provider.certs import ClientKeyPair
from app.provider.errors import (
    LeaseNotFound,
    ManifestRejected,
    ProviderAuthError,
    ProviderBadResponse,
    ProviderError,
    ProviderHttpError,
    ProviderServiceUnavailable,
    ProviderTlsError,
    ProviderUnreachable,
    short,
)
from app.provider.jwt import JwtAuth
from app.provider.models import (
    KubeEvent,
    LeaseStatus,
    LogLine,
    ProviderStatus,
    ProviderVersion,
    ServiceStatus,
    StreamNotice,
)
from app.provider.streams import Backoff, StreamSpec, reconnecting_stream
from app.provider.tls import (
    MODE_CHAIN,
    CertFetcher,
    ClientIdentity,
    Endpoint,
    ProviderTrust,
    TrustDecision,
    chain_fetcher,
)

log = logging.getLogger(__name__)
_USER_AGENT = "akash-desk/0.1"
MANIFEST_WINDOW_S = 300.0  # the provider drops a bid whose lease gets no manifest within 5 minutes
MANIFEST_PUT_TIMEOUT_S = 130.0  # the provider gives a manifest submission up to 120 s


@dataclass(frozen=True)
class MtlsAuth:
    """Client-certificate authentication (full access to all of the owner's leases)."""

    cert_pem: str
    key_pem: str

    method = "mtls"

    @classmethod
    def from_pair(cls, pair: ClientKeyPair) -> MtlsAuth:
        return cls(pair.certificate.cert_pem, pair.key_pem)

    @property
    def identity(self) -> ClientIdentity:
        return ClientIdentity(self.cert_pem, self.key_pem)

    def headers(self) -> dict[str, str]:
        return {}

    def forget(self) -> None:
        pass

    def __repr__(self) -> str:
        return "MtlsAuth(<certificate>, key=<redacted>)"

    __str__ = __repr__


Auth = JwtAuth | MtlsAuth


async def _no_chain(_provider: str) -> list[tuple[str, str]]:
    return []


class ProviderClient:
    """One provider's gateway. Use as `async with ProviderClient(...) as p:` or call aclose()."""

    def __init__(
        self,
        host_uri: str,
        provider_address: str,
        *,
        auth: Auth | None = None,
        chain: Any = None,
        fetch_certs: CertFetcher | None = None,
        timeout_s: float = 30.0,
        connect_timeout_s: float = 10.0,
        rng: random.Random | None = None,
    ) -> None:
        self.endpoint = Endpoint.parse(host_uri)
        self.provider = provider_address
        self.auth = auth
        fetch = fetch_certs or (chain_fetcher(chain) if chain is not None else _no_chain)
        identity = auth.identity if isinstance(auth, MtlsAuth) else None
        self.trust = ProviderTrust(self.endpoint, provider_address, fetch, identity=identity, timeout_s=connect_timeout_s)
        self.timeout_s = timeout_s
        self.connect_timeout_s = connect_timeout_s
        self._rng = rng or random.Random()
        self._http: httpx.AsyncClient | None = None
        self._http_decision: TrustDecision | None = None

    @property
    def host_uri(self) -> str:
        return self.endpoint.uri

    @property
    def auth_method(self) -> str:
        return self.auth.method if self.auth is not None else "none"

    async def __aenter__(self) -> ProviderClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    def __repr__(self) -> str:
        return f"ProviderClient({self.endpoint.uri!r}, provider={self.provider!r}, auth={self.auth_method})"

    # -- transport ---------------------------------------------------------------------------------------
    async def _client(self) -> tuple[httpx.AsyncClient, TrustDecision]:
        decision = await self.trust.decision()
        if self._http is None or self._http_decision is not decision:
            if self._http is not None:
                await self._http.aclose()
            self._http = httpx.AsyncClient(
                verify=decision.context,
                timeout=httpx.Timeout(self.timeout_s, connect=self.connect_timeout_s),
                headers={"User-Agent": _USER_AGENT},
                follow_redirects=False,  # a redirect could carry the token elsewhere
            )
            self._http_decision = decision
        return self._http, decision

    async def request(
        self, method: str, path: str, *, content: bytes | None = None, timeout_s: float | None = None, authed: bool = True
    ) -> httpx.Response:
        """One request with verified TLS: the response (any status), or ProviderUnreachable / TLS / auth errors."""
        for attempt in (0, 1):
            client, decision = await self._client()
            headers = {"Accept": "application/json"}
            if content is not None:
                headers["Content-Type"] = "application/json; charset=UTF-8"
            if authed and self.auth is not None:
                headers.update(self.auth.headers())
            extensions: dict[str, Any] = {}
            if decision.server_hostname != self.endpoint.host:
                extensions["sni_hostname"] = decision.server_hostname
            timeout = httpx.Timeout(timeout_s, connect=self.connect_timeout_s) if timeout_s else httpx.USE_CLIENT_DEFAULT
            try:
                response = await client.request(
                    method, self.endpoint.uri + path, content=content, headers=headers, extensions=extensions, timeout=timeout
                )
            except (httpx.TransportError, ssl.SSLError) as exc:  # a TLS alert during a read can escape unwrapped
                if attempt == 0 and _cert_verify_failure(exc) and decision.mode == MODE_CHAIN:
                    # The provider may have rotated its certificate: look at the chain again, once.
                    log.info("provider %s: certificate changed; re-checking the chain", self.endpoint.uri)
                    self.trust.invalidate()
                    continue
                raise self._transport_error(exc, decision) from None
            self._check_peer(response, decision)
            if response.status_code in (401, 403) and attempt == 0 and isinstance(self.auth, JwtAuth):
                self.auth.forget()  # a fresh token once (clock or expiry), then give up
                continue
            return response
        raise AssertionError("unreachable")

    def _check_peer(self, response: httpx.Response, decision: TrustDecision) -> None:
        if decision.mode != MODE_CHAIN:
            return
        stream = response.extensions.get("network_stream")
        obj = stream.get_extra_info("ssl_object") if stream is not None else None
        if obj is not None:
            decision.check_peer(obj.getpeercert(binary_form=True), self.endpoint.uri)

    def _transport_error(self, exc: Exception, decision: TrustDecision) -> ProviderError:
        alert = _tls_alert(exc)
        if self.auth_method == "mtls":
            if alert:
                return ProviderAuthError(self.endpoint.uri, "mtls", f"the TLS connection was refused ({alert})")
            if isinstance(exc, httpx.ReadError | httpx.RemoteProtocolError):
                # The provider checks our certificate after the handshake and hangs up when it refuses it.
                return ProviderAuthError(
                    self.endpoint.uri, "mtls", "the provider hung up without answering, as it does for a refused certificate"
                )
        if _cert_verify_failure(exc):
            return ProviderTlsError(self.endpoint.uri, self.provider, "its certificate no longer verifies")
        if isinstance(exc, httpx.TimeoutException):
            return ProviderUnreachable(self.endpoint.uri, f"no answer within {self.timeout_s:.0f} s")
        return ProviderUnreachable(self.endpoint.uri, _describe(exc))

    def _raise_for_status(self, response: httpx.Response, method: str, path: str, what: str = "") -> None:
        status = response.status_code
        if 200 <= status < 300:
            return
        body = short(_body_text(response))
        if status in (401, 403):
            raise ProviderAuthError(self.endpoint.uri, self.auth_method, body or "unauthorized", status=status)
        if status == 404:
            raise LeaseNotFound(self.endpoint.uri, what or f"resource at {path}", body)
        if status == 503:
            raise ProviderServiceUnavailable(self.endpoint.uri, body)
        raise ProviderHttpError(self.endpoint.uri, method, path, status, body)

    async def _get_json(self, path: str, *, authed: bool = True, what: str = "") -> Any:
        response = await self.request("GET", path, authed=authed)
        self._raise_for_status(response, "GET", path, what)
        try:
            return response.json()
        except ValueError:
            raise ProviderBadResponse(self.endpoint.uri, path, "the answer is not JSON") from None

    # -- public, unauthenticated ------------------------------------------------------------------------------
    async def status(self) -> ProviderStatus:
        return ProviderStatus.parse(await self._get_json("/status", authed=False), self.endpoint.uri)

    async def version(self) -> ProviderVersion:
        return ProviderVersion.parse(await self._get_json("/version", authed=False), self.endpoint.uri)

    async def address(self) -> str:
        data = await self._get_json("/address", authed=False)
        if not isinstance(data, dict) or not isinstance(data.get("address"), str):
            raise ProviderBadResponse(self.endpoint.uri, "/address", 'expected {"address": "akash1..."}')
        return data["address"]

    # -- manifest ---------------------------------------------------------------------------------------------
    async def send_manifest(
        self,
        dseq: int,
        manifest_json: str | bytes,
        *,
        window_s: float = MANIFEST_WINDOW_S,
        backoff: Backoff | None = None,
        on_retry: Callable[[int, str, float], None] | None = None,
    ) -> None:
        """PUT /deployment/{dseq}/manifest with the exact sorted manifest JSON (the bytes that were hashed).

        Retries with backoff, until `window_s` has passed, while the provider has not seen the lease yet
        (404 "no lease for deployment") or is unreachable / answers 5xx. 422 is final: ManifestRejected.
        `on_retry(attempt, reason, delay_s)` lets the UI say what is happening.
        """
        body = manifest_json.encode("utf-8") if isinstance(manifest_json, str) else bytes(manifest_json)
        try:
            if not isinstance(json.loads(body), list):
                raise ValueError
        except ValueError:
            raise ValueError("a manifest is a JSON array of groups (the sorted JSON the hash was computed on)") from None
        path = f"/deployment/{int(dseq)}/manifest"
        backoff = backoff or Backoff(rng=self._rng)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + window_s
        attempt = 0
        while True:
            attempt += 1
            try:
                response = await self.request("PUT", path, content=body, timeout_s=MANIFEST_PUT_TIMEOUT_S)
                status = response.status_code
                if 200 <= status < 300:
                    log.info("manifest for deployment %s accepted by %s (attempt %d)", dseq, self.endpoint.uri, attempt)
                    return
                text = short(_body_text(response))
                if status == 422:
                    raise ManifestRejected(self.endpoint.uri, int(dseq), text)
                if status == 404:
                    reason = f"the provider has not seen the lease yet ({text or 'not found'})"
                    final: ProviderError = LeaseNotFound(self.endpoint.uri, f"lease for deployment {dseq}", text)
                elif status >= 500 or status == 429:
                    reason = f"HTTP {status}: {text}"
                    final = ProviderHttpError(self.endpoint.uri, "PUT", path, status, text)
                else:
                    self._raise_for_status(response, "PUT", path, f"lease for deployment {dseq}")
                    raise ProviderHttpError(self.endpoint.uri, "PUT", path, status, text)
            except ProviderUnreachable as exc:
                reason, final = exc.reason, exc
            delay = backoff.delay(attempt)
            if loop.time() + delay > deadline:
                raise final
            log.info("manifest for deployment %s: %s; retrying in %.1f s", dseq, reason, delay)
            if on_retry is not None:
                on_retry(attempt, reason, delay)
            await asyncio.sleep(delay)

    async def get_manifest(self, dseq: int, gseq: int, oseq: int) -> list[Any]:
        path = f"/lease/{int(dseq)}/{int(gseq)}/{int(oseq)}/manifest"
        data = await self._get_json(path, what=f"manifest for lease {dseq}/{gseq}/{oseq}")
        if not isinstance(data, list):
            raise ProviderBadResponse(self.endpoint.uri, path, "a manifest is a JSON array of groups")
        return data

    # -- lease status -----------------------------------------------------------------------------------------
    async def lease_status(self, dseq: int, gseq: int, oseq: int) -> LeaseStatus:
        path = f"/lease/{int(dseq)}/{int(gseq)}/{int(oseq)}/status"
        data = await self._get_json(path, what=f"lease {dseq}/{gseq}/{oseq} (or no manifest for it yet)")
        return LeaseStatus.parse(data, self.endpoint.uri, path)

    async def service_status(self, dseq: int, gseq: int, oseq: int, service: str) -> ServiceStatus:
        if not service or "/" in service:
            raise ValueError("a service name is needed (as written in the SDL)")
        path = f"/lease/{int(dseq)}/{int(gseq)}/{int(oseq)}/service/{service}/status"
        data = await self._get_json(path, what=f"service {service!r} in lease {dseq}/{gseq}/{oseq}")
        return ServiceStatus.parse(data, self.endpoint.uri, path)

    # -- streams ----------------------------------------------------------------------------------------------
    def logs(
        self,
        dseq: int,
        gseq: int,
        oseq: int,
        *,
        follow: bool = True,
        tail: int = 100,
        services: list[str] | tuple[str, ...] = (),
        reconnect: bool = True,
        backoff: Backoff | None = None,
        max_attempts: int = 0,
    ) -> AsyncIterator[LogLine | StreamNotice]:
        """LogLine items (and StreamNotice markers on reconnects) until cancelled, or the end when not following."""
        if tail < -1:
            raise ValueError("tail is the number of last lines (-1 for all)")
        spec = StreamSpec(
            f"/lease/{int(dseq)}/{int(gseq)}/{int(oseq)}/logs", follow, tail, _services(services), LogLine.parse, True
        )
        return reconnecting_stream(self, spec, reconnect=reconnect, backoff=backoff or Backoff(rng=self._rng), max_attempts=max_attempts)

    def events(
        self,
        dseq: int,
        gseq: int,
        oseq: int,
        *,
        follow: bool = True,
        services: list[str] | tuple[str, ...] = (),
        reconnect: bool = True,
        backoff: Backoff | None = None,
        max_attempts: int = 0,
    ) -> AsyncIterator[KubeEvent | StreamNotice]:
        """KubeEvent items (and StreamNotice markers) of the lease; events seen before a reconnect are skipped."""
        spec = StreamSpec(
            f"/lease/{int(dseq)}/{int(gseq)}/{int(oseq)}/kubeevents", follow, None, _services(services), KubeEvent.parse, False
        )
        return reconnecting_stream(self, spec, reconnect=reconnect, backoff=backoff or Backoff(rng=self._rng), max_attempts=max_attempts)

    @asynccontextmanager
    async def websocket(self, path: str, query: dict[str, str]) -> AsyncIterator[ClientConnection]:
        """A verified, authenticated WebSocket to the gateway (typed errors on failure)."""
        for attempt in (0, 1):
            decision = await self.trust.decision()
            url = "wss://" + self.endpoint.uri.split("://", 1)[1] + path + ("?" + urlencode(query) if query else "")
            headers = self.auth.headers() if self.auth is not None else {}
            try:
                ws = await connect(
                    url,
                    ssl=decision.context,
                    server_hostname=decision.server_hostname,
                    additional_headers=headers,
                    open_timeout=self.connect_timeout_s,
                    close_timeout=2,
                    user_agent_header=_USER_AGENT,
                    max_size=4 * 1024 * 1024,
                    proxy=None,
                )
            except InvalidStatus as exc:
                status = exc.response.status_code
                body = short(exc.response.body.decode("utf-8", "replace") if exc.response.body else "")
                if status in (401, 403) and attempt == 0 and isinstance(self.auth, JwtAuth):
                    self.auth.forget()
                    continue
                if status in (401, 403):
                    raise ProviderAuthError(self.endpoint.uri, self.auth_method, body or "unauthorized", status=status) from None
                if status == 404:
                    raise LeaseNotFound(self.endpoint.uri, f"lease for {path}", body) from None
                if status == 503:
                    raise ProviderServiceUnavailable(self.endpoint.uri, body) from None
                raise ProviderHttpError(self.endpoint.uri, "GET", path, status, body) from None
            except ssl.SSLCertVerificationError:
                if attempt == 0 and decision.mode == MODE_CHAIN:
                    self.trust.invalidate()
                    continue
                raise ProviderTlsError(self.endpoint.uri, self.provider, "its certificate no longer verifies") from None
            except ssl.SSLError as exc:
                if self.auth_method == "mtls":
                    raise ProviderAuthError(self.endpoint.uri, "mtls", f"the TLS connection was refused ({exc.reason})") from None
                raise ProviderTlsError(self.endpoint.uri, self.provider, f"TLS failed ({exc.reason})") from None
            except (OSError, InvalidHandshake) as exc:
                raise ProviderUnreachable(self.endpoint.uri, _describe(exc)) from None
            try:
                obj = ws.transport.get_extra_info("ssl_object")
                decision.check_peer(obj.getpeercert(binary_form=True) if obj else None, self.endpoint.uri)
                yield ws
            finally:
                await ws.close()
            return


def _services(services: list[str] | tuple[str, ...]) -> str:
    names = [s.strip() for s in services if s and s.strip()]
    if any("," in s for s in names):
        raise ValueError("a service name cannot contain a comma")
    return ",".join(names)  # the gateway refuses a trailing comma


def _body_text(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return response.text
    if isinstance(data, dict):
        for key in ("message", "error"):
            if isinstance(data.get(key), str):
                return data[key]
    return response.text


def _cert_verify_failure(exc: BaseException) -> bool:
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(cur):
            return True
        cur = cur.__cause__ or cur.__context__
    return False


def _tls_alert(exc: BaseException) -> str:
    """The TLS alert the server sent (e.g. 'tlsv13 alert certificate required'), or ''."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        text = str(getattr(cur, "reason", "") or cur)
        for marker in ("ALERT_BAD_CERTIFICATE", "ALERT_CERTIFICATE_REQUIRED", "ALERT_UNKNOWN_CA", "ALERT_CERTIFICATE_UNKNOWN",
                       "ALERT_CERTIFICATE_EXPIRED", "ALERT_CERTIFICATE_REVOKED", "ALERT_ACCESS_DENIED", "ALERT_HANDSHAKE_FAILURE",
                       "alert bad certificate", "alert certificate required", "alert unknown ca", "alert certificate unknown"):
            if marker.lower() in text.lower():
                return marker.lower().replace("_", " ")
        cur = cur.__cause__ or cur.__context__
    return ""


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    if isinstance(exc, ConnectionRefusedError) or "refused" in text.lower():
        return "connection refused"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"the connection broke ({text or 'closed without an answer'})"
    return text or type(exc).__name__
