"""The running node: block timer, mempool, tx broadcast/simulate, advance, and the block/tx records in SQLite."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import json
import logging
import time
from pathlib import Path
from typing import Any

from app.localnet import genesis as gen
from app.localnet.chain import Chain, tx_hash
from app.localnet.kv import RootState
from app.localnet.render import block_id, index_keys, tx_result_record
from app.localnet.store import Store, StoreError

log = logging.getLogger(__name__)
MAX_BLOCK_TXS = 5000
EMPTY_BLOCK_ID = {"hash": "", "part_set_header": {"total": 0, "hash": ""}}


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


class Node:
    """A single-validator-process chain: state in memory, one SQLite transaction per block."""

    def __init__(self, data_dir: Path, chain_id: str, block_time_s: float, *, reset: bool = False,
                 unbonding_time_s: int = 180) -> None:
        if reset:
            Store.reset(data_dir)
        self.store = Store(data_dir)
        self.block_time_ns = int(round(block_time_s * 1e9))
        self.mempool: list[tuple[str, bytes]] = []
        self._task: asyncio.Task | None = None
        self._lock = asyncio.Lock()
        self.new_block = asyncio.Condition()
        meta = self.store.meta()
        if meta:
            if meta["chain_id"] != chain_id:
                raise StoreError(f"{data_dir} holds chain {meta['chain_id']!r}, not {chain_id!r}: "
                                 "start with --reset to begin a new chain there")
            self._load(meta)
        else:
            self._genesis(chain_id, unbonding_time_s)

    # -- start-up --
    def _load(self, meta: dict[str, Any]) -> None:
        root = RootState(self.store.load_state())
        self.chain = Chain(root, meta["chain_id"], self.block_time_ns, meta["genesis_time_ns"])
        self.height = meta["height"]
        self.last_header = meta["last_header"]
        self.app_hash = meta["app_hash"]
        self.chain.anchor_height = self.chain.height = self.height
        self.chain.anchor_time_ns = self.last_header["time_ns"] if self.last_header else meta["genesis_time_ns"]

    def _genesis(self, chain_id: str, unbonding_time_s: int) -> None:
        genesis_ns = time.time_ns() // 1_000_000 * 1_000_000
        root = RootState()
        self.chain = Chain(root, chain_id, self.block_time_ns, genesis_ns)
        spec = gen.build_spec(chain_id, genesis_ns, self.block_time_ns, unbonding_time_s * 1_000_000_000)
        self.chain.init_genesis(spec)
        self.height, self.last_header, self.app_hash = 0, None, _b64(hashlib.sha256(b"genesis").digest())
        self.store.commit_block(self._meta(), root.take_dirty(), None, [])
        for txs in gen.history_blocks(self.chain, spec):
            self.produce_block(txs)

    def _meta(self) -> dict[str, Any]:
        return {"chain_id": self.chain.chain_id, "genesis_time_ns": self.chain.genesis_time_ns,
                "height": self.height, "last_header": self.last_header, "app_hash": self.app_hash,
                "block_time_ns": self.block_time_ns}

    # -- blocks --
    def produce_block(self, txs: list[bytes] | None = None) -> int:
        """Execute and commit the next block (the mempool's txs unless given); returns its height."""
        if txs is None:
            batch, self.mempool = self.mempool[:MAX_BLOCK_TXS], self.mempool[MAX_BLOCK_TXS:]
            txs = [raw for _, raw in batch]
        height = self.height + 1
        time_ns = self.chain.time_at(height)
        outcomes, _ = self.chain.execute_block(height, txs)
        dirty = self.chain.root.take_dirty()
        records = []
        for i, (raw, out) in enumerate(zip(txs, outcomes, strict=True)):
            h = tx_hash(raw)
            records.append({"hash": h, "height": height, "index": i, "tx_bytes": raw,
                            "result": tx_result_record(out, h, height, time_ns), "index_keys": index_keys(out)})
        header = self._header(height, time_ns, txs, dirty)
        block = {"height": height, "header": header, "txs": [_b64(t) for t in txs]}
        self.height, self.last_header = height, header
        self.chain.height = height
        self.store.commit_block(self._meta(), dirty, block, records)
        return height

    def _header(self, height: int, time_ns: int, txs: list[bytes], dirty: dict) -> dict[str, Any]:
        staking = self.chain.module("staking")
        bonded = [v for v in staking.validators(self.chain.root) if v["status"] == "BOND_STATUS_BONDED"]
        addrs = [hashlib.sha256(base64.b64decode(v["consensus_pubkey"])).digest()[:20] for v in bonded]
        state_digest = hashlib.sha256(self.app_hash.encode() + json.dumps(sorted(
            (f"{b}/{k}", v) for (b, k), v in dirty.items()), default=str).encode()).digest()
        self.app_hash = _b64(state_digest)
        header = {
            "chain_id": self.chain.chain_id, "time_ns": time_ns,
            "last_block_id": block_id(self.last_header) if self.last_header else EMPTY_BLOCK_ID,
            "last_commit_hash": _b64(hashlib.sha256(str(height - 1).encode()).digest()),
            "data_hash": _b64(hashlib.sha256(b"".join(hashlib.sha256(t).digest() for t in txs)).digest()),
            "validators_hash": _b64(hashlib.sha256(b"".join(addrs)).digest()),
            "consensus_hash": _b64(hashlib.sha256(b"consensus params").digest()),
            "app_hash": self.app_hash,
            "last_results_hash": _b64(hashlib.sha256(str(len(txs)).encode()).digest()),
            "proposer": _b64(addrs[height % len(addrs)]) if addrs else "",
            "signers": [_b64(a) for a in addrs],
        }
        digest = hashlib.sha256(json.dumps([height, header], sort_keys=True).encode()).digest()
        header["hash"] = _b64(digest)
        header["parts_hash"] = _b64(hashlib.sha256(digest).digest())
        return header

    async def _block_loop(self) -> None:
        next_at = time.monotonic() + self.block_time_ns / 1e9
        while True:
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            async with self._lock:
                self._commit_one()
            next_at = max(next_at + self.block_time_ns / 1e9, time.monotonic())

    def _commit_one(self) -> None:
        try:
            self.produce_block()
        except Exception:  # a bug in a module must not stop the chain silently
            log.exception("block %d failed", self.height + 1)
            raise
        self._notify()

    def _notify(self) -> None:
        async def wake() -> None:
            async with self.new_block:
                self.new_block.notify_all()

        asyncio.get_running_loop().create_task(wake())

    async def advance(self, blocks: int) -> int:
        """Produce `blocks` blocks now (the local-only /localnet/advance)."""
        async with self._lock:
            for i in range(blocks):
                self.produce_block()
                if i % 50 == 49:
                    await asyncio.sleep(0)  # let queries in between
        self._notify()
        return self.height

    async def faucet(self, address: str, coins: dict[str, int]) -> int:
        """Fund an address in a block produced now (the local-only /localnet/faucet)."""
        async with self._lock:
            self.chain.system_ops.append(lambda ctx: ctx.module("bank").fund(ctx, address, coins))
            height = self.produce_block()
        self._notify()
        return height

    # -- lifecycle --
    async def start(self) -> None:
        for m in self.chain.modules:
            await m.start(self)
        self._task = asyncio.get_running_loop().create_task(self._block_loop())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        for m in reversed(self.chain.modules):
            await m.stop()
        self.store.close()

    # -- txs --
    def broadcast(self, raw: bytes) -> dict[str, Any]:
        """CheckTx, then the mempool; the BROADCAST_MODE_SYNC answer."""
        h = tx_hash(raw)
        if any(h == m for m, _ in self.mempool):  # CometBFT's mempool cache (CheckCometError -> code 19)
            return _sync_response(h, "sdk", 19, "")
        out = self.chain.check_tx(raw, self.height + 1)
        if out.code == 0:
            self.mempool.append((h, raw))
        return _sync_response(h, out.codespace, out.code, out.log)

    def simulate(self, raw: bytes) -> Any:
        return self.chain.simulate(raw, self.height + 1)


def _sync_response(txhash: str, codespace: str, code: int, log_text: str) -> dict[str, Any]:
    return {"height": "0", "txhash": txhash, "codespace": codespace, "code": code, "data": "",
            "raw_log": log_text, "logs": [], "info": "", "gas_wanted": "0", "gas_used": "0", "tx": None,
            "timestamp": "", "events": []}
