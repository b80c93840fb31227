"""ACT mint/burn arithmetic and checks: output with the spread, the minimum mint, AKT needed for N ACT."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app import bme
from app.bme import BmeState, build_burn, build_mint, mint_for_act, quote_burn, quote_mint, uakt_for_uact
from app.chain.bme import BmeParams, BmeStatus, LedgerRecord, LedgerStatus, MintStatus
from app.chain.common import Coin
from app.txplan import PlanError

ME = "akash1c2qvxwatpml5he5apgkwlc62qa3aj58cdhlqj5"
PARAMS = BmeParams(9500, 9000, 10, 10, 25, 0, 1000, ())
PRICE = Decimal("1.25")


def state(*, mints: bool = True, refunds: bool = True, price: Decimal | None = PRICE, healthy: bool = True) -> BmeState:
    status = BmeStatus(MintStatus.HEALTHY if mints else MintStatus.HALT_CR, Decimal("2.1"), Decimal("0.95"),
                       Decimal("0.9"), mints, refunds)
    return BmeState(status, PARAMS, price, healthy)


def test_mint_output_takes_the_spread_and_rounds_down() -> None:
    q = quote_mint(10_000_000, PRICE, 25)
    assert (q.gross_uact, q.spread_uact, q.uact_out) == (12_500_000, 31_250, 12_468_750)
    assert not q.below_minimum and not q.near_minimum


@pytest.mark.parametrize("price", [Decimal("1.25"), Decimal("0.333333333333333333"), Decimal("7.77")])
@pytest.mark.parametrize("target", [1, 10_000_000, 123_456_789])
def test_uakt_for_uact_is_the_smallest_sufficient_burn(price: Decimal, target: int) -> None:
    u = uakt_for_uact(target, price, 25)
    assert quote_mint(u, price, 25).uact_out >= target
    assert quote_mint(u - 1, price, 25).uact_out < target


def test_margin_covers_a_price_drop() -> None:
    u = uakt_for_uact(10_000_000, PRICE, 25, Decimal("0.01"))
    assert quote_mint(u, PRICE * Decimal("0.99"), 25).uact_out >= 10_000_000
    assert u > uakt_for_uact(10_000_000, PRICE, 25)


def test_minimum_mint_and_the_near_minimum_zone() -> None:
    exact = uakt_for_uact(10_000_000, PRICE, 25)
    assert quote_mint(exact - 1, PRICE, 25).below_minimum
    edge = quote_mint(exact, PRICE, 25)
    assert not edge.below_minimum and edge.near_minimum and edge.min_uakt > exact
    assert not quote_mint(edge.min_uakt, PRICE, 25).near_minimum


def test_akt_needed_for_n_act_never_goes_below_the_minimum() -> None:
    small = mint_for_act(1_000_000, PRICE, 25)
    assert small.uact_out >= 10_000_000 and small.uakt_in == small.min_uakt
    big = mint_for_act(50_000_000, PRICE, 25)
    assert quote_mint(big.uakt_in, PRICE * Decimal("0.99"), 25).uact_out >= 50_000_000


def test_burn_quote() -> None:
    q = quote_burn(10_000_000, PRICE, 0)
    assert (q.gross_uakt, q.uakt_out) == (8_000_000, 8_000_000)
    assert quote_burn(10_000_000, PRICE, 100).uakt_out == 7_920_000
    with pytest.raises(PlanError, match="price is zero"):
        quote_burn(1, Decimal(0), 0)


def test_build_mint_shows_the_expected_output_and_checks_first() -> None:
    plan, quote = build_mint(ME, 20_000_000, state(), liquid_uakt=30_000_000, reserve_uakt=22_500)
    (msg,) = plan.msgs
    assert (msg.owner, msg.to, msg.coins_to_burn.denom, msg.coins_to_burn.amount) == (ME, ME, "uakt", "20000000")
    assert quote.uact_out == 24_937_500 and "24.9375 ACT" in plan.notes[0] and plan.spends == {"uakt": 20_000_000}
    assert "every 10 blocks" in plan.notes[1] and plan.warnings == ()


@pytest.mark.parametrize(("kwargs", "amount", "match"), [
    ({"mints": False}, 20_000_000, "halted"),
    ({"price": None}, 20_000_000, "no AKT price"),
    ({"healthy": False}, 20_000_000, "unhealthy"),
    ({}, 7_000_000, "under the chain's minimum mint of 10 ACT"),
    ({}, 0, "more than zero"),
    ({}, 29_990_000, "kept for fees"),
])
def test_build_mint_refuses_before_signing(kwargs: dict, amount: int, match: str) -> None:
    with pytest.raises(PlanError, match=match):
        build_mint(ME, amount, state(**kwargs), liquid_uakt=30_000_000, reserve_uakt=22_500)


def test_build_mint_near_the_minimum_warns() -> None:
    exact = uakt_for_uact(10_000_000, PRICE, 25)
    plan, _ = build_mint(ME, exact, state(), liquid_uakt=30_000_000, reserve_uakt=0)
    assert "cancels the mint" in plan.warnings[0]


def test_build_burn() -> None:
    plan, quote = build_burn(ME, 5_000_000, state(), act_balance=6_000_000, liquid_uakt=10_000, fee_uakt=7_500)
    assert plan.msgs[0].coins_to_burn.denom == "uact" and quote.uakt_out == 4_000_000
    with pytest.raises(PlanError, match="you have 6 ACT"):
        build_burn(ME, 7_000_000, state(), act_balance=6_000_000, liquid_uakt=10_000, fee_uakt=7_500)
    with pytest.raises(PlanError, match="halted"):
        build_burn(ME, 1_000_000, state(refunds=False), act_balance=6_000_000, liquid_uakt=10_000, fee_uakt=1)


def record(status: LedgerStatus, minted: int = 0) -> LedgerRecord:
    from app.chain.bme import CoinPrice

    return LedgerRecord("uakt", "uact", ME, 5, 1, status, ME, ME, None, None,
                        CoinPrice(Coin("uact", minted), Decimal(1)) if minted else None)


def test_outcome_messages() -> None:
    burned = Coin("uakt", 20_000_000)
    assert bme._message(None, burned)[0] == LedgerStatus.PENDING
    status, text = bme._message(record(LedgerStatus.EXECUTED, 24_937_500), burned)
    assert status == LedgerStatus.EXECUTED and "24.9375 ACT minted" in text and "20 AKT burned" in text
    status, text = bme._message(record(LedgerStatus.CANCELED), burned)
    assert status == LedgerStatus.CANCELED and "came back" in text
    assert bme._message(record(LedgerStatus.PENDING), burned)[0] == LedgerStatus.PENDING
