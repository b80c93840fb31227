"""parse_sdl(): SDL text -> a validated Sdl with GroupSpecs, manifest, version hash and a typed view."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from functools import cached_property

from app.sdl import jsyaml
from app.sdl.build import Builder, BuildFailed, Built
from app.sdl.errors import SdlError, SdlValidationError, format_path
from app.sdl.locate import ErrorSink, position
from app.sdl.manifest_json import manifest_version, sorted_json
from app.sdl.schema import SchemaValidator, as_mapping
from app.sdl.semantics import SemanticValidator

MAX_SDL_BYTES = 1 << 20  # 1 MiB: real SDLs are a few KiB; this keeps every input fast to refuse
NETWORKS = ("mainnet", "sandbox", "testnet")
_WINDOW = re.compile(r"([0-9]+)(s|m|h)")
_GO_DIFFERS = re.compile(r"[\u2028\u2029]|(?<!\\)(?:\\\\)*\\[bf]")  # JSON.stringify and Go's json differ here


@dataclass(frozen=True)
class StorageRequest:
    """One volume of a resource unit."""

    name: str
    size_bytes: Decimal
    storage_class: str | None
    persistent: bool
    attributes: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ResourceRequest:
    """One ResourceUnit of a group: what a provider must offer `count` times, and the price per block."""

    id: int
    services: tuple[str, ...]
    profile: str
    count: int
    cpu_millis: Decimal
    memory_bytes: Decimal
    storage: tuple[StorageRequest, ...]
    gpu_units: Decimal
    gpu_attributes: tuple[tuple[str, str], ...]
    cpu_attributes: tuple[tuple[str, str], ...]
    endpoint_kinds: tuple[int, ...]
    price_denom: str
    price_amount: Decimal  # per block, for one replica, in price_denom

    @property
    def gpu_models(self) -> tuple[str, ...]:
        """"nvidia/a100", "nvidia/*"... from the GPU attributes."""
        out = []
        for key, _ in self.gpu_attributes:
            parts = key.split("/")
            if len(parts) >= 4 and parts[0] == "vendor" and parts[2] == "model":
                out.append(f"{parts[1]}/{parts[3]}")
        return tuple(out)


@dataclass(frozen=True)
class PlacementRequest:
    """One deployment group (a placement): the provider attributes and auditors it requires, and its units."""

    name: str
    attributes: tuple[tuple[str, str], ...]
    signed_by_all_of: tuple[str, ...]
    signed_by_any_of: tuple[str, ...]
    resources: tuple[ResourceRequest, ...]

    @property
    def price_per_block(self) -> dict[str, Decimal]:
        """Total price per block of the group (units x count), per denom."""
        total: dict[str, Decimal] = {}
        for r in self.resources:
            total[r.price_denom] = total.get(r.price_denom, Decimal(0)) + r.price_amount * r.count
        return total


@dataclass(frozen=True)
class ExposeInfo:
    """One `expose.to` target of a service as the provider gets it (manifest ServiceExpose)."""

    port: int
    external_port: int  # 0 when `as` is not given
    proto: str  # "TCP" or "UDP"
    global_: bool
    service: str  # the service allowed to connect, for internal exposes
    ip: str  # leased IP endpoint name, or ""
    hosts: tuple[str, ...]

    @property
    def shared_http(self) -> bool:
        """Served through the provider's HTTP(S) ingress (global TCP on 80) rather than a random port."""
        return self.global_ and self.proto == "TCP" and (self.external_port or self.port) == 80


@dataclass(frozen=True)
class ServiceInfo:
    """A deployed service: image, the placements it runs in and how it is reachable."""

    name: str
    image: str
    placements: tuple[str, ...]
    exposes: tuple[ExposeInfo, ...]


def _dec(raw: bytes) -> Decimal:
    try:
        return Decimal(raw.decode())
    except (InvalidOperation, UnicodeDecodeError):
        return Decimal("NaN")


