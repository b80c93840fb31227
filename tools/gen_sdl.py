"""Random SDL generator: varied valid SDLs (every feature, both versions) and single-defect variants.

    python tools/gen_sdl.py --out DIR [--valid 300] [--defects 200] [--seed 1] [--oracle /path/to/oracle]

writes DIR/sdl/*.yaml and, with --oracle, runs `node sdl-batch.mjs DIR/sdl DIR/expected` so that
DIR/expected/*.json hold the official library's answers (the test compares ours with them).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.sdl.jsyaml import resolve_plain  # noqa: E402

USDC = "ibc/170C677610AC31DF0904FFE09CD3B5C657492170E7E52372E48756B71E56F2F1"
NAME_CHARS = "abcdefghijklmnopqrstuvwxyz"


class Gen:
    """Builds one random SDL document (as Python data) with its feature choices."""

    def __init__(self, rng: random.Random) -> None:
        self.r = rng

    def chance(self, p: float) -> bool:
        return self.r.random() < p

    def name(self, prefix: str = "") -> str:
        r = self.r
        n = r.choice(NAME_CHARS) + "".join(r.choice(NAME_CHARS + "0123456789-_") for _ in range(r.randint(1, 8)))
        n = n.rstrip("-_") or "x"
        if self.chance(0.1):
            n = n.capitalize()
        if self.chance(0.05):
            n = n + "-" + r.choice(["Web", "db", "API", "1"])
        return prefix + n

    def size(self, kind: str) -> str:
        r = self.r
        unit = r.choice(["Mi", "Gi", "M", "G", "Ki", "k", "Ti", "T", "mi", "gi", "GI", "MB", "Gb", "Mib", "P", "Ei"])
        if kind == "memory":
            n = r.choice([128, 256, 512, 1, 2, 4, 1.5, 0.5, 100, 3.3, 1000, 64])
        else:
            n = r.choice([1, 2, 5, 10, 20, 100, 512, 1.5, 0.25, 250, 1024])
        value = str(n)
        if unit in ("Ti", "T", "P", "Ei"):
            value = r.choice(["1", "0.001", "2"])
        return value + unit

    def cpu_units(self) -> object:
        return self.r.choice([0.5, 1, 2, 0.25, 0.1, 4, 1.5, 16, "500m", "0.5", "1", "2", "100m", "1500m", "0.75",
                              0.001, 0.3, 7.5, "3"])

    def price(self, denom: str) -> dict:
        amount = self.r.choice([1000, 100, 10000, 1, 500, 123.5, "1000", "250.25", 0.5, "99999", 1e6, 10, 3.14159,
                                "0.000001", 7])
        return {"denom": denom, "amount": amount}

    def storage(self) -> tuple[object, list[tuple[str, dict]]]:
        """A profile's storage (object or list) and its persistent volumes (which need mounts)."""
        r = self.r
        volumes: list[dict] = [{"size": self.size("storage")}]
        persistent: list[tuple[str, dict]] = []
        for _ in range(r.choice([0, 0, 1, 1, 2])):
            vname = r.choice(["data", "db", "models", "cache", "shm", "wal", "logs"]) + str(r.randint(0, 9))
            if any(v.get("name") == vname for v in volumes):
                continue
            cls = r.choice(["beta1", "beta2", "beta3", "ram", "default", None])
            vol: dict = {"name": vname, "size": self.size("storage")}
            if cls == "ram":
                vol["attributes"] = {"class": "ram"}
                if self.chance(0.4):
                    vol["attributes"]["persistent"] = r.choice([False, "false"])
                persistent.append((vname, vol))
            elif cls is None:
                pass
            else:
                vol["attributes"] = {"persistent": r.choice([True, "true", True]), "class": cls}
                if self.chance(0.3):
                    vol["attributes"] = {"class": cls, "persistent": vol["attributes"]["persistent"]}
                persistent.append((vname, vol))
            volumes.append(vol)
        if len(volumes) == 1 and self.chance(0.4):
            return volumes[0], persistent
        return volumes, persistent

    def gpu(self) -> dict | None:
        r = self.r
        if not self.chance(0.3):
            return None if self.chance(0.7) else {"units": r.choice([0, "0"[:0] or 0])}
        models = None
        if self.chance(0.7):
            models = []
            for _ in range(r.randint(1, 3)):
                m: dict = {"model": r.choice(["a100", "h100", "rtx4090", "t4", "a6000", "l40s", "rtx3090"])}
                if self.chance(0.5):
                    m["ram"] = r.choice(["80Gi", "40Gi", "24Gi", "16Gi"])
                if self.chance(0.3):
                    m["interface"] = r.choice(["pcie", "sxm"])
                models.append(m)
        return {"units": r.choice([1, 2, 8, "1", "2", 1]), "attributes": {"vendor": {"nvidia": models}}}

    def http_options(self) -> dict:
        r = self.r
        opts: dict = {}
        for key, values in (("max_body_size", [1048576, 104857600, 0, 2097152]),
                            ("read_timeout", [60000, 0, 30000, 1000]), ("send_timeout", [60000, 5000]),
                            ("next_tries", [0, 3, 10]), ("next_timeout", [0, 100, 5000])):
            if self.chance(0.5):
                opts[key] = r.choice(values)
        if self.chance(0.5):
            opts["next_cases"] = r.choice([["off"], ["error"], ["error", "timeout", "500"], ["502", "503", "504"],
                                           [], ["403", "404", "429"]])
        return opts

    def document(self) -> dict:
        r = self.r
        version = r.choice(["2.0", "2.1"])
        n_services = r.choice([1, 1, 2, 2, 3, 4])
        services: dict = {}
        names: list[str] = []
        while len(names) < n_services:
            n = self.name()
            if n not in names and n.lower() not in [x.lower() for x in names]:
                names.append(n)
        n_placements = r.choice([1, 1, 1, 2, 3])
        placements = []
        while len(placements) < n_placements:
            p = r.choice(["dcloud", "akash", "westcoast", "eu", "us-east", "Global", "gpu_pool", "z1"]) + \
                (str(r.randint(0, 9)) if self.chance(0.3) else "")
            if p not in placements:
                placements.append(p)
        # profiles: sometimes shared between services (merges in a placement)
        profile_names = names[:] if self.chance(0.6) else [self.name("p-") for _ in range(r.randint(1, n_services))]
        compute: dict = {}
        persistent_by_profile: dict[str, list] = {}
        for p in profile_names:
            storage, persistent = self.storage()
            res: dict = {"cpu": {"units": self.cpu_units()}, "memory": {"size": self.size("memory")},
                         "storage": storage}
            if self.chance(0.15):
                res["cpu"]["attributes"] = {"arch": r.choice(["amd64", "arm64"])}
            gpu = self.gpu()
            if gpu is not None:
                res["gpu"] = gpu
            compute[p] = {"resources": res}
            persistent_by_profile[p] = persistent
        denom = r.choice(["uact"] * 6 + ["uakt", USDC])
        placement: dict = {}
        for pl in placements:
            entry: dict = {}
            if self.chance(0.5):
                entry["attributes"] = {r.choice(["region", "host", "tier", "organization", "Region", "zone_1"]):
                                       r.choice(["us-west", "akash", "community", 5, True, "eu-central-1"])
                                       for _ in range(r.randint(1, 3))}
            if self.chance(0.3):
                signed: dict = {}
                auditor = "akash1365yvmc4s7awdyj3n2sav7xfx76adc6dnmlx63"
                if self.chance(0.7):
                    signed["anyOf"] = [auditor] + (["akash18qa2a2ltfyvkyj0ggj3hkvuj6twzyumuaru9s4"]
                                                    if self.chance(0.5) else [])
                if self.chance(0.4):
                    signed["allOf"] = [auditor]
                entry["signedBy"] = signed
            entry["pricing"] = {}
            placement[pl] = entry
        deployment: dict = {}
        endpoints: dict = {}
        for i, svc in enumerate(names):
            profile = profile_names[i % len(profile_names)]
            where = r.sample(placements, k=r.randint(1, len(placements)))
            deployment[svc] = {pl: {"profile": profile, "count": r.choice([1, 1, 2, 3, 5, 10])} for pl in where}
            for pl in where:
                placement[pl]["pricing"][profile] = self.price(denom)
            services[svc] = self.service(svc, names, persistent_by_profile[profile], endpoints, version)
        doc: dict = {"version": version, "services": services,
                     "profiles": {"compute": compute, "placement": placement}, "deployment": deployment}
        if endpoints:
            doc["endpoints"] = endpoints
        if self.chance(0.05):
            doc["include"] = ["other.yaml"]
        if self.chance(0.5):  # JS key order matters for some outputs: shuffle the top level
            keys = list(doc)
            r.shuffle(keys)
            doc = {k: doc[k] for k in keys}
        return doc

    def service(self, svc: str, names: list[str], persistent: list, endpoints: dict, version: str) -> dict:
        r = self.r
        body: dict = {"image": r.choice(["nginx:1.27", "postgres:16", "redis:7-alpine", "ghcr.io/org/app:v1.2.3",
                                         "vllm/vllm-openai:latest", "ollama/ollama", "node:20"])}
        if self.chance(0.4):
            body["env"] = r.choice([["A=1", "B=<b>&c"], ["POSTGRES_PASSWORD=secret", "URL=http://x/?a=1&b=2"],
                                    ["EMPTY="], ["UNICODE=héllo ✓", 'QUOTE="x"'], None, []])
        if self.chance(0.25):
            body["command"] = r.choice([["sh", "-c"], ["/bin/app"], None, []])
        if self.chance(0.25):
            body["args"] = r.choice([["--port", "8080"], ["echo hello && sleep 1000"], None])
        if self.chance(0.1):
            body["credentials"] = {"host": "ghcr.io", "username": "me", "password": "hunter22"}
            if self.chance(0.5):
                body["credentials"]["email"] = "me@example.com"
        expose = []
        for _ in range(r.choice([0, 1, 1, 2, 3])):
            e: dict = {"port": r.choice([80, 443, 8080, 3000, 5432, 6379, 22, 25565, 27015, 9090])}
            if self.chance(0.6):
                e["as"] = r.choice([80, 443, 8080, 30000, e["port"]])
            if self.chance(0.3):
                e["proto"] = r.choice(["tcp", "TCP", "udp", "UDP"])
            to = []
            if self.chance(0.7):
                t: dict = {"global": True}
                if self.chance(0.15):
                    ep = r.choice(["myip", "ip-one", "lease_ip2"])
                    endpoints[ep] = {"kind": "ip"}
                    t["ip"] = ep
                to.append(t)
            if len(names) > 1 and self.chance(0.5):
                to.append({"service": r.choice([n for n in names if n != svc])})
            if self.chance(0.05):
                to.append({"global": False})
            if to or self.chance(0.5):
                e["to"] = to
            if self.chance(0.3):
                e["accept"] = r.choice([["example.com"], ["a.example.com", "www.example.com"], []])
            if self.chance(0.3):
                e["http_options"] = self.http_options()
            expose.append(e)
        if expose or self.chance(0.3):
            body["expose"] = expose
        params: dict = {}
        if persistent:
            storage = {}
            used = set()
            for vname, vol in persistent:
                is_persistent = vol.get("attributes", {}).get("persistent") in (True, "true")
                if is_persistent or self.chance(0.5):
                    mount = "/" + vname
                    if mount in used:
                        continue
                    used.add(mount)
                    storage[vname] = {"mount": mount}
                    if self.chance(0.3):
                        storage[vname]["readOnly"] = r.choice([True, False])
            if storage:
                params["storage"] = storage
        if self.chance(0.1):
            params["permissions"] = {"read": r.choice([["deployment"], ["logs"], ["deployment", "logs"], []])}
        if params:
            body["params"] = params
        if len(names) > 1 and self.chance(0.1):
            body["dependencies"] = [{"service": n} for n in names if n != svc][:2]
        return body


