"""Deployments tab: the account's deployments (status, cost, escrow, runway), lease detail, logs, events, actions.

The list reloads while the tab is visible (and after any transaction) and feeds the window's low-funds
watch (ui.runway_watch); hidden, the tab stops reading and takes the watch's lists instead. Logs and
events stream through ui.widgets.log_feed.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QWidget,
)

from ui import ops, shortcuts
from ui.context import AppContext
from ui.models.deployments import LINE_ROLE, DeploymentsModel
from ui.resources import icon
from ui.runway_watch import runway_watch
from ui.tabs.base import TabPage
from ui.tenant import market_context, navigate, provider_access, provider_directory, tenant_hub
from ui.widgets import deployment_actions as actions
from ui.widgets.deployment_detail import DeploymentDetail
from ui.widgets.tables import empty_text

log = logging.getLogger(__name__)
REFRESH_S = {"local": 5, "sandbox": 20, "mainnet": 30}


class DeploymentsTab(TabPage):
    key = "deployments"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model = DeploymentsModel(self)
        self.watch = runway_watch(ctx)
        self.watch.lines_read.connect(self._watched)
        self.list_op: ops.Op | None = None
        self.status_op: ops.Op | None = None
        self._streams_for: dict[str, int] = {}
        self._build()
        self.hub = tenant_hub(ctx)
        self.hub.lease_created.connect(self.select)
        self.hub.deployments_changed.connect(self.refresh)
        ctx.tx_done.connect(lambda _r: self.refresh() if self.isVisible() else None)
        ctx.account_changed.connect(self._reset)
        ctx.network_changed.connect(self._reset)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.refresh)
        if self.hub.selected_dseq is not None:
            self.select(self.hub.selected_dseq)

    # -- layout ------------------------------------------------------------------------------------------

    def _build(self) -> None:
        bar = QHBoxLayout()
        self.show_closed = QCheckBox("Show closed", self)
        self.show_closed.setObjectName("showClosed")
        self.show_closed.setToolTip("Also list the deployments that are closed (with why they closed)")
        self.show_closed.toggled.connect(lambda _c: self.refresh())
        self.reload = QPushButton(icon("refresh"), "Refresh", self)
        self.reload.setToolTip("Reload the deployments (F5)")
        self.reload.clicked.connect(self.refresh)
        self.certificates = QPushButton("Certificates…", self)
        self.certificates.setObjectName("openCertificates")
        self.certificates.setToolTip(shortcuts.tip("mTLS client certificates: local and on chain; create, publish, "
                                                   "revoke", "deployments.certificates"))
        self.certificates.clicked.connect(self.open_certificates)
        self.summary = QLabel(self)
        self.summary.setObjectName("deploymentsSummary")
        self.summary.setWordWrap(True)  # an error and what to do next can be long
        bar.addWidget(self.show_closed)
        bar.addWidget(self.reload)
        bar.addWidget(self.certificates)
        bar.addWidget(self.summary, 1)
        self.table = QTableView(self)
        self.table.setObjectName("deploymentsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for col, width in enumerate((135, 55, 110, 95, 100)):  # the runway (last) stays in view at 1280 px
            header.resizeSection(col, width)
        self.empty = empty_text(self.table, self._empty_text)
        self.table.setMinimumWidth(420)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._selected(cur.row()))
        self.detail = DeploymentDetail(self)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([680, 720])
        self.layout_.addLayout(bar)
        self.layout_.addWidget(split, 1)
        d = self.detail
        d.add_funds.connect(self.add_funds)
        d.update_sdl.connect(self.update_sdl)
        d.resend_manifest.connect(self.resend_manifest)
        d.close_deployment.connect(self.close_deployment)
        d.redeploy.connect(self.redeploy)
        d.connect_provider.connect(lambda: self.load_status(ask=True))
        d.tabs.currentChanged.connect(lambda _i: self._maybe_stream())
        self.setTabOrder(self.table, d.add_funds_button)
        for shortcut_id, button in (("deployments.funds", d.add_funds_button), ("deployments.update", d.update_button),
                                    ("deployments.resend", d.resend_button), ("deployments.close", d.close_button),
                                    ("deployments.certificates", self.certificates)):
            shortcuts.bind(self, shortcut_id, button.click)  # a disabled button ignores it

    # -- list ---------------------------------------------------------------------------------------------

    def shown(self) -> None:
        self.refresh()
        self.timer.start(REFRESH_S.get(self.ctx.network.key, 30) * 1000)

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().hideEvent(event)
        self.timer.stop()  # hidden, the low-funds watch reads the list (see _watched)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.timer.start(REFRESH_S.get(self.ctx.network.key, 30) * 1000)

    def refresh(self) -> ops.Op | None:
        if self.ctx.session.account is None or self.ctx.client is None:
            return None
        if self.list_op is not None and self.list_op.running:
            return self.list_op
        include_closed = self.show_closed.isChecked()

        async def work() -> list[Any]:
            from app.market.overview import deployments_overview

            mctx = market_context(self.ctx)
            return await deployments_overview(mctx, directory=provider_directory(mctx), include_closed=include_closed)

        self.list_op = ops.run_op(self, work, success=self._listed, key="deployments", progress_label="Reading deployments…",
                                  failure=self._list_failed, cancellable=True)
        self.empty.update()
        return self.list_op

    def _empty_text(self) -> str:
        if self.ctx.session.account is None:
            return "No wallet yet: create or import one (the + button at the top)."
        if self.list_op is not None and self.list_op.running:
            return "Reading your deployments…"
        if self.list_op is not None and self.list_op.state == "failed":
            return "The deployments could not be read (the reason is above). F5 tries again."
        closed = "" if self.show_closed.isChecked() else ", or tick Show closed to see the closed ones"
        return f"No deployment here yet. Write one in the Deploy tab (Ctrl+2){closed}."

    def _listed(self, lines: list[Any]) -> None:
        current = self.current_line()
        self.model.sync(lines)
        self.watch.observe(lines)
        active = sum(1 for line in lines if line.state == "active")
        self.summary.setText(f"{active} active deployment{'s' if active != 1 else ''}")
        self.summary.setToolTip("")
        target = self.hub.selected_dseq or (current.dseq if current is not None else None)
        row = self.model.row_of(target) if target is not None else -1
        if row < 0 and lines:
            row = 0
        if row >= 0:
            self._select_row(row)
            self.detail.show_line(self.model.line_at(row))
            if self.detail.views is not None and self.detail.tabs.currentIndex() == 0:
                self.load_status()  # keep replicas and URIs current while the leases are shown
        else:
            self.detail.show_line(None)

    def _list_failed(self, exc: BaseException) -> None:
        from ui.errors import user_message

        message = user_message(exc)
        self.summary.setText(f"{message.title}. {message.hint}" if message.hint else message.title)
        self.summary.setToolTip(message.text)  # the details (endpoint, reason) on hover
        self.empty.update()

    def _reset(self) -> None:
        self._stop_streams()
        self.model.sync([])
        self.detail.show_line(None)
        if self.isVisible():
            self.refresh()

    def current_line(self) -> Any | None:
        index = self.table.currentIndex()
        return self.model.data(self.model.index(index.row(), 0), LINE_ROLE) if index.isValid() else None

    def select(self, dseq: int) -> None:
        """Select deployment `dseq` (after the list reloaded if it is not there yet)."""
        self.hub.selected_dseq = int(dseq)
        row = self.model.row_of(int(dseq))
        if row >= 0:
            self._select_row(row)
        self.refresh()

    def _select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        if self.table.currentIndex().row() != row:
            self.table.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                                        | QItemSelectionModel.SelectionFlag.Rows)

    def _selected(self, row: int) -> None:
        line = self.model.line_at(row)
        if line is None:
            return
        changed = self.detail.line is None or self.detail.line.dseq != line.dseq
        self.hub.selected_dseq = line.dseq
        self.detail.show_line(line)
        if changed:
            self._stop_streams()
            self.detail.logs.model.clear()
            self.detail.events.model.clear()
            if not self.ctx.session.locked:
                self.load_status()
        self._maybe_stream()

    def _watched(self, lines: list[Any]) -> None:
        """A background read of the low-funds watch: hidden, the list follows it instead of reading itself."""
        if self.isVisible() or self.show_closed.isChecked():  # shown, it reads itself; closed ones are not in it
            return
        current = self.current_line()
        self.model.sync(lines)
        row = self.model.row_of(current.dseq) if current is not None else -1
        if row >= 0:
            self._select_row(row)

    # -- lease status ----------------------------------------------------------------------------------------

    def load_status(self, *, ask: bool = False) -> ops.Op | None:
        line = self.detail.line
        if line is None or not any(le.state == "active" for le in line.leases):
            return None
        if self.ctx.session.locked and not ask:
            return None
        dseq = line.dseq

        async def work() -> list[Any]:
            from app.market.lease import lease_statuses

            return await lease_statuses(market_context(self.ctx), dseq, await provider_access(self, self.ctx))

        def shown(views: list[Any]) -> None:
            if self.detail.line is not None and self.detail.line.dseq == dseq:
                self.detail.show_line(self.detail.line, views)

        self.status_op = ops.run_op(self, work, success=shown, key=f"status-{dseq}",
                                    progress_label="Asking the provider…", disable=[self.detail.connect_button])
        return self.status_op

    # -- logs and events -------------------------------------------------------------------------------------

    def _maybe_stream(self) -> None:
        """Start the logs (or events) stream of the selected deployment when its view is shown."""
        line = self.detail.line
        view = self.detail.tabs.currentWidget()
        kind = "logs" if view is self.detail.logs else "events" if view is self.detail.events else None
        if kind is None or line is None or not any(le.state == "active" for le in line.leases):
            return
        if self._streams_for.get(kind) == line.dseq and view.feed.running:
            return
        self.start_stream(kind)

    def start_stream(self, kind: str) -> ops.Op | None:
        line = self.detail.line
        if line is None:
            return None
        view = self.detail.logs if kind == "logs" else self.detail.events
        dseq = line.dseq
        services = _services(line)
        view.set_services(services)

        async def work() -> Any:
            return await provider_access(self, self.ctx)

        def connected(access: Any) -> None:
            from app.market.streams import deployment_stream

            mctx = market_context(self.ctx)
            self._streams_for[kind] = dseq
            view.feed.follow(lambda: deployment_stream(mctx, dseq, access, kind=kind, tail=200), services=services)

        return ops.run_op(self, work, success=connected, key=f"stream-{kind}", progress_label="Connecting…")

    def _stop_streams(self) -> None:
        self.detail.logs.feed.stop()
        self.detail.events.feed.stop()
        self._streams_for.clear()

    # -- actions ---------------------------------------------------------------------------------------------

    def add_funds(self) -> ops.Op | None:
        return actions.add_funds(self)

    def update_sdl(self) -> ops.Op | None:
        return actions.update_sdl(self)

    def resend_manifest(self) -> ops.Op | None:
        return actions.resend_manifest(self)

    def close_deployment(self) -> ops.Op | None:
        return actions.close_deployment(self)

    def redeploy(self) -> None:
        line = self.detail.line
        if line is None or line.record is None:
            return
        page = navigate(self, "deploy")
        if page is not None and hasattr(page, "load_sdl"):
            page.load_sdl(line.record.sdl_text, name=line.name)
        else:
            QMessageBox.information(self, "Redeploy", "Open the Deploy tab to redeploy.")

    def open_certificates(self) -> QWidget:
        from ui.dialogs.cert_manager import CertificatesDialog

        dialog = CertificatesDialog(self.ctx, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog


def _services(line: Any) -> list[str]:
    """The service names of the deployment's current SDL (for the per-service filter)."""
    if line.record is None or not line.record.versions:
        return []
    try:
        from app.sdl import parse_sdl

        return list(parse_sdl(line.record.sdl_text, allow_reclamation=True).service_names)
    except Exception:  # noqa: BLE001 - only a convenience for the filter
        return []
