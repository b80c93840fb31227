"""ES256K access tokens for the provider gateway (AEP-64): claims, signing with the wallet's Signer, checking.

The token is client-issued: `b64url(header) . b64url(claims) . b64url(sig)` where the header is
`{"alg":"ES256K","typ":"JWT"}`, both JSON texts are compact with sorted keys (as chain-sdk's
JwtTokenManager writes them) and `sig` is the 64-byte r||s, low-S, secp256k1 signature of
sha256(signing input) — exactly what `Signer.sign` produces. The provider checks it against the
account's public key on chain. Tokens are bearer secrets: never log them (repr() hides them).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from app.wallet.signer import verify_signature

ALGORITHM = "ES256K"
VERSION = "v1"
DEFAULT_LIFETIME_S = 15 * 60  # the Go client's default
RENEW_BEFORE_S = 60  # a cached token is replaced when less than this is left

# chain-sdk specs/jwt-schema.json scopes, plus "attestation" which the Go provider also knows.
SCOPES = (
    "send-manifest",
    "get-manifest",
    "logs",
    "shell",
    "events",
    "status",
    "restart",
    "hostname-migrate",
    "ip-migrate",
    "attestation",
)
# What Console asks for: everything a tenant needs for its own leases.
TENANT_SCOPES = ("status", "shell", "events", "logs", "send-manifest", "get-manifest")
_ADDRESS_RE = re.compile(r"^akash1[a-z0-9]{38}$")


class JwtError(ValueError):
    """A token or claim set that is malformed, badly signed, expired or not allowed by the schema."""


class TokenSigner(Protocol):
    """What signs a token: app.wallet.signer.Signer (sign(bytes) -> 64-byte r||s over sha256)."""

    address: str

    def sign(self, message: bytes) -> bytes: ...


# ---- access (the `leases` claim) ------------------------------------------------------------------


@dataclass(frozen=True)
class DeploymentPermission:
    """Granular access to one deployment (optionally one group / order, some services)."""

    dseq: int
    scope: tuple[str, ...]
    services: tuple[str, ...]
    gseq: int | None = None
    oseq: int | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"dseq": self.dseq, "scope": list(self.scope), "services": list(self.services)}
        if self.gseq is not None:
            out["gseq"] = self.gseq
        if self.oseq is not None:
            out["oseq"] = self.oseq
        return out


@dataclass(frozen=True)
class ProviderPermission:
    """Access granted at one provider: full, scoped (scope list) or granular (deployments)."""

    provider: str
    access: str
    scope: tuple[str, ...] = ()
    deployments: tuple[DeploymentPermission, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"provider": self.provider, "access": self.access}
        if self.scope:
            out["scope"] = list(self.scope)
        if self.deployments:
            out["deployments"] = [d.to_json() for d in self.deployments]
        return out


@dataclass(frozen=True)
class LeaseAccess:
    """The `leases` claim. Build it with full(), scoped(...) or granular(...)."""

    access: str
    scope: tuple[str, ...] = ()
    permissions: tuple[ProviderPermission, ...] = ()

    @classmethod
    def full(cls) -> LeaseAccess:
        return cls("full")

    @classmethod
    def scoped(cls, scope: Iterable[str] = TENANT_SCOPES) -> LeaseAccess:
        return cls("scoped", scope=tuple(scope))

    @classmethod
    def granular(cls, permissions: Iterable[ProviderPermission]) -> LeaseAccess:
        return cls("granular", permissions=tuple(permissions))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"access": self.access}
        if self.scope:
            out["scope"] = list(self.scope)
        if self.permissions:
            out["permissions"] = [p.to_json() for p in self.permissions]
        return out


# ---- claims -----------------------------------------------------------------------------------------


def build_claims(
    issuer: str,
    access: LeaseAccess | None = None,
    *,
    now: int | None = None,
    lifetime_s: int = DEFAULT_LIFETIME_S,
    jti: str | None = None,
) -> dict[str, Any]:
    """The claim set: iss, iat = nbf = now, exp = now + lifetime, version v1, leases (default full), jti."""
    if lifetime_s <= 0:
        raise JwtError("a token lifetime is a positive number of seconds")
    issued = int(time.time()) if now is None else int(now)
    claims: dict[str, Any] = {
        "iss": issuer,
        "iat": issued,
        "nbf": issued,
        "exp": issued + int(lifetime_s),
        "version": VERSION,
        "leases": (access or LeaseAccess.full()).to_json(),
    }
    if jti is not None:
        claims["jti"] = jti
    check_claims(claims)
    return claims


def check_claims(claims: Any) -> None:
    """The chain-sdk JWT schema (specs/jwt-schema.json) plus its validator's extra rules; JwtError if broken."""
    if not isinstance(claims, dict):
        raise JwtError("the claims are not a JSON object")
    _only(claims, {"iss", "iat", "nbf", "exp", "jti", "version", "leases"}, "claims")
    for key in ("iss", "iat", "exp", "nbf", "version", "leases"):
        if key not in claims:
            raise JwtError(f"the claim {key!r} is missing")
    if not isinstance(claims["iss"], str) or not _ADDRESS_RE.match(claims["iss"]):
        raise JwtError("iss must be an akash1... account address")
    for key in ("iat", "nbf", "exp"):
        _uint(claims[key], key, 0)
    if claims["version"] != VERSION:
        raise JwtError(f"version must be {VERSION!r}")
    if "jti" in claims and (not isinstance(claims["jti"], str) or not claims["jti"]):
        raise JwtError("jti must be a non-empty string")
    if not claims["nbf"] <= claims["iat"] <= claims["exp"]:
        raise JwtError("the times must satisfy nbf <= iat <= exp")
    _check_leases(claims["leases"])


