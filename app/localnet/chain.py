"""The deterministic state machine: modules, genesis, and running txs and blocks against the state."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from app.localnet import ante
from app.localnet.errors import TxError, sdk_error
from app.localnet.kv import CacheState, GasMeter, OutOfGas, RootState, View
from app.localnet.module import Ctx, Module, MsgHandler
from app.localnet.modules import discover


@dataclass
class TxOutcome:
    """What CheckTx/DeliverTx/Simulate produced: the ABCI result fields and the Msg responses."""

    code: int = 0
    codespace: str = ""
    log: str = ""
    gas_wanted: int = 0
    gas_used: int = 0
    events: list[dict[str, Any]] = field(default_factory=list)
    msg_responses: list[tuple[str, bytes]] = field(default_factory=list)  # (type_url, value)
    tx: ante.DecodedTx | None = None


def module_from_type_url(type_url: str) -> str:
    """sdk.GetModuleNameFromTypeURL: "/cosmos.bank.v1beta1.MsgSend" -> "bank"."""
    parts = type_url.split(".")
    return parts[1] if len(parts) > 1 else ""


class Chain:
    """Modules + state. The node (node.py) owns time and I/O; this class only computes."""

    def __init__(self, root: RootState, chain_id: str, block_time_ns: int, genesis_time_ns: int) -> None:
        self.root = root
        self.chain_id = chain_id
        self.block_time_ns = block_time_ns
        self.genesis_time_ns = genesis_time_ns
        self.height = 0  # the last committed block (the node keeps it current)
        self.anchor_height = 0  # time(h) = anchor time + (h - anchor height) x block time
        self.anchor_time_ns = genesis_time_ns
        self.modules: list[Module] = [cls(self) for cls in discover()]
        self._by_name = {m.name: m for m in self.modules}
        self.router: dict[str, MsgHandler] = {}
        for m in self.modules:
            for url, handler in m.msg_handlers().items():
                if url in self.router:
                    raise RuntimeError(f"two modules handle {url}")
                self.router[url] = handler
        self.check_kv = CacheState(root)
        self.system_ops: list[Any] = []  # callables(ctx) run at the start of the next block (faucet)

    def module(self, name: str) -> Any:
        return self._by_name[name]

    def time_at(self, height: int) -> int:
        """Each block is one block time after the previous one, so time follows block count."""
        return self.anchor_time_ns + (height - self.anchor_height) * self.block_time_ns

    # -- genesis -----------------------------------------------------------------------------
    def init_genesis(self, spec: Any) -> None:
        kv = CacheState(self.root)
        ctx = Ctx(self, kv, 0, self.genesis_time_ns)
        for m in self.modules:
            m.genesis(ctx, spec)
        kv.write()

    # -- blocks ------------------------------------------------------------------------------
    def execute_block(self, height: int, txs: list[bytes]) -> tuple[list[TxOutcome], list[dict[str, Any]]]:
        """Run begin-block hooks, the txs and end-block hooks into the root state (not yet persisted)."""
        time_ns = self.time_at(height)
        block_kv = CacheState(self.root)
        hook_ctx = Ctx(self, block_kv, height, time_ns)
        ops, self.system_ops = self.system_ops, []
        for op in ops:
            op(hook_ctx)
        for m in self.modules:
            m.begin_block(hook_ctx)
        outcomes = [self.run_tx(block_kv, raw, "deliver", height, time_ns) for raw in txs]
        for m in self.modules:
            m.end_block(hook_ctx)
        block_kv.write()
        self.check_kv = CacheState(self.root)
        return outcomes, hook_ctx.events

    def check_tx(self, raw: bytes, height: int) -> TxOutcome:
        return self.run_tx(self.check_kv, raw, "check", height, self.time_at(height))

    def simulate(self, raw: bytes, height: int) -> TxOutcome:
        return self.run_tx(CacheState(self.check_kv), raw, "simulate", height, self.time_at(height))

    def run_tx(self, parent: View, raw: bytes, mode: str, height: int, time_ns: int) -> TxOutcome:
        """One tx as baseapp.runTx: ante (fee + sequence kept even if messages fail), then all messages or none."""
        out = TxOutcome()
        try:
            tx = ante.decode_tx(raw)
        except TxError as exc:
            return TxOutcome(code=exc.code, codespace=exc.codespace, log=exc.log)
        out.tx = tx
        out.gas_wanted = tx.gas_limit
        meter = GasMeter(None if mode == "simulate" else tx.gas_limit)
        ante_kv = CacheState(parent, meter)
        ctx = Ctx(self, ante_kv, height, time_ns, meter)
        try:
            ante.run_ante(ctx, tx, mode, self.router)
        except (TxError, OutOfGas) as exc:
            return self._failed(out, exc, meter, [])
        ante_kv.write()
        ante_events = ctx.events
        if mode == "check":
            out.gas_used = meter.used
            return out
        msg_kv = CacheState(parent, meter)
        msg_events: list[dict[str, Any]] = []
        for index, (url, msg) in enumerate(tx.msgs):
            mctx = Ctx(self, msg_kv, height, time_ns, meter)
            try:
                response = self.router[url].execute(mctx, msg)
            except TxError as exc:
                return self._failed(out, exc.wrap(f"failed to execute message; message index: {index}"),
                                    meter, ante_events)
            except OutOfGas as exc:
                return self._failed(out, exc, meter, ante_events)
            out.msg_responses.append(ante.pack_response(url, response))
            signer = self.router[url].signers(msg)[0]
            head = {"type": "message", "attributes": [("action", url), ("sender", signer),
                                                       ("module", module_from_type_url(url))]}
            for ev in [head, *mctx.events]:
                ev["attributes"] = [*ev["attributes"], ("msg_index", str(index))]
                msg_events.append(ev)
        msg_kv.write()
        out.gas_used = meter.used
        out.events = ante_events + msg_events
        return out

    @staticmethod
    def _failed(out: TxOutcome, exc: Exception, meter: GasMeter, events: list[dict[str, Any]]) -> TxOutcome:
        if isinstance(exc, OutOfGas):
            exc = sdk_error(11, str(exc))
        assert isinstance(exc, TxError)
        out.code, out.codespace, out.log = exc.code, exc.codespace, exc.log
        out.gas_used = meter.used if meter.limit is None else min(meter.used, max(meter.limit, meter.used))
        out.events = events
        out.msg_responses = []
        return out


def tx_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest().upper()
