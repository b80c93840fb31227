"""UI never freezes (tenant tabs): the longest gap between two ticks of a 10 ms QTimer while the Bids tab syncs
500 bids (a poll every 200 ms, prices changing, bids coming and going) and the logs view streams 10,000 lines
(offscreen, in the qasync loop as in the app). Issue 7 asks for under 50 ms."""

from __future__ import annotations

import asyncio
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

LINES = 10_000
BIDS = 500
ORDERS = 3
POLL_MS = 200
POLLS = 25
TICK_MS = 10
RUNS = 5
ROOT = Path(__file__).resolve().parent.parent
OWNER = "akash1c2qvxwatpml5he5apgkwlc62qa3aj58cdhlqj5"


def _snapshot_and_rows(rng: random.Random, generation: int) -> tuple[object, list[object]]:
    from app.chain.common import DecCoin
    from app.chain.market import Bid, BidID, BidState, Order, OrderID, OrderState
    from app.chain.resources import GroupSpec, PlacementRequirements, Resources, ResourceUnit
    from app.market.bids import BidSnapshot
    from app.market.compare import BidRow
    from app.market.providers import OnlineStatus, ProviderCard

    unit = ResourceUnit(Resources(1, 1000, (), 1 << 30, (), (), 0, (), ()), 1, DecCoin("uact", Decimal(100)))
    orders = tuple(Order(OrderID(OWNER, 42, g, 1), OrderState.OPEN,
                         GroupSpec(f"group{g}", PlacementRequirements((), (), ()), (unit,)), 100)
                   for g in range(1, ORDERS + 1))
    rows = []
    for i in range(BIDS + 20):
        if rng.random() < 20 / (BIDS + 20):  # about 20 bids missing in each poll: removals and insertions
            continue
        provider = f"akash1bench{i:05d}"
        card = ProviderCard(provider, f"https://p{i}.example:8443",
                            (("organization", f"Provider {i}"), ("region", ("us-west", "eu-central", "ap-south")[i % 3])),
                            (("akash1auditor", ()),) if i % 4 == 0 else ())
        price = Decimal(20 + (i * 7) % 80) + (Decimal(generation % 5) if i % 50 == 0 else 0)
        bid = Bid(BidID(OWNER, 42, 1 + i % ORDERS, 1, provider, 1), BidState.OPEN, DecCoin("uact", price), 110, (),
                  None)
        rows.append(BidRow(bid, card, OnlineStatus(i % 9 != 0, 0.0, 20), None, False, Decimal("6.098"), generation))
    snap = BidSnapshot(42, 110 + generation, time.time(), orders, ())
    return snap, rows


async def _log_stream():
    from app.provider.models import LogLine

    now = datetime.now(UTC)
    for i in range(LINES):
        yield LogLine(f"web-5f7c9d-{i % 4}", f"GET /api/items/{i} 200 {i % 97} ms user-agent=bench", now)
        if i % 500 == 499:
            await asyncio.sleep(0)  # a socket hands over its backlog in chunks


