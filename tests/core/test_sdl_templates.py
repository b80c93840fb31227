"""The SDL templates we ship are valid, deployable (uact, within limits) and described."""

from __future__ import annotations

import pytest

from app.sdl import parse_sdl
from app.sdl.chain_rules import check_chain_rules
from app.sdl.templates import list_templates

TEMPLATES = list_templates()


def test_at_least_the_promised_templates() -> None:
    names = {t.name for t in TEMPLATES}
    assert len(TEMPLATES) >= 10
    for wanted in ("hello-world", "static-website", "node-postgres", "wordpress-mysql", "redis-cache",
                   "jupyter-gpu", "vllm-h100", "ollama-nvidia", "game-server", "leased-ip", "multi-region"):
        assert wanted in names


@pytest.mark.parametrize("template", TEMPLATES, ids=[t.name for t in TEMPLATES])
def test_template_is_valid_and_deployable(template) -> None:
    assert template.title and len(template.description) > 80 and template.tags
    sdl = parse_sdl(template.text)
    assert check_chain_rules(sdl) == []
    assert sdl.warnings == []
    assert {u.price_denom for p in sdl.placements for u in p.resources} == {"uact"}


def test_templates_show_their_features() -> None:
    by_name = {t.name: parse_sdl(t.text) for t in TEMPLATES}
    h100 = by_name["vllm-h100"].placements[0].resources[0]
    assert h100.gpu_models == ("nvidia/h100",) and any(v.persistent for v in h100.storage)
    assert by_name["ollama-nvidia"].placements[0].resources[0].gpu_models == ("nvidia/*",)
    assert 2 in by_name["leased-ip"].placements[0].resources[0].endpoint_kinds  # LEASED_IP
    assert len(by_name["multi-region"].placements) == 2
    game = by_name["game-server"].manifest()[0]["services"][0]["expose"]
    assert {e["proto"] for e in game} == {"TCP", "UDP"}
    redis = [s for s in by_name["redis-cache"].manifest()[0]["services"] if s["name"] == "redis"][0]
    assert all(not e["global"] for e in redis["expose"])
