"""Any input gives a result or an SdlError: random bytes, random YAML, deep nesting, huge numbers, alias bombs."""

from __future__ import annotations

import time

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.sdl import Sdl, SdlValidationError, parse_sdl
from tests.core.test_sdl_errors import GOOD


def outcome(data: str | bytes) -> Sdl | SdlValidationError:
    try:
        sdl = parse_sdl(data)
    except SdlValidationError as exc:
        assert exc.errors and all(e.message for e in exc.errors)
        assert not any("could not be processed" in e.message for e in exc.errors), exc.errors  # no internal error
        return exc
    sdl.groups_proto_hex()
    assert len(sdl.version()) == 32
    return sdl


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    outcome(data)


json_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=True) | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=30)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_random_yaml(value: object) -> None:
    outcome(yaml.safe_dump(value))


KEYS = ["version", "services", "profiles", "deployment", "compute", "placement", "resources", "cpu", "memory",
        "storage", "gpu", "units", "size", "pricing", "denom", "amount", "profile", "count", "image", "expose",
        "port", "as", "to", "global", "ip", "endpoints", "params", "mount", "attributes", "vendor", "nvidia"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_good_sdl(data: st.DataObject) -> None:
    """Replace a random value or key of a good SDL with something else."""
    doc = yaml.safe_load(GOOD)
    node = doc
    for _ in range(data.draw(st.integers(0, 5))):
        if isinstance(node, dict) and node:
            key = data.draw(st.sampled_from(sorted(node, key=str)))
            if isinstance(node[key], (dict, list)) and data.draw(st.booleans()):
                node = node[key]
                continue
            node[key] = data.draw(json_values | st.sampled_from(["1e309", "-1", "0", ".5Gi", "NaN", 1e308]))
            break
        if isinstance(node, list) and node:
            node = node[0]
    if isinstance(node, dict):
        node[data.draw(st.sampled_from(KEYS))] = data.draw(json_values)
    outcome(yaml.safe_dump(doc))


def test_deep_nesting_is_refused_quickly() -> None:
    for text in ("[" * 100_000, "a:\n" + "".join(" " * i + "b:\n" for i in range(1, 2000)), "- " * 5000 + "x"):
        start = time.perf_counter()
        assert isinstance(outcome(text), SdlValidationError)
        assert time.perf_counter() - start < 5


def test_billion_laughs_does_not_explode() -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 12):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    start = time.perf_counter()
    assert isinstance(outcome("\n".join(lines) + "\n"), SdlValidationError)
    # inside placement attributes, where the schema lets any value through and the library calls String()
    attrs = "      attributes:\n" + "".join(f"        {line}\n" for line in lines)
    err = outcome(GOOD.replace("    dcloud:\n      pricing:", "    dcloud:\n" + attrs + "      pricing:"))
    assert isinstance(err, SdlValidationError) and "too large" in err.errors[0].message
    assert time.perf_counter() - start < 10


def test_huge_numbers_and_big_files() -> None:
    text = GOOD.replace("units: 0.5", "units: 1e308").replace("count: 1", "count: 1" + "0" * 400)
    assert isinstance(outcome(text), SdlValidationError)
    big = GOOD + "#" + "x" * (10 * 1024 * 1024) + "\n"
    start = time.perf_counter()
    err = outcome(big)
    assert isinstance(err, SdlValidationError) and "limit" in err.errors[0].message
    assert time.perf_counter() - start < 2
    env = "    env:\n" + "".join(f"      - K{i}=v\n" for i in range(30000))
    start = time.perf_counter()
    assert isinstance(outcome(GOOD.replace("    image: nginx\n", "    image: nginx\n" + env)), Sdl)
    assert time.perf_counter() - start < 10
