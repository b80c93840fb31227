"""Cross-reference rules of the SDL (chain-sdk SDLValidator): deployments, placements, pricing, storage, GPU, IPs."""

from __future__ import annotations

from app.config import USDC_MAINNET, USDC_SANDBOX
from app.jsnumber import number_to_string
from app.sdl.jsvalues import OBJECT_PROTOTYPE_NAMES
from app.sdl.locate import ErrorSink
from app.sdl.schema import as_mapping

USDC_DENOMS = {"mainnet": USDC_MAINNET, "sandbox": USDC_SANDBOX, "testnet": ""}  # as chain-sdk network/config


def cast_array(value: object) -> list:
    """castArray(): a list, a single value as a one-item list, nothing as []."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def string_to_boolean(value: object) -> bool:
    """stringToBoolean() of the library: false, "false", "no", "0" and "" are false."""
    if isinstance(value, bool):
        return value
    return str(value).lower() not in ("false", "no", "0", "")


class SemanticValidator:
    """Runs after the schema passed, so every shape below is the one the schema allows."""

    def __init__(self, sdl: dict, sink: ErrorSink, network: str = "mainnet") -> None:
        self.sdl = sdl
        self.sink = sink
        self.network = network
        self.services = as_mapping(sdl["services"])
        self.deployment = as_mapping(sdl["deployment"])
        profiles = as_mapping(sdl["profiles"])
        self.compute = as_mapping(profiles["compute"])
        self.placement = as_mapping(profiles["placement"])
        self.endpoints = as_mapping(sdl["endpoints"]) if "endpoints" in sdl else None
        self.endpoints_used: set[str] = set()
        self.ports_used: dict[str, str] = {}

    def err(self, path: tuple, message: str, at_key: bool = False) -> None:
        self.sink.add(path, message, at_key)

    def validate(self) -> None:
        if self._reserved_names():
            return
        for name in self.services:
            self._deployment_with_relations(name)
            self._lease_ips(name)
        self._denoms()
        self._unused_endpoints()

    def _reserved_names(self) -> bool:
        """Names the reference library would resolve to JavaScript built-ins (`toString`, `constructor`...)."""
        found = False
        named = [("services", self.services), ("deployment", self.deployment),
                 ("profiles", "compute", self.compute), ("profiles", "placement", self.placement)]
        if self.endpoints is not None:
            named.append(("endpoints", self.endpoints))
        for *prefix, mapping in named:
            for key in mapping:
                if key in OBJECT_PROTOTYPE_NAMES:
                    self.err((*prefix, key), f"`{key}` cannot be used as a name (the reference library confuses it "
                                             "with a JavaScript built-in); rename it", at_key=True)
                    found = True
        for svc, where in self.deployment.items():
            for placement, entry in as_mapping(where).items():
                for key in (placement, as_mapping(entry).get("profile")):
                    if key in OBJECT_PROTOTYPE_NAMES:
                        self.err(("deployment", svc, placement), f"`{key}` cannot be used as a name; rename it")
                        found = True
        return found

    def _profile_of(self, service: str, placement: str) -> str:
        return as_mapping(as_mapping(self.deployment[service])[placement])["profile"]

    def _deployment_with_relations(self, service: str) -> None:
        if service not in self.deployment:
            self.err(("services", service), f"service `{service}` is not deployed: add it to the `deployment` "
                                            "section (deployment.<service>.<placement>: {profile, count})",
                     at_key=True)
            return
        for placement in as_mapping(self.deployment[service]):
            self._relations(service, placement)
            self._service_storages(service, placement)
            self._storages(service, placement)
            self._gpu(service, placement)

    def _relations(self, service: str, placement: str) -> None:
        profile = self._profile_of(service, placement)
        path = ("deployment", service, placement)
        if placement not in self.placement:
            self.err(path, f"placement `{placement}` is not defined: add it under profiles.placement", at_key=True)
        elif profile not in as_mapping(as_mapping(self.placement[placement])["pricing"]):
            self.err(("profiles", "placement", placement, "pricing"),
                     f"placement `{placement}` has no price for profile `{profile}`: add "
                     f"pricing.{profile}: {{denom: uact, amount: ...}}")
        if profile not in self.compute:
            self.err((*path, "profile"), f"compute profile `{profile}` is not defined: add it under profiles.compute")

    def _volumes(self, service: str, placement: str) -> list:
        compute = self.compute.get(self._profile_of(service, placement))
        if compute is None:
            return []
        return cast_array(as_mapping(as_mapping(compute)["resources"]).get("storage"))

    def _params_storage(self, service: str) -> dict | None:
        params = as_mapping(self.services[service]).get("params")
        if params is None:
            return None
        storage = as_mapping(params).get("storage")
        return None if storage is None else as_mapping(storage)

    def _service_storages(self, service: str, placement: str) -> None:
        storage = self._params_storage(service)
        if storage is None:
            return
        volumes = self._volumes(service, placement)
        names = [as_mapping(v).get("name") for v in volumes]
        mounts: dict[str, str] = {}
        for name, config in storage.items():
            config = as_mapping(config)
            path = ("services", service, "params", "storage", name)
            if name not in names:
                profile = self._profile_of(service, placement)
                hint = (" (name the volume: storage: [{name: default, size: ...}])" if name == "default"
                        else f"; add a volume named `{name}` to profiles.compute.{profile}.resources.storage")
                self.err(path, f"service `{service}` mounts volume `{name}`, which profile `{profile}` does not "
                               f"define{hint}", at_key=True)
                continue
            mount = config.get("mount")
            key = "undefined" if mount is None else mount
            other = mounts.get(key)
            if other and not mount:
                self.err(path, "only one volume may be left without a mount path; give the others a `mount`")
            if other and mount:
                self.err((*path, "mount"), f"mount `{mount}` is already used by volume `{other}`")
            mounts[key] = name

    def _storages(self, service: str, placement: str) -> None:
        storage = self._params_storage(service) or {}
        for volume in self._volumes(service, placement):
            volume = as_mapping(volume)
            attrs = as_mapping(volume.get("attributes"))
            persistent = attrs.get("persistent") or False
            name = volume.get("name") or ""
            if string_to_boolean(persistent) and not as_mapping(storage.get(name)).get("mount"):
                shown = name or "default"
                self.err(("services", service, "params", "storage", shown) if name in storage else
                         ("services", service),
                         f"persistent storage `{shown}` needs a mount path: add params.storage.{shown}.mount "
                         f"to service `{service}`" + ("" if name else " and give the volume a `name`"),
                         at_key=True)

    def _gpu(self, service: str, placement: str) -> None:
        profile = self._profile_of(service, placement)
        compute = self.compute.get(profile)
        if compute is None:
            return
        gpu = as_mapping(as_mapping(compute)["resources"]).get("gpu")
        if gpu is None:
            return
        gpu = as_mapping(gpu)
        units = gpu.get("units")
        has_units = "units" in gpu and not (type(units) is float and units == 0)
        has_attrs = "attributes" in gpu
        has_vendor = has_attrs and "vendor" in as_mapping(gpu["attributes"])
        path = ("profiles", "compute", profile, "resources", "gpu")
        if not has_units and has_attrs:
            self.err((*path, "attributes"), "a GPU with 0 units must not have attributes; remove them or set units")
        if has_units and not has_attrs:
            self.err(path, "a GPU request needs attributes: {vendor: {nvidia: [{model: ...}]}} "
                           "(or nvidia: with no list for any model)")
        if has_units and not has_vendor and has_attrs:
            self.err((*path, "attributes"), "a GPU request must name its vendor: attributes.vendor.nvidia")

    def _lease_ips(self, service: str) -> None:
        body = as_mapping(self.services[service])
        for i, expose in enumerate(body.get("expose") or []):
            expose = as_mapping(expose)
            proto = expose.get("proto")
            proto = proto.upper() if proto else "TCP"
            for j, target in enumerate(expose.get("to") or []):
                ip = as_mapping(target).get("ip")
                if not ip:
                    continue
                path = ("services", service, "expose", i, "to", j, "ip")
                if self.endpoints is None or ip not in self.endpoints:
                    self.err(path, f"unknown endpoint `{ip}`: declare it as endpoints.{ip}: {{kind: ip}}")
                self.endpoints_used.add(ip)
                external = expose["as"] if expose.get("as") is not None else expose["port"]
                port_key = f"{ip}-{number_to_string(external)}-{proto}"
                if port_key in self.ports_used:
                    self.err(path, f"IP endpoint `{ip}` port {number_to_string(external)}/{proto} is already used by "
                                   f"service `{self.ports_used[port_key]}`")
                self.ports_used[port_key] = service

    def _denoms(self) -> None:
        usdc = USDC_DENOMS.get(self.network, USDC_MAINNET)
        for name, placement in self.placement.items():
            pricing = as_mapping(as_mapping(placement).get("pricing"))
            for profile, coin in pricing.items():
                denom = as_mapping(coin)["denom"]
                if denom.startswith("ibc/") and denom != usdc:
                    self.err(("profiles", "placement", name, "pricing", profile, "denom"),
                             f"denom `{denom}` is not accepted on {self.network}; price in `uact`")
                    return

    def _unused_endpoints(self) -> None:
        for name in self.endpoints or {}:
            if name not in self.endpoints_used:
                self.err(("endpoints", name), f"endpoint `{name}` is declared but never used; remove it or expose a "
                                              "service on it (to: [{global: true, ip: " + name + "}])", at_key=True)
