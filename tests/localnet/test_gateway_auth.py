"""Provider gateway: JWT and mTLS authentication, manifest refusals (404, 422), status codes and stream close codes."""

from __future__ import annotations

import json
import os

import aiohttp
import httpx
import pytest

from app.proto.gen.akash.cert.v1 import cert_pb2, msg_pb2
from app.sdl import parse_sdl
from app.wallet.signer import Signer
from tests.localnet.marketkit import (
    Market,
    bearer,
    client_certificate,
    fleet_config,
    jwt,
    nginx_sdl,
    provider_address,
)

ORION = provider_address("orion")


async def test_manifest_refusals_and_jwt_rules(tmp_path) -> None:
    async with Market(tmp_path, fleet_config()) as m:
        manifest = parse_sdl(nginx_sdl()).manifest_sorted_json()
        full = bearer(jwt(m.demo))
        assert (await m.create_deployment(nginx_sdl(), 42))["code"] == 0
        async with await m.gateway(ORION) as gw:
            r = await gw.put("/deployment/42/manifest", content=manifest, headers=full)
            assert (r.status_code, r.text) == (404, "no lease for deployment\n")  # bids only, no lease yet
        await m.wait_bids(42, 6)
        bid = next(b for b in await m.bids(42) if b["bid"]["id"]["provider"] == ORION)
        assert (await m.create_lease(bid))["code"] == 0

        async with await m.gateway(ORION) as gw:
            other = parse_sdl(nginx_sdl(price=999)).manifest_sorted_json()  # same services, other pricing: same hash
            assert other == manifest
            wrong = parse_sdl(nginx_sdl(image="nginx:1.26")).manifest_sorted_json()
            r = await gw.put("/deployment/42/manifest", content=wrong, headers=full)
            assert (r.status_code, r.text) == (422, "manifest version validation failed\n")
            r = await gw.put("/deployment/42/manifest", content=b"{not json", headers=full)
            assert r.status_code == 422
            r = await gw.put("/deployment/42/manifest", content=manifest)
            assert r.status_code == 401 and r.json() == {"message": "unauthorized access"}
            bad_sig = jwt(m.demo)[:-4] + "AAAA"
            r = await gw.put("/deployment/42/manifest", content=manifest, headers=bearer(bad_sig))
            assert (r.status_code, r.json()) == (401, {"message": "JWT is invalid"})
            expired = jwt(m.demo, issued=1_000_000, lifetime=60)
            r = await gw.put("/deployment/42/manifest", content=manifest, headers=bearer(expired))
            assert (r.status_code, r.json()) == (401, {"message": "JWT is expired"})
            status_only = jwt(m.demo, access="scoped", scope=["status"])
            r = await gw.put("/deployment/42/manifest", content=manifest, headers=bearer(status_only))
            assert r.status_code == 401
            no_version = jwt(m.demo, extra={"version": "v2"})
            r = await gw.put("/deployment/42/manifest", content=manifest, headers=bearer(no_version))
            assert (r.status_code, r.json()) == (400, {"message": "JWT has invalid claims"})
            r = await gw.put("/deployment/42/manifest", content=manifest, headers={"Authorization": "Basic abc"})
            assert r.status_code == 400
            stranger = Signer(os.urandom(32))
            r = await gw.put("/deployment/42/manifest", content=manifest, headers=bearer(jwt(stranger)))
            assert r.status_code == 401  # no account (no public key) on chain for the issuer
            r = await gw.get("/lease/42/1/1/status", headers=full)
            assert r.status_code == 404 and r.text == ""  # no manifest yet: no lease workload
            r = await gw.put("/deployment/42/manifest", content=manifest, headers=full)
            assert r.status_code == 200 and r.text == ""
            r = await gw.get("/lease/42/1/1/status", headers=bearer(status_only))
            assert r.status_code == 200
            r = await gw.get("/lease/42/1/1/manifest", headers=bearer(status_only))
            assert r.status_code == 401  # get-manifest is not in the scope
            r = await gw.get("/lease/42/1/1/service/web/status", headers=full)
            assert r.status_code == 200 and r.json()["name"] == "web"
            r = await gw.get("/lease/42/1/1/service/db/status", headers=full)
            assert r.status_code == 404
            for path in ("/status", "/version", "/address"):
                assert (await gw.get(path)).status_code == 200
            assert (await gw.get("/address")).json() == {"address": ORION}


