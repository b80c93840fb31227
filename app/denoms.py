"""Display units of base denoms (uakt -> AKT, uact -> ACT, axlUSDC, anything with bank metadata)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from app.config import DENOM_ACT, DENOM_AKT, USDC_MAINNET, USDC_SANDBOX
from app.units import AmountError, format_display, from_base, to_base


@dataclass(frozen=True)
class DenomInfo:
    denom: str
    symbol: str
    exponent: int
    name: str = ""


KNOWN: dict[str, DenomInfo] = {
    DENOM_AKT: DenomInfo(DENOM_AKT, "AKT", 6, "Akash Token"),
    DENOM_ACT: DenomInfo(DENOM_ACT, "ACT", 6, "Akash Compute Token"),
    USDC_MAINNET: DenomInfo(USDC_MAINNET, "USDC", 6, "USD Coin (Axelar)"),
    USDC_SANDBOX: DenomInfo(USDC_SANDBOX, "USDC", 6, "USD Coin (Axelar)"),
}


class DenomBook:
    """How to show each denom: the built-in ones, then the chain's denoms_metadata, then the raw denom."""

    def __init__(self, extra: Iterable[DenomInfo] = ()) -> None:
        self._by_denom = dict(KNOWN)
        for info in extra:
            self._by_denom.setdefault(info.denom, info)

    @classmethod
    def from_metadata(cls, metadatas: Iterable[object]) -> DenomBook:
        """From app.chain.bank.DenomMetadata items (display unit exponent and symbol)."""
        extra = []
        for m in metadatas:
            symbol = getattr(m, "symbol", "") or getattr(m, "display", "") or getattr(m, "base", "")
            extra.append(DenomInfo(m.base, symbol.upper() if symbol.islower() else symbol,  # type: ignore[attr-defined]
                                   m.display_exponent, getattr(m, "name", "")))  # type: ignore[attr-defined]
        return cls(extra)

    def knows(self, denom: str) -> bool:
        """True when the denom has a display unit (built in or from the chain's metadata)."""
        return denom in self._by_denom

    def info(self, denom: str) -> DenomInfo:
        found = self._by_denom.get(denom)
        if found is not None:
            return found
        short = denom if len(denom) <= 20 else denom[:12] + "…" + denom[-6:]
        return DenomInfo(denom, short, 0)

    def symbol(self, denom: str) -> str:
        return self.info(denom).symbol

    def to_display(self, amount: int | Decimal, denom: str) -> Decimal:
        return from_base(amount, self.info(denom).exponent)

    def format(self, amount: int | Decimal, denom: str, places: int | None = None) -> str:
        """'1.5 AKT' for 1500000 uakt; trailing zeros dropped; `places` truncates (never rounds up money)."""
        return format_display(self.to_display(amount, denom), self.symbol(denom), places)

    def parse(self, text: str, denom: str) -> int:
        """'1.5' (display units of denom) -> base units; AmountError names the problem."""
        info = self.info(denom)
        try:
            return to_base(text, info.exponent)
        except AmountError as exc:
            raise AmountError(f"{exc} ({info.symbol} has {info.exponent} decimals)") from None

    def denom_for_symbol(self, symbol: str) -> str | None:
        """'akt' -> 'uakt', 'USDC' -> the first USDC denom known; None when unknown."""
        wanted = symbol.strip().lower()
        for d, info in self._by_denom.items():
            if info.symbol.lower() == wanted or d.lower() == wanted:
                return d
        return None
