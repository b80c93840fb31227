"""What the tenant tabs (Deploy, Bids, Deployments) share: the market context, a TxSender over ui/sign, a hub.

- `market_context(ctx)`: app.market's MarketContext for the current account and network (one per pair).
- `QtTxSender`: the market flows' TxSender made of the app's one signing path (unlock, fee, the ONE
  confirmation dialog, broadcast, notification); declining raises app.market.errors.Cancelled.
- `tenant_hub(ctx)`: signals between the tenant tabs (a deployment was created, a lease started...).
- `navigate(widget, key)`: show another tab of the main window and return its page.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from ui.context import AppContext

log = logging.getLogger(__name__)


class NotConnected(RuntimeError):
    """A tenant flow was started before the window has a chain client."""


class TenantHub(QObject):
    """Signals between the tenant tabs; tabs never call each other, they listen here."""

    deployment_created = Signal(int)  # dseq: the Bids tab watches it
    lease_created = Signal(int)  # dseq: the Deployments tab shows it
    deployments_changed = Signal()  # funds added, closed, updated: lists reload

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tenantHub")
        self.watched_dseq: int | None = None  # the deployment the Bids tab should show when it opens
        self.selected_dseq: int | None = None  # the deployment the Deployments tab should select


def tenant_hub(ctx: AppContext) -> TenantHub:
    hub = ctx.findChild(TenantHub, "tenantHub")
    return hub if hub is not None else TenantHub(ctx)


def navigate(widget: QWidget, key: str) -> QWidget | None:
    """Switch the main window to tab `key` (building it if needed); its page, or None outside a main window."""
    window = widget.window()
    if not hasattr(window, "page") or not hasattr(window, "show_tab"):
        return None
    page = window.page(key)
    window.show_tab(key)
    return page


def market_context(ctx: AppContext) -> Any:
    """The MarketContext of the selected account on the current network (cached per client and owner)."""
    from app.market.context import MarketContext

    account = ctx.session.account
    if account is None:
        from app.wallet.errors import KeystoreError

        raise KeystoreError("there is no wallet yet; create or import one first")
    if ctx.client is None:
        raise NotConnected("the app is not connected to a network yet; wait for the header to say Connected")
    key = (id(ctx.client), ctx.network.key, ctx.network.chain_id, account.address)
    cache: dict = ctx.__dict__.setdefault("_market_contexts", {})
    found = cache.get(key)
    if found is None:
        cache.clear()  # one account and network at a time
        found = MarketContext.create(ctx.client, ctx.network, account.address,
                                     favourites=tuple(ctx.settings.favourite_providers))
        cache[key] = found
    found.favourites = tuple(ctx.settings.favourite_providers)
    return found


class QtTxSender:
    """app.market.signing.TxSender over ui.sign.sign_and_send, for one window and the selected account."""

    def __init__(self, parent: QWidget, ctx: AppContext) -> None:
        self.parent = parent
        self.ctx = ctx

    @property
    def address(self) -> str:
        account = self.ctx.session.account
        return account.address if account is not None else ""

    def _broadcaster(self) -> Any:
        from decimal import Decimal

        from app.tx.broadcast import BroadcastConfig, Broadcaster

        return Broadcaster(self.ctx.client, BroadcastConfig(gas_price_uakt=Decimal(self.ctx.settings.gas_price)),
                           chain_id=self.ctx.network.chain_id)

    async def estimate(self, msgs: Sequence[Any], *, memo: str = "") -> Any:
        """A fee estimate; the simulation needs the account's public key, so the wallet is unlocked first."""
        from app.market.errors import Cancelled
        from ui.dialogs.unlock import ask_unlock

        if not await ask_unlock(self.parent, self.ctx.session, "Enter your password to prepare this transaction."):
            raise Cancelled("the preparation (unlock)")
        return await self._broadcaster().estimate(self.ctx.session.signer(), msgs, memo=memo)

    async def send(self, msgs: Sequence[Any], *, context: Any = None, memo: str = "") -> Any:
        from app.market.errors import Cancelled
        from ui.sign import sign_and_send

        result = await sign_and_send(self.parent, self.ctx, msgs, memo=memo, context=context)
        if result is None:
            raise Cancelled(_title(msgs))
        return result


def _title(msgs: Sequence[Any]) -> str:
    try:
        from app.tx.describe import describe_msgs

        return describe_msgs(msgs)[0].title.lower()
    except Exception:  # noqa: BLE001 - only for a message in words
        return "the transaction"


def provider_directory(mctx: Any) -> Any:
    """The ProviderDirectory of a market context (one cache of providers and online probes per context)."""
    from app.market.providers import ProviderDirectory

    directory = mctx.extra.get("directory")
    if directory is None:
        directory = mctx.extra["directory"] = ProviderDirectory(mctx.chain)
    return directory


async def provider_access(parent: QWidget, ctx: AppContext) -> Any:
    """Credentials for provider gateways as Settings > Provider sign-in says: a JWT signed by the account's key,
    or a published client certificate (mTLS); see ui.provider_signin. The wallet is unlocked first."""
    from ui.provider_signin import provider_access as signed_in

    return await signed_in(parent, ctx)
