"""Trusting a provider's gateway: public PKI first, else the provider's certificate on chain as the only anchor.

Providers usually serve a self-signed certificate whose CN is their account address and which they
published on chain (MsgCreateCertificate); some also have a publicly trusted one. The official Go
client turns normal verification off and re-implements it in a callback. Python's ssl module has
no verification callback, so the same rules are enforced with two ordinary, fully verifying
contexts, and no request is ever written before the handshake has proved the server:

1. **PKI**: `ssl.create_default_context()` (system roots, hostname checked). A handshake probe that
   succeeds selects it. This covers Let's Encrypt certificates.
2. **Chain**: on a certificate-verification failure, the provider's certificates in state `valid`
   are fetched from the chain (`/akash/cert/v1/certificates/list?filter.owner=<provider>&filter.state=valid`),
   validated with the chain's own rules (CN == provider address), and become the ONLY trust anchors
   of a context with `check_hostname = False` (a self-signed certificate names no host) but
   `verify_mode = CERT_REQUIRED`: OpenSSL still checks the signature, the validity dates and the
   serverAuth purpose during the handshake, so an impostor's certificate fails there. After the
   handshake the peer certificate must also be *exactly* one of those on-chain certificates
   (SHA-256 fingerprint, as Console checks) and its CN must be the provider's address, which
   rules out a certificate merely signed by the provider's key. The probe checks this before any
   request; the client re-checks every response and WebSocket it uses.
3. Anything else raises ProviderTlsError ("do not trust this provider"): nothing is sent.

SNI follows the Go client: the host name normally, `mtls.<host>` when a client certificate is
used (the provider then answers with its on-chain certificate and asks for ours, instead of its
public-CA one). TLS 1.3 is the minimum, as on the provider.

Client certificates (mTLS): `load_cert_chain` only reads files, so the private key is written
re-encrypted under a random one-time password into an anonymous in-memory file (memfd) where the
OS has one, otherwise into a 0600 file inside a fresh 0700 directory, loaded, and deleted at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import ipaddress
import logging
import os
import secrets
import ssl
import tempfile
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from app.provider.certs import CertificateInvalid, common_name, parse_and_validate
from app.provider.errors import ProviderAuthError, ProviderTlsError, ProviderUnreachable

log = logging.getLogger(__name__)

MODE_PKI = "pki"
MODE_CHAIN = "chain"

# Returns the (cert PEM, pubkey PEM) pairs of the provider's valid on-chain certificates.
CertFetcher = Callable[[str], Awaitable[Sequence[tuple[str, str]]]]


@dataclass(frozen=True)
class Endpoint:
    """Where the gateway listens, from its on-chain host_uri."""

    uri: str  # normalised https://host:port, no trailing slash
    host: str
    port: int

    @classmethod
    def parse(cls, host_uri: str) -> Endpoint:
        text = (host_uri or "").strip()
        if "://" not in text:
            text = "https://" + text
        parts = urlsplit(text)
        if parts.scheme.lower() != "https" or not parts.hostname:
            raise ProviderUnreachable(host_uri, "the provider's host URI must be an https:// address")
        try:
            port = parts.port or 443
        except ValueError:
            raise ProviderUnreachable(host_uri, "the provider's host URI has an invalid port") from None
        host = parts.hostname
        shown = f"[{host}]" if ":" in host else host
        return cls(f"https://{shown}:{port}", host, port)

    @property
    def is_ip(self) -> bool:
        try:
            ipaddress.ip_address(self.host)
        except ValueError:
            return False
        return True


@dataclass(frozen=True)
class ClientIdentity:
    """A client certificate and its private key for mTLS. repr() never shows the key."""

    cert_pem: str
    key_pem: str

    def __repr__(self) -> str:
        return "ClientIdentity(<certificate>, key=<redacted>)"

    __str__ = __repr__


@dataclass(frozen=True)
class TrustDecision:
    """How to talk to one provider: the verifying context, the SNI, and what the peer must be."""

    mode: str
    context: ssl.SSLContext
    server_hostname: str
    provider: str
    fingerprints: frozenset[str]  # chain mode: SHA-256 of the acceptable on-chain certificates

    def check_peer(self, der: bytes | None, host_uri: str) -> None:
        """After a handshake: in chain mode the peer must be one of the on-chain certs, CN = provider."""
        if self.mode != MODE_CHAIN:
            return
        problem = peer_problem(der, self.provider, self.fingerprints)
        if problem:
            raise ProviderTlsError(host_uri, self.provider, problem)


def peer_problem(der: bytes | None, provider: str, fingerprints: frozenset[str]) -> str:
    """Why a peer certificate is not the provider's on-chain certificate ("" when it is)."""
    if not der:
        return "the server presented no certificate"
    try:
        cert = x509.load_der_x509_certificate(der)
    except ValueError:
        return "the server's certificate cannot be parsed"
    cn, issuer_cn = common_name(cert), common_name(cert, issuer=True)
    if cn != provider:
        return f"the certificate belongs to {cn or 'nobody (no CN)'}, not to the provider {provider}"
    if issuer_cn != cn:
        return "the certificate is not self-issued (issuer CN differs from subject CN)"
    if hashlib.sha256(der).hexdigest() not in fingerprints:
        return "the certificate is not one the provider published on chain"
    return ""


