"""The plug-in interface every local node module implements, and the context handlers run in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.localnet.kv import GasMeter, View

if TYPE_CHECKING:
    from app.localnet.chain import Chain
    from app.localnet.genesis import GenesisSpec
    from app.localnet.rest import Query


@dataclass
class Route:
    """A REST route: aiohttp path pattern ("/cosmos/bank/v1beta1/balances/{address}") -> handler(Query) -> dict."""

    method: str
    path: str
    handler: Callable[[Query], Any]


@dataclass
class MsgHandler:
    """How the node runs one Msg type: who must sign, stateless checks (CheckTx too), and execution.

    `execute(ctx, msg)` returns the Msg's response message (protobuf) or None; it raises TxError to fail.
    """

    signers: Callable[[Any], list[str]]
    execute: Callable[[Ctx, Any], Any]
    validate: Callable[[Any], None] | None = None


@dataclass
class Ctx:
    """What a handler or block hook sees: the state view (gas-metered inside txs), block height/time, events."""

    chain: Chain
    kv: View
    height: int
    time_ns: int
    gas: GasMeter | None = None
    events: list[dict[str, Any]] = field(default_factory=list)

    def emit(self, type_: str, *attrs: tuple[str, Any]) -> None:
        self.events.append({"type": type_, "attributes": [(k, str(v)) for k, v in attrs]})

    def consume_gas(self, amount: int, location: str) -> None:
        if self.gas is not None:
            self.gas.consume(amount, location)

    def module(self, name: str) -> Any:
        return self.chain.module(name)


class Module:
    """One module of the local node. Subclass it in app/localnet/modules/<name>.py and set MODULE = YourModule.

    - `name`: the module name (used by other modules: ctx.module("bank")).
    - `order`: genesis, begin-block and end-block order (lower first). Core modules use 0-90.
    - `genesis(ctx, spec)`: write the initial state.
    - `routes()`: REST query routes.
    - `msg_handlers()`: {type_url: MsgHandler}; the protobuf class comes from app.proto.registry.
    - `begin_block(ctx)` / `end_block(ctx)`: per-block hooks (rewards, unbonding, epochs, ...).
    - `start(node)` / `stop()`: async services running beside the node (e.g. simulated providers).
    """

    name = ""
    order = 100

    def __init__(self, chain: Chain) -> None:
        self.chain = chain

    def genesis(self, ctx: Ctx, spec: GenesisSpec) -> None:
        """Write this module's genesis state."""

    def routes(self) -> list[Route]:
        return []

    def msg_handlers(self) -> dict[str, MsgHandler]:
        return {}

    def begin_block(self, ctx: Ctx) -> None:
        """Runs before the block's txs."""

    def end_block(self, ctx: Ctx) -> None:
        """Runs after the block's txs."""

    async def start(self, node: Any) -> None:
        """Start services that live as long as the node."""

    async def stop(self) -> None:
        """Stop them."""
