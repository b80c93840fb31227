"""What an SDL update would change in the leased groups (the chain keeps the groups: only the hash changes)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app.chain.resources import GroupSpec

KINDS = {0: "SHARED_HTTP", 1: "RANDOM_PORT", 2: "LEASED_IP"}
Unit = dict[str, Any]


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _val(value: Any) -> int:
    raw = value.decode() if isinstance(value, bytes | bytearray) else str(value)
    return int(raw or 0)


def _from_sdl(group: dict) -> dict[str, Any]:
    units = {}
    for u in group["resources"]:
        r = u["resource"]
        units[r["id"]] = {
            "cpu": _val(r["cpu"]["units"]["val"]), "memory": _val(r["memory"]["quantity"]["val"]),
            "storage": tuple((s["name"], _val(s["quantity"]["val"]), tuple((a["key"], a["value"]) for a in s["attributes"]))
                             for s in r["storage"]),
            "gpu": (_val(r["gpu"]["units"]["val"]), tuple((a["key"], a["value"]) for a in r["gpu"]["attributes"])),
            "endpoints": tuple(sorted((KINDS.get(e["kind"], str(e["kind"])), e["sequence_number"])
                                      for e in r["endpoints"])),
            "count": int(u["count"]), "price": (u["price"]["denom"], Decimal(str(u["price"]["amount"]))),
        }
    req = group["requirements"]
    return {"attributes": tuple((a["key"], a["value"]) for a in req["attributes"]),
            "signed_by": (tuple(req["signed_by"]["all_of"]), tuple(req["signed_by"]["any_of"])), "units": units}


def _from_chain(spec: GroupSpec) -> dict[str, Any]:
    units = {}
    for u in spec.resources:
        r = u.resources
        units[r.id] = {
            "cpu": r.cpu_millis, "memory": r.memory_bytes,
            "storage": tuple((s.name, s.quantity, tuple((a.key, a.value) for a in s.attributes)) for s in r.storage),
            "gpu": (r.gpu_units, tuple((a.key, a.value) for a in r.gpu_attributes)),
            "endpoints": tuple(sorted((e.kind, e.sequence_number) for e in r.endpoints)),
            "count": u.count, "price": (u.price.denom, u.price.amount),
        }
    req = spec.requirements
    return {"attributes": tuple((a.key, a.value) for a in req.attributes),
            "signed_by": (req.signed_by_all_of, req.signed_by_any_of), "units": units}


_WORDS = {
    "cpu": lambda a, b: f"CPU {a / 1000:g} -> {b / 1000:g}",
    "memory": lambda a, b: f"memory {a / 1024**2:g} Mi -> {b / 1024**2:g} Mi",
    "storage": lambda a, b: "storage volumes or their sizes/classes",
    "gpu": lambda a, b: f"GPUs {a[0]} -> {b[0]}" if a[0] != b[0] else "GPU models",
    "endpoints": lambda a, b: "exposed endpoints (a global port, HTTP ingress or IP was added or removed)",
    "count": lambda a, b: f"replicas {a} -> {b}",
}


def group_changes(current: list[GroupSpec], sdl_groups: list[dict]) -> tuple[list[str], list[str]]:
    """(changes that alter what was leased, harmless differences such as prices) between the deployment's
    groups on chain and a new SDL's groups."""
    old = {g.name: _from_chain(g) for g in current}
    new = {g["name"]: _from_sdl(g) for g in sdl_groups}
    refused, notes = [], []
    for name in sorted(set(old) - set(new)):
        refused.append(f"group `{name}` would be removed")
    for name in sorted(set(new) - set(old)):
        refused.append(f"group `{name}` would be added")
    for name in sorted(set(old) & set(new)):
        a, b = old[name], new[name]
        if a["attributes"] != b["attributes"] or a["signed_by"] != b["signed_by"]:
            refused.append(f"group `{name}`: placement requirements (attributes / signedBy)")
        for rid in sorted(set(a["units"]) | set(b["units"])):
            ua, ub = a["units"].get(rid), b["units"].get(rid)
            if ua is None or ub is None:
                refused.append(f"group `{name}`: resource unit {rid} would be {'added' if ua is None else 'removed'}")
                continue
            for key, words in _WORDS.items():
                if ua[key] != ub[key]:
                    refused.append(f"group `{name}` unit {rid}: {words(ua[key], ub[key])}")
            if ua["price"] != ub["price"]:
                notes.append(f"group `{name}` unit {rid}: the price in the SDL changed ({_plain(ua['price'][1])} -> "
                             f"{_plain(ub['price'][1])} {ub['price'][0]}); running leases keep their price")
    return refused, notes
