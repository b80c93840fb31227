"""Pytest fixtures for a real local node over HTTP: `localnet` (session), funding and block helpers."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from app.localnet.runner import LocalNode


class NodeClient:
    """Tiny synchronous HTTP helper for tests (the app's real client is app/chain)."""

    def __init__(self, node: LocalNode) -> None:
        self.node = node
        self.url = node.url
        self.chain_id = node.chain_id

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, json.loads(resp.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"null")

    def get(self, path: str) -> Any:
        status, body = self.request("GET", path)
        assert status == 200, (path, status, body)
        return body

    def advance(self, blocks: int = 1) -> int:
        status, body = self.request("POST", "/localnet/advance", {"blocks": blocks})
        assert status == 200, body
        return int(body["height"])

    def fund(self, address: str, amounts: dict[str, int] | None = None) -> None:
        body: dict[str, Any] = {"address": address}
        if amounts is not None:
            body["amounts"] = [{"denom": d, "amount": str(a)} for d, a in amounts.items()]
        status, resp = self.request("POST", "/localnet/faucet", body)
        assert status == 200, resp

    def height(self) -> int:
        return int(self.get("/cosmos/base/tendermint/v1beta1/blocks/latest")["block"]["header"]["height"])

    def account(self, address: str) -> dict[str, Any]:
        return self.get(f"/cosmos/auth/v1beta1/accounts/{address}")["account"]

    def balance(self, address: str, denom: str = "uakt") -> int:
        return int(self.get(f"/cosmos/bank/v1beta1/balances/{address}/by_denom?denom={denom}")["balance"]["amount"])

    def broadcast(self, tx_bytes: bytes, mode: str = "BROADCAST_MODE_SYNC") -> dict[str, Any]:
        status, body = self.request("POST", "/cosmos/tx/v1beta1/txs",
                                    {"tx_bytes": base64.b64encode(tx_bytes).decode(), "mode": mode})
        assert status == 200, body
        return body["tx_response"]

    def tx(self, txhash: str) -> tuple[int, Any]:
        return self.request("GET", f"/cosmos/tx/v1beta1/txs/{txhash}")

    def deliver(self, tx_bytes: bytes) -> dict[str, Any]:
        """Broadcast, produce a block, return the included tx_response (CheckTx failures returned as is)."""
        res = self.broadcast(tx_bytes)
        if res["code"] != 0:
            return res
        self.advance(1)
        status, body = self.tx(res["txhash"])
        assert status == 200, body
        return body["tx_response"]


@pytest.fixture(scope="session")
def localnet() -> Iterator[NodeClient]:
    """One node for the session (1 s blocks, a temporary data dir)."""
    node = LocalNode(block_time=1.0)
    try:
        yield NodeClient(node)
    finally:
        node.cleanup()


@pytest.fixture
def fresh_signer(localnet: NodeClient) -> Any:
    """A new random key whose account the faucet funded (1000 AKT and 1000 ACT)."""
    import os

    from app.wallet.signer import Signer

    signer = Signer(os.urandom(32))
    localnet.fund(signer.address)
    return signer