@dataclass
class Sdl:
    """A valid SDL. Groups, manifest and version are what the official library produces for it."""

    text: str
    data: dict
    network: str
    built: Built
    root_pos: tuple[int, int] = (1, 1)
    reclamation_min_window: timedelta | None = None
    warnings: list[SdlError] = field(default_factory=list)

    @property
    def version_string(self) -> str:
        """The SDL's own `version` field ("2.0" or "2.1")."""
        return str(self.data["version"])

    def group_specs(self) -> list[dict]:
        """GroupSpecs as plain data (proto field names; price amounts as written, not LegacyDec)."""
        return self.built.group_specs

    def groups(self) -> list:
        """GroupSpecs as protobuf messages (akash.deployment.v1beta4.GroupSpec) for MsgCreateDeployment."""
        from app.sdl.groupspec import to_pb2

        return [to_pb2(g) for g in self.built.group_specs]

    def groups_json(self) -> list[dict]:
        """GroupSpecs as protobuf JSON, the way the official library prints them."""
        from app.sdl.groupspec import to_json

        return [to_json(g) for g in self.built.group_specs]

    def groups_proto_hex(self) -> list[str]:
        return [g.SerializeToString().hex() for g in self.groups()]

    def manifest(self) -> list[dict]:
        """The manifest groups (provider JSON field names) as plain data."""
        return self.built.manifest

    @cached_property
    def _sorted_json(self) -> str:
        return sorted_json(self.built.manifest)

    def manifest_sorted_json(self) -> str:
        """The exact JSON sent to the provider and hashed."""
        return self._sorted_json

    def version(self) -> bytes:
        """The 32-byte manifest version (MsgCreateDeployment.hash)."""
        return manifest_version(self._sorted_json)

    # --- typed view for the services (deployment creation, bid matching) ------------------------

    @cached_property
    def placements(self) -> tuple[PlacementRequest, ...]:
        """What each group asks of providers; in group order (gseq = index + 1)."""
        out = []
        for group in self.built.group_specs:
            units = []
            for unit in group["resources"]:
                res = unit["resource"]
                profile, services = unit["_profile"], tuple(unit["_services"])
                storage = tuple(StorageRequest(
                    name=v["name"], size_bytes=_dec(v["quantity"]["val"]),
                    storage_class=next((a["value"] for a in v["attributes"] if a["key"] == "class"), None),
                    persistent=any(a["key"] == "persistent" and a["value"] == "true" for a in v["attributes"]),
                    attributes=tuple((a["key"], a["value"]) for a in v["attributes"])) for v in res["storage"])
                units.append(ResourceRequest(
                    id=res["id"], services=services, profile=profile, count=int(unit["count"]),
                    cpu_millis=_dec(res["cpu"]["units"]["val"]), memory_bytes=_dec(res["memory"]["quantity"]["val"]),
                    storage=storage, gpu_units=_dec(res["gpu"]["units"]["val"]),
                    gpu_attributes=tuple((a["key"], a["value"]) for a in res["gpu"]["attributes"]),
                    cpu_attributes=tuple((a["key"], a["value"]) for a in res["cpu"]["attributes"]),
                    endpoint_kinds=tuple(e["kind"] for e in res["endpoints"]),
                    price_denom=unit["price"]["denom"], price_amount=Decimal(unit["price"]["amount"])))
            req = group["requirements"]
            out.append(PlacementRequest(
                name=group["name"], attributes=tuple((a["key"], a["value"]) for a in req["attributes"]),
                signed_by_all_of=tuple(req["signed_by"]["all_of"]), signed_by_any_of=tuple(req["signed_by"]["any_of"]),
                resources=tuple(units)))
        return tuple(out)

    @property
    def service_names(self) -> tuple[str, ...]:
        return tuple(as_mapping(self.data["services"]))

    @cached_property
    def services(self) -> dict[str, ServiceInfo]:
        """Every deployed service by name (from the manifest, so exactly what providers run)."""
        found: dict[str, tuple[dict, list[str]]] = {}
        for group in self.built.manifest:
            for svc in group["services"]:
                found.setdefault(svc["name"], (svc, []))[1].append(group["name"])
        out = {}
        for name, (svc, placements) in found.items():
            exposes = tuple(ExposeInfo(int(e["port"]), int(e["externalPort"]), e["proto"], bool(e["global"]),
                                       e["service"], e["ip"], tuple(e["hosts"])) for e in svc["expose"])
            out[name] = ServiceInfo(name, svc["image"], tuple(placements), exposes)
        return out

    def locate(self, path: tuple[str | int, ...]) -> SdlError:
        """An SdlError skeleton (path, line, column) for a YAML path, for checks made elsewhere."""
        line, column = position(self.data, self.root_pos, path)
        return SdlError(format_path(path), line, column, "")


