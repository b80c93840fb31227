"""The user's settings: one typed object, JSON on disk with a schema version, atomic writes, no secrets."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import asdict, dataclass, field, fields
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from app import config
from app.fsutil import atomic_write_json

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
FILE_NAME = "settings.json"
NETWORK_KEYS = ("mainnet", "sandbox", "local")
THEMES = ("system", "light", "dark")
PROVIDER_AUTH = ("jwt", "mtls")  # how the app signs in to provider gateways: a token (JWT) or a client certificate
MAX_AUTO_LOCK_MINUTES = 24 * 60


class SettingsError(ValueError):
    """A settings value a person typed that cannot be used; the message says why."""


@dataclass
class Notifications:
    """Which desktop notifications the person wants."""

    tx_finished: bool = True
    low_runway: bool = True
    new_bids: bool = True
    proposals: bool = True


@dataclass
class WindowState:
    """Qt's opaque geometry/state blobs (base64 text) and column widths per table."""

    geometry: str = ""
    state: str = ""
    current_tab: int = 0
    column_widths: dict[str, list[int]] = field(default_factory=dict)


@dataclass
class Settings:
    """Everything the app remembers between runs. Never holds a mnemonic, key or password."""

    version: int = SCHEMA_VERSION
    network: str = "mainnet"
    custom_endpoints: dict[str, list[str]] = field(default_factory=dict)
    gas_price: str = config.DEFAULT_GAS_PRICE_UAKT
    theme: str = "system"
    auto_lock_minutes: int = 10  # 0 = never
    last_wallet: str = ""
    last_account: str = ""  # the account's address
    favourite_providers: list[str] = field(default_factory=list)
    provider_auth: str = "jwt"  # one of PROVIDER_AUTH
    notifications: Notifications = field(default_factory=Notifications)
    window: WindowState = field(default_factory=WindowState)

    def endpoints(self, network: str) -> tuple[str, ...]:
        """The REST endpoints to use: the person's own list when set, else the preset's."""
        custom = self.custom_endpoints.get(network) or []
        if custom:
            return tuple(custom)
        return config.PRESETS[network].rest

    def network_config(self, network: str | None = None) -> config.Network:
        """The preset for `network` (default: the current one) with the custom endpoints applied."""
        key = network or self.network
        preset = config.PRESETS[key]
        custom = tuple(self.custom_endpoints.get(key) or ())
        if not custom:
            return preset
        return config.Network(
            key=preset.key,
            name=preset.name,
            chain_id=preset.chain_id,
            rest=custom,
            usdc_denom=preset.usdc_denom,
            explorer_tx=preset.explorer_tx,
            local=preset.local,
            extra=dict(preset.extra),
        )


def settings_path() -> Path:
    return config.data_dir() / FILE_NAME


# -- validation of values a person types --------------------------------------------------------------


def normalize_endpoint(text: str) -> str:
    """A REST endpoint URL ('https://host[:port][/path]') without a trailing slash, or SettingsError."""
    url = (text or "").strip()
    if not url:
        raise SettingsError("the endpoint is empty")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise SettingsError(f"{url!r} must start with https:// (or http:// for a node on this computer)")
    if not parts.hostname:
        raise SettingsError(f"{url!r} has no host name")
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise SettingsError(f"{url!r} has an invalid port") from exc
    if parts.query or parts.fragment:
        raise SettingsError(f"{url!r} must not contain '?' or '#'")
    return url.rstrip("/")


def parse_gas_price(text: str) -> str:
    """A gas price in uakt per gas unit (a decimal >= the node minimum) as normalised text."""
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation as exc:
        raise SettingsError(f"the gas price {text!r} is not a number") from exc
    if not value.is_finite():
        raise SettingsError(f"the gas price {text!r} is not a number")
    minimum = Decimal(config.MIN_GAS_PRICE_UAKT)
    if value < minimum:
        raise SettingsError(f"the gas price must be at least {minimum} uakt (the nodes refuse lower fees)")
    if value > 100:
        raise SettingsError("the gas price is above 100 uakt per gas: that is surely a typo")
    return format(value.normalize(), "f")


# -- reading ------------------------------------------------------------------------------------------


