"""Where the shipped resources/ (templates, icons, themes) are, in a checkout or a frozen build; frozen-build facts."""

from __future__ import annotations

import sys
from pathlib import Path

# The desktop id: packaging/<APP_ID>.desktop and .metainfo.xml; the Wayland app id, so the window gets its launcher.
APP_ID = "network.akash.AkashDesk"
# The folder a PyInstaller build unpacks its data into; resources/ is copied there as `resources`.
_BUNDLE_ATTR = "_MEIPASS"
# A frozen build has no `python -m`: its one executable runs the local node when this is its first argument
# (app.localnet.runner starts it so; ui.app.main dispatches it before anything else is imported).
LOCALNET_CHILD_FLAG = "--localnet-child"


def frozen() -> bool:
    """True inside a PyInstaller build (there is no `python -m` there: see app.localnet.runner)."""
    return bool(getattr(sys, "frozen", False))


def resources_dir() -> Path:
    """resources/ beside app/ in a source checkout; <bundle>/resources in a frozen build."""
    bundle = getattr(sys, _BUNDLE_ATTR, None)
    if frozen() and bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """resources/<parts...>, e.g. resource_path("templates") or resource_path("icons", "wallet.svg")."""
    return resources_dir().joinpath(*parts)
