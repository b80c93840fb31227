"""The low-funds watch: the account's active deployments read now and then in the background, a desktop
notification when one of them runs low on funds (app.market.runway.LowFundsMonitor: once per crossing).

It runs with the main window whether or not the Deployments tab was ever opened. The tab feeds it the
lists it reads while shown (`observe`), and reads the watch's lists while hidden (`lines_read`), so the
chain is asked once, not twice.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from ui.context import AppContext

log = logging.getLogger(__name__)

INTERVAL_S = {"local": 30, "sandbox": 180, "mainnet": 180}  # between two background reads
FIRST_S = 5.0  # the first read waits until the window is up and the chain connected
SOON_S = 4.0  # after a transaction (a new lease, a deposit): read again once the block is in


class RunwayWatch(QObject):
    """Reads the deployments every few minutes (and soon after each transaction) and notifies low funds."""

    lines_read = Signal(list)  # app.market.overview.DeploymentLine, active deployments only
    low_funds = Signal(object)  # app.market.runway.LowFunds

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent if parent is not None else ctx)
        self.setObjectName("runwayWatch")
        self.ctx = ctx
        self._monitor: Any = None  # app.market.runway.LowFundsMonitor, made on first use (a short cold start)
        self.signals: list[Any] = []  # every LowFunds notified, newest last
        self.reads = 0
        self.started = False
        self._task: asyncio.Task[None] | None = None
        self._again = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.check)
        ctx.network_changed.connect(self._reset)
        ctx.account_changed.connect(self._reset)
        ctx.tx_done.connect(lambda _result: self.check_soon())

    # -- schedule ----------------------------------------------------------------------------------------

    def start(self, first_s: float = FIRST_S) -> None:
        """Begin the background reads (the main window calls it once it is built)."""
        from ui.tenant import tenant_hub

        if self.started:
            return
        self.started = True
        hub = tenant_hub(self.ctx)
        hub.lease_created.connect(lambda _dseq: self.check_soon())
        hub.deployments_changed.connect(self.check_soon)
        self._timer.start(round(first_s * 1000))

    def stop(self) -> None:
        self.started = False
        self._timer.stop()
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def interval_s(self) -> float:
        return float(INTERVAL_S.get(self.ctx.network.key, 180))

    def check_soon(self, delay_s: float = SOON_S) -> None:
        """Read again shortly (coalesces: several transactions in a row give one read)."""
        if not self.started:
            return
        if self._task is not None and not self._task.done():
            self._again = True  # the read in flight may have missed the change
        elif not self._timer.isActive() or self._timer.remainingTime() > delay_s * 1000:
            self._timer.start(round(delay_s * 1000))

    def _schedule_next(self) -> None:
        if self.started:
            self._timer.start(round(self.interval_s() * 1000))

    # -- reading -----------------------------------------------------------------------------------------

    def check(self) -> asyncio.Task[None] | None:
        """Read the deployments now (one read at a time); the next one is scheduled when it ends."""
        if self._task is not None and not self._task.done():
            return self._task
        if self.ctx.session.account is None or self.ctx.client is None:
            self._schedule_next()
            return None
        self._task = asyncio.ensure_future(self._read())
        return self._task

    async def _read(self) -> None:
        from app.market.overview import deployments_overview
        from ui.tenant import market_context, provider_directory

        try:
            mctx = market_context(self.ctx)
            lines = await deployments_overview(mctx, directory=provider_directory(mctx), include_closed=False)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - a background read: the next one may work; the tab shows errors
            log.info("low-funds watch: the deployments could not be read: %s", exc)
            self._again = False
            self._schedule_next()
            return
        self.reads += 1
        self.observe(lines)
        self.lines_read.emit(lines)
        if self._again:
            self._again = False
            self._timer.start(round(SOON_S * 1000))

    def observe(self, lines: list[Any]) -> None:
        """Deployments read by anyone (this watch, or the Deployments tab while shown): check their runway and
        push the next background read back (the list is fresh)."""
        self.monitor.update(line.runway for line in lines if line.runway is not None)
        self._schedule_next()

    @property
    def monitor(self) -> Any:
        if self._monitor is None:
            from app.market.runway import LowFundsMonitor

            self._monitor = LowFundsMonitor(notify=self._notify)
        return self._monitor

    def _notify(self, signal: Any) -> None:
        self.signals.append(signal)
        self.low_funds.emit(signal)
        title = "Deployment out of funds" if signal.level == "empty" else "Deployment running low on funds"
        if self.ctx.notifier is not None:
            self.ctx.notifier.notify(title, signal.message, "low_runway")
        else:
            self.ctx.status.emit(signal.message)

    def _reset(self) -> None:
        """Another account or network: forget what was notified and read the new list soon."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self._monitor = None
        self.check_soon(FIRST_S)


def runway_watch(ctx: AppContext) -> RunwayWatch:
    """The window's watch (made on first use; the main window starts it)."""
    watch = ctx.findChild(RunwayWatch, "runwayWatch")
    return watch if watch is not None else RunwayWatch(ctx)
