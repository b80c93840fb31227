"""Settings: defaults, round trip, bad values, corrupt and unknown files kept aside, no secrets."""

from __future__ import annotations

import json
import logging
import os
import stat

import pytest

from app import config, settings
from app.settings import Settings, SettingsError


def test_defaults_when_no_file() -> None:
    s = settings.load()
    assert s == Settings()
    assert s.version == settings.SCHEMA_VERSION
    assert s.theme == "system" and s.network in settings.NETWORK_KEYS


def test_round_trip_every_field() -> None:
    s = Settings(
        network="sandbox",
        custom_endpoints={"mainnet": ["https://rest.example.org"], "local": ["http://127.0.0.1:1317"]},
        gas_price="0.03",
        theme="dark",
        auto_lock_minutes=5,
        last_wallet="main",
        last_account="akash1xyz",
        favourite_providers=["akash1prov"],
    )
    s.notifications.low_runway = False
    s.window.geometry = "AdnQywADAAA="
    s.window.current_tab = 3
    s.window.column_widths = {"bids": [120, 80, 300]}
    settings.save(s)
    assert settings.load() == s
    mode = stat.S_IMODE(os.stat(settings.settings_path()).st_mode)
    assert mode == 0o600


def test_file_lives_in_the_data_dir() -> None:
    settings.save(Settings(theme="light"))
    assert settings.settings_path().parent == config.data_dir()
    assert json.loads(settings.settings_path().read_text())["theme"] == "light"


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe", b"[1,2]", b'{"theme": "dark"}', b'{"version": "1"}'])
def test_corrupt_file_gives_defaults_and_is_kept_aside(content: bytes, caplog: pytest.LogCaptureFixture) -> None:
    path = settings.settings_path()
    path.write_bytes(content)
    with caplog.at_level(logging.ERROR, logger="app.settings"):
        s = settings.load()
    assert s == Settings()
    assert not path.exists()
    kept = list(path.parent.glob("settings.json.bad-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == content
    assert "kept it as" in caplog.text


def test_newer_schema_is_kept_aside_not_overwritten(caplog: pytest.LogCaptureFixture) -> None:
    path = settings.settings_path()
    path.write_text(json.dumps({"version": settings.SCHEMA_VERSION + 1, "theme": "dark"}))
    with caplog.at_level(logging.ERROR, logger="app.settings"):
        assert settings.load() == Settings()
    assert "newer" in caplog.text
    assert list(path.parent.glob("settings.json.bad-*"))


def test_bad_values_fall_back_one_by_one(caplog: pytest.LogCaptureFixture) -> None:
    raw = {
        "version": 1,
        "theme": "purple",
        "network": "sandbox",
        "auto_lock_minutes": -3,
        "gas_price": "0.0001",
        "custom_endpoints": {"mainnet": ["ftp://nope"]},
        "favourite_providers": ["akash1a", 5],
        "notifications": {"tx_finished": "yes", "proposals": False},
        "window": {"column_widths": {"bids": [10, -1]}, "current_tab": 2},
        "unknown_key": 1,
    }
    settings.settings_path().write_text(json.dumps(raw))
    with caplog.at_level(logging.WARNING, logger="app.settings"):
        s = settings.load()
    assert s.network == "sandbox"
    assert s.theme == "system"
    assert s.auto_lock_minutes == Settings().auto_lock_minutes
    assert s.gas_price == config.DEFAULT_GAS_PRICE_UAKT
    assert s.custom_endpoints == {}
    assert s.favourite_providers == []
    assert s.notifications.tx_finished is True and s.notifications.proposals is False
    assert s.window.column_widths == {} and s.window.current_tab == 2
    assert "theme ignored" in caplog.text
    assert settings.settings_path().exists()  # a mostly good file is not moved aside


def test_unreadable_path_never_raises(tmp_path) -> None:
    directory = tmp_path / "settings.json"
    directory.mkdir()
    assert settings.load(directory) == Settings()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://rest.example.org/", "https://rest.example.org"),
        ("  http://127.0.0.1:1317 ", "http://127.0.0.1:1317"),
        ("https://host.example/rest", "https://host.example/rest"),
    ],
)
def test_normalize_endpoint(text: str, expected: str) -> None:
    assert settings.normalize_endpoint(text) == expected


@pytest.mark.parametrize("text", ["", "rest.example.org", "ftp://x", "https://", "https://h:99999", "https://h/?a=1"])
def test_normalize_endpoint_refuses(text: str) -> None:
    with pytest.raises(SettingsError):
        settings.normalize_endpoint(text)


def test_gas_price_parsing() -> None:
    assert settings.parse_gas_price("0.0250") == "0.025"
    assert settings.parse_gas_price("1") == "1"
    for bad in ("abc", "0.001", "-1", "NaN", "1000"):
        with pytest.raises(SettingsError):
            settings.parse_gas_price(bad)


def test_custom_endpoints_replace_the_preset() -> None:
    s = Settings(custom_endpoints={"mainnet": ["https://mine.example"]})
    assert s.endpoints("mainnet") == ("https://mine.example",)
    assert s.endpoints("sandbox") == config.SANDBOX.rest
    net = s.network_config("mainnet")
    assert net.rest == ("https://mine.example",) and net.chain_id == "akashnet-2"
    assert s.network_config("sandbox") is config.SANDBOX


def test_no_secret_fields() -> None:
    names = {f for f in Settings.__dataclass_fields__}
    assert not names & {"mnemonic", "password", "private_key", "seed", "passphrase"}