# --- single defects ---------------------------------------------------------------------------------

def _first(d: dict) -> str:
    return next(iter(d))


def defect(doc: dict, rng: random.Random) -> tuple[str, dict]:
    """Apply one defect; returns its name and the damaged document (a deep copy)."""
    d = json.loads(json.dumps(doc))
    svc = _first(d["services"])
    service = d["services"][svc]
    profile = _first(d["profiles"]["compute"])
    res = d["profiles"]["compute"][profile]["resources"]
    placement = _first(d["profiles"]["placement"])
    choices = [
        ("depends-on", lambda: service.__setitem__("depends_on", ["x"])),
        ("no-image", lambda: service.pop("image")),
        ("empty-image", lambda: service.__setitem__("image", "")),
        ("image-number", lambda: service.__setitem__("image", 5)),
        ("version-3", lambda: d.__setitem__("version", "3.0")),
        ("version-number", lambda: d.__setitem__("version", 2.0)),
        ("no-deployment", lambda: d.pop("deployment")),
        ("service-not-deployed", lambda: d["deployment"].pop(svc)),
        ("missing-placement", lambda: d["profiles"]["placement"].pop(placement)),
        ("missing-compute", lambda: d["profiles"]["compute"].pop(profile)),
        ("missing-pricing", lambda: d["profiles"]["placement"][placement].__setitem__("pricing", {})),
        ("cpu-zero", lambda: res["cpu"].__setitem__("units", 0)),
        ("cpu-zero-string", lambda: res["cpu"].__setitem__("units", "0m")),
        ("cpu-negative", lambda: res["cpu"].__setitem__("units", -1)),
        ("cpu-garbage", lambda: res["cpu"].__setitem__("units", "lots")),
        ("memory-number", lambda: res["memory"].__setitem__("size", 512)),
        ("memory-bare", lambda: res["memory"].__setitem__("size", "512")),
        ("memory-garbage", lambda: res["memory"].__setitem__("size", "big")),
        ("no-storage", lambda: res.pop("storage")),
        ("gpu-no-attrs", lambda: res.__setitem__("gpu", {"units": 1})),
        ("gpu-zero-attrs", lambda: res.__setitem__("gpu", {"units": 0, "attributes": {"vendor": {"nvidia": None}}})),
        ("gpu-bad-vendor", lambda: res.__setitem__("gpu", {"units": 1, "attributes": {"vendor": {"amd": None}}})),
        ("gpu-empty-vendor", lambda: res.__setitem__("gpu", {"units": 1, "attributes": {"vendor": {}}})),
        ("gpu-bad-interface", lambda: res.__setitem__("gpu", {"units": 1, "attributes": {"vendor": {"nvidia": [
            {"model": "a100", "interface": "nvlink"}]}}})),
        ("ram-persistent", lambda: res.__setitem__("storage", [{"size": "1Gi"}, {"name": "r", "size": "1Gi",
                                                   "attributes": {"class": "ram", "persistent": True}}])),
        ("persistent-no-mount", lambda: res.__setitem__("storage", [{"size": "1Gi"}, {"name": "pv", "size": "1Gi",
                                                        "attributes": {"class": "beta2", "persistent": True}}])),
        ("count-zero", lambda: d["deployment"][svc][_first(d["deployment"][svc])].__setitem__("count", 0)),
        ("count-fraction", lambda: d["deployment"][svc][_first(d["deployment"][svc])].__setitem__("count", 1.5)),
        ("count-huge", lambda: d["deployment"][svc][_first(d["deployment"][svc])].__setitem__("count", 5e9)),
        ("port-zero", lambda: service.__setitem__("expose", [{"port": 0, "to": [{"global": True}]}])),
        ("port-big", lambda: service.__setitem__("expose", [{"port": 70000, "to": [{"global": True}]}])),
        ("port-string", lambda: service.__setitem__("expose", [{"port": "80", "to": [{"global": True}]}])),
        ("proto-sctp", lambda: service.__setitem__("expose", [{"port": 80, "proto": "sctp"}])),
        ("read-timeout", lambda: service.__setitem__("expose", [{"port": 80, "http_options": {"read_timeout": 300000}}])),
        ("body-size", lambda: service.__setitem__("expose", [{"port": 80, "http_options": {"max_body_size": 104857601}}])),
        ("next-cases-off", lambda: service.__setitem__("expose", [{"port": 80, "http_options": {
            "next_cases": ["off", "error"]}}])),
        ("next-cases-bad", lambda: service.__setitem__("expose", [{"port": 80, "http_options": {"next_cases": ["501"]}}])),
        ("proxy-buffer", lambda: service.__setitem__("expose", [{"port": 80, "http_options": {"proxy_buffer_size": 1}}])),
        ("to-not-list", lambda: service.__setitem__("expose", [{"port": 80, "to": {"global": True}}])),
        ("accept-string", lambda: service.__setitem__("expose", [{"port": 80, "accept": "x.com"}])),
        ("ip-no-global", lambda: (d.__setitem__("endpoints", {"myip": {"kind": "ip"}}),
                                  service.__setitem__("expose", [{"port": 80, "to": [{"ip": "myip"}]}]))),
        ("ip-undeclared", lambda: service.__setitem__("expose", [{"port": 80, "to": [{"global": True, "ip": "nope"}]}])),
        ("endpoint-unused", lambda: d.__setitem__("endpoints", {"spare": {"kind": "ip"}})),
        ("endpoint-bad-name", lambda: d.__setitem__("endpoints", {"Bad": {"kind": "ip"}})),
        ("endpoint-bad-kind", lambda: d.__setitem__("endpoints", {"myip": {"kind": "dns"}})),
        ("ip-port-dup", lambda: (d.__setitem__("endpoints", {"myip": {"kind": "ip"}}),
                                 service.__setitem__("expose", [{"port": 80, "to": [{"global": True, "ip": "myip"}]},
                                                                {"port": 80, "to": [{"global": True, "ip": "myip"}]}]))),
        ("denom-bad", lambda: [p.__setitem__("denom", "uatom")
                               for p in d["profiles"]["placement"][placement]["pricing"].values()]),
        ("denom-other-ibc", lambda: [p.__setitem__("denom", "ibc/ABC")
                                     for p in d["profiles"]["placement"][placement]["pricing"].values()]),
        ("amount-negative", lambda: [p.__setitem__("amount", -1)
                                     for p in d["profiles"]["placement"][placement]["pricing"].values()]),
        ("amount-garbage", lambda: [p.__setitem__("amount", "1e5")
                                    for p in d["profiles"]["placement"][placement]["pricing"].values()]),
        ("amount-decimals", lambda: [p.__setitem__("amount", "0.0000000000000000001")
                                     for p in d["profiles"]["placement"][placement]["pricing"].values()]),
        ("mount-relative", lambda: service.__setitem__("params", {"storage": {"data": {"mount": "data"}}})),
        ("mount-unknown-volume", lambda: service.__setitem__("params", {"storage": {"nosuch": {"mount": "/x"}}})),
        ("permissions-bad", lambda: service.__setitem__("params", {"permissions": {"read": ["events"]}})),
        ("params-tee", lambda: service.__setitem__("params", {"tee": "cpu"})),
        ("credentials-short", lambda: service.__setitem__("credentials", {"host": "h", "username": "u",
                                                                          "password": "12345"})),
        ("credentials-missing", lambda: service.__setitem__("credentials", {"host": "h"})),
        ("env-not-list", lambda: service.__setitem__("env", "A=1")),
        ("env-number", lambda: service.__setitem__("env", [1])),
        ("attributes-list", lambda: d["profiles"]["placement"][placement].__setitem__("attributes", ["a"])),
        ("signedby-string", lambda: d["profiles"]["placement"][placement].__setitem__("signedBy", {"anyOf": "x"})),
        ("top-unknown", lambda: d.__setitem__("services_", {})),
        ("reclamation", lambda: d.__setitem__("reclamation", {"min_window": "1h"})),
        ("storage-no-size", lambda: res.__setitem__("storage", {"name": "x"})),
        ("deploy-orphan", lambda: d["deployment"].__setitem__("ghost", {placement: {"profile": profile,
                                                                                    "count": 1}})),
    ]
    name, fn = rng.choice(choices)
    fn()
    return name, d


