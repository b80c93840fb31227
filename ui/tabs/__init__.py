"""The tabs of the main window: one module each; DEFAULT_TABS is the order the window shows them in."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from ui.context import AppContext

TabFactory = Callable[["AppContext"], "QWidget"]


@dataclass(frozen=True)
class TabSpec:
    """How the main window shows a tab; the factory runs the first time the tab is opened."""

    key: str
    title: str
    icon: str
    tooltip: str
    factory: TabFactory


def lazy(module: str, cls: str) -> TabFactory:
    """A factory that imports `module` only when the tab is first opened (keeps the cold start short)."""

    def build(ctx: AppContext) -> QWidget:
        return getattr(importlib.import_module(module), cls)(ctx)

    build.__qualname__ = f"lazy({module}.{cls})"
    return build


DEFAULT_TABS: tuple[TabSpec, ...] = (
    TabSpec("wallet", "Wallet", "wallet", "Balances, send, receive and history", lazy("ui.tabs.wallet", "WalletTab")),
    TabSpec("deploy", "Deploy", "deploy", "Write an SDL and create a deployment", lazy("ui.tabs.deploy", "DeployTab")),
    TabSpec("bids", "Bids", "bids", "Compare the providers' bids and accept one", lazy("ui.tabs.bids", "BidsTab")),
    TabSpec(
        "deployments", "Deployments", "deployments", "Your deployments, leases, logs and funds",
        lazy("ui.tabs.deployments", "DeploymentsTab"),
    ),
    TabSpec("staking", "Staking", "staking", "Validators, delegations and rewards", lazy("ui.tabs.staking", "StakingTab")),
    TabSpec(
        "governance", "Governance", "governance", "Proposals, tallies and your votes",
        lazy("ui.tabs.governance", "GovernanceTab"),
    ),
    TabSpec(
        "provider", "Provider", "provider", "A provider's earnings and active leases",
        lazy("ui.tabs.provider", "ProviderTab"),
    ),
    TabSpec(
        "settings", "Settings", "settings", "Network, endpoints, gas price, theme, auto-lock",
        lazy("ui.tabs.settings", "SettingsTab"),
    ),
)
