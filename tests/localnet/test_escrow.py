"""Escrow over HTTP: lazy settlement, overdraw closing the lease, grant deposits, and the deposit rules."""

from __future__ import annotations

import os
from decimal import Decimal

from google.protobuf import timestamp_pb2

from app.localnet.providers.catalog import FLEET
from app.proto import registry
from app.proto.gen.akash.base.deposit.v1 import deposit_pb2
from app.proto.gen.akash.deployment.v1beta4 import deploymentmsg_pb2 as dmsg
from app.proto.gen.akash.escrow.id.v1 import id_pb2
from app.proto.gen.akash.escrow.v1 import authz_pb2 as eauthz
from app.proto.gen.akash.escrow.v1 import msg_pb2 as emsg
from app.proto.gen.akash.market.v1 import lease_pb2
from app.proto.gen.akash.market.v1beta5 import leasemsg_pb2
from app.proto.gen.cosmos.authz.v1beta1 import authz_pb2, tx_pb2
from app.proto.gen.cosmos.base.v1beta1 import coin_pb2
from app.sdl import parse_sdl
from app.wallet.signer import Signer
from tests.localnet.marketkit import (
    Market,
    bearer,
    eventually,
    fleet_config,
    jwt,
    nginx_sdl,
    provider_address,
)

GPU_SDL = """
version: "2.0"
services:
  llm:
    image: vllm/vllm-openai:v0.5.3
    expose:
      - port: 8000
        as: 80
        to: [{global: true}]
profiles:
  compute:
    llm:
      resources:
        cpu: {units: 8}
        memory: {size: 64Gi}
        storage: [{size: 100Gi}]
        gpu:
          units: 8
          attributes:
            vendor:
              nvidia:
                - model: h100
                  ram: 80Gi
                  interface: sxm
  placement:
    gpu:
      pricing:
        llm: {denom: uact, amount: 100000}
deployment:
  llm:
    gpu: {profile: llm, count: 1}
"""


def deposit_msg(signer: str, xid: str, amount: int, denom: str = "uact", sources: tuple[int, ...] = (1,)) -> object:
    return emsg.MsgAccountDeposit(signer=signer, id=id_pb2.Account(scope=id_pb2.deployment, xid=xid),
                                  deposit=deposit_pb2.Deposit(amount=coin_pb2.Coin(denom=denom, amount=str(amount)),
                                                              sources=list(sources)))


async def info(m: Market, dseq: int, owner: str | None = None) -> dict:
    return await m.get("/akash/deployment/v1beta4/deployments/info", **{"id.owner": owner or m.demo.address,
                                                                        "id.dseq": dseq})


async def test_funds_running_out_close_the_lease_with_insufficient_funds(tmp_path) -> None:
    async with Market(tmp_path, fleet_config()) as m:
        delta = provider_address("delta")
        assert (await m.create_deployment(GPU_SDL, 77, deposit=500_000))["code"] == 0
        bids = await m.wait_bids(77, 1)
        assert [b["bid"]["id"]["provider"] for b in bids] == [delta]  # the only h100 provider
        rate = Decimal(bids[0]["bid"]["price"]["amount"])
        assert rate > 25_000  # eight H100s: the 0.5 ACT deposit lasts a few blocks
        assert (await m.create_lease(bids[0]))["code"] == 0
        async with await m.gateway(delta) as gw:
            r = await gw.put("/deployment/77/manifest", content=parse_sdl(GPU_SDL).manifest_sorted_json(),
                             headers=bearer(jwt(m.demo)))
            assert r.status_code == 200, r.text
        start = await info(m, 77)
        assert start["escrow_account"]["state"]["funds"][0]["amount"] == "500000.000000000000000000"

        async def closed() -> bool:
            leases = (await m.get("/akash/market/v1beta5/leases/list", **{"filters.dseq": 77}))["leases"]
            return leases[0]["lease"]["state"] != "active"

        assert await eventually(closed, m, blocks=40)
        lease = (await m.get("/akash/market/v1beta5/leases/list", **{"filters.dseq": 77}))["leases"][0]
        assert lease["lease"]["state"] == "insufficient_funds"
        assert lease["lease"]["reason"] == "lease_closed_reason_insufficient_funds"
        assert lease["escrow_payment"]["state"]["state"] == "overdrawn"
        assert lease["escrow_payment"]["state"]["withdrawn"] == {"denom": "uact", "amount": "500000"}
        assert Decimal(lease["escrow_payment"]["state"]["unsettled"]["amount"]) > 0
        after = await info(m, 77)
        assert after["deployment"]["state"] == "closed"
        assert [g["state"] for g in after["groups"]] == ["insufficient_funds"]
        escrow = after["escrow_account"]["state"]
        assert escrow["state"] == "overdrawn" and Decimal(escrow["funds"][0]["amount"]) < 0  # funds go negative
        assert escrow["transferred"] == [{"denom": "uact", "amount": "500000.000000000000000000"}]
        overdrawn = await m.get("/akash/escrow/v1/types/accounts", state="overdrawn",
                                xid=f"deployment/{m.demo.address}")
        assert [a["id"]["xid"] for a in overdrawn["accounts"]] == [f"{m.demo.address}/77"]


