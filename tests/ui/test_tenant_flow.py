"""The tenant flow end to end through the real main window on the local network (simulated providers):
template -> edit -> create -> bids appear -> accept -> URI visible -> logs stream -> add funds -> close.

Every transaction goes through THE confirmation dialog, approved here by clicking it (never bypassed)."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from app.chain import deployment as chain_deployment
from tests.ui.holder_kit import approve, await_task, make_context, visible
from ui.dialogs.confirm import ConfirmDialog
from ui.dialogs.deployment_funds import AddFundsDialog
from ui.main_window import MainWindow

pytestmark = pytest.mark.slow


def _current_key(window: MainWindow) -> str:
    return window.slots[window.tabs.currentIndex()].spec.key


def _escrow(qtbot, ctx, owner: str, dseq: int) -> Decimal:
    info = await_task(qtbot, chain_deployment.deployment(ctx.client, owner, dseq))
    return info.escrow_account.funds_of("uact")


def test_template_edit_create_bids_accept_uri_logs_funds_close(qtbot, localnet) -> None:
    ctx, owner = make_context(localnet, name="tenant")
    window = MainWindow(ctx, use_tray=False)
    qtbot.addWidget(window)
    window.show()
    try:
        _flow(qtbot, window, ctx, owner)
    finally:
        _shut(qtbot, window, ctx)


def _shut(qtbot, window: MainWindow, ctx) -> None:
    """Close the window (its timers and streams stop, its work is cancelled), then the chain client."""
    from ui import ops

    window.close()
    for op in ops.running_ops():
        op.cancel()
    qtbot.waitUntil(lambda: not ops.running_ops(), timeout=10_000)
    await_task(qtbot, ctx.aclose())


def _wait_stable(qtbot, value, *, seconds: float, timeout_ms: int = 60_000) -> None:
    seen = {"value": value(), "since": time.monotonic()}

    def stable() -> bool:
        now, current = time.monotonic(), value()
        if current != seen["value"]:
            seen.update(value=current, since=now)
        return now - seen["since"] >= seconds

    qtbot.waitUntil(stable, timeout=timeout_ms)


def _flow(qtbot, window: MainWindow, ctx, owner: str) -> None:
    # -- template -> edit ------------------------------------------------------------------------------------
    window.show_tab("deploy")
    deploy = window.page("deploy")
    qtbot.keyClicks(deploy.gallery.search, "hello")
    qtbot.keyClick(deploy.gallery.search, Qt.Key.Key_Return)
    assert "nginxdemos/hello" in deploy.editor.text()
    text = deploy.editor.text()
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "amount: 10" in t)
    deploy.editor.edit.jump_to(line, text.splitlines()[line - 1].index("10") + 3)
    qtbot.keyClicks(deploy.editor.edit, "0")  # the price ceiling 10 -> 100 uact per block, typed
    qtbot.waitUntil(lambda: not deploy.editor.is_checking(), timeout=3000)
    assert "amount: 100" in deploy.editor.text() and deploy.editor.current.deployable
    qtbot.keyClicks(deploy.name, "hello from the test")
    qtbot.waitUntil(lambda: deploy.cost.facts.live, timeout=30_000)  # price, block time, minimum deposit
    assert deploy.cost.per_month.text().endswith("ACT per month")
    deploy.cost.deposit.setText("5")
    assert deploy.cost.deposit_uact() == 5_000_000 and deploy.create_button.isEnabled(), deploy.create_hint.text()

    # -- create (unlock, preflight, THE confirmation) -> the Bids tab --------------------------------------------
    qtbot.mouseClick(deploy.create_button, Qt.MouseButton.LeftButton)
    confirm = approve(qtbot)
    assert confirm.request.descriptions[0].type_url.endswith("MsgCreateDeployment")
    qtbot.waitUntil(lambda: deploy.last_created is not None, timeout=60_000)
    dseq = deploy.last_created.dseq
    assert _current_key(window) == "bids"
    bids = window.page("bids")
    assert bids.dseq == dseq

    # -- bids appear, grouped, with a countdown ------------------------------------------------------------------
    qtbot.waitUntil(lambda: bids.model.rowCount() >= 2, timeout=60_000)
    # MsgCreateLease closes the order's other bids: a bid landing between the fee estimate and the block makes
    # it use more gas than estimated (reported to the market service). Let the simulated fleet finish bidding.
    _wait_stable(qtbot, lambda: bids.model.rowCount(), seconds=4.0)
    group = bids.groups[(1, 1)]
    assert "closes in" in group.header.text() and group.proxy.rowCount() == bids.model.rowCount()
    assert all(r.bid.price.amount <= 100 for r in bids.model.rows())
    bids.select_cheapest()
    chosen = group.selected()
    assert chosen is not None and chosen.online is not False
    cheapest = min((r for r in bids.model.rows() if r.online is not False), key=lambda r: r.usd_per_month)
    assert chosen.usd_per_month == cheapest.usd_per_month

    # -- accept -> lease -> manifest -> the Deployments tab ------------------------------------------------------
    qtbot.mouseClick(bids.accept, Qt.MouseButton.LeftButton)
    confirm = approve(qtbot)
    assert confirm.request.descriptions[0].type_url.endswith("MsgCreateLease")
    qtbot.waitUntil(lambda: _current_key(window) == "deployments", timeout=60_000)
    deployments = window.page("deployments")
    detail = deployments.detail
    qtbot.waitUntil(lambda: detail.line is not None and detail.line.dseq == dseq
                    and any(le.state == "active" for le in detail.line.leases), timeout=30_000)
    assert detail.line.name == "hello from the test"
    assert chosen.provider in {le.provider for le in detail.line.leases}

    # -- URI visible (the provider's lease status, clickable) ------------------------------------------------------
    def uri_shown() -> bool:
        if detail.uris():
            return True
        if deployments.status_op is None or not deployments.status_op.running:
            deployments.load_status(ask=True)
        return False

    qtbot.waitUntil(uri_shown, timeout=60_000)
    uri = detail.uris()[0]
    assert f'href="http://{uri}"' in detail.leases.text() and detail.leases.openExternalLinks()

    # -- logs stream into the view ----------------------------------------------------------------------------------
    detail.tabs.setCurrentWidget(detail.logs)
    qtbot.waitUntil(lambda: detail.logs.model.rowCount() > 0, timeout=30_000)
    assert detail.logs.feed.state in ("live", "connecting", "ended")
    assert any(r.source == "hello" for r in detail.logs.model.all_rows())
    assert detail.logs.service.findData("hello") >= 0

    # -- add funds (dialog -> THE confirmation) ------------------------------------------------------------------
    before = _escrow(qtbot, ctx, owner, dseq)
    qtbot.mouseClick(detail.add_funds_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: visible(AddFundsDialog) is not None, timeout=5000)
    dialog = visible(AddFundsDialog)
    qtbot.keyClicks(dialog.amount, "2.5")
    assert "gives about" in dialog.after.text()
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    confirm = approve(qtbot)
    assert "2.5 ACT" in " ".join(v for d in confirm.request.descriptions for _k, v in d.lines)
    qtbot.waitUntil(lambda: _escrow(qtbot, ctx, owner, dseq) >= before + 2_000_000, timeout=30_000)

    # -- close ------------------------------------------------------------------------------------------------------
    qtbot.waitUntil(lambda: detail.close_button.isEnabled(), timeout=10_000)
    qtbot.mouseClick(detail.close_button, Qt.MouseButton.LeftButton)
    approve(qtbot)

    def closed() -> bool:
        info = await_task(qtbot, chain_deployment.deployment(ctx.client, owner, dseq))
        return info.deployment.state.value == "closed"

    qtbot.waitUntil(closed, timeout=30_000)
    qtbot.waitUntil(lambda: visible(ConfirmDialog) is None, timeout=5000)
    deployments.show_closed.setChecked(True)
    qtbot.waitUntil(lambda: detail.line is not None and detail.line.dseq == dseq and detail.line.state == "closed",
                    timeout=30_000)
    assert "Closed" in detail.line.state_text and not detail.close_button.isEnabled()


def _unlock_only(qtbot) -> None:
    from tests.ui.holder_kit import PASSWORD
    from ui.dialogs.unlock import UnlockDialog

    qtbot.waitUntil(lambda: visible(UnlockDialog) is not None, timeout=30_000)
    unlock = visible(UnlockDialog)
    qtbot.keyClicks(unlock.password, PASSWORD)
    qtbot.mouseClick(unlock.ok, Qt.MouseButton.LeftButton)


def test_preflight_offers_the_mint_then_update_and_resend_the_manifest(qtbot, localnet) -> None:
    """No ACT at all: the preflight says so and offers the mint; mint + create; then lease, update SDL, resend."""
    from app.wallet.mnemonic import generate_mnemonic
    from app.wallet.signer import Signer
    from ui.dialogs.deployment_update import UpdateSdlDialog

    phrase = generate_mnemonic(24)
    localnet.fund(Signer.from_mnemonic(phrase).address, {"uakt": 500_000_000})  # 500 AKT, no ACT
    ctx, owner = make_context(localnet, phrase, name="minter")
    window = MainWindow(ctx, use_tray=False)
    qtbot.addWidget(window)
    window.show()
    try:
        window.show_tab("deploy")
        deploy = window.page("deploy")
        deploy.gallery.search.setText("hello")
        qtbot.keyClick(deploy.gallery.search, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: deploy.cost.facts.live, timeout=30_000)
        deploy.cost.deposit.setText("2")
        qtbot.mouseClick(deploy.create_button, Qt.MouseButton.LeftButton)
        _unlock_only(qtbot)  # the mint's fee is estimated: that needs the key; nothing is signed yet
        qtbot.waitUntil(lambda: deploy.preflight.isVisible(), timeout=30_000)
        checks = deploy.preflight.lines.text()
        assert "✘" in checks and "ACT for the deposit" in checks and "missing" in checks
        assert "Mint about" in deploy.preflight.mint_text.text() and deploy.preflight.mint.isVisible()
        assert visible(ConfirmDialog) is None and deploy.last_created is None  # nothing was signed

        qtbot.mouseClick(deploy.preflight.mint, Qt.MouseButton.LeftButton)
        confirm = approve(qtbot)
        assert confirm.request.descriptions[0].type_url.endswith("MsgMintACT")
        qtbot.waitUntil(lambda: visible(ConfirmDialog) is None, timeout=10_000)
        localnet.advance(12)  # past the next BME epoch: the mint executes
        confirm = approve(qtbot, timeout_ms=120_000)
        assert confirm.request.descriptions[0].type_url.endswith("MsgCreateDeployment")
        qtbot.waitUntil(lambda: deploy.last_created is not None, timeout=60_000)
        dseq = deploy.last_created.dseq
        bids = window.page("bids")
        qtbot.waitUntil(lambda: bids.model.rowCount() >= 2, timeout=60_000)
        _wait_stable(qtbot, lambda: bids.model.rowCount(), seconds=4.0)
        bids.accept_selected()
        approve(qtbot)
        qtbot.waitUntil(lambda: _current_key(window) == "deployments", timeout=60_000)
        deployments = window.page("deployments")
        detail = deployments.detail
        qtbot.waitUntil(lambda: detail.line is not None and detail.line.dseq == dseq
                        and detail.update_button.isEnabled(), timeout=30_000)

        # -- update the SDL (the same editor in a dialog) -> THE confirmation -> new manifest sent -----------------
        qtbot.mouseClick(detail.update_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: visible(UpdateSdlDialog) is not None, timeout=5000)
        dialog = visible(UpdateSdlDialog)
        assert not dialog.ok.isEnabled()
        dialog.editor.set_text(dialog.text().replace("hello:plain-text", "hello:latest"))
        assert dialog.ok.isEnabled()
        statuses = []
        ctx.status.connect(statuses.append)
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
        confirm = approve(qtbot)
        assert confirm.request.descriptions[0].type_url.endswith("MsgUpdateDeployment")
        qtbot.waitUntil(lambda: any(f"Deployment {dseq} updated" in s for s in statuses), timeout=60_000)
        assert any("manifest accepted" in s for s in statuses if "updated" in s)
        info = await_task(qtbot, chain_deployment.deployment(ctx.client, owner, dseq))
        from ui.tenant import market_context

        record = market_context(ctx).records.get(owner, dseq)
        assert len(record.versions) == 2 and "hello:latest" in record.versions[-1].sdl_text
        assert info.deployment.hash.hex() == record.versions[-1].version_hex  # the chain has the new hash

        # -- resend the manifest ------------------------------------------------------------------------------------
        statuses.clear()
        qtbot.waitUntil(lambda: detail.resend_button.isEnabled(), timeout=10_000)
        qtbot.mouseClick(detail.resend_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: any("manifest accepted" in s for s in statuses), timeout=60_000)
    finally:
        _shut(qtbot, window, ctx)