# --- YAML emission with varied styles ---------------------------------------------------------------

_PLAIN_SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./")


def scalar(v: object, rng: random.Random) -> str:
    if v is None:
        return rng.choice(["null", "~", ""])
    if v is True:
        return rng.choice(["true", "True"])
    if v is False:
        return rng.choice(["false", "FALSE"])
    if isinstance(v, (int, float)):
        if isinstance(v, float) and v.is_integer() and abs(v) < 1e15 and rng.random() < 0.3:
            return str(int(v))
        return repr(v) if isinstance(v, float) else str(v)
    s = str(v)
    if s and set(s) <= _PLAIN_SAFE and s[0] not in "-." and resolve_plain(s) == s and rng.random() < 0.7:
        return s
    if "'" not in s and "\n" not in s and rng.random() < 0.3:
        return "'" + s + "'"
    return json.dumps(s, ensure_ascii=rng.random() < 0.5)


def emit(v: object, rng: random.Random, indent: int = 0) -> list[str]:
    """Lines of a block-style value placed after `key:` (first line is appended by the caller)."""
    pad = " " * indent
    if isinstance(v, dict):
        if not v:
            return [" {}"]
        if rng.random() < 0.1 and all(not isinstance(x, (dict, list)) for x in v.values()):
            return [" {" + ", ".join(f"{scalar(k, rng)}: {scalar(x, rng)}" for k, x in v.items()) + "}"]
        lines = [""]
        for k, x in v.items():
            sub = emit(x, rng, indent + 2)
            lines.append(f"{pad}{scalar(k, rng)}:{sub[0]}")
            lines.extend(sub[1:])
        return lines
    if isinstance(v, list):
        if not v:
            return [" []"]
        if rng.random() < 0.2 and all(not isinstance(x, (dict, list)) for x in v):
            return [" [" + ", ".join(scalar(x, rng) for x in v) + "]"]
        lines = [""]
        for x in v:
            sub = emit(x, rng, indent + 4)
            if isinstance(x, dict) and x and len(sub) > 1:
                first = sub[1].lstrip()
                lines.append(f"{pad}  - {first}")
                lines.extend(sub[2:])
            else:
                lines.append(f"{pad}  -{sub[0]}")
                lines.extend(sub[1:])
        return lines
    s = scalar(v, rng)
    return [" " + s if s else ""]


