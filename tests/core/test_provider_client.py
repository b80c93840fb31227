"""ProviderClient against a loopback HTTPS gateway: manifest PUT with retries, typed statuses, typed errors."""

from __future__ import annotations

import json
import random

import pytest
from aiohttp import web

from app.provider.certs import create_server_certificate
from app.provider.client import ProviderClient
from app.provider.errors import (
    LeaseNotFound,
    ManifestRejected,
    ProviderAuthError,
    ProviderBadResponse,
    ProviderHttpError,
    ProviderServiceUnavailable,
)
from app.provider.jwt import JwtAuth, verify_token
from app.provider.streams import Backoff
from app.wallet.signer import Signer
from tests.core.provider_loopback import Gateway, json_handler

PROVIDER = "akash1jrkmdcwgq94uaamx6zax2luewlhf7u4k3rtk0c"
MANIFEST = '[{"name":"dcloud","services":[{"args":null,"command":null,"count":1,"env":null,"image":"nginx"}]}]'
LEASE_STATUS = {
    "services": {
        "web": {
            "name": "web",
            "available": 1,
            "total": 1,
            "uris": ["abc.provider.example.com"],
            "observed_generation": 1,
            "replicas": 1,
            "updated_replicas": 1,
            "ready_replicas": 1,
            "available_replicas": 1,
        },
        "db": None,
    },
    "forwarded_ports": {
        "web": [{"host": "provider.example.com", "port": 8080, "externalPort": 31234, "proto": "TCP", "name": "web"}]
    },
    "ips": {"web": [{"Port": 80, "ExternalPort": 80, "Protocol": "TCP", "IP": "1.2.3.4"}]},
    "errors": ["pod pending"],
}


@pytest.fixture
def signer():
    return Signer.from_mnemonic("abandon " * 11 + "about")


@pytest.fixture
async def gateway():
    pair = create_server_certificate(PROVIDER, ["127.0.0.1"])
    gw = Gateway(pair)
    await gw.start()
    yield gw
    await gw.stop()


def _client(gw: Gateway, auth=None) -> ProviderClient:
    async def fetch(_provider: str):
        return [(gw.pair.certificate.cert_pem, gw.pair.certificate.pubkey_pem)]

    return ProviderClient(gw.uri, PROVIDER, auth=auth, fetch_certs=fetch, rng=random.Random(1))


FAST = Backoff(base_s=0.01, cap_s=0.05, rng=random.Random(2))


async def test_status_version_address(gateway):
    gateway.route(
        "GET",
        "/status",
        json_handler({"cluster": {"leases": {"active": 3}}, "bidengine": {"orders": 2}, "address": PROVIDER,
                      "cluster_public_hostname": "provider.example.com"}),
    )
    gateway.route("GET", "/version", json_handler({"akash": {"version": "v0.8.3", "commit": "abc"}, "kube": {"gitVersion": "v1.30"}}))
    gateway.route("GET", "/address", json_handler({"address": PROVIDER}))
    async with _client(gateway) as client:
        status = await client.status()
        assert (status.active_leases, status.open_orders, status.cluster_public_hostname) == (3, 2, "provider.example.com")
        version = await client.version()
        assert (version.akash_version, version.kube_version) == ("v0.8.3", "v1.30")
        assert await client.address() == PROVIDER


async def test_manifest_put_retries_until_the_provider_sees_the_lease(gateway, signer):
    calls: list[tuple[bytes, str]] = []

    async def put(request: web.Request) -> web.Response:
        calls.append((await request.read(), request.headers.get("Authorization", "")))
        if len(calls) < 3:
            return web.Response(status=404, text="no lease for deployment")
        return web.Response(status=200)

    gateway.route("PUT", "/deployment/*/manifest", put)
    retries = []
    async with _client(gateway, JwtAuth(signer)) as client:
        await client.send_manifest(42, MANIFEST, backoff=FAST, on_retry=lambda *a: retries.append(a))
    assert len(calls) == 3 and all(body == MANIFEST.encode() for body, _ in calls)  # the exact hashed bytes
    claims = verify_token(calls[-1][1].removeprefix("Bearer "), signer.public_key)
    assert "send-manifest" in claims["leases"]["scope"]
    assert [r[0] for r in retries] == [1, 2] and "not seen the lease" in retries[0][1]
    assert gateway.seen[0][1] == "/deployment/42/manifest"


async def test_manifest_window_runs_out(gateway, signer):
    gateway.route("PUT", "/deployment/*/manifest", json_handler("no lease for deployment", status=404))
    async with _client(gateway, JwtAuth(signer)) as client:
        with pytest.raises(LeaseNotFound, match="lease for deployment 7"):
            await client.send_manifest(7, MANIFEST, window_s=0.2, backoff=FAST)
    assert len(gateway.seen) >= 2


async def test_manifest_hash_mismatch_is_final(gateway, signer):
    gateway.route("PUT", "/deployment/*/manifest", json_handler("manifest version validation failed", status=422))
    async with _client(gateway, JwtAuth(signer)) as client:
        with pytest.raises(ManifestRejected) as err:
            await client.send_manifest(7, MANIFEST, backoff=FAST)
    assert len(gateway.seen) == 1
    assert "different manifest hash than the one on chain" in str(err.value)


