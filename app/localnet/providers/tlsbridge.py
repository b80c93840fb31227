"""A TLS 1.3 server context for asyncio that requests client certificates without OpenSSL's own verdict.

Akash client certificates (made by the official libraries) carry only the keyEncipherment and
dataEncipherment key usages, which OpenSSL's "ssl_client" purpose check refuses, and Python's ssl module
cannot request a certificate without verifying it. The Go provider asks for one (tls.RequestClientCert)
and checks it itself against the chain. This context does the same on pyOpenSSL: the handshake keeps
going whatever OpenSSL thinks, and `check(chain_der)` (the chain lookup) decides; a refused certificate
fails the handshake exactly as the Go provider's VerifyPeerCertificate does. It offers the interface
asyncio's SSL transport uses (wrap_bio -> an object shaped like ssl.SSLObject).
"""

from __future__ import annotations

import ssl
from collections.abc import Callable
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import Encoding
from OpenSSL import SSL

CheckPeer = Callable[[list[bytes]], bool]


class BioConnection:
    """ssl.SSLObject's interface over a pyOpenSSL connection that reads and writes asyncio's memory BIOs."""

    def __init__(self, conn: SSL.Connection, incoming: ssl.MemoryBIO, outgoing: ssl.MemoryBIO,
                 server_side: bool, server_hostname: str | None) -> None:
        self._conn = conn
        self._in, self._out = incoming, outgoing
        self.server_side, self.server_hostname = server_side, server_hostname

    def _feed(self) -> None:
        data = self._in.read()
        if data:
            self._conn.bio_write(data)

    def _drain(self) -> None:
        while True:
            try:
                data = self._conn.bio_read(65536)
            except SSL.WantReadError:
                return
            if not data:
                return
            self._out.write(data)

    def _call(self, fn: Callable[..., Any], *args: Any) -> Any:
        self._feed()
        try:
            return fn(*args)
        except SSL.WantReadError:
            raise ssl.SSLWantReadError("the TLS layer needs more data") from None
        except SSL.WantWriteError:
            raise ssl.SSLWantWriteError("the TLS layer needs to write") from None
        except SSL.ZeroReturnError:
            raise ssl.SSLZeroReturnError("TLS connection closed") from None
        except SSL.SysCallError as exc:
            raise ssl.SSLSyscallError(str(exc)) from None
        except SSL.Error as exc:
            raise ssl.SSLError(f"TLS handshake or record failed: {exc}") from None
        finally:
            self._drain()

    def do_handshake(self) -> None:
        self._call(self._conn.do_handshake)

    def read(self, n: int = 1024, buffer: Any = None) -> Any:
        try:
            data = self._call(self._conn.recv, n)
        except ssl.SSLZeroReturnError:
            data = b""
        if buffer is not None:
            buffer[: len(data)] = data
            return len(data)
        return data

    def write(self, data: bytes) -> int:
        return int(self._call(self._conn.send, bytes(data)))

    def unwrap(self) -> None:
        if not self._call(self._conn.shutdown):
            raise ssl.SSLWantReadError("waiting for the peer's close_notify")

    def peer_chain(self) -> list[bytes]:
        """DER of the certificates the client presented, its own first (empty when it presented none)."""
        leaf = self._conn.get_peer_certificate(as_cryptography=True)
        if leaf is None:
            return []
        rest = self._conn.get_peer_cert_chain(as_cryptography=True) or []  # server side: without the leaf
        return [leaf.public_bytes(Encoding.DER)] + [c.public_bytes(Encoding.DER) for c in rest
                                                     if c != leaf]

    def getpeercert(self, binary_form: bool = False) -> Any:
        cert = self._conn.get_peer_certificate(as_cryptography=True)
        if cert is None:
            return None
        return cert.public_bytes(Encoding.DER) if binary_form else {}

    def cipher(self) -> tuple[str, str, int] | None:
        name = self._conn.get_cipher_name()
        return None if name is None else (name, self._conn.get_protocol_version_name(), self._conn.get_cipher_bits())

    def compression(self) -> None:
        return None

    def pending(self) -> int:
        return int(self._conn.pending())

    def version(self) -> str:
        return str(self._conn.get_protocol_version_name())

    def selected_alpn_protocol(self) -> None:
        return None


class ClientCertServerContext:
    """What aiohttp/asyncio take as `ssl_context` for a server: TLS 1.3, client certificate requested."""

    def __init__(self, cert_pem: bytes, key_pem: bytes, check: CheckPeer) -> None:
        self._check = check
        ctx = SSL.Context(SSL.TLS_SERVER_METHOD)
        ctx.set_min_proto_version(SSL.TLS1_3_VERSION)
        ctx.use_certificate(x509.load_pem_x509_certificate(cert_pem))
        ctx.use_privatekey(serialization.load_pem_private_key(key_pem, None))  # type: ignore[arg-type]
        ctx.check_privatekey()
        ctx.set_verify(SSL.VERIFY_PEER, self._verify)
        self._ctx = ctx

    def _verify(self, conn: SSL.Connection, cert: Any, errno: int, depth: int, ok: int) -> bool:
        """Called per certificate; OpenSSL's own verdict (`ok`) is ignored, the chain check decides.

        Only the client's own certificate may be there (depth 0): a longer chain is refused, as in Go.
        """
        if depth != 0:
            return False
        return bool(self._check([cert.to_cryptography().public_bytes(Encoding.DER)]))

    def wrap_bio(self, incoming: ssl.MemoryBIO, outgoing: ssl.MemoryBIO, server_side: bool = False,
                 server_hostname: str | None = None, session: Any = None) -> BioConnection:
        conn = SSL.Connection(self._ctx, None)
        conn.set_accept_state()
        return BioConnection(conn, incoming, outgoing, server_side, server_hostname)
