"""What the provider does with a PUT manifest: decode it into the Go structs, re-encode, hash, cross-validate.

The real provider unmarshals the body into manifest/v2beta3 Go structs (unknown keys dropped, keys matched
case-insensitively, omitempty fields left out again, nil slices written as null), marshals it back, sorts the
keys (sdk.SortJSON) and compares sha256 with the deployment's on-chain hash. This module reproduces that with
the SDL engine's canonical encoder plus the escapes only Go writes (\\u0008, \\u000c, U+2028, U+2029).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

from app.sdl.manifest_json import sorted_json


class ManifestError(ValueError):
    """A body the provider refuses: `kind` is "decode", "invalid" or "cross-validation" (all 422)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


# -- Go struct schemas: (json name, decoder, omitempty) in struct field order -------------------------

Field = tuple[str, Callable[[Any, str], Any], bool]
Schema = list[Field]


def _fail(path: str, want: str, got: Any) -> ManifestError:
    kind = "null" if got is None else type(got).__name__
    return ManifestError("decode", f"json: cannot unmarshal {kind} into Go struct field {path} of type {want}")


def _string(v: Any, path: str) -> str:
    if v is None:
        return ""
    if not isinstance(v, str):
        raise _fail(path, "string", v)
    return v


def _bool(v: Any, path: str) -> bool:
    if v is None:
        return False
    if not isinstance(v, bool):
        raise _fail(path, "bool", v)
    return v


def _uint32(v: Any, path: str) -> int:
    if v is None:
        return 0
    if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v < 2**32:
        raise _fail(path, "uint32", v)
    return v


def _strings(v: Any, path: str) -> list[str] | None:
    if v is None:
        return None
    if not isinstance(v, list):
        raise _fail(path, "[]string", v)
    return [_string(x, path) for x in v]


def _list(schema_fn: Callable[[], Schema], go_type: str) -> Callable[[Any, str], Any]:
    def decode(v: Any, path: str) -> list[dict[str, Any]] | None:
        if v is None:
            return None
        if not isinstance(v, list):
            raise _fail(path, go_type, v)
        return [_struct(x, schema_fn(), path) for x in v]
    return decode


def _ptr(schema_fn: Callable[[], Schema]) -> Callable[[Any, str], Any]:
    def decode(v: Any, path: str) -> dict[str, Any] | None:
        return None if v is None else _struct(v, schema_fn(), path)
    return decode


def _value(v: Any, path: str) -> dict[str, str]:
    """ResourceValue{val math.Int}: a quoted decimal integer, re-encoded canonically."""
    obj = _struct(v, [("val", _raw, False)], path)
    val = obj["val"]
    if val is None:
        return {"val": "0"}
    if not isinstance(val, str) or not re.fullmatch(r"-?[0-9]+", val):
        raise ManifestError("decode", f"{path}.val: math/big: cannot unmarshal {json.dumps(val)} into a *big.Int")
    return {"val": str(int(val))}


def _raw(v: Any, path: str) -> Any:
    return v


def _struct(v: Any, schema: Schema, path: str) -> dict[str, Any]:
    if v is None:
        v = {}
    if not isinstance(v, dict):
        raise _fail(path, "struct", v)
    values: dict[str, Any] = {}
    names = {name: name for name, _, _ in schema}
    folded = {name.lower(): name for name, _, _ in schema}
    for key, item in v.items():  # later keys win, an exact name before a case-insensitive one
        name = names.get(key) or folded.get(key.lower())
        if name is not None:
            values[name] = item
    out: dict[str, Any] = {}
    for name, decode, omitempty in schema:
        decoded = decode(values.get(name), f"{path}.{name}")
        if omitempty and decoded in (None, "", 0, False, []):
            continue
        out[name] = decoded
    return out


def _attrs() -> Schema:
    return [("key", _string, False), ("value", _string, False)]


def _attributes(v: Any, path: str) -> Any:
    return _list(_attrs, "[]v1.Attribute")(v, path)


def _resources() -> Schema:
    def unit(name: str) -> Callable[[], Schema]:
        return lambda: [(name, _value, False), ("attributes", _attributes, True)]
    return [("id", _uint32, False), ("cpu", _ptr(unit("units")), True), ("memory", _ptr(unit("size")), True),
            ("storage", _list(lambda: [("name", _string, False), ("size", _value, False),
                                       ("attributes", _attributes, True)], "[]v1beta4.Storage"), True),
            ("gpu", _ptr(unit("units")), True),
            ("endpoints", _list(lambda: [("kind", _uint32, True), ("sequence_number", _uint32, False)],
                                "[]v1beta4.Endpoint"), False)]


def _http_options() -> Schema:
    return [("maxBodySize", _uint32, False), ("readTimeout", _uint32, False), ("sendTimeout", _uint32, False),
            ("nextTries", _uint32, False), ("nextTimeout", _uint32, False), ("nextCases", _strings, True),
            ("proxyBufferSize", _uint32, True)]


def _expose() -> Schema:
    return [("port", _uint32, False), ("externalPort", _uint32, False), ("proto", _string, False),
            ("service", _string, False), ("global", _bool, False), ("hosts", _strings, False),
            ("httpOptions", lambda v, p: _struct(v, _http_options(), p), False), ("ip", _string, False),
            ("endpointSequenceNumber", _uint32, False)]


def _credentials() -> Schema:
    return [("host", _string, False), ("email", _string, False), ("username", _string, False),
            ("password", _string, False), ("uri", _string, True)]


