"""Bids tab: the live bids of a deployment (one table per order), filters, countdown, why-no-bids, Accept.

While the tab is visible, one op (ui.ops) consumes app.market.bids.watch_bids (polling with backoff) and
syncs the BidsModel in place; hiding the tab cancels it, showing it again resumes.
"""

from __future__ import annotations

import logging
import time
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from app.config import DEFAULT_BLOCK_TIME_S
from app.market.compare import BidFilters, BidRow, OrderKey, auto_select
from ui import ops, shortcuts
from ui.context import AppContext
from ui.models.bids import BidsModel
from ui.resources import icon
from ui.tabs.base import TabPage
from ui.tenant import QtTxSender, market_context, navigate, provider_access, provider_directory, tenant_hub
from ui.widgets.bid_filters import BidFilterBar
from ui.widgets.bid_groups import BidGroups, explanation_html
from ui.widgets.columns import remember_columns

log = logging.getLogger(__name__)

NO_BIDS_AFTER_S = 60.0  # Console's NO_BIDS_TIMEOUT: after this, an order without bids gets the why panel
NEVER_BUSY_MS = 2**31 - 1  # the watch runs for minutes: no busy row for it (the status line says it)


class BidsTab(TabPage):
    key = "bids"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.dseq: int | None = None
        self.model = BidsModel(self)
        self.model.set_favourites(ctx.settings.favourite_providers)
        self.snapshot: Any = None
        self.watch_started = time.monotonic()
        self.block_time_s = Decimal(DEFAULT_BLOCK_TIME_S)  # measured by the watch
        self.poll_op: ops.Op | None = None
        self.polls = 0
        self._watches = 0
        self._explained: set[OrderKey] = set()
        self._build()
        self.hub = tenant_hub(ctx)
        self.hub.deployment_created.connect(self.watch)
        self.hub.deployments_changed.connect(self._load_deployments)
        ctx.account_changed.connect(self._reset)
        ctx.network_changed.connect(self._reset)
        self.filters.changed.connect(self._filters_changed)
        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self._tick)
        self._load_deployments()
        if self.hub.watched_dseq is not None:
            self.watch(self.hub.watched_dseq)

    # -- layout ------------------------------------------------------------------------------------------

    def _build(self) -> None:
        top = QHBoxLayout()
        self.deployment = QComboBox(self)
        self.deployment.setObjectName("bidsDeployment")
        self.deployment.setToolTip("The deployment whose bids are shown")
        self.deployment.setMinimumWidth(280)
        self.deployment.activated.connect(lambda _i: self._deployment_chosen())
        self.status = QLabel(self)
        self.status.setObjectName("bidsStatus")
        self.status.setWordWrap(True)
        top.addWidget(QLabel("Deployment", self))
        top.addWidget(self.deployment)
        top.addWidget(self.status, 1)
        self.filters = BidFilterBar(self)
        self.view = BidGroups(self.model, self)
        self.groups = self.view.groups  # the same dict: one group (table) per order
        self.view.synced.connect(self._synced)
        self.view.group_added.connect(lambda group: remember_columns(group, self.ctx.settings, "bids"))
        self.view.why_requested.connect(self.explain)
        self.view.favourite_toggled.connect(self.toggle_favourite)
        self.view.accept_requested.connect(lambda: self.accept_selected())
        self.view.selection_changed.connect(self._update_buttons)
        bottom = QHBoxLayout()
        self.auto = QPushButton("Select the cheapest", self)
        self.auto.setObjectName("autoSelect")
        self.auto.setToolTip(shortcuts.tip("In each group, select the cheapest open bid that passes the filters "
                                           "(never an offline provider)", "bids.cheapest"))
        self.accept = QPushButton(icon("deployments"), "Accept selected bids", self)
        self.accept.setObjectName("acceptBids")
        self.accept.setToolTip(shortcuts.tip("Lease the selected bid of each group (the cheapest passing the filters "
                                             "where none is selected), then send the manifest", "bids.accept"))
        self.close_deployment = QPushButton("Close deployment", self)
        self.close_deployment.setObjectName("closeWaitingDeployment")
        self.close_deployment.setToolTip("Give up on this deployment and get the deposit back")
        bottom.addWidget(self.close_deployment)
        bottom.addStretch(1)
        bottom.addWidget(self.auto)
        bottom.addWidget(self.accept)
        self.layout_.addLayout(top)
        self.layout_.addWidget(self.filters)
        self.layout_.addWidget(self.view, 1)
        self.layout_.addLayout(bottom)
        self.auto.clicked.connect(self.select_cheapest)
        self.accept.clicked.connect(lambda: self.accept_selected())
        self.close_deployment.clicked.connect(self.close_current)
        within = Qt.ShortcutContext.WidgetWithChildrenShortcut
        shortcuts.bind(self, "bids.accept", lambda: self.accept_selected(), within)
        shortcuts.bind(self, "bids.cheapest", lambda: self.select_cheapest() if self.auto.isEnabled() else None)
        self._update_buttons()

    # -- which deployment ----------------------------------------------------------------------------------

    def _load_deployments(self) -> None:
        """Offer the account's open deployments from the local records (newest first)."""
        self.deployment.blockSignals(True)
        self.deployment.clear()
        account = self.ctx.session.account
        records = []
        if account is not None:
            from app.market.records import RecordStore

            try:  # the local records only: no network needed to offer them
                records = [r for r in RecordStore.for_network(self.ctx.network).of_owner(account.address)
                           if r.state != "closed"]
            except OSError as exc:
                log.warning("deployment records unreadable: %s", exc)
        for r in sorted(records, key=lambda r: -r.dseq):
            self.deployment.addItem(f"{r.dseq} — {r.name}", r.dseq)
        if self.dseq is not None and self.deployment.findData(self.dseq) < 0:
            self.deployment.insertItem(0, str(self.dseq), self.dseq)
        self.deployment.setCurrentIndex(max(0, self.deployment.findData(self.dseq)) if self.dseq else -1)
        self.deployment.blockSignals(False)

    def _deployment_chosen(self) -> None:
        dseq = self.deployment.currentData()
        if dseq is not None and dseq != self.dseq:
            self.watch(int(dseq))

    def watch(self, dseq: int) -> None:
        """Show the bids of deployment `dseq` (polling while the tab is visible)."""
        if self.dseq == int(dseq) and self.poll_op is not None and self.poll_op.running:
            return  # already watching it
        self.stop_polling()
        self.dseq = int(dseq)
        self.hub.watched_dseq = self.dseq
        self.snapshot = None
        self.watch_started = time.monotonic()
        self._explained.clear()
        self.view.clear()
        self._load_deployments()
        self.status.setText(f"Waiting for bids on deployment {self.dseq}…")
        self._update_buttons()
        if self.isVisible():
            self.start_polling()

    def _reset(self) -> None:
        self.stop_polling()
        self.dseq = None
        self.snapshot = None
        self.view.clear()
        self._load_deployments()
        self.status.clear()
        self._update_buttons()

    # -- polling --------------------------------------------------------------------------------------------

    def shown(self) -> None:
        self.start_polling()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.start_polling()

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().hideEvent(event)
        self.stop_polling()

    def refresh(self) -> None:
        self.stop_polling()
        self._load_deployments()
        self.start_polling()

    def start_polling(self) -> None:
        if self.dseq is None or (self.poll_op is not None and self.poll_op.running):
            return
        if self.snapshot is not None and self.snapshot.done:
            return  # every order is leased or closed: nothing will change
        dseq = self.dseq
        self._watches += 1  # a fresh key: a cancelled watch still unwinding must not be taken for this one
        self.poll_op = ops.run_op(self, lambda: self._watch(dseq), success=self._watch_ended,
                                  key=f"watch-bids-{self._watches}",
                                  failure=self._watch_failed, progress_label="Watching bids…",
                                  busy_delay_ms=NEVER_BUSY_MS)
        self.ticker.start()

    def stop_polling(self) -> None:
        if self.poll_op is not None and self.poll_op.running:
            self.poll_op.cancel()
        self.poll_op = None
        self.ticker.stop()

    async def _watch(self, dseq: int) -> str:
        from app.market.bids import compare_bids, watch_bids

        mctx = market_context(self.ctx)
        directory = provider_directory(mctx)
        self.block_time_s = await mctx.clock.block_time_s()
        async for snap in watch_bids(mctx, dseq, min_interval_s=2.0, max_interval_s=15.0):
            if dseq != self.dseq:
                break
            rows = await compare_bids(mctx, snap, directory)
            self.polls += 1
            self.apply(snap, rows)
        return "done"

    def _watch_ended(self, _result: str) -> None:
        self.ticker.stop()
        if self.snapshot is not None and self.snapshot.done:
            self.status.setText(f"Deployment {self.dseq}: every group is leased or closed; no more bids will come.")

    def _watch_failed(self, exc: BaseException) -> None:
        from ui.errors import user_message

        message = user_message(exc)
        self.status.setText(f"{message.title}: {message.text} (F5 to retry)")
        self.ticker.stop()

    # -- showing ---------------------------------------------------------------------------------------------

    def apply(self, snap: Any, rows: list[BidRow]) -> None:
        """Show one snapshot (the groups fill in chunks when many bids are new; then `_synced`)."""
        self.snapshot = snap
        self.view.show_snapshot(snap, rows)

    def _synced(self, snap: Any, rows: list[BidRow]) -> None:
        self.filters.offer(self.model.regions(), self.model.gpu_models())
        ago = "" if not snap.error else f" — the last check failed ({snap.error}); showing the previous data"
        self.status.setText(f"Deployment {snap.dseq} at block {snap.height:,}: {len(rows)} open "
                            f"bid{'s' if len(rows) != 1 else ''}{ago}")
        self._tick()
        self._update_buttons()

    def waited_s(self, order: Any) -> float:
        """How long an order has been open: since we watch it, or its age on chain when that is longer."""
        on_chain = float(self.snapshot.order_age_blocks(order) * self.block_time_s) if self.snapshot else 0.0
        return max(time.monotonic() - self.watch_started, on_chain)

    def _tick(self) -> None:
        self.model.tick()
        open_orders = {(o.id.gseq, o.id.oseq): o for o in self.snapshot.open_orders} if self.snapshot else {}
        summary = self.model.order_summary()
        with_bids = set(summary)
        for key, group in self.groups.items():
            group.refresh_header(summary)
            waited = self.waited_s(open_orders[key]) if key in open_orders else 0.0
            late = key in open_orders and key not in with_bids and waited >= NO_BIDS_AFTER_S
            group.show_why(late, f"No bids after {int(waited)} s: there should be some by now." if late else "")
            if late and key not in self._explained:
                self._explained.add(key)
                self.explain(key)

    def _filters_changed(self, filters: BidFilters) -> None:
        self.view.set_filters(filters)
        self._update_buttons()

    def toggle_favourite(self, provider: str) -> None:
        favourites = list(self.ctx.settings.favourite_providers)
        if provider in favourites:
            favourites.remove(provider)
        else:
            favourites.append(provider)
        self.ctx.settings.favourite_providers = favourites
        self.ctx.save_settings()
        self.model.set_favourites(favourites)  # dataChanged on the star column: the proxies re-filter and re-sort

    # -- why no bids ---------------------------------------------------------------------------------------

    def explain(self, order: OrderKey) -> ops.Op | None:
        if self.dseq is None:
            return None
        dseq, snap = self.dseq, self.snapshot

        async def work() -> list[Any]:
            from app.market.whynobids import explain_no_bids

            mctx = market_context(self.ctx)
            found = await explain_no_bids(mctx, dseq, provider_directory(mctx), snap=snap)
            return [e for e in found if e.order == order]

        group = self.groups.get(order)
        return ops.run_op(self, work, success=lambda found: group and group.show_explanation(explanation_html(found)),
                          progress_label="Checking the providers…", key=f"why-{order}",
                          disable=[group.why] if group else [])

    # -- accept -------------------------------------------------------------------------------------------

    def chosen(self) -> dict[OrderKey, BidRow]:
        """The bid to accept per open order: the selected one, else the cheapest passing the filters."""
        auto = auto_select(self.model.rows(), self.filters.filters())
        picked = {}
        open_orders = {(o.id.gseq, o.id.oseq) for o in self.snapshot.open_orders} if self.snapshot else set()
        for key, group in self.groups.items():
            if key not in open_orders:
                continue
            row = group.selected() or auto.get(key)
            if row is not None:
                picked[key] = row
        return picked

    def select_cheapest(self) -> None:
        self.view.select_rows(auto_select(self.model.rows(), self.filters.filters()))
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_bids = self.model.rowCount() > 0
        self.auto.setEnabled(has_bids)
        self.accept.setEnabled(has_bids and self.dseq is not None)
        self.close_deployment.setEnabled(self.dseq is not None)

    def accept_selected(self) -> ops.Op | None:
        """Lease the chosen bids (confirmation, then manifest), then show the deployment."""
        if self.dseq is None:
            return None
        picked = self.chosen()
        if not picked:
            from app.market.errors import NoBidSelected

            ops.show_error(self, NoBidSelected("no open bid passes the filters in any group"))
            return None
        dseq, rows = self.dseq, [picked[k] for k in sorted(picked)]
        sender = QtTxSender(self, self.ctx)

        async def work(progress: ops.Progress) -> Any:
            from app.market.lease import accept_bids

            mctx = market_context(self.ctx)
            access = await provider_access(self, self.ctx)
            return await accept_bids(mctx, dseq, rows, sender, access, directory=provider_directory(mctx),
                                     progress=lambda line: progress(None, line))

        return ops.run_op(self, work, success=lambda result: self._accepted(dseq, result), with_progress=True,
                          progress_label="Accepting the bid…", key="accept",
                          disable=[self.accept, self.auto, self.close_deployment])

    def _accepted(self, dseq: int, result: Any) -> None:
        self.stop_polling()
        words = "; ".join(d.words() for d in result.deliveries) or "no manifest was needed"
        self.ctx.status.emit(f"Lease created for deployment {dseq}: {words}")
        hub = self.hub
        hub.selected_dseq = dseq
        page = navigate(self, "deployments")
        hub.lease_created.emit(dseq)
        if page is not None and hasattr(page, "select"):
            page.select(dseq)
        failed = [d for d in result.deliveries if not d.ok]
        if failed:  # the lease exists and is paid for: say so, and how to finish
            box = ops.show_error(page or self, failed[0].error or RuntimeError(failed[0].words()))
            box.setInformativeText("The lease exists but the provider does not have the manifest yet. Use “Resend "
                                   "manifest” in Deployments within 5 minutes, or close the deployment.")

    def close_current(self) -> ops.Op | None:
        if self.dseq is None:
            return None
        dseq = self.dseq
        sender = QtTxSender(self, self.ctx)

        async def work() -> Any:
            from app.market.manage import close_deployment

            return await close_deployment(market_context(self.ctx), dseq, sender)

        def closed(_result: Any) -> None:
            self.ctx.status.emit(f"Deployment {dseq} closed; the deposit left returns to your balance")
            self.hub.deployments_changed.emit()
            self._reset()

        return ops.run_op(self, work, success=closed, progress_label="Closing the deployment…", key="close",
                          disable=[self.close_deployment, self.accept])
