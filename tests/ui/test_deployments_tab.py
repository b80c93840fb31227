"""Deployments tab without a network: the list model (qtmodeltester), low runway highlighted and notified once,
lease detail in words (clickable URIs, ports, IPs, close reasons), add-funds and update-SDL dialogs, certificates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from app import settings as settings_mod
from app.chain.common import DecCoin
from app.chain.market import BidID, Lease, LeaseClosedReason, LeaseInfo, LeaseState
from app.market.lease import LeaseView
from app.market.overview import DeploymentLine, LeaseLine
from app.market.records import DeploymentRecord, ManifestVersion
from app.market.runway import Runway
from app.provider.certstore import CertificateEntry, CertStatus
from app.provider.errors import ProviderUnreachable
from app.provider.models import ForwardedPort, LeasedIp, LeaseStatus, ServiceStatus
from app.sdl.templates import list_templates
from app.session import Session
from app.wallet.keystore import Keystore
from ui.context import AppContext
from ui.dialogs.deployment_funds import AddFundsDialog
from ui.dialogs.deployment_update import UpdateSdlDialog
from ui.models.certs import CertificatesModel
from ui.models.deployments import COLUMNS, ESCROW, RUNWAY, DeploymentsModel, is_low
from ui.notify import Notifier
from ui.tabs.deployments import DeploymentsTab
from ui.widgets.deployment_detail import lease_html, uri_link

OWNER = "akash1c2qvxwatpml5he5apgkwlc62qa3aj58cdhlqj5"
PROVIDER = "akash1provider000000000000000000000000000"
HELLO = next(t for t in list_templates() if t.name == "hello-world").text


def runway(dseq: int, remaining_uact: int, rate: int = 100, block_time: str = "6") -> Runway:
    blocks = max(0, remaining_uact // rate) if rate else None
    return Runway(dseq, Decimal(remaining_uact), 100, 100, Decimal(rate), Decimal(block_time), Decimal(remaining_uact),
                  blocks)


def line(dseq: int, *, name: str = "web", left_uact: int = 50_000_000, state: str = "active",
         leases: tuple = (), record: bool = True) -> DeploymentLine:
    rec = None
    if record:
        rec = DeploymentRecord(dseq, OWNER, "local", "localnet-1", name,
                               versions=[ManifestVersion(HELLO, "[]", "ab" * 32)])
    rw = runway(dseq, left_uact) if state == "active" else None
    return DeploymentLine(dseq, name, state, "Active" if state == "active" else "Closed: out of funds", 90,
                          Decimal("4.38") if state == "active" else None, Decimal(left_uact), rw, leases, rec)


def lease_line(state: str = "active", reason: str = "") -> LeaseLine:
    return LeaseLine(1, 1, PROVIDER, "Ember Hosting", state, "Active" if state == "active" else "Closed: out of funds",
                     Decimal(10), "uact", Decimal("4.38"), reason)


def test_model_passes_qtmodeltester_and_syncs_by_dseq(qtmodeltester) -> None:
    model = DeploymentsModel()
    model.sync([line(3), line(2), line(1)])
    qtmodeltester.check(model, force_py=True)
    model.sync([line(4), line(3, name="renamed"), line(1)])  # one new on top, one gone, one renamed
    assert [model.line_at(i).dseq for i in range(3)] == [4, 3, 1]
    assert model.index(1, 0).data() == "renamed"
    model.sync([line(1), line(3)])  # order changed
    assert [model.line_at(i).dseq for i in range(2)] == [1, 3]
    assert model.columnCount() == len(COLUMNS) and model.row_of(3) == 1 and model.row_of(9) == -1


def test_low_runway_is_highlighted() -> None:
    model = DeploymentsModel()
    # 100 uact per block at 6 s: 1 ACT is 10,000 blocks = 16 h 40 min; 50 ACT about 34 days
    model.sync([line(2, left_uact=1_000_000), line(1, left_uact=50_000_000), line(3, left_uact=-5, state="active")])
    low, fine, empty = (model.line_at(i) for i in range(3))
    assert is_low(low) and not is_low(fine) and is_low(empty)
    assert model.index(0, RUNWAY).data() == "16 h 40 min" and model.index(1, RUNWAY).data() == "34 days 17 h"
    assert model.index(0, RUNWAY).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert model.index(1, RUNWAY).data(Qt.ItemDataRole.ForegroundRole) is None
    assert model.index(2, RUNWAY).data() == "out of funds"
    assert model.index(0, ESCROW).data() == "1.0000 ACT"
    assert "ACT left" in model.index(0, RUNWAY).data(Qt.ItemDataRole.ToolTipRole)


@pytest.fixture
def tab(qtbot) -> DeploymentsTab:
    session = Session(settings_mod.load(), Keystore())
    session.reload()
    window = QWidget()
    qtbot.addWidget(window)
    ctx = AppContext(session.settings, session)
    ctx.notifier = Notifier(window, use_tray=False)
    t = DeploymentsTab(ctx)
    qtbot.addWidget(t)
    t.resize(1300, 800)
    return t


def test_low_funds_fire_one_notification_per_deployment(qtbot, tab) -> None:
    posted = []
    tab.ctx.notifier.posted.connect(posted.append)
    tab._listed([line(2, left_uact=1_000_000), line(1, left_uact=50_000_000)])
    assert len(posted) == 1 and "Deployment 2 runs out of funds" in posted[0]
    tab._listed([line(2, left_uact=900_000), line(1, left_uact=50_000_000)])
    assert len(posted) == 1  # not again while it stays low
    tab._listed([line(2, left_uact=-10), line(1, left_uact=50_000_000)])
    assert len(posted) == 2 and "out of funds" in posted[1]
    assert tab.summary.text() == "2 active deployments"
    assert tab.detail.line.dseq == 2  # the first row is selected and shown


def _status() -> LeaseStatus:
    svc = ServiceStatus("web", 1, 1, ("abc.ingress.example.com",), 1, 1, 1, 1, 1)
    port = ForwardedPort("web", "provider.example.com", 22, 31022, "TCP", "")
    ip = LeasedIp("web", "203.0.113.7", 80, 80, "TCP")
    return LeaseStatus({"web": svc}, {"web": (port,)}, {"web": (ip,)}, ())


def _lease_info(state: LeaseState = LeaseState.ACTIVE) -> LeaseInfo:
    lease = Lease(BidID(OWNER, 5, 1, 1, PROVIDER, 1), state, DecCoin("uact", Decimal(10)), 100, 0,
                  LeaseClosedReason.INVALID, None)
    return LeaseInfo(lease, None)


def test_lease_detail_in_words_with_clickable_uris(qtbot, tab) -> None:
    detail = tab.detail
    current = line(5, leases=(lease_line(),))
    detail.show_line(current)
    assert detail.connect_button.isVisibleTo(detail)  # locked: ask before talking to the provider
    assert detail.add_funds_button.isEnabled() and detail.close_button.isEnabled()
    detail.show_line(current, [LeaseView(_lease_info(), "https://provider.example.com:8443", _status(), None)])
    html = detail.leases.text()
    assert uri_link("abc.ingress.example.com") in html and 'href="http://abc.ingress.example.com"' in html
    assert "port 22/TCP" in html and "provider.example.com:31022" in html and "203.0.113.7:80" in html
    assert "1/1 ready" in html and detail.uris() == ["abc.ingress.example.com"]
    assert detail.leases.openExternalLinks() and not detail.connect_button.isVisibleTo(detail)
    # the provider not answering is said in words
    failed = LeaseView(_lease_info(), "https://p:8443", None, ProviderUnreachable("https://p:8443", "refused"))
    assert "did not give the status" in lease_html(current, [failed])
    # a closed lease says why
    closed = line(6, state="closed", leases=(lease_line("closed", "The deployment's escrow ran out of ACT."),))
    detail.show_line(closed)
    assert "ran out of ACT" in detail.leases.text()
    assert not detail.close_button.isEnabled() and not detail.add_funds_button.isEnabled()
    assert detail.redeploy_button.isEnabled()  # the local record keeps the SDL


def test_redeploy_opens_the_sdl_in_the_deploy_tab(qtbot, tab, monkeypatch) -> None:
    loaded = []

    class FakeDeploy:
        def load_sdl(self, text, name=""):
            loaded.append((text, name))

    monkeypatch.setattr("ui.tabs.deployments.navigate", lambda widget, key: FakeDeploy() if key == "deploy" else None)
    tab.detail.show_line(line(7, name="my site"))
    qtbot.mouseClick(tab.detail.redeploy_button, Qt.MouseButton.LeftButton)
    assert loaded == [(HELLO, "my site")]


def test_add_funds_dialog(qtbot) -> None:
    dialog = AddFundsDialog(line(5, left_uact=1_000_000))
    qtbot.addWidget(dialog)
    assert not dialog.ok.isEnabled()
    qtbot.mouseClick(dialog.quick[1], Qt.MouseButton.LeftButton)  # +7 days at 100 uact per 6 s block
    assert dialog.amount_uact() == 100 * 600 * 24 * 7 and dialog.ok.isEnabled()
    assert "7.0 more days" in dialog.after.text()
    dialog.amount.setText("-1")
    assert not dialog.ok.isEnabled() and "positive amount" in dialog.error.text()
    dialog.amount.setText("0.0000001")
    assert dialog.amount_uact() is None


def test_update_dialog_reuses_the_editor_and_needs_a_valid_change(qtbot) -> None:
    dialog = UpdateSdlDialog(5, HELLO, "mainnet")
    qtbot.addWidget(dialog)
    assert not dialog.ok.isEnabled() and "Change the SDL" in dialog.hint.text()
    dialog.editor.set_text(HELLO.replace("nginxdemos/hello:plain-text", "nginxdemos/hello:latest"))
    assert dialog.ok.isEnabled() and dialog.text().count("hello:latest") == 1
    dialog.editor.set_text(HELLO.replace("port: 80", "port: eighty"))
    assert not dialog.ok.isEnabled() and dialog.editor.diagnostics()


def test_certificates_model(qtmodeltester) -> None:
    now = datetime.now(UTC)
    model = CertificatesModel()
    model.set_entries([
        CertificateEntry(OWNER, 2, CertStatus.USABLE, "valid", None, now, now + timedelta(days=365)),
        CertificateEntry(OWNER, 1, CertStatus.REVOKED, "revoked", None, None, None),
    ])
    qtmodeltester.check(model, force_py=True)
    assert model.index(0, 1).data() == "usable" and model.index(1, 6).data().startswith("Revoked on chain")
    assert model.index(0, 3).data() == "no" and model.entry_at(1).serial == 1
