"""Deployments tab: deployments, leases, logs, events, funds and certificates (issue 7; built on the lease services)."""

from __future__ import annotations

from ui.tabs.base import TabPage


class DeploymentsTab(TabPage):
    """The frame of this tab: the main window creates it on first use; its content lands with its service."""

    key = "deployments"