def _check_leases(leases: Any) -> None:
    if not isinstance(leases, dict):
        raise JwtError("leases must be an object")
    _only(leases, {"access", "scope", "permissions"}, "leases")
    access = leases.get("access")
    if access == "full":
        _forbid(leases, ("scope", "permissions"), "leases with full access")
    elif access == "scoped":
        _forbid(leases, ("permissions",), "leases with scoped access")
        _scope(leases.get("scope"), "leases.scope")
    elif access == "granular":
        _forbid(leases, ("scope",), "leases with granular access")
        perms = leases.get("permissions")
        if not isinstance(perms, list) or not perms:
            raise JwtError("granular access needs a non-empty permissions list")
        seen: set[str] = set()
        for i, perm in enumerate(perms):
            _check_permission(perm, f"leases.permissions[{i}]")
            if perm["provider"] in seen:
                raise JwtError("a provider appears twice in the permissions")
            seen.add(perm["provider"])
    else:
        raise JwtError("leases.access must be 'full', 'scoped' or 'granular'")


def _check_permission(perm: Any, where: str) -> None:
    if not isinstance(perm, dict):
        raise JwtError(f"{where} must be an object")
    _only(perm, {"provider", "access", "scope", "deployments"}, where)
    if not isinstance(perm.get("provider"), str) or not _ADDRESS_RE.match(perm["provider"]):
        raise JwtError(f"{where}.provider must be an akash1... provider address")
    access = perm.get("access")
    if access == "full":
        _forbid(perm, ("scope", "deployments"), f"{where} with full access")
    elif access == "scoped":
        _forbid(perm, ("deployments",), f"{where} with scoped access")
        _scope(perm.get("scope"), f"{where}.scope")
    elif access == "granular":
        _forbid(perm, ("scope",), f"{where} with granular access")
        deps = perm.get("deployments")
        if not isinstance(deps, list) or not deps:
            raise JwtError(f"{where} with granular access needs a non-empty deployments list")
        for j, dep in enumerate(deps):
            _check_deployment(dep, f"{where}.deployments[{j}]")
    else:
        raise JwtError(f"{where}.access must be 'full', 'scoped' or 'granular'")


def _check_deployment(dep: Any, where: str) -> None:
    if not isinstance(dep, dict):
        raise JwtError(f"{where} must be an object")
    _only(dep, {"dseq", "scope", "gseq", "oseq", "services"}, where)
    for key in ("dseq", "scope", "services"):
        if key not in dep:
            raise JwtError(f"{where}.{key} is missing")
    _uint(dep["dseq"], f"{where}.dseq", 1)
    _scope(dep["scope"], f"{where}.scope")
    services = dep["services"]
    if (
        not isinstance(services, list)
        or not services
        or len(set(services)) != len(services)
        or not all(isinstance(s, str) and s for s in services)
    ):
        raise JwtError(f"{where}.services must be a non-empty list of distinct service names")
    if "gseq" in dep:
        _uint(dep["gseq"], f"{where}.gseq", 0)
    if "oseq" in dep:
        if "gseq" not in dep:
            raise JwtError(f"{where}.oseq needs gseq")
        _uint(dep["oseq"], f"{where}.oseq", 0)


def _only(obj: dict[str, Any], allowed: set[str], where: str) -> None:
    extra = sorted(set(obj) - allowed)
    if extra:
        raise JwtError(f"{where} has unknown field(s): {', '.join(extra)}")


def _forbid(obj: dict[str, Any], keys: Sequence[str], where: str) -> None:
    for key in keys:
        if key in obj:
            raise JwtError(f"{where} must not have {key!r}")


