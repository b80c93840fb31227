"""Bids tab: the live bid table per order, filters, countdown, why-no-bids and Accept (issue 7; built on the market services)."""

from __future__ import annotations

from ui.tabs.base import TabPage


class BidsTab(TabPage):
    """The frame of this tab: the main window creates it on first use; its content lands with its service."""

    key = "bids"
