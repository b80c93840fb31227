"""The SDL input schema (chain-sdk `sdl-schema.yaml`, as ajv applies it) with located, fixable messages."""

from __future__ import annotations

import difflib
import re

from app.sdl.jsvalues import JSDate, is_js_integer, num_to_str
from app.sdl.locate import ErrorSink, Path

# JS regexes (no `m` flag: `$` is the very end; `.` excludes line terminators).
_ENDPOINT_NAME = re.compile(r"[a-z]+[-_0-9a-z]+")
_CPU_STRING = re.compile(r"[0-9]+(\.[0-9]+)?[a-zA-Z]*")
_CPU_ZERO = re.compile(r"0+(\.0+)?m?")
_AMOUNT_STRING = re.compile(r"[0-9]+(\.[0-9]+)?")
_DENOM = re.compile(r"(uakt|uact|ibc/[^\n\r\u2028\u2029]*)")
HTTP_ERROR_CODES = ("error", "timeout", "500", "502", "503", "504", "403", "404", "429", "off")

_HINTS = {
    "depends_on": "`depends_on` is not part of SDL; remove it (services reach each other by name, "
                  "see `expose.to.service`)",
    "depends-on": "`depends-on` is not part of SDL; remove it (services reach each other by name, "
                  "see `expose.to.service`)",
    "environment": "`environment` is not part of SDL; use `env` (a list of \"KEY=value\")",
    "ports": "`ports` is not part of SDL; use `expose` (a list of {port, as, to})",
    "volumes": "`volumes` is not part of SDL; declare storage under profiles.compute.<profile>.resources."
               "storage and mount it with params.storage",
    "restart": "`restart` is not part of SDL; remove it (the provider always restarts containers)",
    "cmd": "`cmd` is not part of SDL; use `command` (and `args`)",
    "entrypoint": "`entrypoint` is not part of SDL; use `command`",
    "tee": "`tee` is not supported by the SDL version the network's reference library accepts; remove it",
    "proxy_buffer_size": "`proxy_buffer_size` is not accepted by the reference SDL library; remove it",
}


def describe(value: object) -> str:
    """A value's kind in words, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, JSDate):
        return "a date"
    if isinstance(value, bytes):
        return "binary data"
    return "a mapping"


def is_object(value: object) -> bool:
    """ajv's "object": anything typeof "object" that is neither null nor an array."""
    return isinstance(value, (dict, JSDate, bytes))


def as_mapping(value: object) -> dict:
    """The own enumerable properties of an ajv object."""
    if isinstance(value, dict):
        return value
    if isinstance(value, bytes):
        return {str(i): float(b) for i, b in enumerate(value)}
    return {}