def _bool(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    raise TypeError("not a boolean")


def _str(v: Any) -> str:
    if isinstance(v, str):
        return v
    raise TypeError("not a string")


def _choice(options: tuple[str, ...]):
    def check(v: Any) -> str:
        if v in options:
            return v
        raise ValueError(f"not one of {', '.join(options)}")

    return check


def _minutes(v: Any) -> int:
    if isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= MAX_AUTO_LOCK_MINUTES:
        return v
    raise ValueError(f"not a whole number of minutes from 0 to {MAX_AUTO_LOCK_MINUTES}")


def _int(v: Any) -> int:
    if isinstance(v, int) and not isinstance(v, bool):
        return v
    raise TypeError("not an integer")


def _str_list(v: Any) -> list[str]:
    if isinstance(v, list) and all(isinstance(x, str) for x in v):
        return list(v)
    raise TypeError("not a list of strings")


def _endpoints(v: Any) -> dict[str, list[str]]:
    if not isinstance(v, dict):
        raise TypeError("not an object")
    out: dict[str, list[str]] = {}
    for key, urls in v.items():
        if key not in NETWORK_KEYS:
            raise ValueError(f"unknown network {key!r}")
        out[key] = [normalize_endpoint(u) for u in _str_list(urls)]
    return out


def _widths(v: Any) -> dict[str, list[int]]:
    if not isinstance(v, dict):
        raise TypeError("not an object")
    out: dict[str, list[int]] = {}
    for key, widths in v.items():
        if not isinstance(widths, list) or not all(isinstance(w, int) and 0 <= w < 100_000 for w in widths):
            raise ValueError(f"column widths of {key!r} are not small whole numbers")
        out[str(key)] = list(widths)
    return out


_CHECKS: dict[str, Any] = {
    "network": _choice(NETWORK_KEYS),
    "custom_endpoints": _endpoints,
    "gas_price": parse_gas_price,
    "theme": _choice(THEMES),
    "auto_lock_minutes": _minutes,
    "last_wallet": _str,
    "last_account": _str,
    "favourite_providers": _str_list,
    "provider_auth": _choice(PROVIDER_AUTH),
}
_NOTIFY_CHECKS = {f.name: _bool for f in fields(Notifications)}
_WINDOW_CHECKS = {"geometry": _str, "state": _str, "current_tab": _int, "column_widths": _widths}


def _fill(target: Any, raw: Any, checks: dict[str, Any], where: str) -> None:
    """Copy each valid value of `raw` onto `target`; a bad value keeps its default and is logged."""
    if not isinstance(raw, dict):
        log.warning("settings: %s is not an object; using its defaults", where)
        return
    for name, check in checks.items():
        if name not in raw:
            continue
        try:
            setattr(target, name, check(raw[name]))
        except (TypeError, ValueError) as exc:
            log.warning("settings: %s.%s ignored (%s); using the default", where, name, exc)


def from_dict(raw: dict[str, Any]) -> Settings:
    """Settings from a decoded file of the current schema; invalid values fall back to their defaults."""
    settings = Settings()
    _fill(settings, raw, _CHECKS, "settings")
    if "notifications" in raw:
        _fill(settings.notifications, raw["notifications"], _NOTIFY_CHECKS, "notifications")
    if "window" in raw:
        _fill(settings.window, raw["window"], _WINDOW_CHECKS, "window")
    return settings


def _keep_aside(path: Path, reason: str) -> None:
    aside = path.with_name(f"{path.name}.bad-{time.strftime('%Y%m%d-%H%M%S')}")
    try:
        path.replace(aside)
    except OSError as exc:
        log.error("settings: %s is unusable (%s) and could not be moved aside: %s", path, reason, exc)
        return
    log.error("settings: %s is unusable (%s); kept it as %s and started from the defaults", path, reason, aside)


def load(path: Path | None = None) -> Settings:
    """The saved settings, or the defaults. A corrupt or unknown file is moved aside; never raises."""
    path = path or settings_path()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Settings()
    except OSError as exc:
        log.error("settings: cannot read %s (%s); using the defaults", path, exc)
        return Settings()
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        _keep_aside(path, f"not valid JSON: {exc}")
        return Settings()
    if not isinstance(raw, dict):
        _keep_aside(path, "not a JSON object")
        return Settings()
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        _keep_aside(path, f"no valid schema version ({version!r})")
        return Settings()
    if version > SCHEMA_VERSION:
        _keep_aside(path, f"schema version {version} is newer than this app knows ({SCHEMA_VERSION})")
        return Settings()
    return from_dict(raw)


def save(settings: Settings, path: Path | None = None) -> None:
    """Write the settings atomically (temp file 0600, fsync, replace)."""
    settings.version = SCHEMA_VERSION
    atomic_write_json(path or settings_path(), asdict(settings))
