"""Simulated providers keep their workloads across node restarts (status, manifest, logs) and go offline or
back online on demand (POST /localnet/provider)."""

from __future__ import annotations

import json

import aiohttp
import httpx
import pytest

from app.localnet.providers.workloads import Cluster
from app.sdl import parse_sdl
from tests.localnet.marketkit import HOUR, Market, bearer, fleet_config, jwt, nginx_sdl, provider_address

ORION = provider_address("orion")
MANIFEST_TIMEOUT_BLOCKS = 4


async def lease_state(m: Market, dseq: int) -> str:
    leases = (await m.get("/akash/market/v1beta5/leases/list", **{"filters.dseq": dseq}))["leases"]
    return leases[0]["lease"]["state"]


async def log_lines(m: Market, dseq: int, token: str) -> list[dict]:
    url = (await m.host_uri(ORION)).replace("https://", "wss://") + f"/lease/{dseq}/1/1/logs?follow=false&tail=2"
    async with aiohttp.ClientSession() as s, s.ws_connect(url, ssl=await m.tls_context(ORION),
                                                          headers=bearer(token)) as ws:
        return [json.loads(msg.data) async for msg in ws]


async def test_running_leases_keep_their_workloads_across_a_restart(tmp_path) -> None:
    config = fleet_config(manifest_timeout_s=MANIFEST_TIMEOUT_BLOCKS * HOUR)
    async with Market(tmp_path, config) as m:
        token = jwt(m.demo)
        await m.lease_at(31, ORION)
        async with await m.gateway(ORION) as gw:
            r = await gw.put("/deployment/31/manifest", content=parse_sdl(nginx_sdl()).manifest_sorted_json(),
                             headers=bearer(token))
            assert r.status_code == 200, r.text
            before = (await gw.get("/lease/31/1/1/status", headers=bearer(token))).json()
        lines_before = await log_lines(m, 31, token)
    assert (tmp_path / "providers" / "orion" / "workloads.json").is_file()

    async with Market(tmp_path, config) as m:
        await m.advance(MANIFEST_TIMEOUT_BLOCKS + 2)  # past the manifest timeout: a provider without it would close
        assert await lease_state(m, 31) == "active"
        async with await m.gateway(ORION) as gw:
            r = await gw.get("/lease/31/1/1/status", headers=bearer(token))
            assert r.status_code == 200, r.text
            after = r.json()
            assert after["services"]["web"]["uris"] == before["services"]["web"]["uris"]
            assert after["forwarded_ports"] == before["forwarded_ports"]
            assert after["services"]["web"]["observed_generation"] == before["services"]["web"]["observed_generation"]
            got = (await gw.get("/lease/31/1/1/manifest", headers=bearer(token))).json()
            assert got[0]["services"][0]["image"] == "nginx:1.27"
            assert (await gw.get("/status")).json()["manifest"]["deployments"] == 1
        lines_after = await log_lines(m, 31, token)
        assert len(lines_after) == 2 and {x["name"] for x in lines_after} == {x["name"] for x in lines_before}


async def test_a_provider_goes_offline_and_back_on_demand(tmp_path) -> None:
    async with Market(tmp_path, fleet_config()) as m:
        host = await m.host_uri(ORION)
        r = await m.http.post(m.url + "/localnet/provider", json={"name": "orion", "online": False})
        assert r.status_code == 200 and r.json() == {"name": "orion", "address": ORION, "online": False}
        async with await m.gateway(ORION) as gw:
            with pytest.raises(httpx.ConnectError):
                await gw.get("/status")
        assert (await m.create_deployment(nginx_sdl(), 32))["code"] == 0
        bids = await m.wait_bids(32, 5)
        await m.advance(3)
        assert ORION not in {b["bid"]["id"]["provider"] for b in await m.bids(32)}  # offline: no bid

        r = await m.http.post(m.url + "/localnet/provider", json={"name": "orion", "online": True})
        assert r.json()["online"] is True and await m.host_uri(ORION) == host
        async with await m.gateway(ORION) as gw:
            assert (await gw.get("/status")).status_code == 200
        assert (await m.create_deployment(nginx_sdl(), 33))["code"] == 0
        assert ORION in {b["bid"]["id"]["provider"] for b in await m.wait_bids(33, len(bids) + 1)}

        for body, status in (({"name": "nobody", "online": False}, 404), ({"name": "orion"}, 400),
                             ({"name": "orion", "online": "no"}, 400)):
            r = await m.http.post(m.url + "/localnet/provider", json=body)
            assert r.status_code == status, (body, r.text)
        assert "running:" in (await m.http.post(m.url + "/localnet/provider",
                                                json={"name": "nobody", "online": True})).json()["message"]


@pytest.mark.parametrize("content", ["{not json", '{"format": 99}', '{"format": 1, "manifests": [{"owner": 1}]}'])
def test_a_damaged_workloads_file_starts_an_empty_cluster(tmp_path, content: str, caplog) -> None:
    state = tmp_path / "workloads.json"
    state.write_text(content)
    cluster = Cluster(ORION, "orion.provider.localnet", state)
    assert cluster.manifests == {} and cluster.runs == {}
    assert "starting without workloads" in caplog.text