async def test_settlement_is_lazy_and_deposits_settle(tmp_path) -> None:
    async with Market(tmp_path, fleet_config()) as m:
        demo = m.demo.address
        assert (await m.create_deployment(nginx_sdl(), 21))["code"] == 0
        bids = await m.wait_bids(21, 6)
        bid = min(bids, key=lambda b: Decimal(b["bid"]["price"]["amount"]))
        assert (await m.create_lease(bid))["code"] == 0
        rate = Decimal(bid["bid"]["price"]["amount"])
        at_lease = (await info(m, 21))["escrow_account"]["state"]
        await m.advance(5)
        later = (await info(m, 21))["escrow_account"]["state"]
        assert later == at_lease  # nothing settles by itself
        assert (await m.send(m.demo, deposit_msg(demo, f"{demo}/21", 1_000_000)))["code"] == 0
        topped = (await info(m, 21))["escrow_account"]["state"]
        assert topped["settled_at"] == at_lease["settled_at"]  # a deposit into an open account does not settle
        i = bid["bid"]["id"]
        provider = next(p for p in FLEET if p.address == i["provider"]).signer
        withdraw = leasemsg_pb2.MsgWithdrawLease(id=lease_pb2.LeaseID(
            owner=demo, dseq=21, gseq=1, oseq=1, provider=i["provider"], bseq=0))
        earned = await m.balance(i["provider"], "uact")
        assert (await m.send(provider, withdraw))["code"] == 0  # the provider's withdrawal settles
        settled = (await info(m, 21))["escrow_account"]["state"]
        blocks = int(settled["settled_at"]) - int(at_lease["settled_at"])
        assert blocks >= 7
        moved = Decimal(settled["transferred"][0]["amount"])
        assert moved == int(rate * blocks)  # whole units per settlement
        assert Decimal(settled["funds"][0]["amount"]) == 5_000_000 + 1_000_000 - moved
        payments = await m.get("/akash/escrow/v1/types/payments", xid=f"deployment/{demo}/21")
        state = payments["payments"][0]["state"]
        assert Decimal(state["withdrawn"]["amount"]) == moved and Decimal(state["balance"]["amount"]) == 0
        assert await m.balance(i["provider"], "uact") == earned + int(moved)
        assert (await m.send(m.demo, deposit_msg(demo, f"{demo}/21", 700_000, denom="uakt")))["code"] == 0
        funds = {f["denom"]: f["amount"] for f in (await info(m, 21))["escrow_account"]["state"]["funds"]}
        assert funds["uakt"] == "700000.000000000000000000"  # AKT tops up an existing deployment


