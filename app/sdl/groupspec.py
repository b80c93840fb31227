"""GroupSpec plain data -> our protobuf type (`akash.deployment.v1beta4.GroupSpec`) and its protobuf JSON."""

from __future__ import annotations

import base64

from app.proto.gen.akash.deployment.v1beta4.groupspec_pb2 import GroupSpec
from app.sdl.units import legacy_dec_atomics

_KIND_NAMES = {0: "SHARED_HTTP", 1: "RANDOM_PORT", 2: "LEASED_IP"}


def _fill_attributes(repeated: object, attributes: list[dict]) -> None:
    for attr in attributes:
        repeated.add(key=attr["key"], value=attr["value"])  # type: ignore[attr-defined]


def to_pb2(group: dict) -> GroupSpec:
    """The GroupSpec message. Sub-messages the library always sets (requirements.signed_by, each
    resource value, every endpoint) are present even when empty, so the bytes match (`12020a00`)."""
    msg = GroupSpec(name=group["name"])
    req = group["requirements"]
    msg.requirements.signed_by.SetInParent()
    msg.requirements.signed_by.all_of.extend(req["signed_by"]["all_of"])
    msg.requirements.signed_by.any_of.extend(req["signed_by"]["any_of"])
    _fill_attributes(msg.requirements.attributes, req["attributes"])
    for unit in group["resources"]:
        res = unit["resource"]
        out = msg.resources.add(count=int(unit["count"]))
        r = out.resource
        r.id = res["id"]
        r.cpu.units.val = res["cpu"]["units"]["val"]
        _fill_attributes(r.cpu.attributes, res["cpu"]["attributes"])
        r.memory.quantity.val = res["memory"]["quantity"]["val"]
        _fill_attributes(r.memory.attributes, res["memory"]["attributes"])
        for volume in res["storage"]:
            s = r.storage.add(name=volume["name"])
            s.quantity.val = volume["quantity"]["val"]
            _fill_attributes(s.attributes, volume["attributes"])
        r.gpu.units.val = res["gpu"]["units"]["val"]
        _fill_attributes(r.gpu.attributes, res["gpu"]["attributes"])
        for endpoint in res["endpoints"]:
            r.endpoints.add(kind=endpoint["kind"], sequence_number=endpoint["sequence_number"])
        out.price.denom = unit["price"]["denom"]
        out.price.amount = legacy_dec_atomics(unit["price"]["amount"])
    return msg


def _attrs_json(attributes: list[dict]) -> list[dict]:
    return [{k: v for k, v in (("key", a["key"]), ("value", a["value"])) if v} for a in attributes]


def _value_json(value: dict) -> dict:
    return {"val": base64.b64encode(value["val"]).decode()} if value["val"] else {}


def _resource_json(res: dict) -> dict:
    out: dict = {}
    if res["id"]:
        out["id"] = res["id"]
    cpu = {"units": _value_json(res["cpu"]["units"])}
    if res["cpu"]["attributes"]:
        cpu["attributes"] = _attrs_json(res["cpu"]["attributes"])
    out["cpu"] = cpu
    out["memory"] = {"quantity": _value_json(res["memory"]["quantity"])}
    if res["storage"]:
        out["storage"] = []
        for volume in res["storage"]:
            v: dict = {}
            if volume["name"]:
                v["name"] = volume["name"]
            v["quantity"] = _value_json(volume["quantity"])
            if volume["attributes"]:
                v["attributes"] = _attrs_json(volume["attributes"])
            out["storage"].append(v)
    gpu = {"units": _value_json(res["gpu"]["units"])}
    if res["gpu"]["attributes"]:
        gpu["attributes"] = _attrs_json(res["gpu"]["attributes"])
    out["gpu"] = gpu
    if res["endpoints"]:
        out["endpoints"] = []
        for e in res["endpoints"]:
            ej: dict = {}
            if e["kind"]:
                ej["kind"] = _KIND_NAMES.get(e["kind"], e["kind"])
            if e["sequence_number"]:
                ej["sequence_number"] = e["sequence_number"]
            out["endpoints"].append(ej)
    return out


def to_json(group: dict) -> dict:
    """GroupSpec.toJSON() as chain-sdk writes it: proto field names, defaults left out, bytes in
    base64, enums by name, the price amount as written in the SDL."""
    req = group["requirements"]
    signed: dict = {}
    if req["signed_by"]["all_of"]:
        signed["all_of"] = list(req["signed_by"]["all_of"])
    if req["signed_by"]["any_of"]:
        signed["any_of"] = list(req["signed_by"]["any_of"])
    requirements: dict = {"signed_by": signed}
    if req["attributes"]:
        requirements["attributes"] = _attrs_json(req["attributes"])
    out: dict = {}
    if group["name"]:
        out["name"] = group["name"]
    out["requirements"] = requirements
    if group["resources"]:
        units = []
        for unit in group["resources"]:
            u: dict = {"resource": _resource_json(unit["resource"])}
            if unit["count"]:
                u["count"] = int(unit["count"])
            price: dict = {}
            if unit["price"]["denom"]:
                price["denom"] = unit["price"]["denom"]
            if unit["price"]["amount"]:
                price["amount"] = unit["price"]["amount"]
            u["price"] = price
            units.append(u)
        out["resources"] = units
    return out
