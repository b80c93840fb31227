"""Staking tab: validators, delegations, rewards and unbondings (issue 7; built on the staking service)."""

from __future__ import annotations

from ui.tabs.base import TabPage


class StakingTab(TabPage):
    """The frame of this tab: the main window creates it on first use; its content lands with its service."""

    key = "staking"
