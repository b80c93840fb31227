"""The SDL input schema (chain-sdk `sdl-schema.yaml`, as ajv applies it) with located, fixable messages."""

from __future__ import annotations

import re

from app.sdl.locate import Path
from app.sdl.schema_base import as_mapping, describe, is_object
from app.sdl.schema_services import ServiceRules

__all__ = ["SchemaValidator", "as_mapping"]

# JS regexes (no `m` flag: `$` is the very end; `.` excludes line terminators).
_ENDPOINT_NAME = re.compile(r"[a-z]+[-_0-9a-z]+")
_CPU_STRING = re.compile(r"[0-9]+(\.[0-9]+)?[a-zA-Z]*")
_CPU_ZERO = re.compile(r"0+(\.0+)?m?")
_AMOUNT_STRING = re.compile(r"[0-9]+(\.[0-9]+)?")
_DENOM = re.compile(r"(uakt|uact|ibc/[^\n\r\u2028\u2029]*)")


class SchemaValidator(ServiceRules):
    """Applies the SDL schema to a js-yaml value; every violation becomes a located error."""

    # --- document --------------------------------------------------------------------------------

    def document(self, doc: object) -> None:
        top = self.mapping(doc, (), "the SDL", ("deployment", "endpoints", "include", "profiles", "services",
                                                "version"), ("version", "services", "profiles", "deployment"))
        if top is None:
            return
        if "version" in top:
            version = top["version"]
            if not (isinstance(version, str) and version in ("2.0", "2.1")):
                hint = ' (quote it: version: "2.0")' if isinstance(version, float) else ""
                self.err(("version",), f'`version` must be "2.0" or "2.1"{hint}')
        if "include" in top:
            self.string_list(top["include"], ("include",), "`include`")
        if "endpoints" in top:
            self.endpoints(top["endpoints"])
        if "deployment" in top:
            self.deployment(top["deployment"])
        if "profiles" in top:
            self.profiles(top["profiles"])
        if "services" in top:
            services = self.mapping(top["services"], ("services",), "`services`")
            for name, service in (services or {}).items():
                self.service(service, ("services", name), name)

    def endpoints(self, value: object) -> None:
        endpoints = self.mapping(value, ("endpoints",), "`endpoints`")
        for name, endpoint in (endpoints or {}).items():
            path = ("endpoints", name)
            if not _ENDPOINT_NAME.fullmatch(name):
                self.err(path, f"endpoint name `{name}` must be lowercase letters, digits, `-` or `_`, start "
                               "with a letter and be at least 2 characters long", at_key=True)
                continue
            body = self.mapping(endpoint, path, f"endpoint `{name}`", ("kind",), ("kind",))
            if body is not None and "kind" in body and body["kind"] != "ip":
                self.err((*path, "kind"), f"endpoint `{name}` kind must be `ip`")

    def deployment(self, value: object) -> None:
        deployment = self.mapping(value, ("deployment",), "`deployment`")
        for service, placements in (deployment or {}).items():
            where = self.mapping(placements, ("deployment", service), f"deployment of `{service}`")
            for placement, entry in (where or {}).items():
                path = ("deployment", service, placement)
                body = self.mapping(entry, path, f"deployment `{service}` in `{placement}`", ("count", "profile"),
                                    ("profile", "count"))
                if body is None:
                    continue
                if "count" in body:
                    self.integer(body["count"], (*path, "count"), "`count`", minimum=1)
                if "profile" in body:
                    self.string(body["profile"], (*path, "profile"), "`profile`")

    # --- profiles --------------------------------------------------------------------------------

    def profiles(self, value: object) -> None:
        profiles = self.mapping(value, ("profiles",), "`profiles`", ("compute", "placement"),
                                ("compute", "placement"))
        if profiles is None:
            return
        if "compute" in profiles:
            compute = self.mapping(profiles["compute"], ("profiles", "compute"), "`profiles.compute`")
            for name, profile in (compute or {}).items():
                self.compute_profile(profile, ("profiles", "compute", name), name)
        if "placement" in profiles:
            placement = self.mapping(profiles["placement"], ("profiles", "placement"), "`profiles.placement`")
            for name, entry in (placement or {}).items():
                self.placement(entry, ("profiles", "placement", name), name)

    def compute_profile(self, value: object, path: Path, name: str) -> None:
        profile = self.mapping(value, path, f"compute profile `{name}`", ("resources",), ("resources",))
        if profile is None or "resources" not in profile:
            return
        rpath = (*path, "resources")
        res = self.mapping(profile["resources"], rpath, f"the resources of `{name}`",
                           ("cpu", "gpu", "memory", "storage"), ("cpu", "memory", "storage"))
        if res is None:
            return
        if "cpu" in res:
            self.cpu(res["cpu"], (*rpath, "cpu"))
        if "gpu" in res:
            self.gpu(res["gpu"], (*rpath, "gpu"))
        if "memory" in res:
            memory = self.mapping(res["memory"], (*rpath, "memory"), "`memory`", ("size",), ("size",))
            if memory is not None and "size" in memory:
                self.string(memory["size"], (*rpath, "memory", "size"), "memory `size` (e.g. 512Mi)")
        if "storage" in res:
            storage = res["storage"]
            if isinstance(storage, list):
                for i, volume in enumerate(storage):
                    self.storage_volume(volume, (*rpath, "storage", i))
            else:
                self.storage_volume(storage, (*rpath, "storage"))

    def cpu(self, value: object, path: Path) -> None:
        cpu = self.mapping(value, path, "`cpu`", ("attributes", "units"), ("units",))
        if cpu is None:
            return
        if "attributes" in cpu and not is_object(cpu["attributes"]):
            self.err((*path, "attributes"), f"cpu `attributes` must be a mapping, not {describe(cpu['attributes'])}")
        if "units" in cpu:
            units = cpu["units"]
            upath = (*path, "units")
            if isinstance(units, str):
                if not _CPU_STRING.fullmatch(units):
                    self.err(upath, f"cpu `units` \"{units}\" is not a number of CPUs (e.g. 0.5, \"1\" or \"500m\")")
                elif _CPU_ZERO.fullmatch(units):
                    self.err(upath, "cpu `units` must be more than 0")
            elif type(units) is float:
                if not units > 0:
                    self.err(upath, "cpu `units` must be more than 0")
            else:
                self.err(upath, f"cpu `units` must be a number (e.g. 0.5) or a string like \"500m\", "
                                f"not {describe(units)}")

    def gpu(self, value: object, path: Path) -> None:
        gpu = self.mapping(value, path, "`gpu`", ("attributes", "units"), ("units",))
        if gpu is None:
            return
        if "units" in gpu and not (isinstance(gpu["units"], str) or type(gpu["units"]) is float):
            self.err((*path, "units"), f"gpu `units` must be a number, not {describe(gpu['units'])}")
        if "attributes" not in gpu:
            return
        apath = (*path, "attributes")
        attrs = self.mapping(gpu["attributes"], apath, "gpu `attributes`", ("vendor",))
        if attrs is None or "vendor" not in attrs:
            return
        vpath = (*apath, "vendor")
        vendor = self.mapping(attrs["vendor"], vpath, "gpu `vendor`", ("nvidia",))
        if vendor is None:
            return
        if not vendor:
            self.err(vpath, "gpu `vendor` must name a vendor (nvidia)")
        if "nvidia" in vendor:
            models = vendor["nvidia"]
            npath = (*vpath, "nvidia")
            if models is None:
                return
            if not isinstance(models, list):
                self.err(npath, f"`nvidia` must be a list of models (or empty for any model), not {describe(models)}")
                return
            for i, model in enumerate(models):
                body = self.mapping(model, (*npath, i), "a gpu model", ("interface", "model", "ram"))
                if body is None:
                    continue
                for key in ("model", "ram"):
                    if key in body:
                        self.string(body[key], (*npath, i, key), f"gpu `{key}`")
                if "interface" in body and body["interface"] not in ("pcie", "sxm"):
                    self.err((*npath, i, "interface"), "gpu `interface` must be `pcie` or `sxm`")

    def storage_volume(self, value: object, path: Path) -> None:
        volume = self.mapping(value, path, "a storage volume", ("attributes", "name", "size"), ("size",))
        if volume is None:
            return
        if "size" in volume:
            self.string(volume["size"], (*path, "size"), "storage `size` (e.g. 1Gi)")
        if "name" in volume:
            self.string(volume["name"], (*path, "name"), "storage `name`")
        if "attributes" not in volume:
            return
        apath = (*path, "attributes")
        attrs = self.mapping(volume["attributes"], apath, "storage `attributes`", ("class", "persistent"))
        if attrs is None:
            return
        if "class" in attrs:
            self.string(attrs["class"], (*apath, "class"), "storage `class`")
        persistent = attrs.get("persistent")
        if "persistent" in attrs and not isinstance(persistent, (bool, str)):
            self.err((*apath, "persistent"), f"`persistent` must be true or false, not {describe(persistent)}")
        if attrs.get("class") == "ram" and "persistent" in attrs and persistent in (True, "true"):
            self.err(apath, '"ram" storage cannot be persistent; remove `persistent: true`')

    def placement(self, value: object, path: Path, name: str) -> None:
        placement = self.mapping(value, path, f"placement `{name}`", ("attributes", "pricing", "signedBy"),
                                 ("pricing",))
        if placement is None:
            return
        if "attributes" in placement and not is_object(placement["attributes"]):
            self.err((*path, "attributes"), f"placement `attributes` must be a mapping (key: value), "
                                            f"not {describe(placement['attributes'])}")
        if "signedBy" in placement:
            signed = self.mapping(placement["signedBy"], (*path, "signedBy"), "`signedBy`", ("allOf", "anyOf"))
            for key in ("allOf", "anyOf"):
                if signed is not None and key in signed:
                    self.string_list(signed[key], (*path, "signedBy", key), f"`signedBy.{key}`")
        if "pricing" in placement:
            pricing = self.mapping(placement["pricing"], (*path, "pricing"), "`pricing`")
            for profile, coin in (pricing or {}).items():
                self.price(coin, (*path, "pricing", profile), profile)

    def price(self, value: object, path: Path, profile: str) -> None:
        coin = self.mapping(value, path, f"the price of `{profile}`", ("amount", "denom"), ("denom", "amount"))
        if coin is None:
            return
        if "amount" in coin:
            amount = coin["amount"]
            if isinstance(amount, str):
                if not _AMOUNT_STRING.fullmatch(amount):
                    self.err((*path, "amount"), f"price `amount` \"{amount}\" must be a plain decimal number")
            elif type(amount) is float:
                if not amount >= 0:
                    self.err((*path, "amount"), "price `amount` cannot be negative")
            else:
                self.err((*path, "amount"), f"price `amount` must be a number, not {describe(amount)}")
        if "denom" in coin:
            denom = coin["denom"]
            if not isinstance(denom, str):
                self.err((*path, "denom"), f"price `denom` must be a string, not {describe(denom)}")
            elif not _DENOM.fullmatch(denom):
                self.err((*path, "denom"), f"price `denom` `{denom}` is not a deployment denom; use `uact`")

