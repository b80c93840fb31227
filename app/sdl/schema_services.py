"""The `services` part of the SDL schema: image, command/args/env, credentials, expose, params."""

from __future__ import annotations

from app.sdl.locate import Path
from app.sdl.schema_base import HTTP_ERROR_CODES, SchemaBase, describe


class ServiceRules(SchemaBase):
    """Schema rules of one service and its exposes."""

    _contains_off = False  # ajv's stale loop variable, see http_options()

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


