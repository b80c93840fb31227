"""CertificatesModel: the account's mTLS client certificates, local and on chain (app.provider.certstore entries)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtGui import QColor

from ui.models.rows import Column, RowsModel

USABLE, UNUSABLE = QColor("#1e8449"), QColor("#c0392b")


def _shown(title: str, text: Callable[[Any], str], **kw: Any) -> Column[Any]:
    """A column whose tooltip repeats its text (long advice and dates do not fit the cell)."""
    return Column(title, text, tip=text, **kw)


class CertificatesModel(RowsModel[Any]):
    columns = (
        _shown("Serial", lambda e: str(e.serial), key=lambda e: e.serial),
        _shown("Status", lambda e: str(e.status.value),
               color=lambda e: USABLE if e.status.value == "usable" else UNUSABLE),
        _shown("On chain", lambda e: e.on_chain_state or "not published"),
        _shown("Key here", lambda e: "yes" if e.local is not None else "no"),
        _shown("Valid from", lambda e: f"{e.not_before:%Y-%m-%d}" if e.not_before else "—"),
        _shown("Expires", lambda e: f"{e.not_after:%Y-%m-%d}" if e.not_after else "—"),
        _shown("What to do", lambda e: e.advice),
    )

    def set_entries(self, entries: Sequence[Any]) -> None:
        self.set_rows(entries)

    def entry_at(self, row: int) -> Any | None:
        return self.row_at(row)