async def _measure(ctx: object) -> dict[str, float]:
    """One run: a fresh Bids tab and logs view, the polls and the stream at once, the 10 ms timer's gaps."""
    from PySide6.QtCore import QTimer

    from ui.tabs.bids import BidsTab
    from ui.widgets.log_view import LogView

    tab = BidsTab(ctx)
    tab.resize(1200, 800)
    view = LogView(name="logs")
    view.resize(1000, 600)
    tab.show()
    view.show()
    rng = random.Random(1)
    polls = [_snapshot_and_rows(rng, generation) for generation in range(POLLS)]  # made before timing starts
    gaps: list[float] = []
    last = [time.perf_counter()]
    sync_ms: list[float] = []

    def tick() -> None:
        now = time.perf_counter()
        gaps.append((now - last[0]) * 1000)
        last[0] = now

    ticker = QTimer()
    ticker.setInterval(TICK_MS)
    ticker.timeout.connect(tick)
    ticker.start()
    await asyncio.sleep(0.3)  # settle: the first paint of empty widgets is not part of the figure
    gaps.clear()
    gc_pauses: list[float] = []
    gc_started = [0.0]

    def gc_watch(phase: str, info: dict) -> None:
        if info.get("generation") == 2:  # full collections: the long ones
            if phase == "start":
                gc_started[0] = time.perf_counter()
            else:
                gc_pauses.append((time.perf_counter() - gc_started[0]) * 1000)

    gc.callbacks.append(gc_watch)
    last[0] = started = time.perf_counter()
    view.feed.follow(_log_stream, services=("web",))
    for snap, rows in polls:
        t0 = time.perf_counter()
        tab.dseq = 42
        tab.apply(snap, rows)
        sync_ms.append((time.perf_counter() - t0) * 1000)
        await asyncio.sleep(POLL_MS / 1000)
    while view.feed.running or view.feed.pending:
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)
    ticker.stop()
    gc.callbacks.remove(gc_watch)
    ordered = sorted(gaps)
    result = dict(
        wall_s=time.perf_counter() - started, max_gap_ms=ordered[-1], p99_gap_ms=ordered[int(len(ordered) * 0.99) - 1],
        median_gap_ms=statistics.median(gaps), ticks=len(gaps), lines=view.model.rowCount(),
        bids=tab.model.rowCount(), sync_ms_max=max(sync_ms), sync_ms_median=statistics.median(sync_ms),
        batches=len(view.feed.batch_sizes), max_batch=max(view.feed.batch_sizes),
        gc_full=len(gc_pauses), gc_max_ms=max(gc_pauses, default=0.0),
    )
    for w in (tab, view):
        w.close()
        w.deleteLater()
    await asyncio.sleep(0.05)
    return result


def _runs() -> list[dict[str, float]]:
    """RUNS measurements in one qasync loop (a second loop on the same QApplication misses timer events)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import qasync
    from PySide6.QtWidgets import QApplication

    from app import settings as settings_mod
    from app.session import Session
    from app.wallet.keystore import Keystore
    from ui.context import AppContext

    app = QApplication.instance() or QApplication([])
    app.setQuitOnLastWindowClosed(False)  # closing one run's widgets must not stop the loop
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    session = Session(settings_mod.load(), Keystore())
    session.reload()
    ctx = AppContext(session.settings, session)

    async def all_runs() -> list[dict[str, float]]:
        return [await _measure(ctx) for _ in range(RUNS)]

    try:
        return loop.run_until_complete(all_runs())
    finally:
        asyncio.set_event_loop(None)


def child() -> None:
    """The measuring process: prints the runs as JSON and leaves without Qt's finalisation."""
    print(json.dumps(_runs()), flush=True)
    os._exit(0)


def _spawn() -> list[dict[str, float]]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    code = "import bench.b_ui_tenant as b; b.child()"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    lines = [line for line in out.stdout.splitlines() if line.startswith("[")]
    if not lines:
        raise RuntimeError(f"the measuring process failed: {out.stderr[-2000:]}")
    return json.loads(lines[-1])


def _report(label: str, runs: list[dict[str, float]]) -> None:
    r = sorted(runs, key=lambda x: x["max_gap_ms"])[len(runs) // 2]  # the median run by its longest gap
    worst = max(x["max_gap_ms"] for x in runs)
    print(f"  {label}: longest gap {r['max_gap_ms']:.1f} ms in the median of {len(runs)} runs (worst run "
          f"{worst:.1f} ms); p99 {r['p99_gap_ms']:.1f} ms, median {r['median_gap_ms']:.1f} ms, {r['ticks']} ticks; "
          f"{r['gc_full']} full GCs meanwhile, the longest {r['gc_max_ms']:.1f} ms")
    print(f"    one bids sync: median {r['sync_ms_median']:.1f} ms, max {r['sync_ms_max']:.1f} ms; "
          f"{r['lines']:,} log lines reached the view in {r['batches']} batches of at most {r['max_batch']:,}")


def main() -> None:
    # In their own processes: the bench runner's process stays free of a QApplication and its event loop.
    print(f"  10 ms QTimer while the Bids tab syncs {POLLS} polls of ~{BIDS} bids ({ORDERS} groups, every {POLL_MS} ms) "
          f"and the logs view streams {LINES:,} lines (issue 7 asks for a longest gap < 50 ms)")
    _report("result", _spawn())


if __name__ == "__main__":
    main()
