"""The detail of one deployment: header, actions, lease status (clickable URIs, ports, IPs, replicas), logs, events."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.sdl.cost import format_amount as money
from ui import shortcuts
from ui.widgets.log_view import LogView

MICRO = 1_000_000


def _esc(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def uri_link(uri: str) -> str:
    """A clickable link for a service URI (the gateway gives host names without a scheme)."""
    href = uri if "://" in uri else f"http://{uri}"
    return f"<a href=\"{_esc(href)}\">{_esc(uri)}</a>"


def lease_html(line: Any, views: list[Any] | None) -> str:
    """The leases of a deployment: state and close reason from the chain, services from the provider."""
    status = {(v.lease.lease.id.gseq, v.lease.lease.id.oseq, v.lease.lease.id.provider): v for v in views or []}
    if not line.leases:
        return "<p><i>No lease yet.</i> Accept a bid in the Bids tab.</p>" if line.state == "active" else \
            "<p><i>No lease.</i></p>"
    parts = []
    for le in line.leases:
        price = f"{money(le.act_per_month)} ACT per month" if le.act_per_month is not None else \
            f"{le.price_per_block:f} {le.denom} per block"
        head = (f"<p><b>Group {le.gseq}</b> — {_esc(le.provider_name)} — {_esc(le.state_text)} — {price}"
                f"<br><small>{_esc(le.provider)}</small></p>")
        body = ""
        if le.close_reason:
            body += f"<p style='color:#c0392b'>{_esc(le.close_reason)}</p>"
        view = status.get((le.gseq, le.oseq, le.provider))
        if view is not None:
            body += _status_html(view)
        parts.append(head + body)
    return "".join(parts)


def _status_html(view: Any) -> str:
    if view.error is not None:
        from ui.errors import user_message

        message = user_message(view.error)
        return f"<p style='color:#c0392b'>The provider did not give the status: {_esc(message.text)}</p>"
    st = view.status
    if st is None:
        return ""
    rows = []
    for name, svc in sorted(st.services.items()):
        uris = ", ".join(uri_link(u) for u in svc.uris)
        ready = f"{svc.ready_replicas}/{svc.total} ready" + (f", {svc.available} available" if svc.available else "")
        rows.append(f"<li><b>{_esc(name)}</b>: {ready}{' — ' + uris if uris else ''}</li>")
    for name, ports in sorted(st.forwarded_ports.items()):
        for p in ports:
            rows.append(f"<li>{_esc(name)}: port {p.port}/{_esc(p.proto)} → "
                        f"<a href=\"{_esc(_port_href(p))}\">{_esc(p.address)}</a></li>")
    for name, ips in sorted(st.ips.items()):
        for ip in ips:
            rows.append(f"<li>{_esc(name)}: IP {_esc(ip.ip)}:{ip.external_port or ip.port}/{_esc(ip.protocol)}</li>")
    errors = "".join(f"<li style='color:#c0392b'>{_esc(e)}</li>" for e in st.errors)
    return f"<ul>{''.join(rows)}{errors}</ul>" if rows or errors else "<p><i>No service reported yet.</i></p>"


def _port_href(port: Any) -> str:
    scheme = "https" if port.port == 443 else "http"
    return f"{scheme}://{port.address}"


class DeploymentDetail(QWidget):
    """Signals for the tab: each action button asks for its flow."""

    add_funds = Signal()
    update_sdl = Signal()
    resend_manifest = Signal()
    close_deployment = Signal()
    redeploy = Signal()
    connect_provider = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deploymentDetail")
        self.line: Any = None
        self.views: list[Any] | None = None
        self.header = QLabel(self)
        self.header.setObjectName("deploymentHeader")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        actions = QHBoxLayout()
        self.add_funds_button = self._button("Add funds…", "addFunds", shortcuts.tip(
            "Move ACT into the escrow (runway)", "deployments.funds"), self.add_funds)
        self.update_button = self._button("Update SDL…", "updateSdl", shortcuts.tip(
            "Change images, env, commands (same resources)", "deployments.update"), self.update_sdl)
        self.resend_button = self._button("Resend manifest", "resendManifest", shortcuts.tip(
            "Send the manifest again to every lease's provider", "deployments.resend"), self.resend_manifest)
        self.redeploy_button = self._button("Redeploy", "redeploy",
                                            "Open this deployment's SDL (from this computer's record) in the Deploy tab",
                                            self.redeploy)
        self.close_button = self._button("Close", "closeDeployment", shortcuts.tip(
            "Close the deployment and its leases; the escrow left comes back", "deployments.close"),
            self.close_deployment)
        for b in (self.add_funds_button, self.update_button, self.resend_button, self.redeploy_button,
                  self.close_button):
            actions.addWidget(b)
        actions.addStretch(1)
        self.leases = QLabel(self)
        self.leases.setObjectName("leaseStatus")
        self.leases.setWordWrap(True)
        self.leases.setTextFormat(Qt.TextFormat.RichText)
        self.leases.setOpenExternalLinks(True)  # the URIs open in the browser
        self.leases.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.leases.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.connect_button = QPushButton("Ask the provider for the status", self)
        self.connect_button.setObjectName("connectProvider")
        self.connect_button.setToolTip("The provider wants proof that the deployment is yours (a token signed by your "
                                       "key, or your client certificate): unlock to see URIs and replicas")
        self.connect_button.clicked.connect(self.connect_provider.emit)
        overview = QWidget(self)
        column = QVBoxLayout(overview)
        column.addWidget(self.leases)
        column.addWidget(self.connect_button)
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(overview)
        self.logs = LogView(self, name="logs")
        self.events = LogView(self, name="events", columns=("Time", "Object", "Event"))
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("deploymentTabs")
        self.tabs.addTab(scroll, "Leases")
        self.tabs.addTab(self.logs, "Logs")
        self.tabs.addTab(self.events, "Events")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addLayout(actions)
        layout.addWidget(self.tabs, 1)
        self.show_line(None)

    def _button(self, text: str, name: str, tip: str, signal: Any) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setToolTip(tip)
        button.clicked.connect(signal.emit)
        return button

    def show_line(self, line: Any, views: list[Any] | None = None) -> None:
        """Show a DeploymentLine (None: nothing selected) and, when known, the providers' lease status."""
        same = self.line is not None and line is not None and line.dseq == self.line.dseq
        self.line = line
        if not same:
            self.views = None
        if views is not None:
            self.views = views
        if line is None:
            self.header.setText("<i>Select a deployment.</i>")
            self.leases.clear()
            for b in self._actions():
                b.setEnabled(False)
            self.connect_button.hide()
            return
        escrow = f"{money(line.escrow_uact / MICRO, 4)} ACT" if line.escrow_uact is not None else "—"
        cost = f"{money(line.act_per_month)} ACT per month" if line.act_per_month is not None else "no cost now"
        runway = line.runway.words() if line.runway is not None else ""
        low = ""
        from ui.models.deployments import is_low

        if is_low(line):
            low = " style='color:#c0392b; font-weight:bold'"
        self.header.setText(f"<h3>{_esc(line.name or 'Deployment')} <small>({line.dseq})</small></h3>"
                            f"<p><b>{_esc(line.state_text)}</b> — {cost} — escrow {escrow}</p>"
                            f"<p{low}>{_esc(runway)}</p>")
        self.leases.setText(lease_html(line, self.views))
        active = line.state == "active"
        has_lease = any(le.state == "active" for le in line.leases)
        self.add_funds_button.setEnabled(active)
        self.update_button.setEnabled(active and line.record is not None)
        self.resend_button.setEnabled(active and has_lease and line.record is not None)
        self.close_button.setEnabled(active)
        self.redeploy_button.setEnabled(line.record is not None and bool(line.record.versions))
        self.connect_button.setVisible(has_lease and self.views is None)

    def _actions(self) -> list[QPushButton]:
        return [self.add_funds_button, self.update_button, self.resend_button, self.redeploy_button, self.close_button]

    def uris(self) -> list[str]:
        return [u for v in self.views or [] for u in v.uris]
