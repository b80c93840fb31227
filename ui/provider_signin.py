"""How the tenant tabs sign in to provider gateways, per Settings > Provider sign-in: a token signed by the account's
key (JWT, the default) or a published client certificate (mTLS) whose key is kept encrypted in the wallet.

With mTLS chosen and no usable certificate, the person is told so in words and offered to create and publish
one (the Certificates dialog), to use a token this time, or to stop.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QWidget

from ui.context import AppContext

log = logging.getLogger(__name__)

CREATE, TOKEN, STOP = "create", "token", "stop"


async def provider_access(parent: QWidget, ctx: AppContext) -> Any:
    """app.market.access.ProviderAccess for the selected account (the wallet is unlocked first: both ways
    need its keys). Raises app.market.errors.Cancelled when the person stops."""
    from app.market.access import MTLS, ProviderAccess
    from app.market.errors import Cancelled
    from ui.dialogs.unlock import ask_unlock

    if not await ask_unlock(parent, ctx.session, "Enter your password to talk to the provider."):
        raise Cancelled("the provider access (unlock)")
    if ctx.settings.provider_auth != MTLS:
        return ProviderAccess.jwt(ctx.session.signer())
    pair = await usable_certificate(ctx)
    if pair is not None:
        return ProviderAccess.mtls(pair)
    answer = await ask_without_certificate(parent)
    if answer == TOKEN:
        return ProviderAccess.jwt(ctx.session.signer())
    if answer == CREATE:
        pair = await create_certificate(parent, ctx)
        if pair is not None:
            return ProviderAccess.mtls(pair)
    raise Cancelled("the provider sign-in (no client certificate)")


async def usable_certificate(ctx: AppContext) -> Any | None:
    """The account's published, valid client certificate with its key here (the longest-lived), or None."""
    from app.provider.certstore import CertStatus, pick_usable

    entries = await certificate_service(ctx).entries(ctx.session.secrets())
    entry = pick_usable(entries)
    if entry is not None:
        return entry.local
    # The unlocked wallet holds its secrets as of the unlock: a certificate published since is on chain
    # ("key not on this computer" for that snapshot) and its key is in _Published until the next lock.
    fresh = {e.serial for e in entries if e.status is CertStatus.KEY_MISSING}
    return next((p for p in reversed(_published(ctx).pairs) if p.certificate.serial in fresh), None)


class _Published(QObject):
    """Client key pairs published in this session, for the account that published them; dropped on lock."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.setObjectName("publishedCertificates")
        self.pairs: list[Any] = []
        ctx.lock_changed.connect(lambda locked: self.clear() if locked else None)
        ctx.account_changed.connect(self.clear)
        ctx.network_changed.connect(self.clear)

    def clear(self) -> None:
        self.pairs.clear()


def _published(ctx: AppContext) -> _Published:
    found = ctx.findChild(_Published, "publishedCertificates")
    return found if found is not None else _Published(ctx)


def remember_published(ctx: AppContext, pair: Any) -> None:
    """A certificate the Certificates dialog just published: usable for mTLS before the wallet is unlocked again."""
    account = ctx.session.account
    if account is None or pair.certificate.owner != account.address:
        return
    _published(ctx).pairs.append(pair)


def certificate_service(ctx: AppContext) -> Any:
    from app.market.certificates import CertificateService
    from ui.tenant import market_context

    wallet = ctx.session.wallet
    return CertificateService(market_context(ctx), ctx.session.keystore, wallet.name if wallet else "")


async def ask_without_certificate(parent: QWidget) -> str:
    """CREATE, TOKEN or STOP: what to do when mTLS is chosen but no certificate is usable (window-modal box)."""
    box = QMessageBox(QMessageBox.Icon.Information, "No usable client certificate",
                      "Provider sign-in is set to client certificate (mTLS), but this account has no certificate "
                      "that is published on chain, valid, and has its key on this computer.",
                      QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("noCertificateBox")
    box.setInformativeText("Create and publish one now (one transaction), or sign in with a token (JWT) this time. "
                           "Settings > Provider sign-in switches between the two.")
    create = box.addButton("Create and publish…", QMessageBox.ButtonRole.AcceptRole)
    create.setObjectName("createCertificate")
    token = box.addButton("Use a token this time", QMessageBox.ButtonRole.ActionRole)
    token.setObjectName("useToken")
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(create)
    answer: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    def chosen(_result: int) -> None:
        clicked = box.clickedButton()
        if not answer.done():
            answer.set_result(CREATE if clicked is create else TOKEN if clicked is token else STOP)

    box.finished.connect(chosen)
    box.open()
    try:
        return await answer
    finally:
        if not answer.done():  # the flow was cancelled meanwhile
            box.reject()
        box.deleteLater()


async def create_certificate(parent: QWidget, ctx: AppContext) -> Any | None:
    """Open the Certificates dialog ready to create one; the published ClientKeyPair once it is closed (None
    if nothing was published)."""
    from ui.dialogs.awaited import accepted
    from ui.dialogs.cert_manager import CertificatesDialog

    dialog = CertificatesDialog(ctx, parent, prompt="Provider sign-in is set to client certificate (mTLS): enter the "
                                "wallet password and press Create and publish, then close this window.")
    published: list[Any] = []
    dialog.published.connect(published.append)
    dialog.password.setFocus()
    await accepted(dialog)
    return published[-1] if published else None
