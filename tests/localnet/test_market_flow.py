"""The whole tenant journey over HTTP: deployment, bids, lease, manifest (JWT), status, logs, deposit, update, close."""

from __future__ import annotations

import json
from decimal import Decimal

import aiohttp

from app.localnet.providers.catalog import FLEET
from app.proto.gen.akash.base.deposit.v1 import deposit_pb2
from app.proto.gen.akash.deployment.v1beta4 import deploymentmsg_pb2 as dmsg
from app.proto.gen.akash.escrow.id.v1 import id_pb2
from app.proto.gen.akash.escrow.v1 import msg_pb2 as emsg
from app.proto.gen.cosmos.base.v1beta1 import coin_pb2
from app.sdl import parse_sdl
from tests.localnet.marketkit import Market, bearer, fleet_config, jwt, nginx_sdl, provider_address

NON_GPU_ONLINE = {p.address for p in FLEET if p.name != "fjord"}


async def test_deployment_bids_lease_manifest_status_logs_deposit_update_close(tmp_path) -> None:
    async with Market(tmp_path, fleet_config()) as m:
        demo = m.demo.address
        uact_before = await m.balance(demo, "uact")
        res = await m.create_deployment(nginx_sdl(), dseq=1001)
        assert res["code"] == 0, res["raw_log"]

        bids = await m.wait_bids(1001, len(NON_GPU_ONLINE))
        assert {b["bid"]["id"]["provider"] for b in bids} == NON_GPU_ONLINE  # fjord is offline
        for b in bids:
            assert b["bid"]["id"]["bseq"] == 0 and b["bid"]["state"] == "open"
            assert b["escrow_account"]["id"]["scope"] == "bid"
            assert b["escrow_account"]["state"]["funds"] == [{"denom": "uakt", "amount": "500000.000000000000000000"}]
            assert b["bid"]["price"]["denom"] == "uact" and Decimal(b["bid"]["price"]["amount"]) <= 1000
        cheapest = min(bids, key=lambda b: Decimal(b["bid"]["price"]["amount"]))
        winner = cheapest["bid"]["id"]["provider"]
        loser = next(b for b in bids if b["bid"]["id"]["provider"] != winner)["bid"]["id"]["provider"]
        loser_uakt = await m.balance(loser, "uakt")

        res = await m.create_lease(cheapest)
        assert res["code"] == 0, res["raw_log"]
        lease = (await m.get("/akash/market/v1beta5/leases/list", **{"filters.owner": demo}))["leases"][0]
        assert lease["lease"]["state"] == "active"
        assert lease["lease"]["price"] == cheapest["bid"]["price"]
        assert lease["escrow_payment"]["state"]["rate"] == cheapest["bid"]["price"]
        assert lease["escrow_payment"]["id"]["xid"] == f"1/1/{winner}"
        states = {b["bid"]["id"]["provider"]: b["bid"]["state"] for b in await m.bids(1001)}
        assert states[winner] == "active" and {s for p, s in states.items() if p != winner} == {"lost"}
        assert await m.balance(loser, "uakt") == loser_uakt + 500_000  # the lost bid's deposit came back
        order = (await m.get("/akash/market/v1beta5/orders/list", **{"filters.owner": demo}))["orders"][0]
        assert order["state"] == "active"

        sdl = parse_sdl(nginx_sdl())
        async with await m.gateway(winner) as gw:
            token = jwt(m.demo, access="scoped", scope=["send-manifest", "status", "logs", "get-manifest"])
            r = await gw.put("/deployment/1001/manifest", content=sdl.manifest_sorted_json(), headers=bearer(token))
            assert r.status_code == 200, r.text
            await m.advance()
            status = (await gw.get("/lease/1001/1/1/status", headers=bearer(token))).json()
            web = status["services"]["web"]
            assert "www.example.com" in web["uris"] and any(".ingress." in u for u in web["uris"])
            assert status["forwarded_ports"]["web"][0]["port"] == 8080
            assert status["ips"] is None
            got = (await gw.get("/lease/1001/1/1/manifest", headers=bearer(token))).json()
            assert got[0]["name"] == "dcloud" and got[0]["services"][0]["image"] == "nginx:1.27"

        ctx = await m.tls_context(winner)
        url = (await m.host_uri(winner)).replace("https://", "wss://") + "/lease/1001/1/1/logs?follow=false&tail=3"
        async with aiohttp.ClientSession() as s, s.ws_connect(url, ssl=ctx, headers=bearer(token)) as ws:
            lines = [json.loads(msg.data) async for msg in ws]
        assert len(lines) == 3 and all(line["name"].startswith("web-") for line in lines)
        assert all(set(line) == {"name", "message"} for line in lines)

        acc = (await m.get("/akash/deployment/v1beta4/deployments/info", **{"id.owner": demo, "id.dseq": 1001}))
        funds = Decimal(acc["escrow_account"]["state"]["funds"][0]["amount"])
        deposit = emsg.MsgAccountDeposit(signer=demo, id=id_pb2.Account(scope=id_pb2.deployment, xid=f"{demo}/1001"),
                                         deposit=deposit_pb2.Deposit(amount=coin_pb2.Coin(denom="uact", amount="2000000"),
                                                                     sources=[deposit_pb2.balance]))
        assert (await m.send(m.demo, deposit))["code"] == 0
        acc = (await m.get("/akash/deployment/v1beta4/deployments/info", **{"id.owner": demo, "id.dseq": 1001}))
        state = acc["escrow_account"]["state"]
        assert Decimal(state["funds"][0]["amount"]) > funds  # + 2 ACT, minus what settlement moved to the provider
        assert len(state["deposits"]) == 2 and state["deposits"][1]["balance"]["amount"] == "2000000.000000000000000000"

        new = parse_sdl(nginx_sdl(image="nginx:1.27.1"))
        update = dmsg.MsgUpdateDeployment(id={"owner": demo, "dseq": 1001}, hash=new.version())
        assert (await m.send(m.demo, update))["code"] == 0
        async with await m.gateway(winner) as gw:
            r = await gw.put("/deployment/1001/manifest", content=sdl.manifest_sorted_json(), headers=bearer(token))
            assert r.status_code == 422 and r.text == "manifest version validation failed\n"  # the old manifest
            r = await gw.put("/deployment/1001/manifest", content=new.manifest_sorted_json(), headers=bearer(token))
            assert r.status_code == 200, r.text
            status = (await gw.get("/lease/1001/1/1/status", headers=bearer(token))).json()
            assert status["services"]["web"]["observed_generation"] == 2

        winner_uact = await m.balance(winner, "uact")
        before = (await m.get("/akash/market/v1beta5/leases/list", **{"filters.owner": demo}))["leases"][0]
        close = dmsg.MsgCloseDeployment(id={"owner": demo, "dseq": 1001})
        assert (await m.send(m.demo, close))["code"] == 0
        info = await m.get("/akash/deployment/v1beta4/deployments/info", **{"id.owner": demo, "id.dseq": 1001})
        assert info["deployment"]["state"] == "closed"
        assert [g["state"] for g in info["groups"]] == ["closed"]
        escrow = info["escrow_account"]["state"]
        assert escrow["state"] == "closed" and escrow["deposits"] == []
        lease = (await m.get("/akash/market/v1beta5/leases/list", **{"filters.owner": demo}))["leases"][0]
        assert lease["lease"]["state"] == "closed" and lease["lease"]["reason"] == "lease_closed_owner"
        assert lease["escrow_payment"]["state"]["state"] == "closed"
        paid_now = int(lease["escrow_payment"]["state"]["withdrawn"]["amount"]) - \
            int(before["escrow_payment"]["state"]["withdrawn"]["amount"])
        assert paid_now > 0 and await m.balance(winner, "uact") == winner_uact + paid_now
        spent = Decimal(escrow["transferred"][0]["amount"])
        assert await m.balance(demo, "uact") == uact_before - int(spent)  # the rest of 7 ACT came back


async def test_fees_and_sequences_of_provider_txs_are_real(tmp_path) -> None:
    async with Market(tmp_path, fleet_config()) as m:
        orion = provider_address("orion")
        before = (await m.get(f"/cosmos/auth/v1beta1/accounts/{orion}"))["account"]
        assert before["pub_key"] is not None  # its certificate tx put the key on chain
        await m.create_deployment(nginx_sdl(), dseq=7)
        await m.wait_bids(7, len(NON_GPU_ONLINE))
        after = (await m.get(f"/cosmos/auth/v1beta1/accounts/{orion}"))["account"]
        assert int(after["sequence"]) == int(before["sequence"]) + 1
        txs = await m.get("/cosmos/tx/v1beta1/txs", query=f"message.sender='{orion}'")
        assert any(tx["body"]["messages"][0]["@type"] == "/akash.market.v1beta5.MsgCreateBid" for tx in txs["txs"])
        assert all(r["code"] == 0 for r in txs["tx_responses"])
