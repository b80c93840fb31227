"""Networks, endpoints and user directories (platformdirs, overridable with AKASH_DESK_HOME)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

APP_NAME = "akash-desk"
HOME_ENV = "AKASH_DESK_HOME"

# Denominations (fact sheet §1.3).
DENOM_AKT = "uakt"
DENOM_ACT = "uact"
USDC_MAINNET = "ibc/170C677610AC31DF0904FFE09CD3B5C657492170E7E52372E48756B71E56F2F1"
USDC_SANDBOX = "ibc/12C6A0C374171B595A0A9E18B83FA09D295FB1F2D8C6DAA3AC28683471752D84"

BECH32_PREFIX = "akash"
VALOPER_PREFIX = "akashvaloper"
COIN_TYPE = 118

DEFAULT_GAS_PRICE_UAKT = "0.025"  # chain-sdk TS default (fact sheet §7)
MIN_GAS_PRICE_UAKT = "0.0025"  # node minimum-gas-prices
GAS_ADJUSTMENT = "1.3"
DEFAULT_BLOCK_TIME_S = "6.098"  # Console's figure


@dataclass(frozen=True)
class Network:
    """A chain the app can talk to: id, REST endpoints (tried in order) and its USDC denom."""

    key: str
    name: str
    chain_id: str
    rest: tuple[str, ...]
    usdc_denom: str
    explorer_tx: str = ""
    local: bool = False
    extra: dict = field(default_factory=dict, compare=False)


MAINNET = Network(
    key="mainnet",
    name="Akash Mainnet",
    chain_id="akashnet-2",
    rest=(
        "https://rpc.akt.dev/rest",
        "https://api.akashnet.net:443",
        "https://akash-api.polkachu.com:443",
        "https://akash-rest.publicnode.com",
    ),
    usdc_denom=USDC_MAINNET,
    explorer_tx="https://stats.akash.network/transactions/{hash}",
)

SANDBOX = Network(
    key="sandbox",
    name="Akash Sandbox",
    chain_id="sandbox-2",
    rest=("https://api.sandbox-2.aksh.pw:443",),
    usdc_denom=USDC_SANDBOX,
)

LOCAL_CHAIN_ID = "localnet-1"
LOCAL_DEFAULT_PORT = 26617


def local_network(port: int = LOCAL_DEFAULT_PORT, chain_id: str = LOCAL_CHAIN_ID) -> Network:
    """The embedded local node (app.localnet) on loopback."""
    return Network(
        key="local",
        name="Local network",
        chain_id=chain_id,
        rest=(f"http://127.0.0.1:{port}",),
        usdc_denom=USDC_MAINNET,
        local=True,
    )


PRESETS: dict[str, Network] = {"mainnet": MAINNET, "sandbox": SANDBOX, "local": local_network()}


def data_dir() -> Path:
    """Root of everything the app stores (wallets, settings, records, localnet state)."""
    override = os.environ.get(HOME_ENV)
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def wallets_dir() -> Path:
    path = data_dir() / "wallets"
    path.mkdir(parents=True, exist_ok=True)
    return path


def localnet_dir() -> Path:
    return data_dir() / "localnet"
