"""Every signing action in one call: unlock if needed, estimate the fee, confirm in words, send, report."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import QWidget

from app.tx.describe import DescribeContext, describe_msgs
from ui.context import AppContext
from ui.dialogs.confirm import ConfirmRequest, ask_confirmation
from ui.dialogs.unlock import ask_unlock
from ui.header import account_label

log = logging.getLogger(__name__)


def _names(ctx: AppContext, extra: Mapping[str, str] | None) -> dict[str, str]:
    """Own accounts by name, plus what the caller knows (address book, monikers)."""
    names = {a.address: f"your {a.name}" for w in ctx.session.wallets for a in w.accounts}
    names.update(extra or {})
    return names


def _is_staking(msg: Any) -> bool:
    name = getattr(getattr(msg, "DESCRIPTOR", None), "full_name", "")
    return name.startswith("cosmos.staking.")


async def _unbonding_time(ctx: AppContext):  # noqa: ANN202 - timedelta | None
    """The chain's unbonding period for the confirmation text; None (mainnet's 21 days) when it cannot be read."""
    from app.chain import staking

    try:
        return (await staking.params(ctx.client)).unbonding_time
    except Exception:  # noqa: BLE001 - only wording depends on it
        log.info("staking params unavailable; describing unbonding with the mainnet figure")
        return None


async def sign_and_send(
    parent: QWidget,
    ctx: AppContext,
    msgs: Sequence[Any],
    *,
    memo: str = "",
    context: DescribeContext | None = None,
    balance_after: Mapping[str, int] | None = None,
) -> Any | None:
    """The TxResult once the transaction is in a block; None if the person cancelled.

    Run it through ui.ops.run_op: typed errors (TxRejected, NodeUnavailable, WrongPassword...) reach the
    op's failure handler, which shows them in words.
    """
    from app.tx.broadcast import BroadcastConfig, Broadcaster

    session = ctx.session
    if not await ask_unlock(parent, session, "Enter your password to prepare this transaction."):
        return None
    broadcaster = Broadcaster(ctx.client, BroadcastConfig(gas_price_uakt=Decimal(ctx.settings.gas_price)),
                              chain_id=ctx.network.chain_id)
    estimate = await broadcaster.estimate(session.signer(), msgs, memo=memo)
    describe_ctx = context or DescribeContext()
    describe_ctx.names = _names(ctx, describe_ctx.names)
    if describe_ctx.unbonding_time is None and any(_is_staking(m) for m in msgs):
        describe_ctx.unbonding_time = await _unbonding_time(ctx)
    after = dict(balance_after or {})
    if estimate.denom in after:  # the caller's figure is before the fee, which only this step knows
        after[estimate.denom] -= estimate.amount
    request = ConfirmRequest(
        describe_msgs(msgs, describe_ctx), fee_uakt=estimate.amount, gas=estimate.gas_limit,
        balance_after=after, memo=memo, network_name=ctx.network.name,
        mainnet=ctx.network.key == "mainnet",
        signer=account_label(session.wallet.name, session.account) if session.wallet and session.account else "",
    )
    if not await ask_confirmation(parent, request, session):
        return None
    result = await broadcaster.send(session.signer(), msgs, memo=memo, estimate=estimate)  # re-read: may have relocked
    title = request.descriptions[0].title if request.descriptions else "Transaction"
    ctx.status.emit(f"{title}: confirmed in block {result.height:,} ({result.txhash[:10]}…)")
    if ctx.notifier is not None:
        ctx.notifier.notify("Transaction confirmed", f"{title} (block {result.height:,})", "tx_finished")
    ctx.tx_done.emit(result)
    log.info("tx %s confirmed at height %d", result.txhash, result.height)
    return result
