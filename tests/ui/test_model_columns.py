"""Deployments and certificates as RowsModel column specs: bold low runway, numeric sort keys, sync after a sort."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt

from app.provider.certstore import CertificateEntry, CertStatus
from tests.ui.test_deployments_tab import OWNER, line
from ui.models.certs import CertificatesModel
from ui.models.deployments import DSEQ, ESCROW, RUNWAY, DeploymentsModel


def test_low_runway_is_bold_and_red_only_in_its_columns() -> None:
    model = DeploymentsModel()
    model.sync([line(2, left_uact=1_000_000), line(1, left_uact=50_000_000)])
    assert model.index(0, RUNWAY).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(0, ESCROW).data(Qt.ItemDataRole.FontRole) is None  # red, not bold
    assert model.index(0, ESCROW).data(Qt.ItemDataRole.ForegroundRole).name() == "#c0392b"
    assert model.index(1, RUNWAY).data(Qt.ItemDataRole.FontRole) is None
    assert model.index(0, DSEQ).data(Qt.ItemDataRole.ForegroundRole) is None  # active: the normal colour


def test_deployments_sort_by_number_and_sync_keeps_the_sort(qtmodeltester) -> None:
    model = DeploymentsModel()
    model.sync([line(9), line(10, left_uact=1_000_000), line(100, left_uact=-5), line(8, state="closed")])
    model.sort(DSEQ)
    assert [model.line_at(i).dseq for i in range(4)] == [8, 9, 10, 100]  # as numbers, not "10" < "8"
    model.sort(RUNWAY)  # out of funds first, then the shortest; no runway (closed) last
    assert [model.line_at(i).dseq for i in range(4)] == [100, 10, 9, 8]
    model.sync([line(11, left_uact=2_000_000), line(9), line(10, left_uact=1_000_000)])
    assert [model.line_at(i).dseq for i in range(3)] == [10, 11, 9]
    assert model.row_of(11) == 1
    qtmodeltester.check(model, force_py=True)


def test_certificates_sort_by_serial_as_a_number() -> None:
    now = datetime.now(UTC)
    model = CertificatesModel()
    model.set_entries([CertificateEntry(OWNER, serial, CertStatus.USABLE, "valid", None, now, None)
                       for serial in (10, 9, 100)])
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert [model.entry_at(i).serial for i in range(3)] == [100, 10, 9]
    assert model.index(0, 5).data() == "—" and model.index(0, 5).data(Qt.ItemDataRole.ToolTipRole) == "—"
