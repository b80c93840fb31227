"""GroupSpecs as the deployment module stores them (REST JSON form): conversion, chain limits, price, matching."""

from __future__ import annotations

import fnmatch
from decimal import Decimal
from typing import Any

from app.localnet.decmath import D
from app.units import atomics_to_dec, format_dec18

ENDPOINT_KINDS = ["SHARED_HTTP", "RANDOM_PORT", "LEASED_IP"]

# chain-sdk go/node/deployment/v1beta4/validation_config.go (defaults of the v2 node).
MAX_UNIT_CPU = 384_000
MIN_UNIT_CPU = 10
MAX_UNIT_MEMORY = 2 * 1024**4
MIN_UNIT_MEMORY = 1024**2
MAX_UNIT_STORAGE = 32 * 1024**4
MIN_UNIT_STORAGE = 5 * 1024**2
MAX_UNIT_GPU = 24
MAX_UNIT_COUNT = 50
MAX_UNIT_PRICE = Decimal(10_000_000)
MAX_GROUPS = 20
MAX_GROUP_UNITS = 20


class GroupSpecError(ValueError):
    """A GroupSpec that the chain's validation refuses; the text says which group and field."""


def _attrs(items: Any) -> list[dict[str, str]]:
    return [{"key": a.key, "value": a.value} for a in items]


def _value(rv: Any, where: str) -> str:
    text = bytes(rv.val).decode("ascii", errors="replace") or "0"
    if not text.isdigit():
        raise GroupSpecError(f"{where}: resource value {text!r} is not a whole number")
    return str(int(text))


def spec_from_proto(g: Any) -> dict[str, Any]:
    """A GroupSpec message -> the stored JSON (proto names, values as decimal strings, price 18 decimals)."""
    units = []
    for ru in g.resources:
        r = ru.resource
        where = f"group {g.name} resource {r.id}"
        units.append({
            "resource": {
                "id": r.id,
                "cpu": {"units": {"val": _value(r.cpu.units, where + " cpu")}, "attributes": _attrs(r.cpu.attributes)},
                "memory": {"quantity": {"val": _value(r.memory.quantity, where + " memory")},
                           "attributes": _attrs(r.memory.attributes)},
                "storage": [{"name": s.name, "quantity": {"val": _value(s.quantity, where + " storage")},
                             "attributes": _attrs(s.attributes)} for s in r.storage],
                "gpu": {"units": {"val": _value(r.gpu.units, where + " gpu")}, "attributes": _attrs(r.gpu.attributes)},
                "endpoints": [{"kind": ENDPOINT_KINDS[e.kind] if 0 <= e.kind < 3 else str(e.kind),
                               "sequence_number": e.sequence_number} for e in r.endpoints],
            },
            "count": ru.count,
            "price": {"denom": ru.price.denom, "amount": _price_amount(ru.price.amount, where)},
        })
    return {
        "name": g.name,
        "requirements": {
            "signed_by": {"all_of": list(g.requirements.signed_by.all_of),
                          "any_of": list(g.requirements.signed_by.any_of)},
            "attributes": _attrs(g.requirements.attributes),
        },
        "resources": units,
    }


def _price_amount(atomics: str, where: str) -> str:
    try:
        return format_dec18(atomics_to_dec(atomics or "0"))
    except (ValueError, ArithmeticError):
        raise GroupSpecError(f"{where}: price amount {atomics!r} is not a decimal") from None


def unit_price(unit: dict[str, Any]) -> Decimal:
    """ResourceUnit.FullPrice: price per unit x count."""
    return D(unit["price"]["amount"]) * unit["count"]


def group_price(spec: dict[str, Any]) -> tuple[str, Decimal]:
    """GroupSpec.Price(): (denom, sum of full unit prices)."""
    units = spec["resources"]
    return (units[0]["price"]["denom"] if units else ""), sum((unit_price(u) for u in units), Decimal(0))


def validate_groups(specs: list[dict[str, Any]]) -> None:
    """ValidateDeploymentGroups + GroupSpec.ValidateBasic: limits, names, one denom. Raises GroupSpecError."""
    if not specs:
        raise GroupSpecError("no groups")
    if len(specs) > MAX_GROUPS:
        raise GroupSpecError(f"too many groups: {len(specs)} > {MAX_GROUPS}")
    names: set[str] = set()
    denom = None
    for spec in specs:
        name = spec["name"]
        if not name:
            raise GroupSpecError("empty group spec name")
        if name in names:
            raise GroupSpecError(f"duplicate group name {name!r}")
        names.add(name)
        units = spec["resources"]
        if not units:
            raise GroupSpecError(f"group {name}: no resource units")
        if len(units) > MAX_GROUP_UNITS:
            raise GroupSpecError(f"group {name}: too many resource units: {len(units)} > {MAX_GROUP_UNITS}")
        ids = set()
        for unit in units:
            _validate_unit(name, unit)
            rid = unit["resource"]["id"]
            if rid in ids:
                raise GroupSpecError(f"group {name}: duplicate resource id {rid}")
            ids.add(rid)
            d = unit["price"]["denom"]
            if denom is None:
                denom = d
            elif d != denom:
                raise GroupSpecError(f"multi-denomination deployment: ({d} == {denom} fails)")