def _params() -> Schema:
    storage = _list(lambda: [("name", _string, False), ("mount", _string, False), ("readOnly", _bool, False),
                             ("keyRef", _string, True)], "[]v2beta3.StorageParams")
    tee = _ptr(lambda: [("type", _string, False), ("attestation", _bool, False), ("kbs", _ptr(lambda: [
        ("provider", _ptr(list), True), ("tenant", _ptr(lambda: [
            ("url", _string, False), ("certificate", _string, False), ("image_security_policy_uri", _string, False),
            ("agent_policy", _string, False)]), True)]), True)])
    return [("storage", storage, False), ("credentials", _ptr(_credentials), True),
            ("permissions", _ptr(lambda: [("read", _strings, True)]), True), ("tee", tee, True)]


def _service() -> Schema:
    return [("name", _string, False), ("image", _string, False), ("command", _strings, False),
            ("args", _strings, False), ("env", _strings, False),
            ("resources", lambda v, p: _struct(v, _resources(), p), False), ("count", _uint32, False),
            ("expose", _list(_expose, "[]v2beta3.ServiceExpose"), False), ("params", _ptr(_params), True),
            ("credentials", _ptr(_credentials), False), ("interconnectGroup", _string, True)]


def _group() -> Schema:
    return [("name", _string, False), ("services", _list(_service, "[]v2beta3.Service"), False)]


def decode_manifest(body: bytes) -> list[dict[str, Any]]:
    """json.Unmarshal(body, &manifest.Manifest): the groups as the Go structs hold them."""
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ManifestError("decode", f"invalid character in manifest JSON: {exc}") from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise ManifestError("decode", "json: cannot unmarshal object into Go value of type v2beta3.Manifest")
    return [_struct(g, _group(), "Manifest.Group") for g in data]


_GO_ESCAPES = re.compile(r"\\\\|\\b|\\f")


def go_sorted_json(groups: list[dict[str, Any]]) -> str:
    """sdk.SortJSON(json.Marshal(manifest)) byte for byte."""
    text = sorted_json(groups)
    text = _GO_ESCAPES.sub(lambda m: {"\\b": "\\u0008", "\\f": "\\u000c"}.get(m.group(), m.group()), text)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def manifest_hash(groups: list[dict[str, Any]]) -> bytes:
    return hashlib.sha256(go_sorted_json(groups).encode("utf-8")).digest()


# -- validation --------------------------------------------------------------------------------------

_NAME = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")


def validate_manifest(groups: list[dict[str, Any]]) -> None:
    """manifest.Validate: groups with services, DNS-label names, an image, a positive count."""
    if not groups:
        raise ManifestError("invalid", "invalid manifest: no groups")
    for g in groups:
        if not g["name"]:
            raise ManifestError("invalid", "invalid manifest: empty group name")
        services = g["services"] or []
        if not services:
            raise ManifestError("invalid", f"invalid manifest: group {g['name']} has no services")
        for s in services:
            if not _NAME.match(s["name"]) or len(s["name"]) > 63:
                raise ManifestError("invalid", f"invalid manifest: service name {s['name']!r} is not a DNS label")
            if not s["image"]:
                raise ManifestError("invalid", f"invalid manifest: service {s['name']} has no image")
            if s["count"] == 0:
                raise ManifestError("invalid", f"invalid manifest: service {s['name']} has count 0")


def _totals(unit: dict[str, Any]) -> tuple[int, int, tuple[int, ...], int]:
    """(cpu, memory, storage sizes, gpu) of a GroupSpec unit or of a manifest service's resources."""
    r = unit.get("resource", unit)

    def val(part: dict[str, Any] | None, *names: str) -> int:
        for n in names:
            if part and part.get(n):
                return int(part[n]["val"])
        return 0

    storage = tuple(sorted(val(s, "quantity", "size") for s in r.get("storage") or []))
    return val(r.get("cpu"), "units"), val(r.get("memory"), "quantity", "size"), storage, val(r.get("gpu"), "units")


def cross_validate(groups: list[dict[str, Any]], specs: list[dict[str, Any]]) -> None:
    """ValidateManifestWithDeployment: same groups as the deployment, replicas and resources per unit."""
    by_name = {g["name"]: g for g in groups}
    if len(groups) != len(specs) or set(by_name) != {s["name"] for s in specs}:
        raise ManifestError("cross-validation", "manifest cross-validation error: the manifest groups "
                            f"{sorted(by_name)} differ from the deployment's {sorted(s['name'] for s in specs)}")
    for spec in specs:
        counts: dict[int, int] = {}
        shapes: dict[int, tuple[Any, ...]] = {}
        for s in by_name[spec["name"]]["services"]:
            rid = s["resources"]["id"]
            counts[rid] = counts.get(rid, 0) + s["count"]
            shapes[rid] = _totals(s["resources"])
        for unit in spec["resources"]:
            rid = unit["resource"]["id"]
            if counts.get(rid) != unit["count"] or shapes.get(rid) != _totals(unit):
                raise ManifestError("cross-validation", f"manifest cross-validation error: group {spec['name']} "
                                    f"resource {rid} does not match the deployment's resources or count")
        extra = set(counts) - {u["resource"]["id"] for u in spec["resources"]}
        if extra:
            raise ManifestError("cross-validation", f"manifest cross-validation error: group {spec['name']} uses "
                                f"resources {sorted(extra)} the deployment does not have")
