"""The one broadcast pipeline: account -> simulate -> fee -> sign -> broadcast (sync) -> confirm in a block."""

from __future__ import annotations

import asyncio
import base64
import logging
import math
import re
import time
import weakref
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from types import ModuleType
from typing import Any

from app.chain import auth, tendermint
from app.chain.client import ChainClient
from app.chain.errors import (
    ChainError,
    MalformedResponse,
    NodeError,
    NodeUnavailable,
    NotFound,
    TxRejected,
    TxTimeout,
    WrongChain,
)
from app.chain.jsonread import Obj
from app.chain.tx import TxResult, get_tx
from app.config import DEFAULT_GAS_PRICE_UAKT, DENOM_AKT, GAS_ADJUSTMENT, MIN_GAS_PRICE_UAKT

log = logging.getLogger(__name__)

SIMULATE = "/cosmos/tx/v1beta1/simulate"
BROADCAST = "/cosmos/tx/v1beta1/txs"
CODE_TX_IN_MEMPOOL = 19
CODE_WRONG_SEQUENCE = 32
_EXPECTED_SEQ = re.compile(r"expected (\d+), got (\d+)")

# SDK error descriptions (cosmos-sdk types/errors) -> code, to classify errors that arrive as gRPC text
# (a failed /simulate is reported as gRPC Unknown with the ABCI log in its message).
_SDK_DESCRIPTIONS = {
    "tx parse error": 2,
    "invalid sequence": 3,
    "unauthorized": 4,
    "insufficient funds": 5,
    "unknown request": 6,
    "invalid address": 7,
    "invalid pubkey": 8,
    "unknown address": 9,
    "invalid coins": 10,
    "out of gas": 11,
    "memo too large": 12,
    "insufficient fee": 13,
    "no signatures supplied": 15,
    "invalid request": 18,
    "tx already in mempool": 19,
    "tx too large": 21,
    "invalid chain-id": 28,
    "tx timeout height": 30,
    "incorrect account sequence": 32,
}


class AccountMissing(ChainError):
    """The signing account does not exist on chain yet (it has never received funds)."""

    hint = "Receive some AKT on this address first (it pays the fee), then try again."

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__(f"Account {address} does not exist on this chain yet.")


@dataclass(frozen=True)
class BroadcastConfig:
    gas_adjustment: Decimal = Decimal(GAS_ADJUSTMENT)
    gas_price_uakt: Decimal = Decimal(DEFAULT_GAS_PRICE_UAKT)
    confirm_timeout_s: float = 90.0  # ~15 mainnet blocks
    poll_interval_s: float = 1.0
    rebroadcast_after_s: float = 20.0  # re-send the same signed bytes while the tx is still unseen

    @property
    def effective_gas_price(self) -> Decimal:
        """Never below the node's minimum-gas-prices: such a tx would be refused anyway."""
        return max(Decimal(self.gas_price_uakt), Decimal(MIN_GAS_PRICE_UAKT))


@dataclass(frozen=True)
class FeeEstimate:
    """What the confirmation dialog shows before signing; `send(..., estimate=)` reuses it unchanged."""

    signer_address: str
    chain_id: str
    gas_used: int  # simulated
    gas_limit: int  # gas_used x adjustment, rounded up
    gas_price: Decimal  # uakt per gas unit
    amount: int  # fee in uakt = ceil(gas_limit x gas_price)
    denom: str = DENOM_AKT

    def fee(self, builder: ModuleType, granter: str = "", payer: str = "") -> Any:
        return builder.Fee(amount=((self.denom, self.amount),), gas=self.gas_limit, granter=granter, payer=payer)


# Messages whose gas grows with state that changes between simulation and inclusion: creating a lease closes
# every other bid of the order, and providers keep bidding meanwhile (up to order_max_bids).
GAS_ADJUSTMENT_FOR = {"/akash.market.v1beta5.MsgCreateLease": Decimal("1.6")}  # Console: gasUsed x 1.6


def gas_adjustment(msgs: Sequence[Any], default: Decimal) -> Decimal:
    """The gas adjustment for these messages: the default, or more for the state-dependent ones."""
    from app.proto.registry import type_url_of

    wanted = [GAS_ADJUSTMENT_FOR.get(type_url_of(m), default) for m in msgs if hasattr(m, "DESCRIPTOR")]
    return max([default, *wanted])


def fee_for(gas_used: int, config: BroadcastConfig, msgs: Sequence[Any] = ()) -> tuple[int, int, Decimal]:
    """(gas_limit, fee_amount, gas_price) for a simulated gas figure of these messages."""
    gas_limit = max(1, math.ceil(Decimal(gas_used) * gas_adjustment(msgs, config.gas_adjustment)))
    price = config.effective_gas_price
    return gas_limit, math.ceil(Decimal(gas_limit) * price), price


