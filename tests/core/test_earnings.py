"""Provider earnings arithmetic: escrow payment totals, accrual since settlement, overdrawn and unsettled
leases, windows and days from rate x blocks, withdraw-all batches, CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from app.blocktime import BlockClock
from app.chain.deployment import DeploymentSummary
from app.chain.jsonread import Obj
from app.chain.market import LeaseInfo
from app.earnings import ProviderEarnings, _earning, build_withdraw_all, daily_series, to_csv
from app.earnings_math import Accrual, PaymentFigures, earned_between, overlap, total_earned
from app.txplan import PlanError

TENANT = "akash102kdwsssl6jf4frdcz50mua6j0h6d8wdhjh7nq"
PROVIDER = "akash19zzh7whjt4vfwxd5wtj3tjtyatnpntfhldshd8"
DAY_BLOCKS = 14_400  # 6 s blocks
CLOCK = BlockClock(1_000_000, datetime(2026, 5, 10, 12, 0, tzinfo=UTC), Decimal(6), True)


def dec(x: object) -> str:
    return f"{Decimal(str(x)):.18f}"


def lease_json(dseq: int, *, state: str = "active", rate: str = "10", created: int = 900_000, closed: int = 0,
               pay_state: str = "open", balance: str = "0", unsettled: str = "0", withdrawn: int = 0,
               reason: str = "lease_closed_invalid") -> LeaseInfo:
    lid = {"owner": TENANT, "dseq": str(dseq), "gseq": 1, "oseq": 1, "provider": PROVIDER, "bseq": 0}
    return LeaseInfo.parse(Obj({
        "lease": {"id": lid, "state": state, "price": {"denom": "uact", "amount": dec(rate)},
                  "created_at": str(created), "closed_on": str(closed), "reason": reason},
        "escrow_payment": {"id": {"aid": {"scope": "deployment", "xid": f"{TENANT}/{dseq}"}, "xid": f"1/1/{PROVIDER}"},
                           "state": {"owner": PROVIDER, "state": pay_state, "rate": {"denom": "uact", "amount": dec(rate)},
                                     "balance": {"denom": "uact", "amount": dec(balance)},
                                     "unsettled": {"denom": "uact", "amount": dec(unsettled)},
                                     "withdrawn": {"denom": "uact", "amount": str(withdrawn)}}},
    }))


def deployment_json(dseq: int, *, settled_at: int, funds: str, state: str = "open") -> DeploymentSummary:
    resource = {"id": 1, "cpu": {"units": {"val": "500"}}, "memory": {"quantity": {"val": "536870912"}},
                "storage": [{"name": "default", "quantity": {"val": "1073741824"}}], "gpu": {"units": {"val": "1"}},
                "endpoints": [{"kind": "SHARED_HTTP", "sequence_number": 0}]}
    return DeploymentSummary.parse(Obj({
        "deployment": {"id": {"owner": TENANT, "dseq": str(dseq)}, "state": "active", "hash": "", "created_at": "1"},
        "groups": [{"id": {"owner": TENANT, "dseq": str(dseq), "gseq": 1}, "state": "open", "created_at": "1",
                    "group_spec": {"name": "g", "resources": [{"resource": resource, "count": 2,
                                                                "price": {"denom": "uact", "amount": dec(10)}}]}}],
        "escrow_account": {"id": {"scope": "deployment", "xid": f"{TENANT}/{dseq}"},
                           "state": {"owner": TENANT, "state": state, "settled_at": str(settled_at),
                                     "funds": [{"denom": "uact", "amount": dec(funds)}], "transferred": [],
                                     "deposits": []}},
    }))


def test_accrual_since_the_last_settlement_is_rate_times_blocks() -> None:
    p = PaymentFigures(Decimal(10), Decimal(500), Decimal("25.5"), Decimal(0), True, 999_000, Decimal(1_000_000))
    a = Accrual.of(p, 1_000_000)
    assert a.accrued == 10_000 and a.collectable == Decimal("10025.5") and a.at_risk == 0
    assert total_earned(p, a.accrued) == Decimal("10525.5")


def test_accrual_beyond_the_funds_is_at_risk_and_shares_split_the_funds() -> None:
    short = PaymentFigures(Decimal(10), Decimal(0), Decimal(0), Decimal(7), True, 999_000, Decimal(4_000))
    a = Accrual.of(short, 1_000_000)
    assert (a.accrued, a.collectable, a.at_risk) == (10_000, 4_000, 6_007)
    half = PaymentFigures(Decimal(10), Decimal(0), Decimal(0), Decimal(0), True, 999_000, Decimal(4_000), Decimal("0.5"))
    assert Accrual.of(half, 1_000_000).collectable == 2_000
    negative = PaymentFigures(Decimal(10), Decimal(0), Decimal(0), Decimal(0), True, 999_000, Decimal("-0.1"))
    assert Accrual.of(negative, 1_000_000).collectable == 0
    closed = PaymentFigures(Decimal(10), Decimal(9), Decimal(3), Decimal(4), False, 999_000, Decimal(1))
    assert Accrual.of(closed, 1_000_000) == Accrual(Decimal(0), Decimal(3), Decimal(4))


def test_windows_overlap_and_cap() -> None:
    assert overlap(100, 200, 150, 400) == 50 and overlap(100, 200, 300, 400) == 0 and overlap(0, 10, 0, 10) == 10
    assert earned_between(Decimal(2), 100, 200, 0, 1000, Decimal(150)) == 150
    assert earned_between(Decimal(2), 100, 200, 0, 1000, Decimal(500)) == 200


def test_active_lease_totals_windows_and_resources() -> None:
    created = CLOCK.height - 2 * DAY_BLOCKS
    e = _earning(lease_json(1, created=created, withdrawn=1000, balance="20"),
                 deployment_json(1, settled_at=CLOCK.height - 100, funds="1000000"), {(TENANT, 1): Decimal(10)}, CLOCK)
    assert e.accrual.accrued == 1000 and e.total == Decimal(2020) and e.withdrawable
    assert e.windows["24h"] == Decimal(2020)  # capped by what the lease earned in all
    assert e.per_month == Decimal(10) * Decimal("30.437") * 86_400 / 6
    r = e.resources
    assert (r.cpu_millis, r.memory_bytes, r.storage_bytes, r.gpu_units, r.endpoints) == (1000, 2 * 2**29, 2 * 2**30, 2, 2)


def test_uncapped_windows_follow_the_rate() -> None:
    created = CLOCK.height - 40 * DAY_BLOCKS
    huge = str(10 * 40 * DAY_BLOCKS)
    e = _earning(lease_json(2, created=created, withdrawn=int(huge)),
                 deployment_json(2, settled_at=CLOCK.height, funds="1"), {(TENANT, 2): Decimal(10)}, CLOCK)
    assert e.windows == {"24h": 10 * DAY_BLOCKS, "7d": 70 * DAY_BLOCKS, "30d": 300 * DAY_BLOCKS}


def test_overdrawn_lease_counts_unsettled_but_cannot_be_withdrawn() -> None:
    e = _earning(lease_json(3, state="insufficient_funds", pay_state="overdrawn", unsettled="350.5", withdrawn=9000,
                            closed=CLOCK.height - 10, reason="lease_closed_reason_insufficient_funds"),
                 None, {}, CLOCK)
    assert not e.running and not e.withdrawable and e.resources is None
    assert e.total == Decimal("9350.5") and e.accrual.at_risk == Decimal("350.5") and e.accrual.accrued == 0


def test_closed_lease_earns_only_until_it_closed() -> None:
    created, closed = CLOCK.height - 3 * DAY_BLOCKS, CLOCK.height - 2 * DAY_BLOCKS
    e = _earning(lease_json(4, state="closed", pay_state="closed", created=created, closed=closed,
                            withdrawn=10 * DAY_BLOCKS), None, {}, CLOCK)
    assert e.windows["24h"] == 0 and e.windows["7d"] == 10 * DAY_BLOCKS


def earnings(*leases) -> ProviderEarnings:
    return ProviderEarnings(PROVIDER, CLOCK, tuple(leases), daily_series(tuple(leases), CLOCK, 5), False)


def test_daily_series_splits_by_utc_day_and_sums_to_the_window() -> None:
    created = CLOCK.height - 3 * DAY_BLOCKS
    e = _earning(lease_json(5, created=created, withdrawn=10**12), deployment_json(5, settled_at=CLOCK.height,
                 funds="0"), {(TENANT, 5): Decimal(10)}, CLOCK)
    days = daily_series((e,), CLOCK, 5)
    assert [d.day for d in days] == ["2026-05-06", "2026-05-07", "2026-05-08", "2026-05-09", "2026-05-10"]
    # created three days before the latest block (12:00 on the 10th): from 12:00 on the 7th
    assert days[0].amounts == {}
    assert [d.amounts["uact"] for d in days[1:]] == [10 * DAY_BLOCKS // 2, 10 * DAY_BLOCKS, 10 * DAY_BLOCKS,
                                                      10 * DAY_BLOCKS // 2]
    assert days[4].end_height == CLOCK.height and days[4].start_height == CLOCK.height - DAY_BLOCKS // 2
    assert sum(d.amounts.get("uact", 0) for d in days) == 10 * 3 * DAY_BLOCKS


def test_withdraw_all_takes_withdrawable_leases_in_batches() -> None:
    good = [_earning(lease_json(10 + i, withdrawn=0), deployment_json(10 + i, settled_at=CLOCK.height - 50,
                     funds="100000"), {(TENANT, 10 + i): Decimal(10)}, CLOCK) for i in range(5)]
    overdrawn = _earning(lease_json(99, pay_state="overdrawn"), deployment_json(99, settled_at=1, funds="-1",
                         state="overdrawn"), {}, CLOCK)
    plans = build_withdraw_all(PROVIDER, earnings(*good, overdrawn), liquid_uakt=100_000, fee_uakt=7_500, per_tx=2)
    assert [len(p.msgs) for p in plans] == [2, 2, 1]
    assert {m.id.dseq for p in plans for m in p.msgs} == {10, 11, 12, 13, 14}
    assert "about 1,000 ACT" not in plans[0].title and "0.001 ACT" in plans[0].title and "part 1 of 3" in plans[0].title
    with pytest.raises(PlanError, match="another provider"):
        build_withdraw_all(TENANT, earnings(*good), liquid_uakt=100_000, fee_uakt=7_500)
    with pytest.raises(PlanError, match="no lease has earnings"):
        build_withdraw_all(PROVIDER, earnings(overdrawn), liquid_uakt=100_000, fee_uakt=7_500)
    with pytest.raises(PlanError, match="kept for fees"):
        build_withdraw_all(PROVIDER, earnings(*good), liquid_uakt=20_000, fee_uakt=7_500, per_tx=2)


def test_csv_has_a_row_per_lease_and_the_daily_series() -> None:
    e = _earning(lease_json(7, withdrawn=1_500_000, balance="250000"), deployment_json(7, settled_at=CLOCK.height,
                 funds="1"), {(TENANT, 7): Decimal(10)}, CLOCK)
    text = to_csv(earnings(e))
    head, _, days = text.partition("\n\n")
    row = next(csv.DictReader(io.StringIO(head)))
    assert row["dseq"] == "7" and row["denom"] == "ACT" and row["withdrawn"] == "1.500000"
    assert row["balance"] == "0.250000" and row["total"] == "1.750000" and row["rate_per_block"] == "10"
    lines = days.strip().splitlines()
    assert lines[0] == "day_utc,start_height,end_height,ACT" and len(lines) == 6
