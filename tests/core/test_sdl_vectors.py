"""SDL -> GroupSpecs / manifest / version identical to the official library on every vector we hold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.sdl import SdlValidationError, parse_sdl
from tests.kits.sdl import web_sdl

VECTORS = Path(__file__).resolve().parent.parent / "vectors" / "sdl"


def _cases(sdl_dir: Path, expected_dir: Path, suffix: str = ".json") -> list:
    out = []
    for path in sorted(sdl_dir.glob("*.yaml")):
        out.append(pytest.param(path, expected_dir / (path.stem + suffix), id=path.stem))
    return out


CORPUS = _cases(VECTORS / "corpus" / "sdl", VECTORS / "corpus" / "expected")
SAMPLES = _cases(VECTORS / "samples", VECTORS / "samples")
GENERATED = _cases(VECTORS / "generated" / "sdl", VECTORS / "generated" / "expected")


def _check(sdl_path: Path, expected_path: Path) -> None:
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    text = sdl_path.read_text(encoding="utf-8")
    if "version_hex" not in expected:
        with pytest.raises(SdlValidationError) as info:
            parse_sdl(text)
        assert info.value.errors, "an invalid SDL must come with at least one error"
        for err in info.value.errors:
            assert err.message
        return
    sdl = parse_sdl(text)
    assert sdl.manifest_sorted_json() == expected["manifest_sorted_json"]
    assert sdl.version().hex() == expected["version_hex"]
    assert sdl.groups_proto_hex() == expected["groups_proto_hex"]
    assert sdl.groups_json() == expected["groups"]
    assert sdl.version_string == expected["sdl_version"]


def test_vector_counts() -> None:
    assert len(CORPUS) == 342
    assert len(SAMPLES) == 6
    assert len(GENERATED) >= 300
    valid = sum(1 for p in CORPUS if "version_hex" in json.loads(p.values[1].read_text(encoding="utf-8")))
    assert valid == 296


@pytest.mark.parametrize(("sdl_path", "expected_path"), CORPUS)
def test_corpus(sdl_path: Path, expected_path: Path) -> None:
    _check(sdl_path, expected_path)


@pytest.mark.parametrize(("sdl_path", "expected_path"), SAMPLES)
def test_oracle_samples(sdl_path: Path, expected_path: Path) -> None:
    _check(sdl_path, expected_path)


@pytest.mark.parametrize(("sdl_path", "expected_path"), GENERATED)
def test_generated(sdl_path: Path, expected_path: Path) -> None:
    _check(sdl_path, expected_path)


def test_worked_example_from_fact_sheet() -> None:
    """The verified example of the fact sheet (§5.6), including the HTML escapes in the hash input."""
    text = web_sdl(env=("A=<b>&c",), accept=("www.example.com",), block=True)
    sdl = parse_sdl(text)
    assert sdl.version().hex() == "0d2396402ecbc2c81668e67d61cf3c2ed9d11bd887dcd06f5b06f1db6da81f55"
    assert '"env":["A=\\u003cb\\u003e\\u0026c"]' in sdl.manifest_sorted_json()
    (group,) = sdl.groups()
    assert group.resources[0].price.amount == "1000" + "0" * 18  # LegacyDec on the wire
    assert group.SerializeToString().hex().startswith("0a0664636c6f756412020a00")  # signed_by present, empty
