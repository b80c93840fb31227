"""The app's provider client against the local network's simulated providers (real HTTPS gateways, no mocks):
on-chain TLS trust, JWT and mTLS, manifest within the window with retries, status with URIs, logs, events,
refused credentials (401) and a manifest with the wrong hash (422)."""

from __future__ import annotations

import asyncio
import os

import pytest

from app.chain.client import ChainClient
from app.localnet.genesis import DEMO_MNEMONIC
from app.provider.certs import create_client_certificate, msg_create_certificate, msg_revoke_certificate
from app.provider.certstore import (
    CertStatus,
    overview,
    pick_usable,
    secret_key,
    store_client_certificate_async,
)
from app.provider.client import MtlsAuth, ProviderClient
from app.provider.errors import LeaseNotFound, ManifestRejected, ProviderAuthError
from app.provider.jwt import JwtAuth, LeaseAccess
from app.provider.models import KubeEvent, LogLine, StreamNotice
from app.provider.streams import Backoff
from app.provider.tls import MODE_CHAIN
from app.sdl import parse_sdl
from app.wallet.kdf import Argon2idParams
from app.wallet.keystore import Keystore
from app.wallet.signer import Signer
from tests.localnet.marketkit import Market, fleet_config, nginx_sdl, provider_address

ORION = provider_address("orion")
FAST = Backoff(base_s=0.05, cap_s=0.3)


async def _bid(m: Market, dseq: int, provider: str = ORION) -> dict:
    assert (await m.create_deployment(nginx_sdl(), dseq))["code"] == 0
    bids = await m.wait_bids(dseq, 1)
    return next(b for b in bids if b["bid"]["id"]["provider"] == provider)


async def test_jwt_flow_manifest_status_logs_events(tmp_path) -> None:
    async with Market(tmp_path, fleet_config()) as m, ChainClient([m.url]) as chain:
        manifest = parse_sdl(nginx_sdl()).manifest_sorted_json()
        bid = await _bid(m, 21)
        host = await m.host_uri(ORION)
        async with ProviderClient(host, ORION, auth=JwtAuth(m.demo), chain=chain) as client:
            status = await client.status()
            assert status.address == ORION
            assert (await client.trust.decision()).mode == MODE_CHAIN  # self-signed, verified against the chain
            # The manifest goes out before the lease exists (as a fast client would): 404s are retried
            # until the lease is on chain, within the window.
            retries: list[str] = []
            put = asyncio.create_task(
                client.send_manifest(21, manifest, backoff=FAST, window_s=60, on_retry=lambda a, r, d: retries.append(r))
            )
            await asyncio.sleep(0.3)
            assert (await m.create_lease(bid))["code"] == 0
            await asyncio.wait_for(put, 30)
            assert retries and "not seen the lease" in retries[0]

            lease = await client.lease_status(21, 1, 1)
            web = lease.services["web"]
            assert web.total == 1 and web.uris  # the hostname the provider gave the service
            assert any(p.port == 8080 and p.external_port > 0 for p in lease.forwarded_ports.get("web", ()))
            assert (await client.service_status(21, 1, 1, "web")).name == "web"
            assert (await client.get_manifest(21, 1, 1))[0]["services"][0]["name"] == "web"

            events = [e async for e in client.events(21, 1, 1, follow=False, backoff=FAST)]
            reasons = [e.reason for e in events if isinstance(e, KubeEvent)]
            assert reasons[:2] == ["Scheduled", "Pulling"] and "Started" in reasons

            lines: list[LogLine] = []
            async for item in client.logs(21, 1, 1, follow=True, tail=5, services=["web"], backoff=FAST):
                if isinstance(item, LogLine):
                    lines.append(item)
                if len(lines) >= 3:
                    break
            assert all(line.service_in(("web",)) == "web" for line in lines)

            with pytest.raises(LeaseNotFound):
                async for _ in client.logs(21, 2, 1, backoff=FAST):  # no such group: close code 4001
                    pass


