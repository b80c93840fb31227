"""The actions on a deployment (Deployments tab): add funds, update the SDL, resend the manifest, close.

Each runs through ui.ops on the tab (busy, errors in words) and signs through the one confirmation dialog.
"""

from __future__ import annotations

from typing import Any

from app.config import DENOM_ACT
from app.units import format_amount
from ui import ops
from ui.tenant import QtTxSender, market_context, provider_access


def add_funds(tab: Any) -> ops.Op | None:
    """The add-funds dialog, then MsgAccountDeposit through the confirmation; the list reloads."""
    from ui.dialogs.deployment_funds import ask_funds

    line = tab.detail.line
    if line is None:
        return None
    sender = QtTxSender(tab, tab.ctx)

    async def work() -> Any:
        from app.market.errors import Cancelled
        from app.market.manage import add_funds as deposit

        amount = await ask_funds(line, tab)
        if amount is None:
            raise Cancelled("adding funds")
        return await deposit(market_context(tab.ctx), line.dseq, amount, sender)

    def added(result: Any) -> None:
        runway = f"; {result.runway.words()}" if result.runway is not None else ""
        tab.ctx.status.emit(f"Added {format_amount(result.amount_uact, DENOM_ACT)} to deployment {line.dseq}{runway}")
        tab.refresh()

    return ops.run_op(tab, work, success=added, progress_label="Adding funds…", key="add-funds",
                      disable=[tab.detail.add_funds_button])


def update_sdl(tab: Any) -> ops.Op | None:
    """The SDL editor dialog, then MsgUpdateDeployment through the confirmation and the new manifest."""
    from ui.dialogs.awaited import accepted
    from ui.dialogs.deployment_update import UpdateSdlDialog
    from ui.widgets.sdl_check import sdl_network

    line = tab.detail.line
    if line is None or line.record is None:
        return None
    sender = QtTxSender(tab, tab.ctx)
    text = line.record.sdl_text

    async def work(progress: ops.Progress) -> Any:
        from app.market.errors import Cancelled
        from app.market.manage import update_deployment

        dialog = UpdateSdlDialog(line.dseq, text, sdl_network(tab.ctx.network.key), tab)
        if not await accepted(dialog):
            raise Cancelled("the update")
        new_text = dialog.text()  # before the next await: the dialog is deleted when the loop runs again
        access = await provider_access(tab, tab.ctx)
        return await update_deployment(market_context(tab.ctx), line.dseq, new_text, sender, access,
                                       progress=lambda t: progress(None, t))

    def updated(result: Any) -> None:
        words = "; ".join(d.words() for d in result.deliveries)
        tab.ctx.status.emit(f"Deployment {line.dseq} updated: {words}")
        tab.refresh()

    return ops.run_op(tab, work, success=updated, progress_label="Updating…", with_progress=True, key="update",
                      disable=[tab.detail.update_button])


def resend_manifest(tab: Any) -> ops.Op | None:
    """The recorded manifest to every active lease's provider again; failures in words."""
    line = tab.detail.line
    if line is None:
        return None

    async def work() -> list[Any]:
        from app.market.lease import send_manifests

        return await send_manifests(market_context(tab.ctx), line.dseq, await provider_access(tab, tab.ctx))

    def sent(deliveries: list[Any]) -> None:
        tab.ctx.status.emit("; ".join(d.words() for d in deliveries) or "No active lease to send it to")
        failed = [d for d in deliveries if not d.ok]
        if failed:
            ops.show_error(tab, failed[0].error)
        tab.load_status(ask=True)

    return ops.run_op(tab, work, success=sent, progress_label="Sending the manifest…", key="resend",
                      disable=[tab.detail.resend_button])


def close_deployment(tab: Any) -> ops.Op | None:
    """MsgCloseDeployment through the confirmation; the streams stop, the lists reload."""
    line = tab.detail.line
    if line is None:
        return None
    sender = QtTxSender(tab, tab.ctx)

    async def work() -> Any:
        from app.market.manage import close_deployment as close

        return await close(market_context(tab.ctx), line.dseq, sender)

    def closed(result: Any) -> None:
        tab._stop_streams()
        tab.ctx.status.emit(f"Deployment {line.dseq} closed in block {result.height:,}; the escrow left is back "
                             "in your balance")
        tab.hub.deployments_changed.emit()

    return ops.run_op(tab, work, success=closed, progress_label="Closing…", key="close",
                      disable=[tab.detail.close_button])
