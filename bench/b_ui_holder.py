"""UI never freezes (holder tabs): the longest gap between two ticks of a 10 ms QTimer while the Staking tab
reloads validators and the Wallet tab loads its history from a local node (offscreen), then while 1,000
validators and 5,000 history rows go into the table models. Aim: under 50 ms. Runs in a child process so its
Qt event loop is its own."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RELOADS = 10
AIM_MS = 50.0


class GapMeter:
    """Records the gaps between ticks of a 10 ms timer (the GUI thread's responsiveness)."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.gaps: list[float] = []
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self._last) * 1000)
        self._last = now

    def start(self) -> None:
        self.gaps.clear()
        self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> tuple[float, float, int]:
        self.timer.stop()
        ordered = sorted(self.gaps) or [0.0]
        return ordered[-1], ordered[int(len(ordered) * 0.99) - 1 if len(ordered) > 1 else 0], len(ordered)


async def _idle(ms: int) -> None:
    await asyncio.sleep(ms / 1000)


async def _wait_ops() -> None:
    from ui.ops import running_ops

    while running_ops():
        await asyncio.sleep(0.005)


def _synthetic_validators(n: int):
    from decimal import Decimal

    from app.chain.staking import BondStatus, Commission, Description, Validator
    from app.staking import rank_validators

    vals = [Validator(f"akashvaloper1bench{i:05d}", "", i % 37 == 0,
                      BondStatus.BONDED if i < n * 0.6 else BondStatus.UNBONDED, (n - i) * 1_000_000_000,
                      Decimal(0), Description(f"Validator {i:04d}", "", "", "", ""), 0, None,
                      Commission(Decimal("0.05") + Decimal(i % 20) / 100, Decimal(1), Decimal("0.01"), None), 1)
            for i in range(n)]
    return rank_validators(tuple(vals))


def _synthetic_history(n: int):
    from datetime import UTC, datetime

    from app.history import HistoryEntry

    now = datetime.now(UTC)
    return [HistoryEntry(f"{i:064X}", 1_000_000 - i, now, i % 50 != 0, 0 if i % 50 else 5, "", (f"Sent {i} AKT to x",),
                         {"uakt": -i * 1000 - 5000}, {"uakt": 5000}, "", ("/cosmos.bank.v1beta1.MsgSend",))
            for i in range(n)]


async def _measure(report) -> None:
    from app import config
    from app import settings as settings_mod
    from app.localnet.genesis import DEMO_MNEMONIC
    from app.localnet.runner import LocalNode
    from app.session import Session
    from app.wallet.kdf import Argon2idParams
    from app.wallet.keystore import Keystore
    from ui.context import AppContext
    from ui.tabs.staking import StakingTab
    from ui.tabs.wallet import WalletTab

    node = await asyncio.to_thread(LocalNode, block_time=1.0, timeout=60)
    try:
        keystore = Keystore(kdf=Argon2idParams(memory_kib=1024, iterations=1, lanes=1))
        keystore.create("demo", DEMO_MNEMONIC, "bench-password-1")
        session = Session(settings_mod.load(), keystore)
        session.reload()
        port = int(node.url.rsplit(":", 1)[1])
        ctx = AppContext(session.settings, session, config.local_network(port))
        ctx.connect_chain()
        staking, wallet = StakingTab(ctx), WalletTab(ctx)
        for tab in (staking, wallet):
            tab.resize(1100, 700)
            tab.show()
        await _idle(300)
        meter = GapMeter()
        meter.start()
        t0 = time.perf_counter()
        for _ in range(RELOADS):
            staking.refresh()  # full: validators, uptime, delegations, rewards, unbondings
            wallet.refresh()  # balances and the first history page
            await _wait_ops()
            await _idle(20)
        elapsed = (time.perf_counter() - t0) / RELOADS
        worst, p99, ticks = meter.stop()
        report(f"  {RELOADS} reloads of Staking (10 validators, delegations, rewards) + Wallet (balances, "
               f"{wallet.history_model.rowCount()} history rows) from the local node: {elapsed * 1000:.0f} ms each; "
               f"longest timer gap {worst:.1f} ms, p99 {p99:.1f} ms over {ticks} ticks -> "
               f"{'ok' if worst < AIM_MS else 'OVER AIM'} [aim < {AIM_MS:.0f} ms]")

        rows, entries = _synthetic_validators(1000), _synthetic_history(5000)
        meter.start()
        for _ in range(5):
            staking.validators = rows
            staking._fill_validators()
            await _idle(15)
            wallet.history_model.set_rows([])
            for i in range(0, len(entries), 50):  # pages as the lazy model receives them
                wallet.history_model.append_rows(entries[i:i + 50])
                await _idle(0)
            await _idle(15)
        worst, p99, ticks = meter.stop()
        report(f"  1,000 validators into the sorted model and 5,000 history rows in pages of 50, 5 times: "
               f"longest timer gap {worst:.1f} ms, p99 {p99:.1f} ms over {ticks} ticks -> "
               f"{'ok' if worst < AIM_MS else 'OVER AIM'} [aim < {AIM_MS:.0f} ms]")
        await ctx.aclose()
    finally:
        await asyncio.to_thread(node.cleanup)


def child() -> None:
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(_measure(lambda line: print(line, flush=True)))


def main() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with tempfile.TemporaryDirectory(prefix="bench-ui-holder-") as home:
        env["AKASH_DESK_HOME"] = home
        proc = subprocess.run([sys.executable, "-m", "bench.b_ui_holder", "--child"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=600)
    sys.stdout.write(proc.stdout)
    if proc.returncode != 0:
        raise RuntimeError(f"the measuring process failed: {proc.stderr.strip()[-1500:]}")


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    else:
        main()