async def test_deposit_rules_of_create_deployment(tmp_path) -> None:
    async with Market(tmp_path, fleet_config(enabled=False)) as m:
        res = await m.create_deployment(nginx_sdl(), 31, denom="uakt")  # the groups are priced in uact
        assert res["code"] != 0 and "Mismatched denominations" in res["raw_log"]
        akt_priced = nginx_sdl().replace("denom: uact", "denom: uakt")
        res = await m.create_deployment(akt_priced, 31, denom="uakt")
        assert res["codespace"] == "deployment" and "AKT deposits are only allowed via AccountDeposit" in res["raw_log"]
        res = await m.create_deployment(nginx_sdl(), 31, deposit=400_000)
        assert res["code"] == 20 and "Deposit invalid" in res["raw_log"]
        res = await m.create_deployment(nginx_sdl(), 31, sources=())
        assert res["code"] != 0
        assert (await m.create_deployment(nginx_sdl(), 31))["code"] == 0
        res = await m.create_deployment(nginx_sdl(), 31)
        assert "Deployment exists" in res["raw_log"]
        sdl = parse_sdl(nginx_sdl())
        short = dmsg.MsgUpdateDeployment(id={"owner": m.demo.address, "dseq": 31}, hash=sdl.version()[:31])
        assert "Invalid: deployment hash" in (await m.send(m.demo, short))["raw_log"]
        same = dmsg.MsgUpdateDeployment(id={"owner": m.demo.address, "dseq": 31}, hash=sdl.version())
        assert (await m.send(m.demo, same))["code"] != 0
        params = await m.get("/akash/deployment/v1beta4/params")
        assert params == {"params": {"min_deposits": [{"denom": "uact", "amount": "500000"},
                                                      {"denom": "uakt", "amount": "500000"}]}}


async def test_grant_deposits_spend_and_return_the_limit(tmp_path) -> None:
    async with Market(tmp_path, fleet_config(enabled=False)) as m:
        granter = Signer(os.urandom(32))
        await m.http.post(m.url + "/localnet/faucet", json={"address": granter.address})
        demo = m.demo.address
        auth = eauthz.DepositAuthorization(spend_limit=coin_pb2.Coin(denom="uact", amount="3000000"),
                                           scopes=[eauthz.DepositAuthorization.deployment])
        grant = tx_pb2.MsgGrant(granter=granter.address, grantee=demo, grant=authz_pb2.Grant(
            authorization=registry.pack_any(auth), expiration=timestamp_pb2.Timestamp(seconds=4_102_444_800)))
        assert (await m.send(granter, grant))["code"] == 0
        granter_uact = await m.balance(granter.address, "uact")
        demo_uact = await m.balance(demo, "uact")

        assert (await m.create_deployment(nginx_sdl(), 55, deposit=1_000_000, sources=(2,)))["code"] == 0
        deposits = (await info(m, 55))["escrow_account"]["state"]["deposits"]
        assert deposits == [{"owner": granter.address, "height": deposits[0]["height"], "source": "grant",
                             "balance": {"denom": "uact", "amount": "1000000.000000000000000000"}}]
        assert (await m.send(m.demo, deposit_msg(demo, f"{demo}/55", 500_000, sources=(2,))))["code"] == 0
        grants = await m.get("/cosmos/authz/v1beta1/grants", granter=granter.address, grantee=demo)
        assert grants["grants"][0]["authorization"]["spend_limit"] == {"denom": "uact", "amount": "1500000"}
        assert grants["grants"][0]["authorization"]["@type"] == "/akash.escrow.v1.DepositAuthorization"
        assert await m.balance(granter.address, "uact") == granter_uact - 1_500_000
        assert await m.balance(demo, "uact") == demo_uact  # nothing came from the grantee

        too_much = deposit_msg(demo, f"{demo}/55", 2_000_000, sources=(2,))
        assert "insufficient balance" in (await m.send(m.demo, too_much))["raw_log"]
        close = dmsg.MsgCloseDeployment(id={"owner": demo, "dseq": 55})
        assert (await m.send(m.demo, close))["code"] == 0
        assert await m.balance(granter.address, "uact") == granter_uact
        grants = await m.get(f"/cosmos/authz/v1beta1/grants/granter/{granter.address}")
        assert grants["grants"][0]["authorization"]["spend_limit"]["amount"] == "3000000"
        assert grants["grants"][0]["grantee"] == demo
        revoke = tx_pb2.MsgRevoke(granter=granter.address, grantee=demo, msg_type_url="/akash.escrow.v1.MsgAccountDeposit")
        assert (await m.send(granter, revoke))["code"] == 0
        assert (await m.get(f"/cosmos/authz/v1beta1/grants/grantee/{demo}"))["grants"] == []
