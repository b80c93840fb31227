"""Test kit for the marketplace: an in-process node (blocks on demand) with its providers, over real HTTP/TLS.

The tenant side here (JWT, client certificate, TLS pinning of the provider's on-chain certificate) is the
minimum the tests need; the app's real provider client is app/provider.
"""

from __future__ import annotations

import asyncio
import base64
import datetime
import json
import ssl
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
from aiohttp import web
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from app.localnet.genesis import DEMO_MNEMONIC
from app.localnet.node import Node
from app.localnet.providers.catalog import by_name
from app.localnet.providers.config import FleetConfig
from app.localnet.providers.fleet import Fleet
from app.localnet.server import make_app
from app.proto.gen.akash.base.deposit.v1 import deposit_pb2
from app.proto.gen.akash.deployment.v1beta4 import deploymentmsg_pb2 as dmsg
from app.proto.gen.akash.market.v1 import bid_pb2
from app.proto.gen.akash.market.v1beta5 import leasemsg_pb2
from app.proto.gen.cosmos.base.v1beta1 import coin_pb2
from app.sdl import parse_sdl
from app.tx.builder import Fee, sign_tx
from app.wallet.signer import Signer
from tests.kits.sdl import web_sdl

HOUR = 3600.0  # block time of the test node: blocks come only when a test asks for them


def nginx_sdl(price: int = 1000, image: str = "nginx:1.27") -> str:
    """The kit's web SDL with a hostname to accept and a second port (a random external one)."""
    return web_sdl(price, image=image, accept=("www.example.com",), second_port=True)


def fleet_config(**overrides: Any) -> FleetConfig:
    """Deterministic providers: always bid, one block later; fjord offline; periods in test-node blocks."""
    base: dict[str, Any] = {"seed": 7, "skip_chance": 0.0, "bid_delay_blocks": (1, 1), "offline": {"fjord": "always"},
                            "manifest_timeout_s": 40 * HOUR, "withdraw_period_s": 20 * HOUR,
                            "funds_check_s": 5 * HOUR, "bid_timeout_s": 60 * HOUR}
    base.update(overrides)
    return FleetConfig(**base)