class SchemaValidator:
    """Applies the SDL schema to a js-yaml value; every violation becomes a located error."""

    def __init__(self, sink: ErrorSink) -> None:
        self.sink = sink
        self._contains_off = False

    def err(self, path: Path, message: str, at_key: bool = False) -> None:
        self.sink.add(path, message, at_key)

    # --- generic keywords ------------------------------------------------------------------------

    def mapping(self, value: object, path: Path, what: str, allowed: tuple[str, ...] | None = None,
                required: tuple[str, ...] = ()) -> dict | None:
        """Type object + additionalProperties false + required; the mapping, or None when not one."""
        if not is_object(value):
            self.err(path, f"{what} must be a mapping, not {describe(value)}")
            return None
        obj = as_mapping(value)
        if allowed is not None:
            for key in obj:
                if key not in allowed:
                    self.err((*path, key), self._unknown_key(key, what, allowed), at_key=True)
        for key in required:
            if key not in obj:
                self.err(path, f"{what} needs `{key}`")
        return obj

    @staticmethod
    def _unknown_key(key: str, what: str, allowed: tuple[str, ...]) -> str:
        if key in _HINTS:
            return _HINTS[key]
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f"; did you mean `{close[0]}`?" if close else f"; allowed here: {', '.join(allowed)}"
        return f"`{key}` is not allowed in {what}{hint}"

    def string(self, value: object, path: Path, what: str, min_length: int = 0) -> bool:
        if not isinstance(value, str):
            self.err(path, f"{what} must be a string, not {describe(value)}" + _quote_hint(value))
            return False
        if len(value) < min_length:
            self.err(path, f"{what} must be at least {min_length} character{'s' * (min_length > 1)} long")
            return False
        return True

    def integer(self, value: object, path: Path, what: str, minimum: float | None = None,
                maximum: float | None = None) -> None:
        minimum = None if minimum is None else float(minimum)
        maximum = None if maximum is None else float(maximum)
        if not is_js_integer(value):
            self.err(path, f"{what} must be a whole number, not {describe(value)}")
        if type(value) is float:
            if minimum is not None and not value >= minimum:
                self.err(path, f"{what} must be at least {num_to_str(minimum)}")
            if maximum is not None and not value <= maximum:
                self.err(path, f"{what} must be at most {num_to_str(maximum)}")

    def string_list(self, value: object, path: Path, what: str, nullable: bool = False) -> None:
        if nullable and value is None:
            return
        if not isinstance(value, list):
            self.err(path, f"{what} must be a list of strings, not {describe(value)}")
            return
        for i, item in enumerate(value):
            self.string(item, (*path, i), f"each entry of {what}")

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

    # --- services --------------------------------------------------------------------------------

    def service(self, value: object, path: Path, name: str) -> None:
        service = self.mapping(value, path, f"service `{name}`", ("args", "command", "credentials", "dependencies",
                                                                   "env", "expose", "image", "params"), ("image",))
        if service is None:
            return
        for key in ("args", "command", "env"):
            if key in service:
                self.string_list(service[key], (*path, key), f"`{key}`", nullable=True)
        if "image" in service:
            self.string(service["image"], (*path, "image"), "`image`", min_length=1)
        if "credentials" in service:
            self.credentials(service["credentials"], (*path, "credentials"))
        if "dependencies" in service:
            deps = service["dependencies"]
            if not isinstance(deps, list):
                self.err((*path, "dependencies"), f"`dependencies` must be a list, not {describe(deps)}")
            else:
                for i, dep in enumerate(deps):
                    body = self.mapping(dep, (*path, "dependencies", i), "a dependency", ("service",))
                    if body is not None and "service" in body:
                        self.string(body["service"], (*path, "dependencies", i, "service"), "`service`")
        if "expose" in service:
            expose = service["expose"]
            if not isinstance(expose, list):
                self.err((*path, "expose"), f"`expose` must be a list, not {describe(expose)}")
            else:
                for i, entry in enumerate(expose):
                    self.expose(entry, (*path, "expose", i))
        if "params" in service:
            self.params(service["params"], (*path, "params"))

    def credentials(self, value: object, path: Path) -> None:
        creds = self.mapping(value, path, "`credentials`", ("email", "host", "password", "username"),
                             ("host", "username", "password"))
        if creds is None:
            return
        for key, minimum in (("email", 5), ("host", 1), ("password", 6), ("username", 1)):
            if key in creds:
                self.string(creds[key], (*path, key), f"credentials `{key}`", min_length=minimum)

    def expose(self, value: object, path: Path) -> None:
        expose = self.mapping(value, path, "an `expose` entry", ("accept", "as", "http_options", "port", "proto",
                                                                  "to"), ("port",))
        if expose is None:
            return
        for key in ("port", "as"):
            if key in expose:
                self.integer(expose[key], (*path, key), f"`{key}`", minimum=1, maximum=65535)
        if "accept" in expose:
            self.string_list(expose["accept"], (*path, "accept"), "`accept`")
        if "proto" in expose and expose["proto"] not in ("TCP", "UDP", "tcp", "udp"):
            self.err((*path, "proto"), "`proto` must be TCP or UDP")
        if "http_options" in expose:
            self.http_options(expose["http_options"], (*path, "http_options"))
        if "to" in expose:
            targets = expose["to"]
            if not isinstance(targets, list):
                self.err((*path, "to"), f"`to` must be a list (e.g. - global: true), not {describe(targets)}")
                return
            for i, target in enumerate(targets):
                self.expose_to(target, (*path, "to", i))

    def http_options(self, value: object, path: Path) -> None:
        opts = self.mapping(value, path, "`http_options`", ("max_body_size", "next_cases", "next_timeout",
                                                            "next_tries", "read_timeout", "send_timeout"))
        if opts is None:
            return
        limits = {"max_body_size": 104857600, "read_timeout": 60000, "send_timeout": 60000,
                  "next_timeout": None, "next_tries": None}
        for key, maximum in limits.items():
            if key in opts:
                self.integer(opts[key], (*path, key), f"`{key}`", minimum=0, maximum=maximum)
        if "next_cases" in opts:
            cases = opts["next_cases"]
            cpath = (*path, "next_cases")
            if not isinstance(cases, list):
                self.err(cpath, f"`next_cases` must be a list, not {describe(cases)}")
                return
            bad = [i for i, c in enumerate(cases) if not (isinstance(c, str) and c in HTTP_ERROR_CODES)]
            for i in bad:
                self.err((*cpath, i), f"`next_cases` entries must be one of {', '.join(HTTP_ERROR_CODES)}")
            # ajv's compiled `not: {contains: off}` keeps its loop variable between arrays: an empty list
            # counts as containing "off" when the previous non-empty next_cases did.
            if cases:
                self._contains_off = "off" in cases
            only_off = len(cases) == 1 and cases[0] == "off"
            if not bad and only_off == (not self._contains_off):
                self.err(cpath, "`off` in `next_cases` must be the only entry" if cases else
                         "`next_cases` cannot be empty here (the reference library rejects an empty list after an "
                         "earlier `next_cases: [off]`); remove it to get the default [error, timeout]")

    def expose_to(self, value: object, path: Path) -> None:
        target = self.mapping(value, path, "a `to` entry", ("global", "ip", "service"))
        if target is None:
            return
        if "global" in target and not isinstance(target["global"], bool):
            self.err((*path, "global"), f"`global` must be true or false, not {describe(target['global'])}")
        if "service" in target:
            self.string(target["service"], (*path, "service"), "`service`")
        if "ip" in target:
            ip = target["ip"]
            if self.string(ip, (*path, "ip"), "`ip`", min_length=1) and target.get("global") is not True:
                self.err((*path, "global") if "global" in target else path,
                         f"exposing on IP endpoint `{ip}` needs `global: true`")

    def params(self, value: object, path: Path) -> None:
        params = self.mapping(value, path, "`params`", ("storage", "permissions"))
        if params is None:
            return
        if "storage" in params:
            storage = self.mapping(params["storage"], (*path, "storage"), "`params.storage`")
            for name, volume in (storage or {}).items():
                vpath = (*path, "storage", name)
                body = self.mapping(volume, vpath, f"params for volume `{name}`", ("mount", "readOnly"))
                if body is None:
                    continue
                if "mount" in body:
                    mount = body["mount"]
                    if self.string(mount, (*vpath, "mount"), "`mount`", min_length=1) and not mount.startswith("/"):
                        self.err((*vpath, "mount"), f"`mount` must be an absolute path (\"/{mount}\")")
                if "readOnly" in body and not isinstance(body["readOnly"], bool):
                    self.err((*vpath, "readOnly"), "`readOnly` must be true or false")
        if "permissions" in params:
            perms = self.mapping(params["permissions"], (*path, "permissions"), "`permissions`", ("read",))
            if perms is not None and "read" in perms:
                read = perms["read"]
                if not isinstance(read, list):
                    self.err((*path, "permissions", "read"), f"`read` must be a list, not {describe(read)}")
                    return
                for i, item in enumerate(read):
                    if item not in ("deployment", "logs") or not isinstance(item, str):
                        self.err((*path, "permissions", "read", i), "`read` entries must be `deployment` or `logs`")


def _quote_hint(value: object) -> str:
    if isinstance(value, (bool, float)) or value is None:
        return " (quote it to make it a string)"
    return ""
