"""Test-wide setup: headless Qt and a temporary AKASH_DESK_HOME for every test."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

VECTORS = ROOT / "tests" / "vectors"
pytest_plugins = ["tests.localnet_fixtures"]


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never touch the real user data directory from a test."""
    home = tmp_path_factory.mktemp("akash-desk-home")
    monkeypatch.setenv("AKASH_DESK_HOME", str(home))
    return home


@pytest.fixture
def vectors() -> Path:
    return VECTORS
