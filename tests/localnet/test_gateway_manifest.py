"""The provider's manifest handling: Go struct decoding, re-encoding, hashing and cross-validation."""

from __future__ import annotations

import hashlib
import json

import pytest

from app.localnet.providers.manifest import (
    ManifestError,
    cross_validate,
    decode_manifest,
    go_sorted_json,
    manifest_hash,
    validate_manifest,
)
from app.sdl import parse_sdl
from tests.localnet.marketkit import nginx_sdl

# fact sheet §5.6: the official library's sorted manifest JSON and its version
WORKED = ('[{"name":"dcloud","services":[{"args":null,"command":null,"count":1,"credentials":null,'
          '"env":["A=\\u003cb\\u003e\\u0026c"],"expose":[{"endpointSequenceNumber":0,"externalPort":80,"global":true,'
          '"hosts":["www.example.com"],"httpOptions":{"maxBodySize":1048576,"nextCases":["error","timeout"],'
          '"nextTimeout":0,"nextTries":3,"readTimeout":60000,"sendTimeout":60000},"ip":"","port":80,"proto":"TCP",'
          '"service":""}],"image":"nginx:1.27","name":"web","resources":{"cpu":{"units":{"val":"500"}},'
          '"endpoints":[{"sequence_number":0}],"gpu":{"units":{"val":"0"}},"id":1,"memory":{"size":{"val":"536870912"}},'
          '"storage":[{"name":"default","size":{"val":"1073741824"}}]}}]}]')


def test_the_provider_recomputes_the_official_version() -> None:
    groups = decode_manifest(WORKED.encode())
    assert go_sorted_json(groups) == WORKED
    assert manifest_hash(groups).hex() == "0d2396402ecbc2c81668e67d61cf3c2ed9d11bd887dcd06f5b06f1db6da81f55"


def test_sdl_engine_manifests_hash_the_same_on_the_provider(vectors) -> None:
    checked = 0
    paths = sorted((vectors / "sdl" / "samples").glob("*.json")) + sorted((vectors / "sdl" / "corpus" / "expected").glob("*.json"))
    for path in paths:
        data = json.loads(path.read_text())
        text = data.get("manifest_sorted_json") if isinstance(data, dict) else None
        if not text or '"nextCases":[]' in text or "permissions" in text:
            continue  # Go omits empty nextCases/permissions.read: those versions never match on a provider
        version = bytes.fromhex(data["version_hex"])
        assert manifest_hash(decode_manifest(text.encode())) == version, path.name
        checked += 1
    assert checked >= 250  # the official library's manifests of the real SDL corpus
    sdl = parse_sdl(nginx_sdl())
    assert manifest_hash(decode_manifest(sdl.manifest_sorted_json().encode())) == sdl.version()


def test_go_decoding_rules() -> None:
    doc = json.loads(WORKED)
    svc = doc[0]["services"][0]
    svc["IMAGE"] = svc.pop("image")  # keys match case-insensitively
    svc["unknown"] = {"x": 1}  # unknown keys are dropped
    svc["env"] = ["bell\b and feed\f\u2028"]
    svc["expose"][0]["httpOptions"]["proxyBufferSize"] = 0  # omitempty
    out = go_sorted_json(decode_manifest(json.dumps(doc).encode()))
    assert '"image":"nginx:1.27"' in out and "unknown" not in out and "proxyBufferSize" not in out
    assert '"env":["bell\\u0008 and feed\\u000c\\u2028"]' in out
    assert hashlib.sha256(out.encode()).digest() == manifest_hash(decode_manifest(out.encode()))


@pytest.mark.parametrize("body", [b'{"name": "x"}', b"[{\"services\": [{\"count\": -1}]}]",
                                  b'[{"services": [{"resources": {"cpu": {"units": {"val": 500}}}}]}]', b"[1"])
def test_undecodable_bodies(body: bytes) -> None:
    with pytest.raises(ManifestError):
        decode_manifest(body)


def test_validation_and_cross_validation() -> None:
    sdl = parse_sdl(nginx_sdl())
    groups = decode_manifest(sdl.manifest_sorted_json().encode())
    specs = [{"name": g["name"], "resources": [{"resource": {
        "id": u["resource"]["id"], "cpu": {"units": {"val": u["resource"]["cpu"]["units"]["val"]}},
        "memory": {"quantity": {"val": u["resource"]["memory"]["quantity"]["val"]}},
        "storage": [{"quantity": {"val": s["quantity"]["val"]}} for s in u["resource"]["storage"]],
        "gpu": {"units": {"val": u["resource"]["gpu"]["units"]["val"]}}}, "count": u["count"]}
        for u in g["resources"]]} for g in sdl.group_specs()]
    validate_manifest(groups)
    cross_validate(groups, specs)
    specs[0]["resources"][0]["count"] = 2
    with pytest.raises(ManifestError, match="cross-validation"):
        cross_validate(groups, specs)
    with pytest.raises(ManifestError, match="cross-validation"):
        cross_validate(groups, [{**specs[0], "name": "other"}])
    groups[0]["services"][0]["name"] = "Web_1"
    with pytest.raises(ManifestError, match="invalid manifest"):
        validate_manifest(groups)
