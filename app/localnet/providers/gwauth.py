"""Gateway authentication as the provider does it: an on-chain mTLS client certificate or an ES256K JWT."""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from app.localnet.modules.cert import CERT, cert_key
from app.wallet.address import AddressError, validate_address
from app.wallet.signer import verify_signature

SCOPES = {"send-manifest", "get-manifest", "logs", "shell", "events", "status", "restart", "hostname-migrate",
          "ip-migrate", "attestation"}
_ISSUER = re.compile(r"^akash1[a-z0-9]{38}$")


class AuthError(Exception):
    """A refused request: the HTTP status and the {"message": ...} body the provider writes."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


INVALID_HEADER = (400, "invalid authorization header")
INVALID_CLAIMS = (400, "JWT has invalid claims")
AMBIGUOUS = (400, "auth: ambiguous authentication. may not use mTLS and JWT at the same time")
UNAUTHORIZED = (401, "unauthorized access")
JWT_INVALID = (401, "JWT is invalid")
JWT_EXPIRED = (401, "JWT is expired")


@dataclass
class Claims:
    """ajwt.Claims: who is asking and for which leases (access none when nobody authenticated)."""

    issuer: str = ""
    access: str = "none"
    scope: list[str] = field(default_factory=list)
    permissions: list[dict[str, Any]] = field(default_factory=list)

    def _permission(self, provider: str) -> dict[str, Any] | None:
        return next((p for p in self.permissions if p.get("provider") == provider), None)

    def for_provider(self, provider: str) -> bool:
        if self.access in ("full", "scoped"):
            return True
        return self.access == "granular" and self._permission(provider) is not None

    def allows(self, owner: str, provider: str, scope: str, dseq: int, gseq: int = 0, oseq: int = 0) -> bool:
        """AuthorizeDeploymentIDForPermissionScope / AuthorizeLeaseIDForPermissionScope."""
        if self.issuer != owner:
            return False
        if self.access == "full":
            return True
        if self.access == "scoped":
            return scope in self.scope
        perm = self._permission(provider) if self.access == "granular" else None
        if perm is None:
            return False
        if perm["access"] == "full":
            return True
        if perm["access"] == "scoped":
            return scope in perm.get("scope", [])
        for d in perm.get("deployments", []):
            if d.get("dseq") == dseq and (not gseq or d.get("gseq", 0) in (0, gseq)) and \
                    (not oseq or d.get("oseq", 0) in (0, oseq)) and scope in d.get("scope", []):
                return True
        return False


# -- mTLS (atls.ValidatePeerCertificates) -------------------------------------------------------------

def _cn(name: x509.Name) -> str:
    attrs = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(attrs[0].value) if len(attrs) == 1 else ""


def check_client_certificate(root: Any, chain: list[bytes], now: datetime.datetime | None = None) -> str:
    """The owner a client certificate proves, or AuthError: one self-issued cert, published and valid on chain."""
    if len(chain) != 1:
        raise AuthError(401, "tls: expected exactly one client certificate")
    try:
        cert = x509.load_der_x509_certificate(chain[0])
    except ValueError:
        raise AuthError(401, "tls: malformed client certificate") from None
    owner = _cn(cert.subject)
    try:
        validate_address(owner)
    except AddressError:
        raise AuthError(401, "tls: certificate common name is not an akash address") from None
    if _cn(cert.issuer) != owner:
        raise AuthError(401, "tls: certificate issuer must be its subject")
    record = root.get(CERT, cert_key(owner, cert.serial_number))
    if record is None or record["state"] != "valid":
        raise AuthError(401, f"tls: certificate {cert.serial_number} of {owner} is not valid on chain")
    on_chain = _pem_der(base64.b64decode(record["cert"]))
    if on_chain != chain[0]:
        raise AuthError(401, "tls: certificate differs from the one published on chain")
    key = cert.public_key()
    try:
        if not isinstance(key, ec.EllipticCurvePublicKey):
            raise InvalidSignature
        key.verify(cert.signature, cert.tbs_certificate_bytes, ec.ECDSA(cert.signature_hash_algorithm))
    except (InvalidSignature, TypeError, ValueError):
        raise AuthError(401, "tls: certificate signature does not verify") from None
    now = now or datetime.datetime.now(datetime.UTC)
    if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
        raise AuthError(401, "tls: certificate is expired or not yet valid")
    try:
        usages = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        if ExtendedKeyUsageOID.CLIENT_AUTH not in usages and ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE not in usages:
            raise AuthError(401, "tls: certificate is not for client authentication")
    except x509.ExtensionNotFound:
        pass
    return owner


def _pem_der(pem: bytes) -> bytes:
    text = pem.decode("ascii", errors="replace")
    body = text.split("-----BEGIN CERTIFICATE-----", 1)[-1].split("-----END CERTIFICATE-----", 1)[0]
    return base64.b64decode("".join(body.split()))


# -- JWT (ES256K / ES256KADR36 against the account's on-chain public key) ---------------------------

def _b64url(text: str) -> bytes:
    if not re.fullmatch(r"[A-Za-z0-9_-]*", text):
        raise AuthError(*JWT_INVALID)
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise AuthError(*JWT_INVALID) from None


def adr36_sign_bytes(signer: str, data: bytes) -> bytes:
    """The ADR-036 amino StdSignDoc (sorted keys, compact) that Keplr signArbitrary signs."""
    doc = {"account_number": "0", "chain_id": "", "fee": {"amount": [], "gas": "0"}, "memo": "",
           "msgs": [{"type": "sign/MsgSignData", "value": {"data": base64.b64encode(data).decode(), "signer": signer}}],
           "sequence": "0"}
    return json.dumps(doc, separators=(",", ":"), sort_keys=True).encode()


def verify_jwt(root: Any, token: str, now: float) -> Claims:
    """Parse, verify the signature with the issuer's account key, check the time and the claims."""
    parts = token.split(".")
    if len(parts) != 3:
        raise AuthError(*JWT_INVALID)
    try:
        header = json.loads(_b64url(parts[0]))
        payload = json.loads(_b64url(parts[1]))
    except (ValueError, UnicodeDecodeError):
        raise AuthError(*JWT_INVALID) from None
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise AuthError(*JWT_INVALID)
    alg = header.get("alg")
    if alg not in ("ES256K", "ES256KADR36"):
        raise AuthError(*JWT_INVALID)
    issuer = payload.get("iss")
    if not isinstance(issuer, str) or not _ISSUER.match(issuer):
        raise AuthError(*JWT_INVALID)
    acc = root.get("auth.account", issuer)
    if acc is None or not acc.get("pub_key"):
        raise AuthError(*JWT_INVALID)
    signing_input = f"{parts[0]}.{parts[1]}".encode()
    message = adr36_sign_bytes(issuer, signing_input) if alg == "ES256KADR36" else signing_input
    signature = _b64url(parts[2])
    if len(signature) != 64 or not verify_signature(base64.b64decode(acc["pub_key"]), message, signature):
        raise AuthError(*JWT_INVALID)
    _check_times(payload, now)
    return _claims(payload, issuer)


