"""Settings > Provider sign-in: token (JWT, default) or client certificate (mTLS). With mTLS chosen the tenant tabs
use a published certificate; without one the person is told so and can create+publish one, or use a token this
time. On the local network: a real lease, its status read from the simulated provider over mTLS."""

from __future__ import annotations

import asyncio
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app import settings as settings_mod
from app.session import Session
from app.wallet.keystore import Keystore
from tests.ui.holder_kit import PASSWORD, approve, await_task, closed, make_context, visible
from ui.context import AppContext
from ui.dialogs.cert_manager import CertificatesDialog
from ui.tabs.settings import SettingsTab
from ui.tenant import market_context, provider_access


def test_the_setting_is_chosen_in_the_settings_tab_and_remembered(qtbot) -> None:
    session = Session(settings_mod.load(), Keystore())
    ctx = AppContext(session.settings, session)
    tab = SettingsTab(ctx)
    qtbot.addWidget(tab)
    assert ctx.settings.provider_auth == "jwt" and tab.provider_auth.currentData() == "jwt"
    tab.provider_auth.setCurrentIndex(tab.provider_auth.findData("mtls"))
    assert ctx.settings.provider_auth == "mtls" and settings_mod.load().provider_auth == "mtls"
    assert tab.provider_auth.toolTip() and tab.certificates.toolTip()
    raw = settings_mod.settings_path().read_text().replace('"mtls"', '"kerberos"')
    settings_mod.settings_path().write_text(raw)
    assert settings_mod.load().provider_auth == "jwt"  # an unknown value falls back to the default


def _box() -> QMessageBox | None:
    box = visible(QMessageBox)
    return box if box is not None and box.objectName() == "noCertificateBox" else None


async def _live_lease(ctx: AppContext, phrase: str) -> int:
    """A deployment of the account with an active lease at a simulated provider (its manifest sent with a JWT)."""
    from app.market.access import ProviderAccess
    from app.market.bids import compare_bids, snapshot
    from app.market.deploy import create_deployment, plan_deployment
    from app.market.lease import accept_bids
    from app.market.providers import ProviderDirectory
    from app.market.signing import DirectSender
    from app.tx.broadcast import Broadcaster
    from app.wallet.hd import derive_private_key
    from app.wallet.signer import Signer
    from tests.kits.sdl import web_sdl

    signer = Signer(derive_private_key(phrase, 0, 0, ""))
    mctx = market_context(ctx)
    sender = DirectSender(Broadcaster(ctx.client, chain_id=ctx.network.chain_id), signer)
    plan = await plan_deployment(mctx, web_sdl(), sender=sender, deposit_uact=5_000_000)
    dseq = (await create_deployment(mctx, plan, sender)).dseq
    directory = ProviderDirectory(ctx.client)
    deadline = time.monotonic() + 60
    rows = []
    while time.monotonic() < deadline:
        rows = [r for r in await compare_bids(mctx, await snapshot(mctx, dseq), directory) if r.online]
        if rows:
            break
        await asyncio.sleep(0.5)
    assert rows, "no simulated provider bid"
    await asyncio.sleep(3)  # let the fleet finish bidding (a late bid makes the lease need more gas)
    rows = [r for r in await compare_bids(mctx, await snapshot(mctx, dseq), directory) if r.online]
    best = min(rows, key=lambda r: r.bid.price.amount)
    await accept_bids(mctx, dseq, [best], sender, ProviderAccess.jwt(signer), directory=directory)
    return dseq


@pytest.mark.slow
def test_mtls_sign_in_creates_a_certificate_when_none_is_usable_and_talks_to_the_provider(qtbot, localnet) -> None:
    from app.market.lease import lease_statuses
    from app.wallet.mnemonic import generate_mnemonic

    phrase = generate_mnemonic(24)
    ctx, owner = make_context(localnet, phrase, fund=False, name="mtls")
    localnet.fund(owner)
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    try:
        dseq = await_task(qtbot, _live_lease(ctx, phrase), timeout_ms=120_000)
        await_task(qtbot, ctx.session.unlock_async(PASSWORD))
        assert await_task(qtbot, provider_access(parent, ctx)).method == "jwt"  # the default: no question asked

        ctx.settings.provider_auth = "mtls"
        # no certificate yet: said in words; "Use a token this time" goes on with a JWT
        task = asyncio.ensure_future(provider_access(parent, ctx))
        qtbot.waitUntil(lambda: _box() is not None, timeout=30_000)
        box = _box()
        assert "no certificate" in box.text() and "Settings > Provider sign-in" in box.informativeText()
        qtbot.mouseClick(box.findChild(QWidget, "useToken"), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(task.done, timeout=5_000)
        assert task.result().method == "jwt"

        # again: "Create and publish…" opens the Certificates dialog; once it is published and closed, mTLS
        task = asyncio.ensure_future(provider_access(parent, ctx))
        qtbot.waitUntil(lambda: _box() is not None, timeout=30_000)
        qtbot.mouseClick(_box().findChild(QWidget, "createCertificate"), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: visible(CertificatesDialog) is not None, timeout=5_000)
        dialog = visible(CertificatesDialog)
        qtbot.waitUntil(dialog.create.isEnabled, timeout=30_000)  # it lists the certificates first
        qtbot.keyClicks(dialog.password, PASSWORD)
        qtbot.mouseClick(dialog.create, Qt.MouseButton.LeftButton)
        confirm = approve(qtbot)
        assert confirm.request.descriptions[0].type_url.endswith("MsgCreateCertificate")
        qtbot.waitUntil(lambda: "published in block" in dialog.status.text(), timeout=60_000)
        assert not task.done()  # waits for the person to close the dialog
        dialog.close()
        qtbot.waitUntil(lambda: closed(dialog) and task.done(), timeout=10_000)
        access = task.result()
        assert access.method == "mtls" and access.pair.certificate.owner == owner

        views = await_task(qtbot, lease_statuses(market_context(ctx), dseq, access), timeout_ms=60_000)
        assert views and all(v.error is None and v.status is not None for v in views), [v.error for v in views]

        # the next sign-in uses it at once, also after the wallet is locked and unlocked (its key is in the file)
        assert await_task(qtbot, provider_access(parent, ctx)).method == "mtls"
        ctx.session.lock()
        await_task(qtbot, ctx.session.unlock_async(PASSWORD))
        again = await_task(qtbot, provider_access(parent, ctx))
        assert again.method == "mtls" and again.pair.certificate.serial == access.pair.certificate.serial
        assert _box() is None
    finally:
        await_task(qtbot, ctx.aclose())
