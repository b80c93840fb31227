"""ProviderLeasesModel: a provider's leases with tenant, state, resources, rate per month and earnings."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QObject

from app.chain.resources import ResourceTotals
from app.denoms import DenomBook
from app.earnings import LeaseEarning
from ui.models.rows import BAD, GOOD, RIGHT, Column, RowsModel

GI = 1024**3
MI = 1024**2


def size(n: int) -> str:
    if n >= GI:
        return f"{Decimal(n) / GI:.3g} Gi"
    return f"{Decimal(n) / MI:.3g} Mi" if n else "0"


def resources_text(r: ResourceTotals | None) -> str:
    if r is None:
        return ""
    parts = [f"{Decimal(r.cpu_millis) / 1000:.3g} CPU", f"{size(r.memory_bytes)} RAM", f"{size(r.storage_bytes)} disk"]
    if r.gpu_units:
        parts.append(f"{r.gpu_units} GPU")
    return " · ".join(parts)


def short(address: str) -> str:
    return address if len(address) < 20 else f"{address[:10]}…{address[-6:]}"


class ProviderLeasesModel(RowsModel[LeaseEarning]):
    def __init__(self, parent: QObject | None = None, denoms: DenomBook | None = None) -> None:
        super().__init__(parent)
        self.denoms = denoms or DenomBook()

        def money(pick):
            return lambda e: self.denoms.format(int(pick(e)), e.denom, places=4)

        self.columns = (
            Column("Tenant", lambda e: short(e.id.owner), tip=lambda e: e.id.owner),
            Column("Lease", lambda e: f"{e.id.dseq}/{e.id.gseq}/{e.id.oseq}", key=lambda e: (e.id.dseq, e.id.gseq),
                   header_tip="dseq/gseq/oseq"),
            Column("State", lambda e: e.state.value if e.running else f"{e.state.value} ({e.reason.value})",
                   color=lambda e: GOOD if e.running else None),
            Column("Resources", lambda e: resources_text(e.resources), tip=lambda e: resources_text(e.resources)),
            Column("Per month", money(lambda e: e.per_month), key=lambda e: e.per_month, align=RIGHT,
                   header_tip="At the measured block time"),
            Column("Last 24 h", money(lambda e: e.windows.get("24h", 0)), key=lambda e: e.windows.get("24h", 0),
                   align=RIGHT),
            Column("Total earned", money(lambda e: e.total), key=lambda e: e.total, align=RIGHT),
            Column("Withdrawable", money(lambda e: e.accrual.collectable if e.withdrawable else 0),
                   key=lambda e: e.accrual.collectable if e.withdrawable else 0, align=RIGHT,
                   color=lambda e: BAD if e.accrual.at_risk > 0 else None,
                   tip=lambda e: (f"At risk (the tenant's escrow does not cover it): "
                                  f"{self.denoms.format(int(e.accrual.at_risk), e.denom)}") if e.accrual.at_risk > 0
                   else "What a withdrawal pays about now"),
        )
