"""Node info and blocks (cosmos.base.tendermint.v1beta1): chain id, versions, latest height and time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from app.chain.jsonread import Obj

if TYPE_CHECKING:
    from app.chain.client import ChainClient

NODE_INFO = "/cosmos/base/tendermint/v1beta1/node_info"
LATEST_BLOCK = "/cosmos/base/tendermint/v1beta1/blocks/latest"
BLOCK_AT = "/cosmos/base/tendermint/v1beta1/blocks/{height}"


@dataclass(frozen=True)
class NodeInfo:
    chain_id: str  # default_node_info.network
    moniker: str
    node_id: str
    comet_version: str
    app_name: str
    app_version: str
    cosmos_sdk_version: str
    git_commit: str

    @classmethod
    def parse(cls, o: Obj) -> NodeInfo:
        node = o.need("default_node_info")
        app = o.child("application_version") or Obj({}, o.where, o.path + ".application_version")
        return cls(
            chain_id=node.text("network", required=True),
            moniker=node.text("moniker"),
            node_id=node.text("default_node_id"),
            comet_version=node.text("version"),
            app_name=app.text("app_name") or app.text("name"),
            app_version=app.text("version"),
            cosmos_sdk_version=app.text("cosmos_sdk_version"),
            git_commit=app.text("git_commit"),
        )


@dataclass(frozen=True)
class Block:
    chain_id: str
    height: int
    time: datetime
    hash: str  # block_id.hash, base64 as the gateway gives it
    proposer_address: str
    tx_count: int
    txs: tuple[str, ...]  # base64 TxRaw bytes

    @classmethod
    def parse(cls, o: Obj) -> Block:
        # SDK 0.47+ also has `sdk_block` (proposer as bech32); `block` is present on every version.
        block = o.child("sdk_block") or o.need("block")
        header = block.need("header")
        data = block.child("data")
        txs = data.texts("txs") if data is not None else ()
        block_id = o.child("block_id")
        when = header.time("time", required=True)
        assert when is not None
        return cls(
            chain_id=header.text("chain_id"),
            height=header.integer("height", required=True),
            time=when,
            hash=block_id.text("hash") if block_id is not None else "",
            proposer_address=header.text("proposer_address"),
            tx_count=len(txs),
            txs=txs,
        )


async def node_info(client: ChainClient) -> NodeInfo:
    return NodeInfo.parse(Obj(await client.get(NODE_INFO), NODE_INFO))


async def latest_block(client: ChainClient) -> Block:
    return Block.parse(Obj(await client.get(LATEST_BLOCK), LATEST_BLOCK))


async def block_at(client: ChainClient, height: int) -> Block:
    path = BLOCK_AT.format(height=int(height))
    return Block.parse(Obj(await client.get(path), path))
