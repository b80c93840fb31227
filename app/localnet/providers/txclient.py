"""A provider's transactions: real signed txs into the node's mempool, with the account sequence kept locally."""

from __future__ import annotations

import logging
import math
from decimal import Decimal
from typing import Any

from google.protobuf.message import Message

from app.tx.builder import Fee, sign_tx
from app.wallet.signer import Signer

log = logging.getLogger(__name__)
GAS_PRICE_UAKT = Decimal("0.025")  # what provider-services and Console pay
SEQUENCE_MISMATCH = 32


class TxSender:
    """Signs with the provider key and broadcasts through the node (CheckTx, then the next block)."""

    def __init__(self, node: Any, signer: Signer, name: str) -> None:
        self.node = node
        self.signer = signer
        self.name = name
        self._sequence: int | None = None

    def _account(self) -> dict[str, Any]:
        acc = self.node.chain.module("auth").get_account(self.node.chain.check_kv, self.signer.address)
        if acc is None:
            raise RuntimeError(f"provider {self.name}: account {self.signer.address} does not exist")
        return acc

    def send(self, msgs: list[Message], gas: int = 400_000, memo: str = "") -> dict[str, Any]:
        """Broadcast (sync); on a sequence mismatch the sequence is re-read from CheckTx state and tried once more."""
        for attempt in range(2):
            acc = self._account()
            if self._sequence is None or attempt:
                self._sequence = int(acc["sequence"])
            fee = Fee(((("uakt"), math.ceil(GAS_PRICE_UAKT * gas)),), gas)
            tx = sign_tx(self.signer, msgs, chain_id=self.node.chain.chain_id,
                         account_number=int(acc["account_number"]), sequence=self._sequence, fee=fee, memo=memo)
            result = self.node.broadcast(tx.tx_bytes)
            if result["code"] == 0:
                self._sequence += 1
                return result
            if result["code"] != SEQUENCE_MISMATCH:
                log.info("provider %s: tx refused by CheckTx: %s", self.name, result["raw_log"])
                return result
        return result