def _number(payload: dict[str, Any], name: str) -> float | None:
    v = payload.get(name)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise AuthError(*INVALID_CLAIMS)
    return float(v)


def _check_times(payload: dict[str, Any], now: float) -> None:
    exp, nbf, iat = _number(payload, "exp"), _number(payload, "nbf"), _number(payload, "iat")
    if exp is not None and now >= exp:
        raise AuthError(*JWT_EXPIRED)
    if (nbf is not None and now < nbf) or (iat is not None and now < iat):
        raise AuthError(*JWT_INVALID)
    if exp is None or nbf is None or iat is None:
        raise AuthError(*INVALID_CLAIMS)


def _scopes(value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(s, str) and s in SCOPES for s in value) \
            or len(set(value)) != len(value):
        raise AuthError(*INVALID_CLAIMS)
    return value


def _claims(payload: dict[str, Any], issuer: str) -> Claims:
    """Claims.Validate: version v1 and a well-formed leases section."""
    leases = payload.get("leases")
    if payload.get("version") != "v1" or not isinstance(leases, dict):
        raise AuthError(*INVALID_CLAIMS)
    access = leases.get("access")
    scope = _scopes(leases.get("scope"))
    perms = leases.get("permissions")
    if access == "full" and not scope and not perms:
        return Claims(issuer, "full")
    if access == "scoped" and scope and perms is None:
        return Claims(issuer, "scoped", scope)
    if access == "granular" and isinstance(perms, list) and perms and not scope:
        return Claims(issuer, "granular", permissions=[_permission(p) for p in perms])
    raise AuthError(*INVALID_CLAIMS)


def _permission(p: Any) -> dict[str, Any]:
    if not isinstance(p, dict) or not isinstance(p.get("provider"), str) or not _ISSUER.match(p["provider"]):
        raise AuthError(*INVALID_CLAIMS)
    access, scope, deployments = p.get("access"), _scopes(p.get("scope")), p.get("deployments")
    if access == "full" and not scope and not deployments:
        return {"provider": p["provider"], "access": "full"}
    if access == "scoped" and scope and deployments is None:
        return {"provider": p["provider"], "access": "scoped", "scope": scope}
    if access == "granular" and isinstance(deployments, list) and deployments and p.get("scope") is None:
        out = []
        for d in deployments:
            if not isinstance(d, dict) or not isinstance(d.get("dseq"), int) or d["dseq"] <= 0:
                raise AuthError(*INVALID_CLAIMS)
            services = d.get("services")
            if not isinstance(services, list) or not services or len(set(map(str, services))) != len(services):
                raise AuthError(*INVALID_CLAIMS)
            if d.get("oseq", 0) and not d.get("gseq", 0):
                raise AuthError(*INVALID_CLAIMS)
            out.append({"dseq": d["dseq"], "gseq": d.get("gseq", 0), "oseq": d.get("oseq", 0),
                        "services": services, "scope": _scopes(d.get("scope")) or _fail_empty()})
        return {"provider": p["provider"], "access": "granular", "deployments": out}
    raise AuthError(*INVALID_CLAIMS)


def _fail_empty() -> list[str]:
    raise AuthError(*INVALID_CLAIMS)


def bearer_token(header: str | None, count: int) -> str:
    """AuthHeaderToken: "" when there is none, else the token of a single "Bearer <token>" header."""
    if count > 1:
        raise AuthError(*INVALID_HEADER)
    if not header:
        return ""
    parts = header.split()
    if len(parts) != 2 or parts[0].lower() != "bearer":
        raise AuthError(*INVALID_HEADER)
    return parts[1]


def fingerprint(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()
