"""An SDL update may change services (image, env, command...) but not the leased groups: what is refused and why."""

from __future__ import annotations

from app.chain.jsonread import Obj
from app.chain.resources import GroupSpec
from app.market.changes import group_changes
from app.sdl import parse_sdl
from tests.kits.sdl import web_sdl

BASE = web_sdl(env=("A=1",))


def chain_groups(sdl_text: str) -> list[GroupSpec]:
    """The groups as the chain stores and returns them (REST JSON) for an SDL."""
    sdl = parse_sdl(sdl_text)
    out = []
    for g in sdl.group_specs():
        units = [{"resource": {
            "id": u["resource"]["id"],
            "cpu": {"units": {"val": u["resource"]["cpu"]["units"]["val"].decode()}},
            "memory": {"quantity": {"val": u["resource"]["memory"]["quantity"]["val"].decode()}},
            "storage": [{"name": s["name"], "quantity": {"val": s["quantity"]["val"].decode()}, "attributes": s["attributes"]}
                        for s in u["resource"]["storage"]],
            "gpu": {"units": {"val": u["resource"]["gpu"]["units"]["val"].decode()}, "attributes": []},
            "endpoints": [{"kind": ["SHARED_HTTP", "RANDOM_PORT", "LEASED_IP"][e["kind"]],
                           "sequence_number": e["sequence_number"]} for e in u["resource"]["endpoints"]]},
            "count": int(u["count"]), "price": {"denom": "uact", "amount": f"{u['price']['amount']}.000000000000000000"}}
            for u in g["resources"]]
        out.append(GroupSpec.parse(Obj({"name": g["name"], "requirements": g["requirements"], "resources": units})))
    return out


def test_service_settings_may_change() -> None:
    new = BASE.replace("nginx:1.27", "nginx:1.28").replace('["A=1"]', '["A=2", "B=3"]')
    assert group_changes(chain_groups(BASE), parse_sdl(new).group_specs()) == ([], [])


def test_resources_counts_and_endpoints_are_refused_with_words() -> None:
    bigger = BASE.replace("units: 0.5", "units: 1").replace("512Mi", "1Gi").replace("count: 1", "count: 2")
    refused, _ = group_changes(chain_groups(BASE), parse_sdl(bigger).group_specs())
    assert refused == ["group `dcloud` unit 1: CPU 0.5 -> 1", "group `dcloud` unit 1: memory 512 Mi -> 1024 Mi",
                       "group `dcloud` unit 1: replicas 1 -> 2"]
    port = BASE.replace("as: 80", "as: 8080")
    refused, _ = group_changes(chain_groups(BASE), parse_sdl(port).group_specs())
    assert refused and "exposed endpoints" in refused[0]
    renamed = BASE.replace("dcloud", "akash")
    refused, _ = group_changes(chain_groups(BASE), parse_sdl(renamed).group_specs())
    assert refused == ["group `dcloud` would be removed", "group `akash` would be added"]
    placed = BASE.replace("    dcloud:\n      pricing", "    dcloud:\n      attributes: {region: us-west}\n      pricing")
    refused, _ = group_changes(chain_groups(BASE), parse_sdl(placed).group_specs())
    assert refused == ["group `dcloud`: placement requirements (attributes / signedBy)"]


def test_a_price_change_is_only_a_note() -> None:
    refused, notes = group_changes(chain_groups(BASE), parse_sdl(BASE.replace("amount: 1000", "amount: 2000")).group_specs())
    assert refused == [] and "1000 -> 2000 uact" in notes[0] and "keep their price" in notes[0]
