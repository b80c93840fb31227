"""What providers do over time: manifest timeouts, periodic withdrawals, bid expiry; groups paused and restarted."""

from __future__ import annotations

from decimal import Decimal

from app.proto.gen.akash.deployment.v1beta4 import groupmsg_pb2
from app.sdl import parse_sdl
from tests.localnet.marketkit import (
    HOUR,
    Market,
    bearer,
    eventually,
    fleet_config,
    jwt,
    nginx_sdl,
    provider_address,
)

ORION = provider_address("orion")


async def leases(m: Market, dseq: int) -> list[dict]:
    return (await m.get("/akash/market/v1beta5/leases/list", **{"filters.dseq": dseq}))["leases"]


async def test_a_lease_without_manifest_is_closed_by_its_provider(tmp_path) -> None:
    async with Market(tmp_path, fleet_config(manifest_timeout_s=3 * HOUR)) as m:
        await m.lease_at(12, ORION)

        async def closed() -> bool:
            return (await leases(m, 12))[0]["lease"]["state"] == "closed"

        assert await eventually(closed, m, blocks=8)
        lease = (await leases(m, 12))[0]["lease"]
        assert lease["reason"] == "lease_closed_reason_manifest_timeout"
        info = await m.get("/akash/deployment/v1beta4/deployments/info", **{"id.owner": m.demo.address, "id.dseq": 12})
        assert info["deployment"]["state"] == "active" and info["groups"][0]["state"] == "paused"


async def test_providers_withdraw_their_earnings_periodically(tmp_path) -> None:
    async with Market(tmp_path, fleet_config(withdraw_period_s=2 * HOUR)) as m:
        await m.lease_at(13, ORION)
        async with await m.gateway(ORION) as gw:
            r = await gw.put("/deployment/13/manifest", content=parse_sdl(nginx_sdl()).manifest_sorted_json(),
                             headers=bearer(jwt(m.demo)))
            assert r.status_code == 200
        earned = await m.balance(ORION, "uact")
        start = int((await leases(m, 13))[0]["escrow_payment"]["state"]["withdrawn"]["amount"])
        withdrawn = []
        for _ in range(4):
            await m.advance(2)
            withdrawn.append(int((await leases(m, 13))[0]["escrow_payment"]["state"]["withdrawn"]["amount"]))
        assert withdrawn == sorted(withdrawn) and withdrawn[-1] > withdrawn[1] > 0  # earnings grow over time
        assert await m.balance(ORION, "uact") == earned + withdrawn[-1] - start
        acc = (await m.get("/akash/escrow/v1/types/accounts", xid=f"deployment/{m.demo.address}/13"))["accounts"][0]
        assert Decimal(acc["state"]["transferred"][0]["amount"]) == withdrawn[-1]


async def test_unanswered_bids_expire_and_return_the_deposit(tmp_path) -> None:
    async with Market(tmp_path, fleet_config(bid_timeout_s=3 * HOUR)) as m:
        assert (await m.create_deployment(nginx_sdl(), 14))["code"] == 0
        await m.wait_bids(14, 6)
        before = await m.balance(ORION, "uakt")

        async def expired() -> bool:
            return all(b["bid"]["state"] == "closed" for b in await m.bids(14))

        assert await eventually(expired, m, blocks=6)
        accounts = (await m.get("/akash/escrow/v1/types/accounts", xid=f"bid/{m.demo.address}/14"))["accounts"]
        assert {a["state"]["state"] for a in accounts} == {"closed"}
        assert await m.balance(ORION, "uakt") > before  # 0.5 AKT back, less the fee of the close


async def test_pausing_and_restarting_a_group(tmp_path) -> None:
    async with Market(tmp_path, fleet_config()) as m:
        await m.lease_at(15, ORION)
        gid = {"owner": m.demo.address, "dseq": 15, "gseq": 1}
        assert (await m.send(m.demo, groupmsg_pb2.MsgPauseGroup(id=gid)))["code"] == 0
        lease = (await leases(m, 15))[0]["lease"]
        assert (lease["state"], lease["reason"]) == ("closed", "lease_closed_owner")
        assert "Group paused" in (await m.send(m.demo, groupmsg_pb2.MsgPauseGroup(id=gid)))["raw_log"]
        assert (await m.send(m.demo, groupmsg_pb2.MsgStartGroup(id=gid)))["code"] == 0
        orders = (await m.get("/akash/market/v1beta5/orders/list", **{"filters.dseq": 15}))["orders"]
        assert [(o["id"]["oseq"], o["state"]) for o in orders] == [(1, "closed"), (2, "open")]
        bids = await m.wait_bids(15, 6)
        assert {b["bid"]["id"]["oseq"] for b in bids} == {2}
        assert (await m.send(m.demo, groupmsg_pb2.MsgCloseGroup(id=gid)))["code"] == 0
        assert {b["bid"]["state"] for b in await m.bids(15, oseq=2)} == {"closed"}
        assert "Group already closed" in (await m.send(m.demo, groupmsg_pb2.MsgStartGroup(id=gid)))["raw_log"]