def classify_sdk_message(message: str) -> tuple[int, str]:
    """(code, codespace) of an SDK error given only as text; (0, "") when it is not recognised."""
    lowered = message.lower()
    best = max((d for d in _SDK_DESCRIPTIONS if d in lowered), key=len, default=None)
    return (_SDK_DESCRIPTIONS[best], "sdk") if best else (0, "")


def expected_sequence(log_text: str) -> int | None:
    m = _EXPECTED_SEQ.search(log_text or "")
    return int(m.group(1)) if m else None


# One in-flight transaction per signer and chain, shared by every Broadcaster on the same event loop.
_LOCKS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[tuple[str, str], asyncio.Lock]] = (
    weakref.WeakKeyDictionary()
)


def signer_lock(chain_id: str, address: str) -> asyncio.Lock:
    table = _LOCKS.setdefault(asyncio.get_running_loop(), {})
    return table.setdefault((chain_id, address), asyncio.Lock())


@dataclass(frozen=True)
class _Verdict:
    """What the node said to one broadcast of some bytes."""

    accepted: bool  # in the mempool (or already there)
    unknown: bool  # the request may have arrived but no answer came back
    code: int = 0
    codespace: str = ""
    log: str = ""


class Broadcaster:
    """Signs and broadcasts messages for one network; every write of the app goes through `send`."""

    def __init__(
        self,
        client: ChainClient,
        config: BroadcastConfig = BroadcastConfig(),
        *,
        chain_id: str = "",
        builder: ModuleType | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if builder is None:
            from app.tx import builder as default_builder

            builder = default_builder
        self.client = client
        self.config = config
        self.builder = builder
        self._chain_id = chain_id or client.chain_id
        self._chain_checked = False
        self._sleep = sleep
        self._clock = clock

    # -- public ------------------------------------------------------------------------------------------
    async def chain_id(self) -> str:
        """The chain id to sign for, checked once against the node (signing for the wrong chain is refused)."""
        if not self._chain_checked:
            info = await tendermint.node_info(self.client)
            if self._chain_id and info.chain_id != self._chain_id:
                raise WrongChain(self._chain_id, info.chain_id, self.client.state.endpoint)
            self._chain_id = info.chain_id
            self._chain_checked = True
        return self._chain_id

    async def estimate(self, signer: Any, msgs: Sequence[Any], *, memo: str = "", timeout_height: int = 0) -> FeeEstimate:
        """Simulate the messages and price the fee (nothing is signed or sent)."""
        chain_id = await self.chain_id()
        account = await self._account(signer.address)
        return (await self._simulate(signer, msgs, account.sequence, chain_id, memo, timeout_height))[0]

    async def send(
        self,
        signer: Any,
        msgs: Sequence[Any],
        *,
        memo: str = "",
        estimate: FeeEstimate | None = None,
        fee_granter: str = "",
        timeout_height: int = 0,
    ) -> TxResult:
        """Sign and broadcast, then wait until the tx is in a block: its TxResult, or TxRejected/TxTimeout.

        A sequence mismatch at CheckTx re-signs once with the fresh sequence (the refused tx never
        existed). Once some bytes may have reached a node they are never replaced by new ones: only the
        same bytes are re-sent, so one user action never makes two different transactions.
        """
        if not msgs:
            raise ValueError("a transaction needs at least one message")
        chain_id = await self.chain_id()
        if estimate is not None and (estimate.signer_address != signer.address or estimate.chain_id != chain_id):
            raise ValueError("this fee estimate was made for another account or chain; estimate again")
        async with signer_lock(chain_id, signer.address):
            account = await self._account(signer.address)
            sequence = account.sequence
            if estimate is None:
                estimate, sequence = await self._simulate(signer, msgs, sequence, chain_id, memo, timeout_height)
            fee = estimate.fee(self.builder, granter=fee_granter)
            signed = self._sign(signer, msgs, chain_id, account, sequence, fee, memo, timeout_height)
            verdict = await self._broadcast(signed.tx_bytes)
            if not verdict.accepted and not verdict.unknown and _is_sequence_mismatch(verdict):
                fresh = await self._account(signer.address)
                sequence = max(fresh.sequence, expected_sequence(verdict.log) or 0)
                log.info("sequence mismatch for %s; re-signing once with sequence %d", signer.address, sequence)
                signed = self._sign(signer, msgs, chain_id, fresh, sequence, fee, memo, timeout_height)
                verdict = await self._broadcast(signed.tx_bytes)
            if not verdict.accepted and not verdict.unknown:
                raise TxRejected(verdict.code, verdict.codespace, verdict.log, signed.txhash, stage="check")
            return await self._confirm(signed.txhash, signed.tx_bytes, first_unknown=verdict.unknown)

    async def confirm(self, txhash: str, timeout_s: float | None = None) -> TxResult:
        """Wait for a known transaction (e.g. after a TxTimeout) without sending anything."""
        return await self._confirm(txhash.upper(), None, first_unknown=False, timeout_s=timeout_s)

    # -- steps -------------------------------------------------------------------------------------------
    async def _account(self, address: str) -> auth.Account:
        try:
            return await auth.account(self.client, address)
        except NotFound:
            raise AccountMissing(address) from None

    async def _simulate(
        self, signer: Any, msgs: Sequence[Any], sequence: int, chain_id: str, memo: str, timeout_height: int
    ) -> tuple[FeeEstimate, int]:
        """The fee estimate, and the sequence the simulation accepted (fresher than a lagging REST view)."""
        for attempt in range(2):
            tx_bytes = self.builder.simulation_tx_bytes(
                signer.public_key, list(msgs), sequence=sequence, memo=memo, timeout_height=timeout_height
            )
            try:
                data = await self.client.post(SIMULATE, {"tx_bytes": _b64(tx_bytes)}, resend_safe=True)
            except NodeError as exc:
                code, codespace = classify_sdk_message(exc.message)
                if code == CODE_WRONG_SEQUENCE and attempt == 0:  # the REST view lagged a just-included tx
                    fresh = await self._account(signer.address)
                    sequence = max(fresh.sequence, expected_sequence(exc.message) or 0)
                    continue
                raise TxRejected(code, codespace, exc.message, stage="simulate") from None
            gas_used = Obj(data, SIMULATE).need("gas_info").integer("gas_used", required=True)
            gas_limit, amount, price = fee_for(gas_used, self.config, msgs)
            return FeeEstimate(signer.address, chain_id, gas_used, gas_limit, price, amount), sequence
        raise AssertionError("unreachable")

    def _sign(
        self, signer: Any, msgs: Sequence[Any], chain_id: str, account: auth.Account, sequence: int, fee: Any,
        memo: str, timeout_height: int,
    ) -> Any:  # fmt: skip
        return self.builder.sign_tx(
            signer,
            list(msgs),
            chain_id=chain_id,
            account_number=account.account_number,
            sequence=sequence,
            fee=fee,
            memo=memo,
            timeout_height=timeout_height,
        )

    async def _broadcast(self, tx_bytes: bytes) -> _Verdict:
        """POST the bytes once (the client may fail over only while nothing can have arrived)."""
        body = {"tx_bytes": _b64(tx_bytes), "mode": "BROADCAST_MODE_SYNC"}
        try:
            data = await self.client.post(BROADCAST, body, resend_safe=False)
        except NodeUnavailable as exc:
            if exc.maybe_delivered:
                return _Verdict(accepted=False, unknown=True, log=str(exc))
            raise  # nothing reached any node: nothing happened, the user may simply retry
        resp = Obj(data, BROADCAST).need("tx_response")
        code, codespace, raw_log = resp.integer("code"), resp.text("codespace"), resp.text("raw_log")
        if code == 0 or (code == CODE_TX_IN_MEMPOOL and codespace == "sdk"):
            return _Verdict(accepted=True, unknown=False)
        return _Verdict(accepted=False, unknown=False, code=code, codespace=codespace, log=raw_log)

    async def _confirm(
        self, txhash: str, tx_bytes: bytes | None, *, first_unknown: bool, timeout_s: float | None = None
    ) -> TxResult:
        """Poll the tx by hash until it is in a block; re-send the same bytes now and then while unseen."""
        timeout = self.config.confirm_timeout_s if timeout_s is None else timeout_s
        started = self._clock()
        last_sent = started
        detail = "the node did not answer when it was sent" if first_unknown else ""
        while True:
            try:
                result = await get_tx(self.client, txhash)
            except (NotFound, NodeUnavailable, MalformedResponse):
                pass  # not in a block yet, or the node is briefly away: keep waiting
            except NodeError as exc:
                if "not found" not in exc.message.lower():  # older nodes: 400/500 "tx (HASH) not found"
                    raise
            else:
                if result.code != 0:
                    raise TxRejected(
                        result.code, result.codespace, result.raw_log, result.txhash, stage="deliver",
                        height=result.height, gas_used=result.gas_used, gas_wanted=result.gas_wanted,
                    )  # fmt: skip
                return result
            now = self._clock()
            if now - started >= timeout:
                raise TxTimeout(txhash, now - started, detail=detail)
            if tx_bytes is not None and now - last_sent >= self.config.rebroadcast_after_s:
                last_sent = now
                detail = await self._resend(tx_bytes) or detail
            await self._sleep(self.config.poll_interval_s)

    async def _resend(self, tx_bytes: bytes) -> str:
        """Send the same signed bytes again (harmless: a node already holding them says code 19)."""
        try:
            verdict = await self._broadcast(tx_bytes)
        except ChainError as exc:
            return f"re-send failed: {exc}"
        if verdict.accepted or verdict.unknown:
            return ""
        return f"a re-send was refused with code {verdict.code}: {verdict.log}"


def _is_sequence_mismatch(verdict: _Verdict) -> bool:
    return verdict.code == CODE_WRONG_SEQUENCE and verdict.codespace in ("sdk", "")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
