"""How the simulated providers behave: bid delays and chances, timeouts, withdrawal periods, who is offline."""

from __future__ import annotations

import json
import os
import random
from dataclasses import dataclass, field, fields
from typing import Any

ENV_VAR = "AKASH_DESK_LOCALNET_PROVIDERS"
OFFLINE_MODES = ("never", "always", "cycle")


class FleetConfigError(ValueError):
    """A provider setting that cannot be used; the text names the setting."""


@dataclass
class FleetConfig:
    """Defaults mirror provider-services (timeouts of minutes), scaled for a chain of 1 s blocks."""

    enabled: bool = True
    seed: int = field(default_factory=lambda: random.SystemRandom().randrange(2**32))
    providers: list[str] | None = None  # run only these (by name); None = the whole fleet
    bid_delay_blocks: tuple[int, int] = (1, 3)
    skip_chance: float = 0.1  # chance a provider that could serve an order does not bid
    jitter: float = 0.08  # +-8 % around the provider's price
    bid_timeout_s: float = 600.0  # an unanswered bid is closed after this
    manifest_timeout_s: float = 300.0  # --manifest-timeout: a lease without manifest is closed
    withdraw_period_s: float = 300.0  # --withdrawal-period (24 h on mainnet)
    funds_check_s: float = 60.0  # --lease-funds-monitor-interval (10 min on mainnet)
    offline: dict[str, str] = field(default_factory=lambda: {"fjord": "cycle"})
    cycle_online_s: float = 60.0
    cycle_offline_s: float = 180.0

    def __post_init__(self) -> None:
        lo, hi = self.bid_delay_blocks = tuple(self.bid_delay_blocks)  # type: ignore[assignment]
        if not 0 <= lo <= hi:
            raise FleetConfigError(f"bid_delay_blocks must be (min, max) with 0 <= min <= max, got {lo, hi}")
        for name in ("skip_chance", "jitter"):
            if not 0 <= getattr(self, name) < 1:
                raise FleetConfigError(f"{name} must be in [0, 1)")
        for name in ("bid_timeout_s", "manifest_timeout_s", "withdraw_period_s", "funds_check_s",
                     "cycle_online_s", "cycle_offline_s"):
            if getattr(self, name) <= 0:
                raise FleetConfigError(f"{name} must be positive")
        for who, mode in self.offline.items():
            if mode not in OFFLINE_MODES:
                raise FleetConfigError(f"offline[{who!r}] must be one of {', '.join(OFFLINE_MODES)}, got {mode!r}")

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> FleetConfig:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise FleetConfigError(f"unknown provider settings {unknown}; known: {sorted(known)}")
        try:
            return cls(**data)
        except TypeError as exc:
            raise FleetConfigError(str(exc)) from None

    @classmethod
    def resolve(cls, node: Any) -> FleetConfig:
        """The node's `provider_config` if set, else the JSON in $AKASH_DESK_LOCALNET_PROVIDERS, else defaults."""
        given = getattr(node, "provider_config", None)
        if isinstance(given, FleetConfig):
            return given
        if isinstance(given, dict):
            return cls.from_mapping(given)
        raw = os.environ.get(ENV_VAR, "").strip()
        if not raw:
            return cls()
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise FleetConfigError(f"${ENV_VAR} is not valid JSON: {exc}") from None
        if not isinstance(data, dict):
            raise FleetConfigError(f"${ENV_VAR} must be a JSON object of settings")
        return cls.from_mapping(data)

    def runs(self, name: str) -> bool:
        return self.providers is None or name in self.providers