# ---- contexts ---------------------------------------------------------------------------------------


def pki_context(identity: ClientIdentity | None = None) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    if identity is not None:
        load_identity(ctx, identity)
    return ctx


def chain_context(anchors_pem: Sequence[str], identity: ClientIdentity | None = None) -> ssl.SSLContext:
    """A context whose only trust anchors are the given (on-chain) certificates; no hostname check."""
    if not anchors_pem:
        raise ValueError("a chain-anchored context needs at least one certificate")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False  # the anchor names an account, not a host; verify_mode stays CERT_REQUIRED
    assert ctx.verify_mode == ssl.CERT_REQUIRED
    # The official libraries' certificates are CA:TRUE without keyCertSign or key identifiers, which
    # X.509 "strict" mode (default from Python 3.13) rejects; every other check stays on.
    ctx.verify_flags &= ~getattr(ssl, "VERIFY_X509_STRICT", 0)
    # The Go provider's certificate has issuer "CN=addr" but subject "CN=addr + 2.23.133.2.6", so
    # OpenSSL does not see it as self-signed; like Go's Verify (leaf found in the roots), accept a
    # peer certificate that is itself one of the anchors. The anchors are only on-chain certificates.
    ctx.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    ctx.load_verify_locations(cadata="".join(_normalise_pem(p) for p in anchors_pem))
    if identity is not None:
        load_identity(ctx, identity)
    return ctx


def _normalise_pem(pem: str) -> str:
    return pem.replace("\r\n", "\n").strip() + "\n"


def load_identity(ctx: ssl.SSLContext, identity: ClientIdentity) -> None:
    """Load a client certificate + key into `ctx` without ever writing the key unencrypted."""
    try:
        key = serialization.load_pem_private_key(identity.key_pem.encode("ascii"), password=None)
    except (ValueError, TypeError):
        raise CertificateInvalid("the client certificate's private key cannot be read") from None
    one_time = secrets.token_bytes(32)
    sealed = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.BestAvailableEncryption(one_time)
    )
    blob = _normalise_pem(identity.cert_pem).encode("ascii") + sealed
    memfd_create = getattr(os, "memfd_create", None)
    if memfd_create is not None and os.path.isdir("/proc/self/fd"):
        fd = memfd_create("akash-desk-mtls", getattr(os, "MFD_CLOEXEC", 0))
        try:
            os.write(fd, blob)
            ctx.load_cert_chain(f"/proc/self/fd/{fd}", password=one_time)
        finally:
            os.close(fd)
        return
    folder = tempfile.mkdtemp(prefix="akash-desk-mtls-")  # 0700
    path = os.path.join(folder, "identity.pem")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, blob)
        finally:
            os.close(fd)
        ctx.load_cert_chain(path, password=one_time)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        with contextlib.suppress(OSError):
            os.rmdir(folder)


# ---- resolving the trust for one provider ------------------------------------------------------------


def chain_fetcher(chain: object) -> CertFetcher:
    """A CertFetcher reading the provider's valid certificates through the app's REST client."""
    from app.chain import cert as chain_cert

    async def fetch(provider: str) -> Sequence[tuple[str, str]]:
        listing = await chain_cert.certificates(chain, provider, state=chain_cert.CertState.VALID)  # type: ignore[arg-type]
        out = []
        for item in listing.items:
            if item.state is not chain_cert.CertState.VALID:
                continue
            try:
                out.append((item.cert_pem, item.pubkey_pem))
            except Exception as exc:  # one damaged entry must not hide the others
                log.warning("provider %s certificate %s unreadable: %s", provider, item.serial, exc)
        return out

    return fetch