def _with_anchors(doc: dict, rng: random.Random) -> str | None:
    """The document with its first compute profile anchored and merged (`<<: *shared`) into the second,
    whose own `resources` then override the merged ones, so the meaning is unchanged."""
    profiles = doc.get("profiles")
    compute = profiles.get("compute") if isinstance(profiles, dict) else None
    if not isinstance(compute, dict) or len(compute) < 2:
        return None
    first, second = list(compute)[:2]
    copy = json.loads(json.dumps(doc))
    copy["profiles"]["compute"][second] = {"MERGE-HERE": "x", **copy["profiles"]["compute"][second]}
    text = to_yaml(copy, rng, plain=True)
    text, n = re.subn(r"(?m)^( +)[\"']?MERGE-HERE[\"']?: [\"']?x[\"']?$", r"\1<<: *shared", text)
    text, m = re.subn(rf"(?m)^(    [\"']?{re.escape(first)}[\"']?:)$", r"\1 &shared", text, count=1)
    return text if n == 1 and m == 1 else None


def to_yaml(doc: dict, rng: random.Random, plain: bool = False) -> str:
    if not plain:
        style = rng.random()
        if style < 0.08:
            return json.dumps(doc, indent=rng.choice([None, 2]), ensure_ascii=rng.random() < 0.5) + "\n"
        if style < 0.16:
            anchored = _with_anchors(doc, random.Random(rng.random()))
            if anchored is not None:
                return anchored
    lines = []
    if not plain and rng.random() < 0.3:
        lines.append("---")
    if not plain and rng.random() < 0.3:
        lines.append("# generated by tools/gen_sdl.py")
    body = emit(doc, rng, 0)
    lines.extend(body[1:])
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("tests/vectors/sdl/generated"))
    parser.add_argument("--valid", type=int, default=300)
    parser.add_argument("--defects", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--oracle", type=Path, help="directory with sdl-batch.mjs")
    parser.add_argument("--edges", action="store_true", help="also write the JavaScript edge cases")
    parser.add_argument("--yaml-vectors", type=Path, help="write js-yaml load() results for tricky YAML to this "
                                                          "file (needs --oracle) and stop")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    if args.yaml_vectors:
        if not args.oracle:
            parser.error("--yaml-vectors needs --oracle")
        write_yaml_vectors(args.yaml_vectors, args.oracle, rng, 600)
        return 0
    sdl_dir = args.out / "sdl"
    if sdl_dir.exists():
        shutil.rmtree(sdl_dir)
    sdl_dir.mkdir(parents=True)
    gen = Gen(rng)
    for i in range(args.valid):
        (sdl_dir / f"valid-{i:03d}.yaml").write_text(to_yaml(gen.document(), rng), encoding="utf-8")
    for i in range(args.defects):
        name, doc = defect(gen.document(), rng)
        (sdl_dir / f"defect-{i:03d}-{name}.yaml").write_text(to_yaml(doc, rng), encoding="utf-8")
    if args.edges:
        for name, text in edge_documents():
            (sdl_dir / f"{name}.yaml").write_text(text, encoding="utf-8")
    if args.oracle:
        expected = args.out / "expected"
        if expected.exists():
            shutil.rmtree(expected)
        out = subprocess.run(["node", str(args.oracle / "sdl-batch.mjs"), str(sdl_dir), str(expected)],
                             check=True, capture_output=True, text=True)
        print(out.stdout.strip().splitlines()[-1])
        for path in expected.glob("*.json"):  # `manifest` is JSON.parse(manifest_sorted_json): drop the copy
            data = json.loads(path.read_text(encoding="utf-8"))
            data.pop("manifest", None)
            path.write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0



# --- edge cases of JavaScript semantics (numbers, names, keys, strings) ------------------------------

EDGE_BASE = """version: "{version}"
services:
  {svc}:
    image: {image}
    env: {env}
    expose:
      - port: {port}
        as: {as_}
        proto: {proto}
        to:
          - global: true
        http_options: {http}
profiles:
  compute:
    {profile}:
      resources:
        cpu:
          units: {cpu}
        memory:
          size: {memory}
        storage:
          - size: {storage}
        gpu: {gpu}
  placement:
    {placement}:
      attributes: {attrs}
      pricing:
        {profile}:
          denom: uact
          amount: {amount}
deployment:
  {svc}:
    {placement}:
      profile: {profile}
      count: {count}
"""

EDGE_DEFAULTS = dict(version="2.0", svc="web", image="nginx", env="[]", port="80", as_="80", proto="TCP",
                     http="{}", profile="web", cpu="1", memory="512Mi", storage="1Gi", gpu="{units: 0}",
                     placement="dcloud", attrs="{}", amount="1000", count="1")

EDGE_VALUES = {
    "cpu": ["0.1", "1e-3", "1e-7", "123456.789", "1e21", "1e300", '"1.5m"', '"0.0001"', '"10x"', '"2M"', ".inf",
            "0x10", "1_000", '"007"', "0.3", "1.1", "2.675", '"1.23456789012345678"', "5e-324", '"0.5"', "100000000"],
    "memory": ['"1.5Gi"', '"0.1k"', '".5Gi"', '"1.2.3Gi"', '"1..Gi"', '"5e"', '"1Ki"', '"1KiB"', '"1kb"', '"10"',
               '"1 Gi"', '"1E"', '"99999999999Ei"', '"1gI"', '"1x"', '"."', '"1.Mi"', '"0.001Ki"', '"3.3333333Mi"',
               '"1e3Mi"', '"1Pi"', '"1P"', '"0Mi"', '"-1Mi"', '"1mi"', '"1MI"', '"2m"'],
    "storage": ['"1.5Gi"', '"0.1k"', '"7.77777Ti"', '"123456789012345678901234567890k"', '"1b"', '"10"'],
    "gpu": ['{units: "1", attributes: {vendor: {nvidia: }}}', '{units: 1.5, attributes: {vendor: {nvidia: []}}}',
            '{units: "abc", attributes: {vendor: {nvidia: [{model: a100}]}}}', '{units: "0"}', '{units: 0.0}',
            '{units: " 2", attributes: {vendor: {nvidia: [{}]}}}', '{units: "2abc", attributes: {vendor: {nvidia: }}}',
            '{units: -1, attributes: {vendor: {nvidia: [{model: "h100", ram: "", interface: "sxm"}]}}}',
            '{units: 1e21, attributes: {vendor: {nvidia: [{model: "x/y"}]}}}', '{units: 1, attributes: {}}',
            '{units: 0, attributes: {}}', '{units: "0x1A", attributes: {vendor: {nvidia: }}}'],
    "count": ["1e9", "4294967295", "4294967296", "1.0", "2e0", ".inf", "0x10", "50", "1_0"],
    "amount": ["1e21", "1e-7", "0.1", "1.23456789012345678", '"00100"', '"0"', "0", '"1.000000000000000000000"',
               "100.50", '"0.000000000000000001"', '"0.0000000000000000001"', "1e20", "123456789.123456789",
               "0.30000000000000004", "-0.0", '"5."', '".5"', "9007199254740993"],
    "port": ["80.0", "8e1", "0x50", "443", "65535", "1"],
    "as_": ["80.0", "443", "8e1"],
    "proto": ["udp", "tcp", "Tcp"],
    "attrs": ["{n: 1e21, b: true, z: null, l: [1, [2, 3]], m: {a: 1}, d: 2001-01-01, f: 0.1, s: '<&>'}",
              "{B: 1, a: 2, _x: 3, -y: 4, '1': 5, '10': 6, '2': 7, A: 8, é: 9, e: 10, Z: 11}", "[]", "null",
              "{k: 2001-12-14t21:59:43.10-05:00}", "{k: !!binary aGk=}"],
    "svc": ["Web", "1", "10", "a-b", "a_b", "ÉTÉ", "web.1"],
    "placement": ["1", "01", "Z", "a b", "ünï"],
    "profile": ["1", "P", "profile-x"],
    "http": ["{max_body_size: 1e3, read_timeout: 1.0, next_tries: 0x3, next_cases: [error]}",
             "{next_cases: [off]}", "{next_cases: []}", "{max_body_size: 104857600.0}", "{next_timeout: .inf}"],
    "env": ['["A=\\u0001\\b\\f\\u2028\\u2029\\u007f", "B=\\ud83d\\ude00", "C=\\"\\\\\\/"]', '[""]', "null",
            '["\\U0001F600", "tab\\there"]'],
    "image": ['"x<y>&z"', "'ñ'", '"\\u00e9"'],
    "version": ["2.1"],
}


def edge_documents() -> list[tuple[str, str]]:
    """(name, YAML) pairs: one value of the base document changed at a time."""
    out = []
    for field_name, values in EDGE_VALUES.items():
        for i, value in enumerate(values):
            params = dict(EDGE_DEFAULTS)
            params[field_name] = value
            out.append((f"edge-{field_name.rstrip('_')}-{i:02d}", EDGE_BASE.format(**params)))
    two_services = EDGE_BASE.format(**EDGE_DEFAULTS).replace("services:\n", "services:\n  B:\n    image: x\n"
                                                                          "  a:\n    image: y\n    expose: [{port: 81,"
                                                                          " to: [{service: B}, {global: true}]}]\n")
    two_services = two_services.replace("deployment:\n", "deployment:\n  a: {dcloud: {profile: web, count: 4294967295}}"
                                                          "\n  B: {dcloud: {profile: web, count: 1}}\n")
    out.append(("edge-merge-overflow", two_services))
    out.append(("edge-merge-ok", two_services.replace("count: 4294967295", "count: 2")))
    base = EDGE_BASE.format(**EDGE_DEFAULTS)
    for i, (old, new) in enumerate(EDGE_EDITS):
        out.append((f"edge-edit-{i:02d}", base.replace(old, new, 1)))
    return out


# (text to replace in the base document, replacement): one scenario each
EDGE_EDITS = [
    ("deployment:\n", "deployment:\n  ghost: {elsewhere: {profile: nope, count: 1}}\n"),
    ("deployment:\n", "deployment:\n  ghost: {dcloud: {profile: web, count: 1}}\n"),
    ("          - size: 1Gi", "          - size: 1Gi\n          - {name: a, size: 1Gi}\n          - {name: b, size: 1Gi}"),
    ("    image: nginx", "    image: nginx\n    params: {storage: {a: {}, b: {}}}"),
    ("    image: nginx", "    image: nginx\n    params: {storage: {default: {mount: /d}}}"),
    ("          - size: 1Gi", "          - size: 1Gi\n            name: default\n            attributes: {persistent: true, class: beta2}"),
    ("    image: nginx", "    image: nginx\n    params: {storage: {default: {mount: /d, readOnly: true}}}"),
    ("          - size: 1Gi", "          size: 1Gi\n          attributes: {persistent: true}"),
    ("          - size: 1Gi", "          - {size: 1Gi, attributes: {class: ram, persistent: 'false'}}"),
    ("          - size: 1Gi", "          - {size: 1Gi, attributes: {class: ram, persistent: 'TRUE'}}"),
    ("          - size: 1Gi", "          - {size: 1Gi, attributes: {class: beta3, persistent: 'no'}}"),
    ("          - size: 1Gi", "          - {size: 1Gi, attributes: {class: beta3, persistent: 'yes'}}"),
    ("    image: nginx", "    image: nginx\n    params: {permissions: {}}"),
    ("    image: nginx", "    image: nginx\n    params: {}"),
    ("    image: nginx", "    image: nginx\n    params: {storage: {}}"),
    ("    image: nginx", "    image: nginx\n    credentials: {host: h, username: u, password: '123456', email: ''}"),
    ("          - global: true", "          - {global: true, ip: undefined}\n          - {service: zz}\n          - {global: false}"),
    ("version:", "endpoints: {undefined: {kind: ip}, other: {kind: ip}}\nversion:"),
    ("          - global: true", "          - {global: true, ip: other}\n          - {global: true, ip: other}"),
    ("    expose:\n", "    expose:\n      - {port: 81, to: [{global: true, ip: ip-b}, {service: a}, {service: B}]}\n"
                     "      - {port: 81, proto: udp, to: [{global: true, ip: ip-a}]}\n"
                     "      - {port: 80, as: 8080, to: [{global: true}]}\n"
                     "      - {port: 80, proto: UDP, to: [{global: true}]}\n"),
    ("version:", "endpoints: {ip-a: {kind: ip}, ip-b: {kind: ip}}\nversion:"),
    ("          - global: true", "          - {global: true}\n          - {global: true}"),
    ("        gpu: {units: 0}", "        gpu: {units: 2, attributes: {vendor: {nvidia: [{model: a100, ram: 80Gi},"
                               " {model: h100, interface: pcie}, {ram: 40Gi}]}}}"),
    ("      attributes: {}", "      attributes: {region: us-west}\n      signedBy: {anyOf: [b, a], allOf: []}"),
    ("      attributes: {}", "      signedBy: {}"),
    ("        cpu:\n          units: 1", "        cpu:\n          units: 1\n          attributes: {arch: amd64, Z: 1, a: x}"),
    ("version: \"2.0\"", "version: '2.1'\ninclude: [a.yaml]"),
    ("version: \"2.0\"", "version: 2.0"),
    ("version: \"2.0\"", "version: \"2.0\"\nreclamation: {min_window: 1h}"),
    ("    image: nginx", "    image: nginx\n    dependencies: [{service: x}, {}]"),
    ("          denom: uact", "          denom: uakt"),
    ("          denom: uact", "          denom: ibc/170C677610AC31DF0904FFE09CD3B5C657492170E7E52372E48756B71E56F2F1"),
    ("          denom: uact", "          denom: ibc/12C6A0C374171B595A0A9E18B83FA09D295FB1F2D8C6DAA3AC28683471752D84"),
    ("          denom: uact", "          denom: \"uact\\n\""),
]


# --- YAML vectors: what js-yaml's load() gives for tricky documents ----------------------------------

CANON_JS = r"""
import fs from "node:fs";
import { createRequire } from "node:module";
const require = createRequire(process.env.ORACLE_DIR + "/package.json");
const yaml = require("js-yaml");
function canon(v, stack) {
  if (v === null) return null;
  if (v === undefined) return {u: 1};
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return {n: Object.is(v, -0) ? "-0" : String(v)};
  if (typeof v === "string") return v;
  if (stack.includes(v)) return {cycle: 1};
  if (v instanceof Date) return {date: String(v.getTime())};
  if (v instanceof Uint8Array) return {bin: Array.from(v)};
  stack.push(v);
  let out;
  if (Array.isArray(v)) out = v.map((x) => canon(x, stack));
  else out = {obj: Object.keys(v).map((k) => [k, canon(v[k], stack)])};
  stack.pop();
  return out;
}
const texts = JSON.parse(fs.readFileSync(0, "utf8"));
const res = texts.map((t) => { try { return {ok: canon(yaml.load(t), [])}; } catch (e) { return {error: e.message.split("\\n")[0]}; } });
process.stdout.write(JSON.stringify(res));
"""


def yaml_cases(rng: random.Random, count: int) -> list[str]:
    """Hand-picked scalars, keys, merges, anchors and tags, plus random nested documents."""
    scalars = ["1", "-1", "+1", "0", "-0", "0.0", "-0.0", "007", "0o17", "0x1F", "0b101", "0x", "0b", "1_000", "1_", "_1", "0_1",
     "1.5", ".5", "5.", "1e3", "1E3", "1e+3", "1.5e-7", "-.inf", ".inf", "+.INF", ".NaN", ".nan", "-.nan", "1__0", "0x_1", "0b1_", "1e",
     "yes", "no", "on", "off", "y", "n", "true", "True", "TRUE", "tRue", "false", "null", "Null", "NULL", "~", "nULL",
     "2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "2002-12-14", "2001-1-1", "2001-01-01T00:00:00Z",
     "0050-01-01", "1999-13-45", "12:30:00", "1:20", "190:20:30", "<<", "=", "0.1.2", "1,000", "$1", "1e400", "-1e400",
     "123456789012345678901234567890", "0x123456789abcdef0123", "0o7777777777777777777777", "9007199254740993",
     "'quoted'", '"dq\\u00e9\\n"', "'it''s'", '"\\x41"', "|\n  block\n  text\n", ">\n  folded\n  text\n", "!!str 123", "!!int '42'",
     "!!float 1", "!!bool yes", "!!null ''", "!!str", "!!int", "!!binary aGVsbG8=", "!!binary 'aGVsbG8'", "!foo x", "! 12",
     "!!timestamp 2001-01-01", "!!merge <<", "&a 5", "*undefined_alias", "!!map {}", "!!seq []", "!!set {a, b}", "!!omap [a: 1, b: 2]",
     "!!pairs [a: 1, a: 2]", "!!omap [a: 1, a: 2]", "[1, [2, [3]]]", "{a: 1, b: {c: 2}}", "'multi\n  line'", "plain\n  continued"]
    cases = []
    for s in scalars:
        cases.append(f"v: {s}\n")
        cases.append(f"- {s}\n")
        cases.append(f"{s}: x\n" if "\n" not in s else f"k: {s}")
    cases += [
     "a: 1\na: 2\n", "1: a\n'1': b\n", "1: a\n1.0: b\n", "null: a\n~: b\n", "a: &x {b: 1, c: 2}\nd:\n  <<: *x\n  b: 3\n",
     "a: &x {b: 1}\nd:\n  b: 3\n  <<: *x\n", "a: &x {b: 1}\nd:\n  <<: *x\n  <<: {b: 5, z: 1}\n", "a: &x {b: 1}\ne: &y {b: 2, q: 1}\nd:\n  <<: [*x, *y]\n",
     "d:\n  <<: 5\n", "d:\n  <<: [1, 2]\n", "d:\n  <<: [[1, 2]]\n", "d:\n  <<: {a: 1}\n  a: 2\n  a: 3\n", "a: &a [1, *a]\n",
     "a: &a 1\nb: *a\na2: &a 2\nc: *a\n", "? [a, b]\n: 1\n", "? [a, [b]]\n: 1\n", "? {a: 1}\n: 1\n", "? [a, {b: 1}]\n: 1\n",
     "--- a\n--- b\n", "", "# only comment\n", "---\n", "--- 5\n...\n", "a: b: c\n", "a:\n\t- x\n", "\ufeffa: 1\n", "a: \"\\ud800\"\n",
     "__proto__: 1\n", "a: {__proto__: 1, b: 2}\n", "x: &p {__proto__: {q: 1}}\ny: {<<: *p}\n", "2: a\n1: b\nx: c\n0: d\n01: e\n4294967295: f\n4294967294: g\n",
     "a: [1,2,3]\n? *ref\n: 1\n", "t: !!str\n", "t: !!null\n", "t: !!bool\n", "t: !!map\n", "t: !!seq\n", "t: !!set\n", "t: !!omap\n",
     "%YAML 1.2\n---\na: 1\n", "%YAML 1.1\n---\na: yes\n", "a: 'x'\n'a': y\n", "a: !!binary |\n  aGVsbG8g\n  d29ybGQ=\n", "k: 1e21\nj: 1e-7\n",
     "x: &d 2001-01-01\n? *d\n: 1\n", "? 2001-01-01\n: 1\n", "? !!binary aGk=\n: 1\n", "? .nan\n: 1\n", "? -0\n: 1\n", "? 1e21\n: x\n", "? -.inf\n: 1\n",
    ]
    cases += ["m:\n  &a k: v\n", "- !!str k: v\n", "? &a k\n: v\n", "{&a k: v}\n", "m: &b\n  k: v\n",
              "env:\n  - \"x \\ud83d\\ude00 y\"\n", "---# c\na: 1\n", "---x\n", "# c\n---# c\na: 1\n", "- \tx\n",
              "a:\tb\n", "a: [1,\t2]\n", "\ta: 1\n", "a:\n\t- 1\n", "a: 1\t# c\n", "a: x\ty\n", "- a:\t1\n  b: 2\n"]
    sc = ["a", "b", "1", "0x10", "-1.5", "yes", "~", "null", "true", "'q'", '"d"', "2001-01-01", "1e3", ".inf", "<<",
          "x y", "k-1", "_", "0o7", "+5", "1_0", "'1'", '"<&>"', "!!str 5", "! x", "!!int '7'"]

    def node(d: int, anchors: list[str]) -> str:
        c = rng.random()
        if d > 3 or c < 0.4:
            if anchors and rng.random() < 0.15:
                return "*" + rng.choice(anchors) + " "
            v = rng.choice(sc)
            if rng.random() < 0.1:
                anchors.append(f"a{len(anchors)}")
                v = f"&{anchors[-1]} {v}"
            return v
        if c < 0.7:
            return "[" + ", ".join(node(d + 1, anchors) for _ in range(rng.randint(0, 3))) + "]"
        items = [f"{rng.choice(sc[:15] + ['<<'])}: {node(d + 1, anchors)}" for _ in range(rng.randint(0, 3))]
        return "{" + ", ".join(items) + "}"

    def block(d: int, anchors: list[str], ind: int) -> list[str]:
        lines = []
        for _ in range(rng.randint(1, 4)):
            k = rng.choice(sc[:16])
            if rng.random() < 0.3 and d < 3:
                pre = ""
                if rng.random() < 0.2:
                    anchors.append(f"m{len(anchors)}")
                    pre = " &" + anchors[-1]
                lines.append(" " * ind + k + ":" + pre)
                if rng.random() < 0.5:
                    lines += block(d + 1, anchors, ind + 2)
                else:
                    lines += [" " * (ind + 2) + "- " + node(d + 1, anchors) for _ in range(rng.randint(1, 3))]
            else:
                lines.append(" " * ind + k + ": " + node(d, anchors))
        return lines

    cases += ["\n".join(block(0, [], 0)) + "\n" for _ in range(count)]
    return cases


def write_yaml_vectors(out: Path, oracle: Path, rng: random.Random, count: int) -> None:
    texts = yaml_cases(rng, count)
    env = dict(os.environ, ORACLE_DIR=str(oracle))
    res = subprocess.run(["node", "--input-type=module", "-e", CANON_JS], input=json.dumps(texts), env=env,
                         check=True, capture_output=True, text=True)
    results = json.loads(res.stdout)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps([{"yaml": t, "js_yaml": r} for t, r in zip(texts, results, strict=True)],
                              indent=0) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
