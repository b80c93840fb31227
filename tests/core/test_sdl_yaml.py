"""The YAML layer reads documents exactly as js-yaml 4 (the official library's parser) does."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from app.jsnumber import number_to_string, parse_int10
from app.sdl import SdlValidationError, jsyaml
from app.sdl.jsvalues import JSDate, js_string, parse_float

VECTORS = Path(__file__).resolve().parent.parent / "vectors" / "sdl" / "yaml" / "js-yaml-load.json"


def canon(value: object, stack: list) -> object:
    """The same canonical form tools/gen_sdl.py's Node script writes for js-yaml's result."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, float):
        return {"n": "-0" if value == 0 and math.copysign(1, value) < 0 else number_to_string(value)}
    if any(value is s for s in stack):
        return {"cycle": 1}
    if isinstance(value, JSDate):
        return {"date": number_to_string(value.ms)}
    if isinstance(value, bytes):
        return {"bin": list(value)}
    stack.append(value)
    if isinstance(value, list):
        out: object = [canon(x, stack) for x in value]
    else:
        out = {"obj": [[k, canon(x, stack)] for k, x in value.items()]}  # type: ignore[attr-defined]
    stack.pop()
    return out


def _deviation(case: dict) -> str | None:
    """Documented differences: neither can be a valid SDL, both are refused by parse_sdl."""
    js = case["js_yaml"]
    lines = [ln.strip() for ln in case["yaml"].splitlines()]
    if "ok" in js and js["ok"] in (None, {"u": 1}) and all(not ln or ln.startswith("#") for ln in lines):
        return "an empty document: js-yaml gives null/undefined, we refuse it up front"
    if "ok" in js and "\\ud8" in case["yaml"] and "\\udc" not in case["yaml"] and "\\ude" not in case["yaml"]:
        return "a lone surrogate escape, which libyaml refuses"
    return None


CASES = json.loads(VECTORS.read_text(encoding="utf-8"))


def test_vector_file_is_substantial() -> None:
    assert len(CASES) > 900
    assert sum("error" in c["js_yaml"] for c in CASES) > 50


@pytest.mark.parametrize("case", CASES, ids=[f"{i:03d}" for i in range(len(CASES))])
def test_same_value_as_js_yaml(case: dict) -> None:
    text, js = case["yaml"], case["js_yaml"]
    try:
        root, _ = jsyaml.load(text)
        ours: dict = {"ok": canon(root, [])}
    except SdlValidationError as exc:
        ours = {"error": exc.errors[0].message}
    if ours == js or ("error" in js and "error" in ours):
        return
    reason = _deviation(case)
    if reason:
        assert "error" in ours, reason
        return
    if "error" in js:
        assert "error" in ours, f"js-yaml refuses this ({js['error']}) but we read {ours}"
    else:
        assert ours == js


def test_core_schema_scalars() -> None:
    root, _ = jsyaml.load("a: yes\nb: on\nc: 0755\nd: 0o17\ne: 0x1F\nf: 1_000\ng: 1:20\nh: .5\ni: ~\nj: 2001-12-14\n")
    assert root == {"a": "yes", "b": "on", "c": 755.0, "d": 15.0, "e": 31.0, "f": 1000.0, "g": "1:20", "h": 0.5,
                    "i": None, "j": JSDate(1008288000000.0)}


def test_positions_are_one_based_and_exact() -> None:
    root, pos = jsyaml.load("services:\n  web:\n    image: nginx\n")
    assert pos == (1, 1)
    assert root["services"].kpos["web"] == (2, 3, 3, 5)
    assert root["services"]["web"].kpos["image"] == (3, 5, 3, 12)


def test_merge_keys_and_overrides() -> None:
    root, _ = jsyaml.load("base: &b {cpu: 1, mem: 2}\nx:\n  <<: *b\n  cpu: 4\n")
    assert root["x"] == {"cpu": 4.0, "mem": 2.0}


def test_duplicate_key_is_located() -> None:
    with pytest.raises(SdlValidationError) as info:
        jsyaml.load("a: 1\nb: 2\na: 3\n")
    err = info.value.errors[0]
    assert (err.line, err.column) == (3, 1)
    assert "duplicated mapping key `a`" in err.message


def test_js_number_strings() -> None:
    assert [number_to_string(x) for x in (1e21, 1e20, 1.5e-7, 1e-6, 0.1 * 3, 2.0**53 + 2, -0.0)] == [
        "1e+21", "100000000000000000000", "1.5e-7", "0.000001", "0.30000000000000004", "9007199254740994", "0"]
    assert math.isnan(parse_int10("abc")) and parse_int10(" 12px") == 12.0
    assert parse_float("1.2.3") == 1.2 and math.isnan(parse_float("."))


def test_js_string_of_values() -> None:
    assert js_string([1.0, None, [2.0, "x"], {"a": 1}]) == "1,,2,x,[object Object]"
    assert js_string(True) == "true" and js_string(None) == "null"
    assert js_string(JSDate(0.0)) == "Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time)"