async def test_manifest_transient_5xx_then_ok(gateway, signer):
    answers = iter([503, 502, 200])

    async def put(_request: web.Request) -> web.Response:
        return web.Response(status=next(answers), text="busy")

    gateway.route("PUT", "/deployment/*/manifest", put)
    async with _client(gateway, JwtAuth(signer)) as client:
        await client.send_manifest(9, MANIFEST.encode(), backoff=FAST)
    assert len(gateway.seen) == 3


async def test_manifest_must_be_a_json_array(gateway, signer):
    async with _client(gateway, JwtAuth(signer)) as client:
        for bad in ("{}", "not json", ""):
            with pytest.raises(ValueError, match="JSON array"):
                await client.send_manifest(1, bad)
    assert gateway.seen == []


async def test_refused_token_is_renewed_once_then_reported(gateway, signer):
    gateway.route("GET", "/lease/*/*/*/status", json_handler({"message": "JWT is invalid"}, status=401))
    async with _client(gateway, JwtAuth(signer)) as client:
        with pytest.raises(ProviderAuthError) as err:
            await client.lease_status(1, 1, 1)
    assert len(gateway.seen) == 2
    tokens = {h["Authorization"] for _m, _p, h in gateway.seen}
    assert len(tokens) == 2  # a fresh token for the second try
    text = str(err.value)
    assert "JWT is invalid" in text and "public key on chain" in text
    assert all(t.removeprefix("Bearer ") not in text for t in tokens)  # never the token itself


async def test_lease_status_typed(gateway, signer):
    gateway.route("GET", "/lease/*/*/*/status", json_handler(LEASE_STATUS))
    gateway.route("GET", "/lease/*/*/*/service/*/status", json_handler(LEASE_STATUS["services"]["web"]))
    gateway.route("GET", "/lease/*/*/*/manifest", json_handler(json.loads(MANIFEST)))
    async with _client(gateway, JwtAuth(signer)) as client:
        status = await client.lease_status(5, 1, 2)
        assert list(status.services) == ["web"] and status.uris == ("abc.provider.example.com",)
        assert status.ready and status.errors == ("pod pending",)
        port = status.forwarded_ports["web"][0]
        assert (port.address, port.port, port.proto) == ("provider.example.com:31234", 8080, "TCP")
        assert status.ips["web"][0].ip == "1.2.3.4" and status.ips["web"][0].external_port == 80
        svc = await client.service_status(5, 1, 2, "web")
        assert svc.available_replicas == 1
        assert (await client.get_manifest(5, 1, 2))[0]["name"] == "dcloud"
    assert [p for _m, p, _h in gateway.seen] == [
        "/lease/5/1/2/status",
        "/lease/5/1/2/service/web/status",
        "/lease/5/1/2/manifest",
    ]


async def test_typed_errors(gateway, signer):
    gateway.route("GET", "/lease/1/*/*/status", json_handler("", status=404))
    gateway.route("GET", "/lease/2/*/*/status", json_handler("cluster busy", status=503))
    gateway.route("GET", "/lease/3/*/*/status", json_handler("boom", status=500))
    gateway.route("GET", "/lease/4/*/*/status", json_handler({"services": []}))
    gateway.route("GET", "/lease/5/*/*/status", json_handler({"services": {"web": {"uris": "x"}}}))

    async def not_json(_r: web.Request) -> web.Response:
        return web.Response(text="<html>", content_type="text/html")

    gateway.route("GET", "/lease/6/*/*/status", not_json)
    async with _client(gateway, JwtAuth(signer)) as client:
        with pytest.raises(LeaseNotFound):
            await client.lease_status(1, 1, 1)
        with pytest.raises(ProviderServiceUnavailable):
            await client.lease_status(2, 1, 1)
        with pytest.raises(ProviderHttpError, match="HTTP 500"):
            await client.lease_status(3, 1, 1)
        with pytest.raises(ProviderBadResponse, match="services should be an object"):
            await client.lease_status(4, 1, 1)
        with pytest.raises(ProviderBadResponse, match="uris should be a list"):
            await client.lease_status(5, 1, 1)
        with pytest.raises(ProviderBadResponse, match="not JSON"):
            await client.lease_status(6, 1, 1)
        with pytest.raises(ValueError):
            await client.service_status(1, 1, 1, "")


async def test_no_redirects_are_followed(gateway, signer):
    async def redirect(_r: web.Request) -> web.Response:
        raise web.HTTPFound("https://example.com/steal")

    gateway.route("GET", "/lease/*/*/*/status", redirect)
    async with _client(gateway, JwtAuth(signer)) as client:
        with pytest.raises(ProviderHttpError, match="302"):
            await client.lease_status(1, 1, 1)


def test_repr_hides_secrets(signer):
    from app.provider.certs import create_client_certificate
    from app.provider.client import MtlsAuth

    pair = create_client_certificate(signer.address)
    auth = MtlsAuth.from_pair(pair)
    assert "PRIVATE" not in repr(auth) and "PRIVATE" not in str(auth)
    client = ProviderClient("provider.example.com:8443", PROVIDER, auth=JwtAuth(signer))
    assert client.host_uri == "https://provider.example.com:8443" and "eyJ" not in repr(client)
