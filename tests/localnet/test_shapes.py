"""Today's answers have the structure of the answers certified by the official library (tools/check_shapes.py)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.localnet.shape_cases import endpoints, prepare
from tests.localnet_fixtures import NodeClient

SHAPES = "localnet/shapes"
_KINDS = [("uint", re.compile(r"^\d+$")), ("dec18", re.compile(r"^-?\d+\.\d{18}$")),
          ("time", re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$"))]


def kind(value: Any) -> str:
    if isinstance(value, str):
        return next((k for k, rx in _KINDS if rx.match(value)), "str")
    return type(value).__name__


_NO_PEER = object()


def _peer(items: list[Any], got: Any) -> Any:
    """The certified item to compare with: same "@type" (Any) or event "type", else the first one."""
    if not items:
        return _NO_PEER
    if isinstance(got, dict):
        for tag in ("@type", "type"):
            if tag in got:
                return next((w for w in items if isinstance(w, dict) and w.get(tag) == got[tag]), _NO_PEER)
    return items[0]


def diff(want: Any, got: Any, path: str = "$") -> list[str]:
    """Differences of keys and value kinds, recursively (list items against the first certified item)."""
    if isinstance(want, dict) and isinstance(got, dict):
        if "@type" in want and want.get("@type") != got.get("@type"):
            return [f"{path}: @type {want['@type']} != {got.get('@type')}"]
        out = [f"{path}: missing {k}" for k in want if k not in got]
        out += [f"{path}: unexpected {k}" for k in got if k not in want]
        for k in want.keys() & got.keys():
            out += diff(want[k], got[k], f"{path}.{k}")
        return out
    if isinstance(want, list) and isinstance(got, list):
        if path.endswith(".attributes"):
            return []  # event attribute values are free text
        if len(want) == len(got):  # the same deterministic state: compare item by item
            pairs = list(zip(want, got, strict=True))
        else:
            pairs = [(_peer(want, item), item) for item in got]
        return [d for w, item in pairs if w is not _NO_PEER for d in diff(w, item, f"{path}[]")][:20]
    if want is None or got is None:
        ok = want is got or path.endswith(("next_key", "_record", "remint_credit_issued",
                                           "remint_credit_accrued", ".burned", ".minted", ".tip"))
        return [] if ok else [f"{path}: {kind(want)} != {kind(got)}"]
    k_want, k_got = kind(want), kind(got)
    if k_want != k_got and not {k_want, k_got} <= {"uint", "str"}:
        return [f"{path}: {k_want} != {k_got}"]
    return []


@pytest.fixture(scope="module")
def shaped_node() -> Any:
    from app.localnet.runner import LocalNode

    with LocalNode(block_time=5.0) as node:
        client = NodeClient(node)
        yield client, prepare(client)


def test_every_certified_answer_keeps_its_structure(shaped_node: Any, vectors: Any) -> None:
    client, txhash = shaped_node
    index = json.loads((vectors / SHAPES / "index.json").read_text())
    cases = endpoints(client, txhash)
    assert {name for name, _, _ in cases} == set(index), "tools/check_shapes.py and its captures disagree"
    problems = {}
    for name, path, type_name in cases:
        assert index[name]["type"] == type_name
        assert index[name]["ok"] or index[name]["accepted_deviations"], f"{name} was not certified"
        want = json.loads((vectors / SHAPES / f"{name}.json").read_text())
        found = diff(want, client.get(path))
        if found:
            problems[name] = found
    assert not problems, json.dumps(problems, indent=1)[:4000]


def test_diff_catches_structure_changes() -> None:
    want = {"a": {"b": "1.000000000000000000", "c": [{"d": "5"}]}, "next_key": None}
    assert diff(want, {"a": {"b": "1.000000000000000000", "c": [{"d": "7"}]}, "next_key": "AA=="}) == []
    assert diff(want, {"a": {"b": "1.0", "c": []}, "next_key": None}) == ["$.a.b: dec18 != str"]
    assert diff(want, {"a": {"b": "1.000000000000000000", "c": [{"e": "5"}]}, "next_key": None}) == [
        "$.a.c[]: missing d", "$.a.c[]: unexpected e"]
    assert diff(want, {"a": {"b": 1, "c": []}, "next_key": None}) == ["$.a.b: dec18 != int"]