class Market:
    """A node + its HTTP server + its providers, and tenant-side helpers."""

    def __init__(self, data_dir: Path, config: FleetConfig) -> None:
        self.node = Node(data_dir, "localnet-1", HOUR)
        self.node.provider_config = config  # type: ignore[attr-defined]
        self.demo = Signer.from_mnemonic(DEMO_MNEMONIC)
        self.url = ""
        self._runner: web.AppRunner | None = None
        self.http = httpx.AsyncClient(timeout=30)

    async def __aenter__(self) -> Market:
        self._runner = web.AppRunner(make_app(self.node), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        await self.advance()  # the providers' certificates go on chain
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.http.aclose()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def fleet(self) -> Fleet:
        fleet = self.node.chain.module("fleet").fleet
        assert fleet is not None
        return fleet

    # -- chain --
    async def advance(self, blocks: int = 1) -> None:
        """Produce blocks, then let every provider react (as its new-block task would)."""
        fleet = self.node.chain.module("fleet").fleet
        for _ in range(blocks):
            await self.node.advance(1)
            if fleet is not None:
                await fleet.tick()

    async def get(self, path: str, **params: Any) -> Any:
        r = await self.http.get(self.url + path, params=params)
        assert r.status_code == 200, (path, r.status_code, r.text)
        return r.json()

    async def get_raw(self, path: str, **params: Any) -> httpx.Response:
        return await self.http.get(self.url + path, params=params)

    async def broadcast(self, tx_bytes: bytes) -> dict[str, Any]:
        r = await self.http.post(self.url + "/cosmos/tx/v1beta1/txs",
                                 json={"tx_bytes": base64.b64encode(tx_bytes).decode(), "mode": "BROADCAST_MODE_SYNC"})
        assert r.status_code == 200, r.text
        return r.json()["tx_response"]

    async def deliver(self, tx_bytes: bytes) -> dict[str, Any]:
        """Broadcast, produce a block, return the included result (a CheckTx refusal as is)."""
        res = await self.broadcast(tx_bytes)
        if res["code"] != 0:
            return res
        await self.advance()
        return (await self.get(f"/cosmos/tx/v1beta1/txs/{res['txhash']}"))["tx_response"]

    async def signed(self, signer: Signer, msgs: list[Any], gas: int = 800_000) -> bytes:
        acc = (await self.get(f"/cosmos/auth/v1beta1/accounts/{signer.address}"))["account"]
        return sign_tx(signer, msgs, chain_id="localnet-1", account_number=int(acc["account_number"]),
                       sequence=int(acc["sequence"]), fee=Fee((("uakt", gas // 40),), gas)).tx_bytes

    async def send(self, signer: Signer, *msgs: Any, gas: int = 800_000) -> dict[str, Any]:
        return await self.deliver(await self.signed(signer, list(msgs), gas))

    async def balance(self, address: str, denom: str) -> int:
        r = await self.get(f"/cosmos/bank/v1beta1/balances/{address}/by_denom", denom=denom)
        return int(r["balance"]["amount"])

    # -- marketplace --
    async def create_deployment(self, sdl_text: str, dseq: int, deposit: int = 5_000_000, denom: str = "uact",
                                sources: tuple[int, ...] = (1,), signer: Signer | None = None) -> dict[str, Any]:
        sdl = parse_sdl(sdl_text)
        signer = signer or self.demo
        msg = dmsg.MsgCreateDeployment(
            id={"owner": signer.address, "dseq": dseq}, groups=sdl.groups(), hash=sdl.version(),
            deposit=deposit_pb2.Deposit(amount=coin_pb2.Coin(denom=denom, amount=str(deposit)), sources=list(sources)))
        return await self.send(signer, msg)

    async def bids(self, dseq: int, owner: str | None = None, **filters: Any) -> list[dict[str, Any]]:
        params = {"filters.owner": owner or self.demo.address, "filters.dseq": dseq,
                  **{f"filters.{k}": v for k, v in filters.items()}}
        return (await self.get("/akash/market/v1beta5/bids/list", **params))["bids"]

    async def wait_bids(self, dseq: int, count: int, blocks: int = 6) -> list[dict[str, Any]]:
        for _ in range(blocks):
            bids = await self.bids(dseq, state="open")
            if len(bids) >= count:
                return bids
            await self.advance()
        return await self.bids(dseq, state="open")

    async def lease_at(self, dseq: int, provider: str) -> None:
        """The kit's deployment `dseq` with a lease at `provider` (no manifest yet), once the fleet has bid."""
        assert (await self.create_deployment(nginx_sdl(), dseq))["code"] == 0
        bid = next(b for b in await self.wait_bids(dseq, 6) if b["bid"]["id"]["provider"] == provider)
        assert (await self.create_lease(bid))["code"] == 0

    async def create_lease(self, bid: dict[str, Any], signer: Signer | None = None) -> dict[str, Any]:
        i = bid["bid"]["id"]
        msg = leasemsg_pb2.MsgCreateLease(bid_id=bid_pb2.BidID(owner=i["owner"], dseq=int(i["dseq"]), gseq=i["gseq"],
                                                                oseq=i["oseq"], provider=i["provider"], bseq=i["bseq"]))
        return await self.send(signer or self.demo, msg)

    async def host_uri(self, provider: str) -> str:
        return (await self.get(f"/akash/provider/v1beta4/providers/{provider}"))["provider"]["host_uri"]

    async def provider_cert_pem(self, provider: str) -> str:
        certs = (await self.get("/akash/cert/v1/certificates/list", **{"filter.owner": provider,
                                                                        "filter.state": "valid"}))["certificates"]
        assert certs, f"provider {provider} has no valid certificate on chain"
        return base64.b64decode(certs[-1]["certificate"]["cert"]).decode()

    async def gateway(self, provider: str, client_cert: tuple[bytes, bytes] | None = None) -> httpx.AsyncClient:
        """An HTTPS client that trusts exactly the provider's on-chain certificate (TLS 1.3)."""
        ctx = await self.tls_context(provider, client_cert)
        return httpx.AsyncClient(base_url=await self.host_uri(provider), verify=ctx, timeout=30)

    async def tls_context(self, provider: str, client_cert: tuple[bytes, bytes] | None = None) -> ssl.SSLContext:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
        ctx.load_verify_locations(cadata=await self.provider_cert_pem(provider))
        ctx.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN
        if client_cert is not None:
            import tempfile

            with tempfile.NamedTemporaryFile(suffix=".pem") as cf, tempfile.NamedTemporaryFile(suffix=".pem") as kf:
                cf.write(client_cert[0])
                kf.write(client_cert[1])
                cf.flush()
                kf.flush()
                ctx.load_cert_chain(cf.name, kf.name)
        return ctx


def provider_address(name: str) -> str:
    return by_name(name).address


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def jwt(signer: Signer, *, access: str = "full", scope: list[str] | None = None, lifetime: float = 900,
        issued: float | None = None, extra: dict[str, Any] | None = None, alg: str = "ES256K") -> str:
    """An ES256K JWT as chain-sdk's client makes it (sha256 over header.payload, 64-byte r||s, low-S)."""
    now = issued if issued is not None else time.time()
    leases: dict[str, Any] = {"access": access}
    if scope is not None:
        leases["scope"] = scope
    payload = {"iss": signer.address, "iat": int(now), "nbf": int(now), "exp": int(now + lifetime), "version": "v1",
               "leases": leases, **(extra or {})}
    header = b64url(json.dumps({"alg": alg, "typ": "JWT"}, separators=(",", ":")).encode())
    body = b64url(json.dumps(payload, separators=(",", ":")).encode())
    return f"{header}.{body}.{b64url(signer.sign(f'{header}.{body}'.encode()))}"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def client_certificate(address: str) -> tuple[bytes, bytes, bytes, int]:
    """(cert PEM, private key PEM, "EC PUBLIC KEY" PEM, serial) as the official libraries make them."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, address)])
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    serial = int(time.time() * 1000) * 1000
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(serial).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=365))
            .add_extension(x509.KeyUsage(False, False, True, True, False, False, False, False, False), True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    cert_pem = cert.public_bytes(serialization.Encoding.PEM).replace(b"\n", b"\r\n")
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    pub = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return cert_pem, key_pem, pub.replace(b"PUBLIC KEY", b"EC PUBLIC KEY").replace(b"\n", b"\r\n"), serial


async def eventually(check: Callable[[], Awaitable[bool]], market: Market, blocks: int = 10) -> bool:
    """Advance block by block until check() holds."""
    for _ in range(blocks):
        if await check():
            return True
        await market.advance()
        await asyncio.sleep(0)
    return await check()
