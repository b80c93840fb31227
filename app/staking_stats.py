"""Staking figures the chain does not give directly: validator uptime (slashing window) and an APR estimate."""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from app import blocktime
from app.chain import distribution, mint, slashing
from app.chain import staking as chain_staking
from app.chain.errors import ChainError
from app.wallet.address import bech32_encode

if TYPE_CHECKING:
    from app.chain.client import ChainClient

log = logging.getLogger(__name__)
NO_SIGNING_INFO = "unknown: this node does not serve the slashing module's signing info"


def consensus_address(pubkey_b64: str, prefix: str = "akashvalcons") -> str:
    """The valcons address of an ed25519 consensus key: bech32 of sha256(key)[:20] (CometBFT)."""
    try:
        key = base64.b64decode(pubkey_b64, validate=True)
    except (binascii.Error, ValueError):
        return ""
    return bech32_encode(prefix, hashlib.sha256(key).digest()[:20]) if key else ""


def uptime(missed: int, window: int) -> Decimal | None:
    if window <= 0:
        return None
    return max(Decimal(0), Decimal(1) - Decimal(min(missed, window)) / window)


async def signing_uptimes(client: ChainClient) -> tuple[dict[str, Decimal], str]:
    """({valcons address: uptime over the signing window}, ""); ({}, why) when the node has none.

    Uptime = 1 - missed_blocks_counter / signed_blocks_window (x/slashing). Match validators to it with
    consensus_address(validator.consensus_pubkey_b64).
    """
    try:
        params, infos = await asyncio.gather(slashing.params(client), slashing.signing_infos(client))
    except ChainError as exc:
        log.info("no signing info: %s", exc)
        return {}, NO_SIGNING_INFO
    by_address = {i.address: i.missed_blocks_counter for i in infos.items}
    return _by_address(by_address, params.signed_blocks_window), ""


def _by_address(missed: dict[str, int], window: int) -> dict[str, Decimal]:
    out = {}
    for address, count in missed.items():
        value = uptime(count, window)
        if value is not None:
            out[address] = value
    return out


@dataclass(frozen=True)
class AprEstimate:
    """Yearly staking reward rate before validator commission, from the mint and distribution params."""

    apr: Decimal  # 0.12 = 12 % a year
    annual_provisions: Decimal  # uakt minted a year at the chain's own blocks_per_year
    bonded_tokens: int
    community_tax: Decimal
    block_scale: Decimal  # real blocks per year / the mint param blocks_per_year
    method: str

    def net_of(self, commission: Decimal) -> Decimal:
        """What a delegator of a validator with this commission rate earns a year."""
        return self.apr * (1 - commission)


def apr_from(annual_provisions: Decimal, community_tax: Decimal, bonded_tokens: int,
             param_blocks_per_year: Decimal, real_blocks_per_year: Decimal) -> Decimal:
    """APR = annual provisions x (1 - community tax) / bonded tokens x (real blocks a year / param blocks a year).

    x/mint pays annual_provisions / blocks_per_year every block; when blocks come faster or slower than
    the parameter assumes, a year holds more or fewer of those payouts, hence the scale.
    """
    if bonded_tokens <= 0 or param_blocks_per_year <= 0:
        return Decimal(0)
    scale = real_blocks_per_year / param_blocks_per_year
    return annual_provisions * (1 - community_tax) / Decimal(bonded_tokens) * scale


async def estimate_apr(client: ChainClient) -> tuple[AprEstimate | None, str]:
    """(estimate, "") or (None, why). Transaction fees paid to stakers are not included (small, irregular)."""
    try:
        provisions, mint_params, distr, pool, clock = await asyncio.gather(
            mint.annual_provisions(client), mint.params(client), distribution.params(client),
            chain_staking.pool(client), blocktime.measure(client))
    except ChainError as exc:
        log.info("no APR: %s", exc)
        return None, "unknown: this node does not serve the mint or distribution parameters"
    per_year, tax, bonded = Decimal(mint_params.blocks_per_year), distr.community_tax, pool.bonded_tokens
    apr = apr_from(provisions, tax, bonded, per_year, clock.blocks_per_year)
    scale = clock.blocks_per_year / per_year if per_year else Decimal(0)
    method = (f"annual provisions {provisions:.0f} uakt x (1 - community tax {tax:.2%}) / bonded {bonded} uakt, "
              f"scaled by the measured block time ({clock.seconds_per_block:.2f} s per block)")
    return AprEstimate(apr, provisions, bonded, tax, scale, method), ""