def _validate_unit(group: str, unit: dict[str, Any]) -> None:
    r = unit["resource"]
    where = f"group {group} resource {r['id']}"
    if r["id"] < 1:
        raise GroupSpecError(f"{where}: resource id must be at least 1")
    if not 1 <= unit["count"] <= MAX_UNIT_COUNT:
        raise GroupSpecError(f"{where}: count {unit['count']} out of range 1..{MAX_UNIT_COUNT}")
    cpu = int(r["cpu"]["units"]["val"])
    if not MIN_UNIT_CPU <= cpu <= MAX_UNIT_CPU:
        raise GroupSpecError(f"{where}: cpu {cpu} out of range {MIN_UNIT_CPU}..{MAX_UNIT_CPU} millicpu")
    mem = int(r["memory"]["quantity"]["val"])
    if not MIN_UNIT_MEMORY <= mem <= MAX_UNIT_MEMORY:
        raise GroupSpecError(f"{where}: memory {mem} out of range {MIN_UNIT_MEMORY}..{MAX_UNIT_MEMORY} bytes")
    if not r["storage"]:
        raise GroupSpecError(f"{where}: no storage")
    for s in r["storage"]:
        size = int(s["quantity"]["val"])
        if not MIN_UNIT_STORAGE <= size <= MAX_UNIT_STORAGE:
            raise GroupSpecError(f"{where}: storage {s['name']} {size} out of range "
                                 f"{MIN_UNIT_STORAGE}..{MAX_UNIT_STORAGE} bytes")
    gpu = int(r["gpu"]["units"]["val"])
    if gpu > MAX_UNIT_GPU:
        raise GroupSpecError(f"{where}: gpu {gpu} > {MAX_UNIT_GPU}")
    if gpu > 0 and not r["gpu"]["attributes"]:
        raise GroupSpecError(f"{where}: gpu units need a vendor attribute")
    price = D(unit["price"]["amount"])
    if price <= 0:
        raise GroupSpecError(f"{where}: price must be positive")
    if price > MAX_UNIT_PRICE:
        raise GroupSpecError(f"{where}: unit price {price} above {MAX_UNIT_PRICE}")


# -- requirement matching (chain-sdk attributes/v1 and GroupSpec.MatchRequirements) ------------------

def attr_subset_of(req: dict[str, str], have: dict[str, str]) -> bool:
    """Attribute.SubsetOf: glob match of the key (filepath.Match), equal value."""
    return fnmatch.fnmatchcase(have["key"], req["key"]) and req["value"] == have["value"]


def attrs_subset(reqs: list[dict[str, str]], have: list[dict[str, str]]) -> bool:
    return all(any(attr_subset_of(r, h) for h in have) for r in reqs)


def match_requirements(spec: dict[str, Any], provider_attrs: list[dict[str, str]],
                       audited: dict[str, list[dict[str, str]]]) -> bool:
    """Placement attributes and signedBy: plain provider attributes, or the ones auditors signed."""
    req = spec["requirements"]
    all_of, any_of = req["signed_by"]["all_of"], req["signed_by"]["any_of"]
    if all_of or any_of:
        if not audited:
            return False
        for auditor in all_of:
            if auditor not in audited or not attrs_subset(req["attributes"], audited[auditor]):
                return False
        if any_of:
            return any(a in audited and attrs_subset(req["attributes"], audited[a]) for a in any_of)
        return True
    return attrs_subset(req["attributes"], provider_attrs)


def capability_groups(attrs: list[dict[str, str]], prefix: str) -> list[list[dict[str, str]]]:
    """Attributes.GetCapabilitiesGroup: capabilities/storage/<n>/<key> grouped by <n>."""
    groups: dict[str, list[dict[str, str]]] = {}
    for a in attrs:
        if not a["key"].startswith("capabilities/" + prefix):
            continue
        tokens = a["key"][len("capabilities/"):].split("/")
        if len(tokens) != 3:
            continue
        groups.setdefault(tokens[1], []).append({"key": tokens[2], "value": a["value"]})
    return list(groups.values())


def capability_map(attrs: list[dict[str, str]], prefix: str) -> list[dict[str, str]]:
    """Attributes.GetCapabilitiesMap: capabilities/gpu/<rest> -> <rest> (one flat group)."""
    out = []
    for a in attrs:
        if not a["key"].startswith("capabilities/" + prefix):
            continue
        tokens = a["key"][len("capabilities/"):].split("/")
        if len(tokens) < 3:
            continue
        out.append({"key": "/".join(tokens[1:]), "value": a["value"]})
    return out


def match_resources(spec: dict[str, Any], provider_attrs: list[dict[str, str]]) -> bool:
    """GroupSpec.MatchResourcesRequirements: storage classes and GPU models the provider advertises."""
    storage_groups = capability_groups(provider_attrs, "storage")
    gpus = capability_map(provider_attrs, "gpu")
    for unit in spec["resources"]:
        r = unit["resource"]
        for s in r["storage"]:
            if s["attributes"] and not any(attrs_subset(s["attributes"], g) for g in storage_groups):
                return False
        gpu = r["gpu"]
        wanted = int(gpu["units"]["val"]) > 0 and gpu["attributes"]
        if wanted and not any(attr_subset_of(req, have) for req in gpu["attributes"] for have in gpus):
            return False
    return True