def _decode(text: str | bytes) -> str:
    if isinstance(text, bytes):
        if len(text) > MAX_SDL_BYTES:
            raise _too_large(len(text))
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SdlValidationError([SdlError("", 0, 0, f"the SDL is not UTF-8 text (bad byte at offset "
                                                         f"{exc.start})")]) from None
    if len(text) > MAX_SDL_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_SDL_BYTES:
        raise _too_large(len(text.encode("utf-8", "surrogatepass")))
    return text.removeprefix("\ufeff")


def _too_large(size: int) -> SdlValidationError:
    return SdlValidationError([SdlError("", 0, 0, f"the SDL is {size / 1048576:.1f} MiB; the limit is "
                                                  f"{MAX_SDL_BYTES // 1048576} MiB (an SDL is normally a few KiB)")])


def _take_reclamation(root: dict, sink: ErrorSink) -> timedelta | None:
    """`reclamation: {min_window: "<N>s|m|h"}` (chain v2.1.0+): not part of the library's schema, so it is
    read and removed before the library-faithful checks."""
    value = root.pop("reclamation")
    if not isinstance(value, dict) or set(value) != {"min_window"}:
        sink.add(("reclamation",), 'reclamation must be {min_window: "<N>s|m|h"}, e.g. min_window: "1h"')
        return None
    window = value["min_window"]
    m = _WINDOW.fullmatch(window) if isinstance(window, str) else None
    if not m:
        sink.add(("reclamation",), 'reclamation.min_window must be like "30m", "1h" or "3600s"')
        return None
    n = int(m.group(1))
    return timedelta(seconds=n) if m.group(2) == "s" else timedelta(minutes=n) if m.group(2) == "m" else \
        timedelta(hours=n)


def parse_sdl(text: str | bytes, *, network: str = "mainnet", allow_reclamation: bool = False) -> Sdl:
    """Parse and validate an SDL (2.0 or 2.1) as the official library does.

    Raises SdlValidationError listing every problem (YAML path, line, column, message). With
    `allow_reclamation` a top-level `reclamation` section (not known to the library) is accepted and
    returned as `Sdl.reclamation_min_window`; the groups, manifest and hash are unaffected by it."""
    if network not in NETWORKS:
        raise ValueError(f"unknown network {network!r}")
    try:
        return _parse(_decode(text), network, allow_reclamation)
    except SdlValidationError:
        raise
    except RecursionError:
        raise SdlValidationError([SdlError("", 0, 0, "the SDL is nested too deeply")]) from None
    except Exception as exc:  # noqa: BLE001 - any input must give a result or an SdlError
        raise SdlValidationError([SdlError("", 0, 0, f"the SDL could not be processed ({type(exc).__name__}: "
                                                     f"{exc})")]) from None


def _parse(text: str, network: str, allow_reclamation: bool) -> Sdl:
    root, root_pos = jsyaml.load(text)
    sink = ErrorSink(root, root_pos)
    reclamation = None
    if allow_reclamation and isinstance(root, dict) and "reclamation" in root:
        reclamation = _take_reclamation(root, sink)
    SchemaValidator(sink).document(root)
    if sink.errors:
        raise SdlValidationError(sink.sorted())
    assert isinstance(root, dict)
    SemanticValidator(root, sink, network).validate()
    if sink.errors:
        raise SdlValidationError(sink.sorted())
    try:
        built = Builder(root, sink).build()
    except BuildFailed:
        raise SdlValidationError(sink.sorted()) from None
    sdl = Sdl(text=text, data=root, network=network, built=built, root_pos=root_pos,
              reclamation_min_window=reclamation, warnings=_warnings(root, built, sink))
    if _GO_DIFFERS.search(sdl.manifest_sorted_json()):
        sdl.warnings.append(SdlError("", 0, 0, "a string in the manifest contains U+2028, U+2029, a backspace or a form "
                                               "feed: the provider re-encodes the manifest in Go, which writes these "
                                               "differently, and would refuse it (version mismatch); remove them"))
    return sdl


def _warnings(root: dict, built: Built, sink: ErrorSink) -> list[SdlError]:
    """Things the library accepts silently but a person should hear about."""
    warn = ErrorSink(root, sink.root_pos)
    services = as_mapping(root["services"])
    used = {g["name"] for g in built.group_specs}
    for svc, where in as_mapping(root["deployment"]).items():
        if svc not in services:
            names = ", ".join(p for p in as_mapping(where) if p not in used)
            warn.add(("deployment", svc), f"`deployment.{svc}` names no service in `services`; it is ignored "
                                          f"(placement {names})", at_key=True)
    return warn.sorted()
