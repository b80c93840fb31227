"""How the tenant flows get a transaction signed: the TxSender protocol (estimate -> confirm -> send).

The flows build messages and hand them to a TxSender; they never hold a key. The desktop UI adapts
ui/sign.sign_and_send to this protocol; the CLI and the tests use DirectSender (a Broadcaster, a Signer
and a confirmation callback that sees the messages in plain words and the fee before anything is signed).
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from app.chain.tx import TxResult
from app.market.errors import Cancelled
from app.tx.broadcast import Broadcaster, FeeEstimate
from app.tx.describe import DescribeContext, MsgDescription, describe_msgs


class TxSender(Protocol):
    """Signs for one account. `send` raises Cancelled when the person declines."""

    address: str

    async def estimate(self, msgs: Sequence[Any], *, memo: str = "") -> FeeEstimate: ...

    async def send(self, msgs: Sequence[Any], *, context: DescribeContext | None = None, memo: str = "") -> TxResult: ...


@dataclass(frozen=True)
class Confirmation:
    """What the person is asked to approve: each message in words, the fee and the gas."""

    descriptions: list[MsgDescription]
    fee_uakt: int
    gas_limit: int
    memo: str = ""

    @property
    def title(self) -> str:
        return self.descriptions[0].title if self.descriptions else "Transaction"


ConfirmFn = Callable[[Confirmation], "bool | Awaitable[bool]"]

@dataclass
class DirectSender:
    """A TxSender over the broadcast pipeline with an in-memory Signer (CLI, tests, benchmarks).

    `confirm` is called with the plain-words Confirmation before signing; None signs without asking
    (for `--yes` and tests). `sent` keeps the results, newest last.
    """

    broadcaster: Broadcaster
    signer: Any  # app.wallet.signer.Signer (or anything with .address, .public_key, .sign)
    confirm: ConfirmFn | None = None
    sent: list[TxResult] = field(default_factory=list)

    @property
    def address(self) -> str:
        return str(self.signer.address)

    async def estimate(self, msgs: Sequence[Any], *, memo: str = "") -> FeeEstimate:
        return await self.broadcaster.estimate(self.signer, msgs, memo=memo)

    async def send(self, msgs: Sequence[Any], *, context: DescribeContext | None = None, memo: str = "") -> TxResult:
        broadcaster = self.broadcaster
        estimate = await broadcaster.estimate(self.signer, msgs, memo=memo)
        if self.confirm is not None:
            info = Confirmation(describe_msgs(msgs, context), estimate.amount, estimate.gas_limit, memo)
            answer = self.confirm(info)
            if inspect.isawaitable(answer):
                answer = await answer
            if not answer:
                raise Cancelled(info.title)
        result = await broadcaster.send(self.signer, msgs, memo=memo, estimate=estimate)
        self.sent.append(result)
        return result
