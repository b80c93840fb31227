"""akash cert v1: mTLS client certificates published on chain, with the node's validation; revoke; list."""

from __future__ import annotations

import base64
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from app.localnet.errors import TxError, invalid_argument, module_error
from app.localnet.module import Ctx, Module, MsgHandler, Route
from app.localnet.modules.auth import parse_address
from app.localnet.modules.bank import check_address
from app.localnet.rest import Query, paged

CERT = "cert.cert"  # "<owner>/<serial, zero-padded>" -> {"serial", "state", "cert", "pubkey"}
STATES = ["invalid", "valid", "revoked"]


def err(code: int, desc: str, msg: str = "") -> TxError:
    return module_error("cert", code, desc, msg)


def _single_pem(data: bytes, block_type: str, error: TxError) -> bytes:
    """The DER of exactly one PEM block of the given type with nothing after it (pem.Decode + rest check)."""
    text = data.decode("ascii", errors="replace")
    begin, end = f"-----BEGIN {block_type}-----", f"-----END {block_type}-----"
    if not text.lstrip().startswith(begin) or text.count("-----BEGIN") != 1:
        raise error
    tail = text.split(end, 1)
    if len(tail) != 2 or tail[1].strip():
        raise error
    body = tail[0].split(begin, 1)[1]
    try:
        return base64.b64decode("".join(body.split()), validate=True)
    except ValueError:
        raise error from None


def validate_certificate(owner: str, cert_pem: bytes, pubkey_pem: bytes) -> x509.Certificate:
    """chain-sdk ParseAndValidateCertificate: one PEM each, ECDSA key, self-signature, CN == owner."""
    bad_pub = err(7, "invalid pubkey value")
    bad_cert = err(6, "invalid certificate value")
    try:
        pub = serialization.load_der_public_key(_single_pem(pubkey_pem, "EC PUBLIC KEY", bad_pub))
    except ValueError:
        raise bad_pub from None
    try:
        cert = x509.load_der_x509_certificate(_single_pem(cert_pem, "CERTIFICATE", bad_cert))
    except ValueError:
        raise bad_cert from None
    cert_key = cert.public_key()
    if not isinstance(cert_key, ec.EllipticCurvePublicKey) or not isinstance(pub, ec.EllipticCurvePublicKey):
        raise err(6, "invalid certificate value", "certificate key must be ECDSA")
    if cert_key.public_numbers() != pub.public_numbers():
        raise err(7, "invalid pubkey value", "pubkey does not match the certificate")
    try:
        cert_key.verify(cert.signature, cert.tbs_certificate_bytes, ec.ECDSA(cert.signature_hash_algorithm))
    except (InvalidSignature, TypeError, ValueError):
        raise err(6, "invalid certificate value", "certificate signature does not verify") from None
    cns = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    if len(cns) != 1 or cns[0].value != owner:
        raise err(6, "invalid certificate value", "certificate common name must be the owner address")
    return cert


def cert_key(owner: str, serial: int) -> str:
    return f"{owner}/{serial:040d}"


class CertModule(Module):
    name = "cert"
    order = 70

    def msg_handlers(self) -> dict[str, MsgHandler]:
        return {
            "/akash.cert.v1.MsgCreateCertificate": MsgHandler(lambda m: [m.owner], self.exec_create,
                                                              lambda m: check_address(m.owner, "owner")),
            "/akash.cert.v1.MsgRevokeCertificate": MsgHandler(lambda m: [m.id.owner], self.exec_revoke,
                                                              self._validate_revoke),
        }

    def _validate_revoke(self, msg: Any) -> None:
        check_address(msg.id.owner, "owner")
        if not msg.id.serial.isdigit():
            raise err(5, "invalid serial number", msg.id.serial)

    def exec_create(self, ctx: Ctx, msg: Any) -> None:
        cert = validate_certificate(msg.owner, bytes(msg.cert), bytes(msg.pubkey))
        key = cert_key(msg.owner, cert.serial_number)
        if ctx.kv.has(CERT, key):
            raise err(3, "certificate exists")
        ctx.kv.set(CERT, key, {"serial": str(cert.serial_number), "state": "valid",
                               "cert": base64.b64encode(bytes(msg.cert)).decode(),
                               "pubkey": base64.b64encode(bytes(msg.pubkey)).decode()})
        ctx.emit("akash.cert.v1.EventCertificateCreated",
                 ("id", f'{{"owner":"{msg.owner}","serial":"{cert.serial_number}"}}'))
        return None

    def exec_revoke(self, ctx: Ctx, msg: Any) -> None:
        key = cert_key(msg.id.owner, int(msg.id.serial))
        rec = ctx.kv.get(CERT, key)
        if rec is None:
            raise err(1, "certificate not found")
        if rec["state"] == "revoked":
            raise err(4, "certificate already revoked")
        rec["state"] = "revoked"
        ctx.kv.set(CERT, key, rec)
        ctx.emit("akash.cert.v1.EventCertificateRevoked",
                 ("id", f'{{"owner":"{msg.id.owner}","serial":"{msg.id.serial}"}}'))
        return None

    def routes(self) -> list[Route]:
        return [Route("GET", "/akash/cert/v1/certificates/list", self.q_list)]

    def q_list(self, q: Query) -> dict:
        owner, serial, state = q.str("filter.owner"), q.str("filter.serial"), q.str("filter.state")
        if owner:
            parse_address(owner, "owner address")
        if serial and not serial.isdigit():
            raise invalid_argument("invalid serial number")
        if state and state not in STATES[1:]:
            raise invalid_argument(f"invalid certificate state {state!r}: use valid or revoked")
        if serial and not owner:
            raise invalid_argument("invalid request: filter.serial needs filter.owner")
        prefix = cert_key(owner, int(serial)) if serial else (owner + "/" if owner else "")
        entries = [(k, {"certificate": {"state": r["state"], "cert": r["cert"], "pubkey": r["pubkey"]},
                        "serial": r["serial"]})
                   for k, r in self.chain.root.items(CERT, prefix) if not state or r["state"] == state]
        return paged(q, "certificates", entries)


MODULE = CertModule