def _uint(value: Any, where: str, minimum: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise JwtError(f"{where} must be an integer >= {minimum}")


def _scope(value: Any, where: str) -> None:
    if not isinstance(value, list) or not value:
        raise JwtError(f"{where} must be a non-empty list")
    if len(set(value)) != len(value):
        raise JwtError(f"{where} has duplicates")
    unknown = [s for s in value if s not in SCOPES]
    if unknown:
        raise JwtError(f"{where} has unknown scope(s) {unknown}; known: {', '.join(SCOPES)}")


# ---- encoding, signing, verification ---------------------------------------------------------------


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    if not re.fullmatch(r"[A-Za-z0-9_-]*", text) or len(text) % 4 == 1:
        raise JwtError("a token part is not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise JwtError("a token part is not base64url") from None


def _json(obj: Any) -> bytes:
    # json-stable-stringify: sorted keys, no spaces; non-ASCII kept as UTF-8 like JSON.stringify.
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def signing_input(claims: dict[str, Any]) -> bytes:
    header = {"alg": ALGORITHM, "typ": "JWT"}
    return f"{b64url(_json(header))}.{b64url(_json(claims))}".encode("ascii")


def encode_token(signer: TokenSigner, claims: dict[str, Any]) -> str:
    """Sign the claims with the account key. The issuer must be the signer's own address."""
    check_claims(claims)
    if claims["iss"] != signer.address:
        raise JwtError(f"the token's issuer {claims['iss']} is not the signing account {signer.address}")
    data = signing_input(claims)
    signature = signer.sign(data)
    if len(signature) != 64:
        raise JwtError("the signer did not return a 64-byte r||s signature")
    return f"{data.decode('ascii')}.{b64url(signature)}"


@dataclass(frozen=True)
class DecodedToken:
    header: dict[str, Any]
    claims: dict[str, Any]
    signing_input: bytes
    signature: bytes


def decode_token(token: str) -> DecodedToken:
    """Split and decode a token without checking its signature."""
    parts = token.split(".") if isinstance(token, str) else []
    if len(parts) != 3:
        raise JwtError("a JWT has three dot-separated parts")
    try:
        header = json.loads(b64url_decode(parts[0]))
        claims = json.loads(b64url_decode(parts[1]))
    except (ValueError, UnicodeDecodeError) as exc:
        if isinstance(exc, JwtError):
            raise
        raise JwtError("the header or claims are not JSON") from None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise JwtError("the header and claims must be JSON objects")
    return DecodedToken(header, claims, f"{parts[0]}.{parts[1]}".encode("ascii"), b64url_decode(parts[2]))


def verify_token(token: str, pubkey33: bytes, *, now: int | None = None, leeway_s: int = 0) -> dict[str, Any]:
    """What a provider checks: alg ES256K, the schema, signature by pubkey (low-S), and nbf <= now < exp."""
    decoded = decode_token(token)
    if decoded.header.get("alg") != ALGORITHM:
        raise JwtError(f"unsupported algorithm {decoded.header.get('alg')!r} (expected {ALGORITHM})")
    check_claims(decoded.claims)
    if len(decoded.signature) != 64 or not verify_signature(pubkey33, decoded.signing_input, decoded.signature):
        raise JwtError("the signature does not verify with the account's public key")
    current = int(time.time()) if now is None else now
    if current + leeway_s < decoded.claims["nbf"]:
        raise JwtError("the token is not valid yet (nbf is in the future)")
    if current - leeway_s >= decoded.claims["exp"]:
        raise JwtError("the token has expired")
    return decoded.claims


# ---- the auth object the client uses ---------------------------------------------------------------


@dataclass
class JwtAuth:
    """Bearer-token authentication: mints a fresh token when the cached one is near expiry.

    `access` defaults to the scopes a tenant needs; `lifetime_s` to 15 minutes. repr() hides the token.
    """

    signer: TokenSigner
    access: LeaseAccess = field(default_factory=lambda: LeaseAccess.scoped(TENANT_SCOPES))
    lifetime_s: int = DEFAULT_LIFETIME_S
    with_jti: bool = True
    clock: Callable[[], float] = time.time
    _token: str | None = field(default=None, repr=False)
    _exp: int = field(default=0, repr=False)

    method = "jwt"

    @property
    def address(self) -> str:
        return self.signer.address

    def token(self) -> str:
        now = int(self.clock())
        if self._token is None or self._exp - now < min(RENEW_BEFORE_S, self.lifetime_s // 2):
            jti = secrets.token_hex(16) if self.with_jti else None
            claims = build_claims(self.signer.address, self.access, now=now, lifetime_s=self.lifetime_s, jti=jti)
            self._token = encode_token(self.signer, claims)
            self._exp = claims["exp"]
        return self._token

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token()}"}

    def forget(self) -> None:
        """Drop the cached token (e.g. after the provider refused it)."""
        self._token = None
        self._exp = 0

    def __repr__(self) -> str:
        return f"JwtAuth(address={self.signer.address!r}, access={self.access.access!r})"