async def test_refusals_401_and_422(tmp_path) -> None:
    async with Market(tmp_path, fleet_config()) as m, ChainClient([m.url]) as chain:
        bid = await _bid(m, 31)
        assert (await m.create_lease(bid))["code"] == 0
        host = await m.host_uri(ORION)
        wrong = parse_sdl(nginx_sdl(image="nginx:1.26")).manifest_sorted_json()
        async with ProviderClient(host, ORION, auth=JwtAuth(m.demo), chain=chain) as client:
            with pytest.raises(ManifestRejected) as err:
                await client.send_manifest(31, wrong, backoff=FAST)
            assert "different manifest hash than the one on chain" in str(err.value)
        stranger = Signer(os.urandom(32))  # its public key is not on chain: the provider cannot check its token
        async with ProviderClient(host, ORION, auth=JwtAuth(stranger), chain=chain) as client:
            with pytest.raises(ProviderAuthError) as err:
                await client.lease_status(31, 1, 1)
            assert err.value.status == 401 and "transaction" in str(err.value)
        status_only = JwtAuth(m.demo, access=LeaseAccess.scoped(["status"]))
        async with ProviderClient(host, ORION, auth=status_only, chain=chain) as client:
            with pytest.raises(ProviderAuthError):
                await client.send_manifest(31, parse_sdl(nginx_sdl()).manifest_sorted_json(), backoff=FAST)


async def test_mtls_publish_use_revoke(tmp_path) -> None:
    async with Market(tmp_path, fleet_config()) as m, ChainClient([m.url]) as chain:
        bid = await _bid(m, 41)
        assert (await m.create_lease(bid))["code"] == 0
        host = await m.host_uri(ORION)
        pair = create_client_certificate(m.demo.address)
        auth = MtlsAuth.from_pair(pair)
        async with ProviderClient(host, ORION, auth=auth, chain=chain) as client:  # not published yet
            with pytest.raises(ProviderAuthError) as err:
                await client.lease_status(41, 1, 1)
            assert err.value.method == "mtls"
        assert (await m.send(m.demo, msg_create_certificate(pair.certificate)))["code"] == 0

        keystore = Keystore(tmp_path / "wallets", kdf=Argon2idParams(memory_kib=1024, iterations=1, lanes=1))
        keystore.create("Demo", DEMO_MNEMONIC, "pw-for-tests")
        name = await store_client_certificate_async(keystore, "Demo", "pw-for-tests", pair)
        assert name == secret_key(m.demo.address, pair.certificate.serial)
        secrets = keystore.unlock("Demo", "pw-for-tests")  # the key comes back only from the encrypted wallet
        entries = await overview(chain, secrets, m.demo.address)
        best = pick_usable(entries)
        assert best is not None and best.serial == pair.certificate.serial and best.status is CertStatus.USABLE

        async with ProviderClient(host, ORION, auth=MtlsAuth.from_pair(best.local), chain=chain) as client:
            await client.send_manifest(41, parse_sdl(nginx_sdl()).manifest_sorted_json(), backoff=FAST)
            lease = await client.lease_status(41, 1, 1)
            assert lease.services["web"].total == 1
            items = [i async for i in client.events(41, 1, 1, follow=False, backoff=FAST)]
            assert any(isinstance(i, KubeEvent) for i in items)
            assert not any(isinstance(i, StreamNotice) and i.kind == "reconnecting" for i in items)

        assert (await m.send(m.demo, msg_revoke_certificate(m.demo.address, pair.certificate.serial)))["code"] == 0
        assert (await overview(chain, secrets, m.demo.address))[0].status is CertStatus.REVOKED
        secrets.lock()
        async with ProviderClient(host, ORION, auth=auth, chain=chain) as client:
            with pytest.raises(ProviderAuthError, match="client certificate"):
                await client.lease_status(41, 1, 1)
