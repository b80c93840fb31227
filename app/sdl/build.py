"""SDL -> GroupSpecs and manifest groups as plain data, exactly as chain-sdk's generateManifest builds them."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from app.jsnumber import number_to_string
from app.sdl.collate import collation_key, locale_compare
from app.sdl.jsvalues import UINT32_MAX, ValueTooLarge, is_js_integer, js_string, utf16_key
from app.sdl.locate import ErrorSink
from app.sdl.schema import as_mapping
from app.sdl.semantics import cast_array
from app.sdl.units import (
    QuantityError,
    cpu_millis,
    gpu_count,
    legacy_dec_atomics,
    price_string,
    resource_value,
    size_bytes,
)

SHARED_HTTP, RANDOM_PORT, LEASED_IP = 0, 1, 2


class BuildFailed(Exception):
    """The reference library would throw while building this SDL; the errors are in the sink."""


@dataclass
class Built:
    """generateManifest's value: GroupSpecs (proto field names, price amounts as written) and manifest groups."""

    group_specs: list[dict] = field(default_factory=list)
    manifest: list[dict] = field(default_factory=list)


def endpoint_sequence_numbers(services: dict) -> dict[str, int]:
    """computeEndpointSequenceNumbers(): IP endpoint names used globally, sorted, 1-based (a name used
    twice takes the later index, as the library's reduce does)."""
    names: list[str] = []
    for service in services.values():
        for expose in as_mapping(service).get("expose") or []:
            for target in as_mapping(expose).get("to") or []:
                target = as_mapping(target)
                if target.get("global") and target.get("ip"):
                    names.append(target["ip"])
    names.sort(key=utf16_key)
    return {name: i + 1 for i, name in enumerate(names)}


def _attributes(attributes: object) -> list[dict]:
    """buildResourceAttributes(): keys in localeCompare order, values through String()."""
    if attributes is None:
        return []
    mapping = as_mapping(attributes)
    return [{"key": k, "value": js_string(mapping[k])} for k in sorted(mapping, key=collation_key)]


def _storage_attributes(attributes: object) -> list[dict]:
    if attributes is None:
        return []
    mapping = as_mapping(attributes)
    pairs = [{"key": k, "value": js_string(v)} for k, v in mapping.items()]
    if mapping.get("class") == "ram" and "persistent" not in mapping:
        pairs.append({"key": "persistent", "value": "false"})
    pairs.sort(key=lambda p: collation_key(p["key"]))
    return pairs


def _gpu_attributes(attributes: dict) -> list[dict]:
    vendor = as_mapping(attributes).get("vendor")
    if not vendor:
        return []
    out: list[dict] = []
    vendors = as_mapping(vendor)
    for name in sorted(vendors, key=collation_key):
        models = vendors[name]
        if models is None:
            out.append({"key": f"vendor/{name}/model/*", "value": "true"})
            continue
        for model in models:
            model = as_mapping(model)
            key = f"vendor/{name}/model/{js_string(model['model']) if 'model' in model else 'undefined'}"
            if model.get("ram"):
                key += f"/ram/{js_string(model['ram'])}"
            if model.get("interface"):
                key += f"/interface/{js_string(model['interface'])}"
            out.append({"key": key, "value": "true"})
    return out


def _proto(expose: dict) -> str:
    proto = expose.get("proto")
    return proto.upper() if proto else "TCP"


def service_endpoints(service: dict, seq: dict[str, int]) -> list[dict]:
    """buildServiceEndpoints(): one endpoint per global target (80/TCP is shared HTTP), plus its leased IP."""
    out: list[dict] = []
    for expose in service.get("expose") or []:
        expose = as_mapping(expose)
        external = expose.get("as") or 0
        proto = _proto(expose)
        for target in expose.get("to") or []:
            target = as_mapping(target)
            if not target.get("global"):
                continue
            effective = expose["port"] if external == 0 else external
            kind = SHARED_HTTP if proto == "TCP" and effective == 80 else RANDOM_PORT
            out.append({"kind": kind, "sequence_number": 0})
            if target.get("ip"):
                out.append({"kind": LEASED_IP, "sequence_number": seq.get(target["ip"], 0)})
    return out


