"""Runway math (fact sheet §6 client-side estimate), overdrawn accounts, and the edge-triggered low-funds signal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from app.chain.escrow import EscrowAccount
from app.chain.jsonread import Obj
from app.market.runway import LowFundsMonitor, Runway, compute_runway, human_duration


def account(funds: str, settled_at: int, state: str = "open") -> EscrowAccount:
    return EscrowAccount.parse(Obj({"id": {"scope": "deployment", "xid": "akash1o/5"}, "state": {
        "owner": "akash1o", "state": state, "transferred": [{"denom": "uact", "amount": "0"}], "settled_at": str(settled_at),
        "funds": [{"denom": "uact", "amount": funds}, {"denom": "uakt", "amount": "999999"}], "deposits": []}}))


def test_remaining_blocks_and_time() -> None:
    rw = compute_runway(5, account("500000.000000000000000000", 100), [Decimal("10"), Decimal("2.5")], 1100,
                        Decimal("6"))
    # 500000 - 1000 blocks x 12.5 = 487500 left; 39000 blocks at 12.5 per block; x 6 s
    assert rw.remaining_uact == Decimal("487500")
    assert rw.blocks_left == 39000
    assert rw.seconds_left == Decimal(234000)
    assert not rw.overdrawn
    now = datetime(2026, 12, 1, tzinfo=UTC)
    assert rw.runs_out_at(now) == now + timedelta(seconds=234000)
    assert rw.cost_per_hour_uact == Decimal("7500")
    assert "0.49 ACT left, about 2 days 17 h" in rw.words()


def test_fractional_blocks_round_down_and_uakt_funds_do_not_count() -> None:
    rw = compute_runway(5, account("100.5", 10), [Decimal("10")], 10, Decimal("1"))
    assert rw.funds_uact == Decimal("100.5") and rw.blocks_left == 10


def test_overdrawn_account() -> None:
    rw = compute_runway(5, account("1000", 100), [Decimal("10")], 250, Decimal("6"))
    assert rw.remaining_uact == Decimal("-500")
    assert rw.overdrawn and rw.blocks_left == 0 and rw.seconds_left == 0
    assert "out of funds: 0.0005 ACT owed" in rw.words()
    negative = compute_runway(5, account("-0.100000000000000001", 100), [Decimal("1")], 100, Decimal("6"))
    assert negative.overdrawn and negative.blocks_left == 0


def test_no_active_lease_means_nothing_is_spent() -> None:
    rw = compute_runway(5, account("5000000", 1), [], 900, Decimal("6"))
    assert rw.blocks_left is None and rw.seconds_left is None and rw.runs_out_at() is None
    assert "nothing is being spent" in rw.words()
    empty = compute_runway(5, None, [Decimal(1)], 10, Decimal(6))
    assert empty.remaining_uact == 0 and empty.blocks_left == 0


def _rw(dseq: int, blocks_left: int | None, remaining: str = "1000") -> Runway:
    return Runway(dseq, Decimal(remaining), 0, 0, Decimal(1), Decimal(6), Decimal(remaining), blocks_left)


def test_low_funds_signal_fires_once_per_crossing() -> None:
    seen = []
    monitor = LowFundsMonitor(threshold_s=Decimal(3600), notify=seen.append)
    assert monitor.update([_rw(1, 10_000), _rw(2, None)]) == []  # 16 h left, and a deployment without leases
    fired = monitor.update([_rw(1, 500)])  # 50 min left
    assert [(s.dseq, s.level) for s in fired] == [(1, "low")] and seen == fired
    assert "runs out of funds in about 50 min" in fired[0].message
    assert monitor.update([_rw(1, 400)]) == []  # still low: no repeat
    assert [s.level for s in monitor.update([_rw(1, 0)])] == ["empty"]
    assert monitor.update([_rw(1, 300)]) == []  # a partial top-up from empty to low is not news
    assert monitor.update([_rw(1, 100_000)]) == []  # topped up: re-armed
    assert [s.level for s in monitor.update([_rw(1, 100)])] == ["low"]
    assert [s.level for s in monitor.update([_rw(3, 5, remaining="-1")])] == ["empty"]
    assert "is out of funds" in seen[-1].message


def test_human_duration() -> None:
    assert human_duration(59) == "0 min"
    assert human_duration(3599) == "59 min"
    assert human_duration(3 * 3600 + 120) == "3 h 2 min"
    assert human_duration(5 * 86400 + 7200) == "5 days 2 h"
