"""Governance tab: proposals, tallies and votes (issue 7; built on the governance service)."""

from __future__ import annotations

from ui.tabs.base import TabPage


class GovernanceTab(TabPage):
    """The frame of this tab: the main window creates it on first use; its content lands with its service."""

    key = "governance"