class ProviderTrust:
    """Decides once (then caches) how to verify one provider's gateway; see the module docstring."""

    def __init__(
        self,
        endpoint: Endpoint,
        provider: str,
        fetch_certs: CertFetcher,
        *,
        identity: ClientIdentity | None = None,
        timeout_s: float = 10.0,
    ) -> None:
        self.endpoint = endpoint
        self.provider = provider
        self.identity = identity
        self.timeout_s = timeout_s
        self._fetch = fetch_certs
        self._decision: TrustDecision | None = None
        self._lock = asyncio.Lock()

    @property
    def server_hostname(self) -> str:
        if self.identity is not None:
            return f"mtls.{self.endpoint.host}"
        return self.endpoint.host

    def invalidate(self) -> None:
        """Forget the decision (e.g. the provider rotated its certificate); the next use resolves again."""
        self._decision = None

    async def decision(self) -> TrustDecision:
        async with self._lock:
            if self._decision is None:
                self._decision = await self._resolve()
            return self._decision

    async def _resolve(self) -> TrustDecision:
        sni = self.server_hostname
        pki = pki_context(self.identity)
        try:
            await self._probe(pki, sni)
            log.info("provider %s: publicly trusted certificate", self.endpoint.uri)
            return TrustDecision(MODE_PKI, pki, sni, self.provider, frozenset())
        except ssl.SSLCertVerificationError as exc:
            log.info("provider %s: not publicly trusted (%s); checking its certificate on chain", self.endpoint.uri, exc.verify_message)
        anchors, fingerprints = await self._anchors()
        ctx = chain_context(anchors, self.identity)
        decision = TrustDecision(MODE_CHAIN, ctx, sni, self.provider, frozenset(fingerprints))
        try:
            der = await self._probe(ctx, sni)
        except ssl.SSLCertVerificationError as exc:
            raise ProviderTlsError(
                self.endpoint.uri, self.provider, f"its certificate does not verify against its certificate(s) on chain ({exc.verify_message})"
            ) from None
        decision.check_peer(der, self.endpoint.uri)
        log.info("provider %s: certificate matches its certificate on chain", self.endpoint.uri)
        return decision

    async def _anchors(self) -> tuple[list[str], list[str]]:
        pairs = await self._fetch(self.provider)
        anchors, fingerprints = [], []
        for cert_pem, pubkey_pem in pairs:
            try:
                parsed = parse_and_validate(self.provider, cert_pem, pubkey_pem)
            except CertificateInvalid as exc:
                log.warning("provider %s: an on-chain certificate is unusable: %s", self.provider, exc)
                continue
            anchors.append(cert_pem)
            fingerprints.append(parsed.fingerprint_sha256)
        if not anchors:
            raise ProviderTlsError(
                self.endpoint.uri,
                self.provider,
                "its certificate is not publicly trusted and the provider has no valid certificate on chain",
            )
        return anchors, fingerprints

    async def _probe(self, ctx: ssl.SSLContext, sni: str) -> bytes | None:
        """One TLS handshake and nothing else: the peer certificate (DER), or the handshake's error."""
        ep = self.endpoint
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(
                    ep.host, ep.port, ssl=ctx, server_hostname=sni, ssl_handshake_timeout=self.timeout_s
                ),
                self.timeout_s,
            )
        except ssl.SSLCertVerificationError:
            raise
        except ssl.SSLError as exc:
            raise ProviderTlsError(ep.uri, self.provider, f"the TLS handshake failed ({exc.reason or exc})") from None
        except OSError as exc:  # includes TimeoutError
            raise ProviderUnreachable(ep.uri, _describe_os_error(exc)) from None
        try:
            obj = writer.get_extra_info("ssl_object")
            return obj.getpeercert(binary_form=True) if obj is not None else None
        except (ValueError, ssl.SSLError) as exc:  # aborted right after the handshake: TLS 1.3 checks our cert last
            why = getattr(exc, "reason", None) or "the connection closed during the handshake"
            if self.identity is not None:
                raise ProviderAuthError(ep.uri, "mtls", f"the provider refused the client certificate ({why})") from None
            raise ProviderTlsError(ep.uri, self.provider, f"the TLS handshake failed ({why})") from None
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(writer.wait_closed(), 2)
            del reader


def _describe_os_error(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "no answer in time"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused (nothing listens on that port)"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return type(exc).__name__