class Builder:
    """One generateManifest run over a validated SDL."""

    def __init__(self, sdl: dict, sink: ErrorSink) -> None:
        self.sdl = sdl
        self.sink = sink
        self.services = as_mapping(sdl["services"])
        self.deployment = as_mapping(sdl["deployment"])
        profiles = as_mapping(sdl["profiles"])
        self.compute = as_mapping(profiles["compute"])
        self.placement = as_mapping(profiles["placement"])
        self.seq = endpoint_sequence_numbers(self.services)
        self._resources_cache: dict[str, dict] = {}

    def fail(self, path: tuple, message: str) -> None:
        self.sink.add(path, message)

    # --- resources -------------------------------------------------------------------------------

    def _compute_resources(self, profile: str) -> dict:
        """CPU, memory, storage and GPU of a compute profile (shared by every unit using it)."""
        cached = self._resources_cache.get(profile)
        if cached is not None:
            return cached
        path = ("profiles", "compute", profile, "resources")
        res = as_mapping(as_mapping(self.compute[profile])["resources"])
        cpu = as_mapping(res["cpu"])
        try:
            cpu_attrs = _attributes(cpu.get("attributes"))
        except ValueTooLarge:
            self.fail((*path, "cpu", "attributes"), "cpu attribute values are too large")
            raise BuildFailed from None
        memory = as_mapping(res["memory"])
        try:
            memory_bytes = size_bytes(memory["size"])
        except QuantityError as exc:
            self.fail((*path, "memory", "size"), f"memory {exc}")
            raise BuildFailed from None
        storage = []
        for i, volume in enumerate(cast_array(res.get("storage"))):
            volume = as_mapping(volume)
            vpath = (*path, "storage", i) if isinstance(res.get("storage"), list) else (*path, "storage")
            try:
                quantity = size_bytes(volume["size"])
            except QuantityError as exc:
                self.fail((*vpath, "size"), f"storage {exc}")
                raise BuildFailed from None
            storage.append({"name": volume.get("name") or "default", "quantity": {"val": resource_value(quantity)},
                            "attributes": _storage_attributes(volume.get("attributes"))})
        gpu = as_mapping(res.get("gpu")) if res.get("gpu") is not None else None
        built = {
            "cpu": {"units": {"val": resource_value(cpu_millis(cpu["units"]))}, "attributes": cpu_attrs},
            "memory": {"quantity": {"val": resource_value(memory_bytes)}, "attributes": []},
            "storage": storage,
            "gpu": {"units": {"val": resource_value(gpu_count(gpu.get("units") if gpu else None))},
                    "attributes": _gpu_attributes(gpu["attributes"]) if gpu and gpu.get("attributes") is not None
                    else []},
        }
        self._resources_cache[profile] = built
        return built

    def _resources(self, rid: int, profile: str, service: dict) -> dict:
        base = self._compute_resources(profile)
        return {"id": rid, "cpu": base["cpu"], "memory": base["memory"], "storage": base["storage"],
                "gpu": base["gpu"], "endpoints": service_endpoints(service, self.seq)}

    # --- groups ----------------------------------------------------------------------------------

    def _price(self, placement: str, profile: str) -> dict:
        coin = as_mapping(as_mapping(as_mapping(self.placement[placement])["pricing"])[profile])
        amount = price_string(coin["amount"])
        try:
            legacy_dec_atomics(amount)
        except QuantityError as exc:
            self.fail(("profiles", "placement", placement, "pricing", profile, "amount"), str(exc))
            raise BuildFailed from None
        return {"denom": coin["denom"], "amount": amount}

    def _new_group(self, placement: str) -> dict:
        infra = as_mapping(self.placement[placement])
        signed = as_mapping(infra.get("signedBy")) if infra.get("signedBy") is not None else {}
        try:
            attributes = _attributes(infra.get("attributes"))
        except ValueTooLarge:
            self.fail(("profiles", "placement", placement, "attributes"), "placement attribute values are too large")
            raise BuildFailed from None
        return {"name": placement,
                "requirements": {"signed_by": {"all_of": list(signed.get("allOf") or []),
                                               "any_of": list(signed.get("anyOf") or [])},
                                 "attributes": attributes},
                "resources": []}

    def build(self) -> Built:
        by_placement: dict[str, list[tuple[str, dict]]] = {}
        for svc, placements in self.deployment.items():
            for placement, entry in as_mapping(placements).items():
                by_placement.setdefault(placement, []).append((svc, as_mapping(entry)))
        for entries in by_placement.values():
            entries.sort(key=lambda e: collation_key(e[0]))
        groups: dict[str, dict] = {}
        bound: dict[str, dict[str, int]] = {}
        resource_ids: dict[tuple[str, str], int] = {}
        for svc in sorted(self.services, key=collation_key):
            service = as_mapping(self.services[svc])
            for placement, entry in as_mapping(self.deployment[svc]).items():
                entry = as_mapping(entry)
                profile = entry["profile"]
                price = self._price(placement, profile)
                if placement not in groups:
                    groups[placement] = self._new_group(placement)
                    bound[placement] = {}
                group = groups[placement]
                location = bound[placement].get(profile)
                if location is None:
                    rid = len(group["resources"]) + 1
                    resource_ids[(placement, profile)] = rid
                    group["resources"].append({"resource": self._resources(rid, profile, service),
                                               "count": entry["count"], "price": price,
                                               "_profile": profile, "_services": [svc]})
                    bound[placement][profile] = len(group["resources"]) - 1
                else:
                    unit = group["resources"][location]
                    resource_ids.setdefault((placement, profile), unit["resource"]["id"])
                    unit["count"] = unit["count"] + entry["count"]
                    unit["_services"].append(svc)
                    unit["resource"]["endpoints"] = unit["resource"]["endpoints"] + service_endpoints(service,
                                                                                                       self.seq)
        for placement, group in groups.items():
            for i, unit in enumerate(group["resources"]):
                unit["resource"]["endpoints"].sort(key=lambda e: (e["kind"], e["sequence_number"]))
                count = unit["count"]
                if not (is_js_integer(count) and 0 <= count <= UINT32_MAX):
                    self.fail(("deployment",), f"group `{placement}` resource {i + 1}: count {number_to_string(count)} is "
                                               f"out of range (at most {UINT32_MAX})")
                    raise BuildFailed
        names = sorted(groups, key=utf16_key)
        manifest = [self._manifest_group(name, by_placement[name], resource_ids) for name in names]
        return Built([groups[n] for n in names], manifest)

    # --- manifest --------------------------------------------------------------------------------

    def _manifest_group(self, placement: str, entries: list[tuple[str, dict]],
                        resource_ids: dict[tuple[str, str], int]) -> dict:
        services = []
        for svc, entry in entries:
            if svc not in self.services:
                self.fail(("deployment", svc), f"`deployment.{svc}` deploys a service that is not defined under "
                                               "`services`; define it or remove this deployment")
                raise BuildFailed
            service = as_mapping(self.services[svc])
            rid = resource_ids.get((placement, entry["profile"])) or 1
            services.append(self._manifest_service(rid, svc, service, entry))
        return {"name": placement, "services": services}

    def _manifest_service(self, rid: int, name: str, service: dict, entry: dict) -> dict:
        creds = service.get("credentials")
        credentials = None
        if creds is not None:
            creds = as_mapping(creds)
            credentials = {"host": creds.get("host", ""), "email": creds.get("email") or "",
                           "username": creds.get("username", ""), "password": creds.get("password", "")}
        out = {
            "name": name,
            "image": service["image"],
            "command": list(service.get("command") or []),
            "args": list(service.get("args") or []),
            "env": list(service.get("env") or []),
            "resources": self._resources(rid, entry["profile"], service),
            "count": entry["count"],
            "expose": self._manifest_expose(service),
            "credentials": credentials,
        }
        params = self._params(service)
        if params is not None:
            out["params"] = params
        return out

    @staticmethod
    def _params(service: dict) -> dict | None:
        """buildParams(): volumes sorted by name (code-unit order); permissions when given."""
        if service.get("params") is None:
            return None
        params = as_mapping(service["params"])
        storage = as_mapping(params["storage"]) if params.get("storage") is not None else {}
        result: dict = {"storage": [
            {"name": n, "mount": as_mapping(storage[n]).get("mount") or "",
             "readOnly": as_mapping(storage[n]).get("readOnly") or False}
            for n in sorted(storage, key=utf16_key)]}
        permissions = params.get("permissions")
        if permissions is not None:
            result["permissions"] = {"read": list(as_mapping(permissions).get("read") or [])}
        return result

    def _manifest_expose(self, service: dict) -> list[dict]:
        out = []
        for expose in service.get("expose") or []:
            expose = as_mapping(expose)
            opts = as_mapping(expose.get("http_options")) if expose.get("http_options") is not None else {}
            for target in expose.get("to") or []:
                target = as_mapping(target)
                http = {
                    "maxBodySize": _default(opts.get("max_body_size"), 1048576.0),
                    "readTimeout": _default(opts.get("read_timeout"), 60000.0),
                    "sendTimeout": _default(opts.get("send_timeout"), 60000.0),
                    "nextTries": _default(opts.get("next_tries"), 3.0),
                    "nextTimeout": _default(opts.get("next_timeout"), 0.0),
                    "nextCases": list(_default(opts.get("next_cases"), ["error", "timeout"])),
                }
                ip = target.get("ip")
                out.append({
                    "port": expose["port"],
                    "externalPort": _default(expose.get("as"), 0.0),
                    "proto": _proto(expose),
                    "service": target.get("service") or "",
                    "global": target.get("global") or False,
                    "hosts": list(expose.get("accept") or []),
                    "httpOptions": http,
                    "ip": ip or "",
                    "endpointSequenceNumber": self.seq.get("undefined" if ip is None else ip, 0),
                })
        out.sort(key=functools.cmp_to_key(_expose_order))
        return out


def _default(value: object, fallback: object) -> object:
    """`value ?? fallback`."""
    return fallback if value is None else value


def _expose_order(a: dict, b: dict) -> int:
    if a["service"] != b["service"]:
        return locale_compare(a["service"], b["service"])
    if a["port"] != b["port"]:
        return -1 if a["port"] < b["port"] else 1
    if a["proto"] != b["proto"]:
        return locale_compare(a["proto"], b["proto"])
    if a["global"] != b["global"]:
        return -1 if a["global"] else 1
    return 0
