"""Deploy tab: SDL editor, template gallery, live cost and Create (issue 7; built on the SDL and deployment services)."""

from __future__ import annotations

from ui.tabs.base import TabPage


class DeployTab(TabPage):
    """The frame of this tab: the main window creates it on first use; its content lands with its service."""

    key = "deploy"
