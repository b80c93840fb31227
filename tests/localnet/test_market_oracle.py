"""A lease made of transactions signed by the official library works like one made by our own signer."""

from __future__ import annotations

import base64
import json

from app.sdl import parse_sdl
from tests.localnet.marketkit import Market, bearer, fleet_config, jwt, provider_address

VECTORS = "localnet/market"


async def test_official_library_txs_create_a_working_lease(tmp_path, vectors) -> None:
    d = vectors / VECTORS
    create = json.loads((d / "tx-create-deployment.out.json").read_text())
    lease = json.loads((d / "tx-create-lease.out.json").read_text())
    sdl_text = (d / "web.yaml").read_text()
    async with Market(tmp_path, fleet_config()) as m:
        acc = (await m.get(f"/cosmos/auth/v1beta1/accounts/{m.demo.address}"))["account"]
        assert (acc["account_number"], acc["sequence"]) == ("9", "6"), \
            "the local genesis changed: regenerate tests/vectors/localnet/market (see its README)"
        res = await m.deliver(base64.b64decode(create["tx_bytes_b64"]))
        assert res["code"] == 0, res["raw_log"]
        assert res["txhash"] == create["txhash"]
        info = await m.get("/akash/deployment/v1beta4/deployments/info", **{"id.owner": m.demo.address,
                                                                            "id.dseq": 424242})
        assert info["deployment"]["hash"] == base64.b64encode(parse_sdl(sdl_text).version()).decode()
        orion = provider_address("orion")
        bids = await m.wait_bids(424242, 6)
        assert orion in {b["bid"]["id"]["provider"] for b in bids}
        res = await m.deliver(base64.b64decode(lease["tx_bytes_b64"]))
        assert res["code"] == 0, res["raw_log"]
        leases = (await m.get("/akash/market/v1beta5/leases/list", **{"filters.dseq": 424242}))["leases"]
        assert [(x["lease"]["id"]["provider"], x["lease"]["state"]) for x in leases] == [(orion, "active")]
        manifest = json.loads((d / "web.sdl.out.json").read_text())["manifest_sorted_json"]
        async with await m.gateway(orion) as gw:
            token = bearer(jwt(m.demo))
            r = await gw.put("/deployment/424242/manifest", content=manifest, headers=token)
            assert r.status_code == 200, r.text
            status = (await gw.get("/lease/424242/1/1/status", headers=token)).json()
            assert "www.example.com" in status["services"]["web"]["uris"]
