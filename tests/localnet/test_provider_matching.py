"""Simulated providers bid only on what they can serve; the chain refuses a bid that does not match."""

from __future__ import annotations

from app.localnet.providers.catalog import auditor_key, by_name
from app.proto.gen.akash.base.deposit.v1 import deposit_pb2
from app.proto.gen.akash.market.v1 import bid_pb2
from app.proto.gen.akash.market.v1beta5 import bidmsg_pb2
from app.proto.gen.cosmos.base.v1beta1 import coin_pb2
from tests.localnet.marketkit import Market, fleet_config, nginx_sdl

BASE = nginx_sdl().split("profiles:")[0]


def sdl(resources: str, placement: str = "") -> str:
    return BASE + f"""profiles:
  compute:
    web:
      resources:
{resources}
  placement:
    dcloud:
{placement}      pricing:
        web: {{denom: uact, amount: 100000}}
deployment:
  web:
    dcloud: {{profile: web, count: 1}}
"""


CPU = "        cpu: {units: 1}\n        memory: {size: 1Gi}\n        storage: [{size: 1Gi}]\n"
A100_80 = CPU + """        gpu:
          units: 1
          attributes:
            vendor:
              nvidia:
                - model: a100
                  ram: 80Gi
"""
BETA3 = """        cpu: {units: 1}
        memory: {size: 1Gi}
        storage:
          - size: 1Gi
          - name: data
            size: 10Gi
            attributes: {persistent: true, class: beta3}
"""
AUDITED_COMMUNITY = f"""      attributes:
        tier: community
      signedBy:
        anyOf: [{auditor_key().address}]
"""


def names(*providers: str) -> set[str]:
    return {by_name(p).address for p in providers}


async def bidders(m: Market, dseq: int, text: str) -> set[str]:
    if "params:" not in text and "class: beta3" in text:
        text = text.replace("services:\n  web:\n", "services:\n  web:\n    params:\n      storage:\n"
                                                   "        data: {mount: /data}\n")
    res = await m.create_deployment(text, dseq)
    assert res["code"] == 0, res["raw_log"]
    await m.advance(4)
    return {b["bid"]["id"]["provider"] for b in await m.bids(dseq)}


async def test_each_provider_bids_only_where_it_matches(tmp_path) -> None:
    async with Market(tmp_path, fleet_config()) as m:
        assert await bidders(m, 1, sdl(A100_80)) == names("boreal")  # granite's A100s have 40Gi
        assert await bidders(m, 2, sdl(BETA3)) == names("boreal", "delta", "ember")
        assert await bidders(m, 3, sdl(CPU, AUDITED_COMMUNITY)) == names("orion")  # fjord too, but it is offline
        assert await bidders(m, 4, sdl(CPU, "      attributes:\n        region: us-east\n")) == names("cascade")
        assert await bidders(m, 5, sdl(CPU, "      attributes:\n        region: antarctica\n")) == set()
        await m.advance(5)
        assert await m.bids(5) == []  # a provider whose requirements do not match never bids


async def test_the_chain_refuses_a_bid_that_does_not_match(tmp_path) -> None:
    async with Market(tmp_path, fleet_config(enabled=False)) as m:
        assert (await m.create_deployment(sdl(CPU, "      attributes:\n        region: us-west\n"), 8))["code"] == 0
        cascade = by_name("cascade")

        def bid(price: str) -> object:
            return bidmsg_pb2.MsgCreateBid(
                id=bid_pb2.BidID(owner=m.demo.address, dseq=8, gseq=1, oseq=1, provider=cascade.address),
                price=coin_pb2.DecCoin(denom="uact", amount=price + "0" * 18),
                deposit=deposit_pb2.Deposit(amount=coin_pb2.Coin(denom="uakt", amount="500000"), sources=[1]))

        res = await m.send(cascade.signer, bid("5"))
        assert (res["codespace"], res["code"]) == ("market", 5) and "attribute mismatch" in res["raw_log"]
        orion = by_name("orion")
        over = bidmsg_pb2.MsgCreateBid()
        over.CopyFrom(bid("200000"))  # type: ignore[arg-type]
        over.id.provider = orion.address
        res = await m.send(orion.signer, over)
        assert "bid price above max order price" in res["raw_log"]
        ok = bidmsg_pb2.MsgCreateBid()
        ok.CopyFrom(bid("5"))  # type: ignore[arg-type]
        ok.id.provider = orion.address
        assert (await m.send(orion.signer, ok))["code"] == 0
        assert "bid exists" in (await m.send(orion.signer, ok))["raw_log"]


IP_SDL = """
version: "2.0"
endpoints:
  myip: {kind: ip}
services:
  db:
    image: postgres:16.3
    expose:
      - port: 5432
        as: 5432
        to: [{global: true, ip: myip}]
profiles:
  compute:
    db:
      resources: {cpu: {units: 1}, memory: {size: 1Gi}, storage: [{size: 1Gi}]}
  placement:
    dcloud:
      pricing:
        db: {denom: uact, amount: 100000}
deployment:
  db:
    dcloud: {profile: db, count: 1}
"""


async def test_leased_ips_only_from_providers_that_have_them(tmp_path) -> None:
    from app.sdl import parse_sdl
    from tests.localnet.marketkit import bearer, jwt

    async with Market(tmp_path, fleet_config()) as m:
        assert await bidders(m, 60, IP_SDL) == names("boreal", "delta")
        boreal = by_name("boreal").address
        bid = next(b for b in await m.bids(60) if b["bid"]["id"]["provider"] == boreal)
        assert (await m.create_lease(bid))["code"] == 0
        async with await m.gateway(boreal) as gw:
            token = bearer(jwt(m.demo))
            r = await gw.put("/deployment/60/manifest", content=parse_sdl(IP_SDL).manifest_sorted_json(), headers=token)
            assert r.status_code == 200, r.text
            status = (await gw.get("/lease/60/1/1/status", headers=token)).json()
        [ip] = status["ips"]["db"]
        assert (ip["Port"], ip["ExternalPort"], ip["Protocol"]) == (5432, 5432, "TCP") and ip["IP"].startswith("203.0.113.")
        assert status["forwarded_ports"] is None and status["services"]["db"]["uris"] is None
