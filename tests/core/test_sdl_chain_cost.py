"""Chain rules beyond the schema, cost per hour/day/month and the deposit suggestion."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from app.sdl import parse_sdl
from app.sdl.chain_rules import ChainLimits, check_chain_rules
from app.sdl.cost import DEFAULT_MIN_DEPOSIT_UACT, estimate_cost, format_amount, suggest_deposit_uact
from tests.core.test_sdl_errors import GOOD


def test_uact_sdl_passes() -> None:
    assert check_chain_rules(parse_sdl(GOOD)) == []


def test_uakt_price_gets_the_converted_line() -> None:
    sdl = parse_sdl(GOOD.replace("denom: uact", "denom: uakt"))
    (err,) = check_chain_rules(sdl, akt_price_usd=Decimal("0.25"))
    assert err.path == "profiles.placement.dcloud.pricing.web.denom"
    assert (err.line, err.column) == (24, 18)
    assert "must be priced in ACT" in err.message
    assert err.message.endswith("denom: uact\n          amount: 250")


def test_usdc_price_converts_one_to_one() -> None:
    usdc = "ibc/170C677610AC31DF0904FFE09CD3B5C657492170E7E52372E48756B71E56F2F1"
    sdl = parse_sdl(GOOD.replace("denom: uact", f"denom: {usdc}").replace("amount: 1000", "amount: 12.5"))
    (err,) = check_chain_rules(sdl)
    assert err.message.endswith("amount: 12.5")


def test_mixed_denoms_are_refused() -> None:
    text = GOOD.replace("    dcloud:\n      pricing:", "    eu:\n      pricing:\n        web:\n          denom: uakt\n"
                                                       "          amount: 5\n    dcloud:\n      pricing:")
    text = text.replace("      count: 1\n", "      count: 1\n    eu:\n      profile: web\n      count: 1\n")
    messages = [e.message for e in check_chain_rules(parse_sdl(text))]
    assert any("one denom" in m for m in messages)


@pytest.mark.parametrize(("old", "new", "needle"), [
    ("units: 0.5", "units: 500", "CPU"),
    ("units: 0.5", '"5m"', "CPU"),
    ("size: 512Mi", "size: 3Ti", "memory"),
    ("size: 1Gi", "size: 1Mi", "volume"),
    ("count: 1", "count: 51", "replicas"),
    ("amount: 1000", "amount: 10000001", "at most 10000000"),
    ("amount: 1000", "amount: 0", "more than 0"),
])
def test_resource_limits(old: str, new: str, needle: str) -> None:
    text = GOOD.replace(old, new if ":" in new else f"units: {new}")
    errors = check_chain_rules(parse_sdl(text))
    assert any(needle in e.message for e in errors), errors


def test_gpu_limit_and_custom_limits() -> None:
    text = GOOD.replace("          - size: 1Gi\n", "          - size: 1Gi\n        gpu:\n          units: 25\n"
                                                  "          attributes:\n            vendor:\n              nvidia:\n")
    assert any("GPUs" in e.message for e in check_chain_rules(parse_sdl(text)))
    assert check_chain_rules(parse_sdl(GOOD), limits=ChainLimits(max_unit_price=999))


def test_cost_per_hour_day_month() -> None:
    cost = estimate_cost(parse_sdl(GOOD))
    (group,) = cost.groups
    assert group.rate.per_block == 1000 and group.rate.denom == "uact"
    # Console's figure: 1000 uact/block ~ 431.25 ACT per 30.437-day month at 6.098 s blocks
    assert round(cost.usd_per_month, 2) == Decimal("431.25")
    assert cost.usd_per_hour == Decimal(1000) * 3600 / Decimal("6.098") / 1_000_000
    assert cost.usd_per_day == cost.usd_per_hour * 24
    assert cost.akt(cost.usd_per_month) is None
    cost = estimate_cost(parse_sdl(GOOD), block_time_s=Decimal(6), akt_price_usd=Decimal(2))
    assert cost.usd_per_hour == Decimal("0.6")
    assert cost.akt(cost.usd_per_hour) == Decimal("0.3")


def test_cost_counts_replicas_and_groups() -> None:
    sdl = parse_sdl(GOOD.replace("count: 1", "count: 3"))
    assert estimate_cost(sdl).usd_per_block() == Decimal("0.003")


def test_uakt_cost_needs_a_price() -> None:
    sdl = parse_sdl(GOOD.replace("denom: uact", "denom: uakt"))
    assert estimate_cost(sdl).usd_per_month is None
    cost = estimate_cost(sdl, akt_price_usd=Decimal("0.5"))
    assert cost.usd_per_block() == Decimal("0.0005")
    with pytest.raises(ValueError, match="AKT price"):
        suggest_deposit_uact(estimate_cost(sdl))


def test_deposit_suggestion() -> None:
    cost = estimate_cost(parse_sdl(GOOD))
    per_day_uact = cost.usd_per_day * 1_000_000
    assert suggest_deposit_uact(cost, days=2) == math.ceil(per_day_uact * 2)
    cheap = estimate_cost(parse_sdl(GOOD.replace("amount: 1000", "amount: 0.001")))
    assert suggest_deposit_uact(cheap, days=1) == DEFAULT_MIN_DEPOSIT_UACT
    assert suggest_deposit_uact(cheap, days=1, min_deposit_uact=5_000_000) == 5_000_000


def test_format_amount() -> None:
    assert format_amount(Decimal("431.2499")) == "431.25"
    assert format_amount(Decimal("0.0059")) == "0.0059"
    assert format_amount(None) == "?"
