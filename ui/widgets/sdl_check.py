"""What the SDL editor shows for a text: the parsed Sdl (or None), its errors and warnings, located (no Qt here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from app.sdl import Sdl, SdlError, SdlValidationError, parse_sdl
from app.sdl.chain_rules import DEFAULT_AKT_PRICE_USD, check_chain_rules

# The editor parses on the GUI thread below this size (about 1 ms for a normal SDL) and in a worker
# thread above it, so a pasted megabyte never freezes typing.
THREAD_THRESHOLD_CHARS = 32 * 1024


@dataclass(frozen=True)
class SdlCheck:
    """The result of checking one text. `sdl` is set when the SDL parses, even if the chain would refuse it."""

    text: str
    sdl: Sdl | None = None
    errors: tuple[SdlError, ...] = ()
    warnings: tuple[SdlError, ...] = ()
    generation: int = 0
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def deployable(self) -> bool:
        return self.sdl is not None and not self.errors

    @property
    def empty(self) -> bool:
        return not self.text.strip()


def sdl_network(network_key: str) -> str:
    """The SDL rule set for an app network: the local node mirrors mainnet (its USDC denom too)."""
    return "sandbox" if network_key == "sandbox" else "mainnet"


def check_sdl_text(text: str, *, network: str = "mainnet", akt_price_usd: Decimal | None = None,
                   generation: int = 0) -> SdlCheck:
    """Parse `text` and apply the chain's rules; never raises for any input."""
    if not text.strip():
        return SdlCheck(text, generation=generation)
    try:
        sdl = parse_sdl(text, network=network)
    except SdlValidationError as exc:
        return SdlCheck(text, None, tuple(exc.errors), (), generation)
    chain = check_chain_rules(sdl, akt_price_usd=akt_price_usd or DEFAULT_AKT_PRICE_USD)
    return SdlCheck(text, sdl, tuple(chain), tuple(sdl.warnings), generation)