async def test_another_owner_sees_no_lease(tmp_path) -> None:
    async with Market(tmp_path, fleet_config()) as m:
        await m.lease_at(5, ORION)
        friend = Signer(os.urandom(32))
        await m.http.post(m.url + "/localnet/faucet", json={"address": friend.address})
        assert (await m.create_deployment(nginx_sdl(), 6, signer=friend))["code"] == 0  # puts its key on chain
        manifest = parse_sdl(nginx_sdl()).manifest_sorted_json()
        async with await m.gateway(ORION) as gw:
            r = await gw.put("/deployment/5/manifest", content=manifest, headers=bearer(jwt(friend)))
            assert (r.status_code, r.text) == (404, "no lease for deployment\n")  # (friend, 5) has no lease


async def test_mtls_with_an_on_chain_certificate(tmp_path) -> None:
    async with Market(tmp_path, fleet_config()) as m:
        await m.lease_at(9, ORION)
        cert_pem, key_pem, pub_pem, serial = client_certificate(m.demo.address)
        manifest = parse_sdl(nginx_sdl()).manifest_sorted_json()
        async with await m.gateway(ORION, (cert_pem, key_pem)) as gw:  # not published yet: refused at TLS
            with pytest.raises((httpx.ConnectError, httpx.ReadError, httpx.RemoteProtocolError)):
                await gw.get("/status")
        create = msg_pb2.MsgCreateCertificate(owner=m.demo.address, cert=cert_pem, pubkey=pub_pem)
        assert (await m.send(m.demo, create))["code"] == 0
        async with await m.gateway(ORION, (cert_pem, key_pem)) as gw:
            r = await gw.put("/deployment/9/manifest", content=manifest)
            assert r.status_code == 200, r.text
            status = (await gw.get("/lease/9/1/1/status")).json()
            assert status["services"]["web"]["total"] == 1
            r = await gw.get("/lease/9/1/1/status", headers=bearer(jwt(m.demo)))
            assert r.status_code == 400 and "ambiguous" in r.json()["message"]
            revoke = msg_pb2.MsgRevokeCertificate(id=cert_pb2.ID(owner=m.demo.address, serial=str(serial)))
            assert (await m.send(m.demo, revoke))["code"] == 0
            r = await gw.get("/lease/9/1/1/status")  # same connection: refused per request
            assert r.status_code == 401
        async with await m.gateway(ORION, (cert_pem, key_pem)) as gw:  # a new connection: refused at TLS
            with pytest.raises((httpx.ConnectError, httpx.ReadError, httpx.RemoteProtocolError)):
                await gw.get("/status")


async def test_log_and_event_streams(tmp_path) -> None:
    async with Market(tmp_path, fleet_config()) as m:
        await m.lease_at(11, ORION)
        token = jwt(m.demo)
        async with await m.gateway(ORION) as gw:
            manifest = parse_sdl(nginx_sdl()).manifest_sorted_json()
            assert (await gw.put("/deployment/11/manifest", content=manifest, headers=bearer(token))).status_code == 200
            assert (await gw.get("/lease/11/1/1/logs?service=web,", headers=bearer(token))).status_code == 400
        ctx = await m.tls_context(ORION)
        base = (await m.host_uri(ORION)).replace("https://", "wss://")
        async with aiohttp.ClientSession(headers=bearer(token)) as s:
            async with s.ws_connect(f"{base}/lease/11/1/1/kubeevents", ssl=ctx) as ws:
                events = [json.loads(msg.data) async for msg in ws]
            reasons = [e["reason"] for e in events]
            assert reasons == ["Scheduled", "Pulling", "Pulled", "Created", "Started"]
            assert events[1]["note"] == 'Pulling image "nginx:1.27"' and events[0]["object"]["kind"] == "Pod"
            async with s.ws_connect(f"{base}/lease/11/1/1/logs?service=db", ssl=ctx) as ws:
                assert [msg async for msg in ws] == []
            assert ws.close_code == 4000
            async with s.ws_connect(f"{base}/lease/11/2/1/logs", ssl=ctx) as ws:
                assert [msg async for msg in ws] == []
            assert ws.close_code == 4001
            async with s.ws_connect(f"{base}/lease/11/1/1/logs?follow=true&tail=0", ssl=ctx) as ws:
                first = await ws.receive_json(timeout=15)  # a new access-log line within a few seconds
                assert first["name"].startswith("web-") and '"GET ' in first["message"]


async def test_the_offline_provider_refuses_connections_and_never_bids(tmp_path) -> None:
    async with Market(tmp_path, fleet_config()) as m:
        fjord = provider_address("fjord")
        assert (await m.create_deployment(nginx_sdl(), 3))["code"] == 0
        await m.wait_bids(3, 6)
        await m.advance(3)
        assert fjord not in {b["bid"]["id"]["provider"] for b in await m.bids(3)}
        with pytest.raises(httpx.ConnectError):
            async with httpx.AsyncClient(verify=await m.tls_context(fjord)) as c:
                await c.get(await m.host_uri(fjord) + "/status")
