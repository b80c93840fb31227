"""How we authenticate to providers (ES256K JWT by default, or an mTLS client certificate) and open clients.

Every ProviderClient verifies the provider's server certificate against its on-chain certificate (or
the public PKI) before sending anything: app.provider.tls; this module never turns that off.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.chain.client import ChainClient
from app.provider.certs import ClientKeyPair
from app.provider.client import MtlsAuth, ProviderClient
from app.provider.jwt import JwtAuth

JWT, MTLS = "jwt", "mtls"


@dataclass
class ProviderAccess:
    """The tenant's credentials for provider gateways: a signer (JWT) or a client key pair (mTLS)."""

    method: str
    signer: Any = None  # app.wallet.signer.Signer, for JWT
    pair: ClientKeyPair | None = None  # for mTLS
    timeout_s: float = 30.0

    @classmethod
    def jwt(cls, signer: Any) -> ProviderAccess:
        return cls(JWT, signer=signer)

    @classmethod
    def mtls(cls, pair: ClientKeyPair) -> ProviderAccess:
        return cls(MTLS, pair=pair)

    def __post_init__(self) -> None:
        if self.method == JWT and self.signer is None:
            raise ValueError("JWT access needs the account's signer")
        if self.method == MTLS and self.pair is None:
            raise ValueError("mTLS access needs a client certificate and its key")
        if self.method not in (JWT, MTLS):
            raise ValueError(f"unknown provider authentication {self.method!r}")
        self._jwt: JwtAuth | None = None

    def auth(self) -> JwtAuth | MtlsAuth:
        if self.method == MTLS:
            assert self.pair is not None
            return MtlsAuth.from_pair(self.pair)
        if self._jwt is None:  # one token cache for every provider: it is not bound to one
            self._jwt = JwtAuth(self.signer)
        return self._jwt

    def client(self, chain: ChainClient, host_uri: str, provider: str) -> ProviderClient:
        """A client for one provider; use it with `async with`."""
        return ProviderClient(host_uri, provider, auth=self.auth(), chain=chain, timeout_s=self.timeout_s)

    def __repr__(self) -> str:
        return f"ProviderAccess(method={self.method!r})"
