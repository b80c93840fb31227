"""Packaging: the .desktop file and AppStream metainfo (well-formed, required keys, what they reference exists),
resource_path in a checkout and in a frozen bundle, the frozen local-node command, and what the spec bundles."""

from __future__ import annotations

import configparser
import os
import shutil
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from app import resources
from app.localnet import runner
from app.sdl.templates import TEMPLATES_DIR, list_templates

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
APP_ID = resources.APP_ID  # the app sets it as its desktop file name (the Wayland app id)
DESKTOP = PACKAGING / f"{APP_ID}.desktop"
METAINFO = PACKAGING / f"{APP_ID}.metainfo.xml"
SCREENSHOTS = ROOT / "resources" / "screenshots"


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _desktop() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read_string(DESKTOP.read_text(encoding="utf-8"))
    return parser


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">II", head[16:24])


# -- .desktop ---------------------------------------------------------------------------------------------------


def test_desktop_entry_has_the_required_keys_and_runs_our_executable() -> None:
    entry = _desktop()["Desktop Entry"]
    for key in ("Type", "Name", "Comment", "Exec", "Icon", "Categories"):
        assert entry.get(key), f"{DESKTOP.name} lacks {key}"
    assert entry["Type"] == "Application"
    assert entry["Icon"] == APP_ID, "the icon is installed under the app id (see packaging/akash-desk.spec)"
    scripts = _pyproject()["project"]["scripts"]
    assert entry["Exec"].split()[0] in scripts, "Exec runs the console script pyproject.toml installs"
    assert entry["Categories"].endswith(";")
    for section in _desktop().sections():
        if section.startswith("Desktop Action "):
            assert _desktop()[section]["Exec"].split()[0] in scripts


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils is not installed")
def test_desktop_file_validate_accepts_it() -> None:
    done = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


# -- AppStream metainfo ------------------------------------------------------------------------------------------


def test_metainfo_has_the_required_elements() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("metadata_license") in ("CC0-1.0", "FSFAP", "MIT")
    assert root.findtext("project_license") == _pyproject()["project"]["license"]
    assert root.findtext("name") == _desktop()["Desktop Entry"]["Name"]
    assert root.findtext("summary")
    paragraphs = root.findall("description/p")
    assert paragraphs and len(paragraphs[0].text.strip()) >= 80, "a first paragraph that says what the app is"
    assert root.find("launchable").text == DESKTOP.name and root.find("launchable").get("type") == "desktop-id"
    assert root.find("content_rating").get("type") == "oars-1.1"
    assert root.findtext("provides/binary") in _pyproject()["project"]["scripts"]


def test_metainfo_release_matches_the_project_version() -> None:
    releases = ET.parse(METAINFO).getroot().findall("releases/release")
    assert releases, "at least one release"
    assert releases[0].get("version") == _pyproject()["project"]["version"], "newest release first"
    for release in releases:
        date = release.get("date", "")
        assert len(date) == 10 and date[4] == date[7] == "-", f"release date {date!r} is not YYYY-MM-DD"


def test_metainfo_screenshots_exist_in_resources_and_have_the_stated_size() -> None:
    shots = ET.parse(METAINFO).getroot().findall("screenshots/screenshot")
    assert shots and sum(1 for s in shots if s.get("type") == "default") == 1
    for shot in shots:
        assert shot.findtext("caption"), "every screenshot has a caption"
        image = shot.find("image")
        url = image.text.strip()
        assert url.startswith("https://") and "/resources/screenshots/" in url, url
        path = SCREENSHOTS / url.rsplit("/", 1)[1]
        assert path.is_file(), f"{url} refers to {path.relative_to(ROOT)}, which does not exist"
        if image.get("width"):
            assert _png_size(path) == (int(image.get("width")), int(image.get("height"))), path.name


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream is not installed")
def test_appstreamcli_validates_it() -> None:
    done = subprocess.run(["appstreamcli", "validate", "--no-net", str(METAINFO)], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_icon_the_spec_installs_exists() -> None:
    icon = resources.resource_path("icons", "akash-desk.svg")
    assert icon.is_file() and ET.parse(icon).getroot().tag.endswith("svg")
    spec = (PACKAGING / "akash-desk.spec").read_text(encoding="utf-8")
    assert '"akash-desk.svg"' in spec and DESKTOP.name.replace(APP_ID, "") in spec


# -- resources in a checkout and in a frozen bundle ---------------------------------------------------------------


def test_resource_path_finds_templates_icons_and_themes() -> None:
    assert resources.resources_dir() == ROOT / "resources"
    assert resources.resource_path("templates") == TEMPLATES_DIR and len(list_templates()) >= 5
    assert resources.resource_path("icons", "wallet.svg").is_file()
    for theme in ("base.qss", "light.json", "dark.json"):
        assert resources.resource_path("themes", theme).is_file(), theme


def test_resource_path_in_a_frozen_bundle(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.frozen()
    assert resources.resource_path("templates") == tmp_path / "resources" / "templates"


def test_the_spec_bundles_every_resource_folder_the_app_reads() -> None:
    spec = (PACKAGING / "akash-desk.spec").read_text(encoding="utf-8")
    for folder in sorted(p.name for p in (ROOT / "resources").iterdir() if p.is_dir()):
        if folder == "screenshots":  # documentation only: the app never reads them
            continue
        assert f'"resources/{folder}"' in spec, f"resources/{folder} is not bundled by packaging/akash-desk.spec"


# -- the local node in a frozen build -----------------------------------------------------------------------------


def test_the_local_node_command_from_source_and_frozen(monkeypatch) -> None:
    assert runner.node_command() == [sys.executable, "-m", "app.localnet"]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert runner.node_command() == [sys.executable, resources.LOCALNET_CHILD_FLAG]


def test_the_app_entry_point_dispatches_the_local_node_flag(capsys) -> None:
    from ui.app import main

    with pytest.raises(SystemExit) as stop:
        main([resources.LOCALNET_CHILD_FLAG, "--help"])
    assert stop.value.code == 0
    assert "--block-time" in capsys.readouterr().out  # the local node's own options, not the app's


def test_smoke_test_builds_every_tab_and_derives_a_key() -> None:
    """`akash-desk --smoke-test` as `make package` runs it on the build (here from source), talking only to loopback."""
    from app import settings as settings_mod
    from ui.tabs import DEFAULT_TABS

    home = Path(os.environ["AKASH_DESK_HOME"])  # a fresh folder per test (tests/conftest.py)
    settings = settings_mod.Settings()
    settings.custom_endpoints["mainnet"] = ["http://127.0.0.1:9"]  # nothing listens: offline at once, no internet
    settings_mod.save(settings)
    done = subprocess.run([sys.executable, "-m", "ui.app", "--smoke-test", "--data", str(home)], cwd=ROOT,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    n = len(DEFAULT_TABS)
    assert f"{n}/{n} tabs built, key derivation ok" in done.stdout, done.stdout
