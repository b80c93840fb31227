"""Provider tab: earnings, chart, active leases and withdraw (issue 7; built on the earnings service)."""

from __future__ import annotations

from ui.tabs.base import TabPage


class ProviderTab(TabPage):
    """The frame of this tab: the main window creates it on first use; its content lands with its service."""

    key = "provider"
