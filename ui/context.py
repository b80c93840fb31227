"""AppContext: what every tab is given: settings, session (wallet/account/lock), network, chain client.

It turns the core's listener callbacks into Qt signals and polls the block height for the header.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from PySide6.QtCore import QObject, Signal

from app import config
from app import settings as settings_mod
from app.session import ACCOUNT, LOCK, WALLETS, Session
from app.settings import Settings

log = logging.getLogger(__name__)

POLL_S = {"mainnet": 6.0, "sandbox": 6.0, "local": 1.0}
RETIRE_WAIT_S = 120.0  # a network switch closes the old client after its uncancellable work, at most this late
QUIT_WAIT_S = 3.0  # quitting waits this long for uncancellable work before cancelling it too


class AppContext(QObject):
    """The shared state of the window. Tabs connect to its signals and never talk to each other."""

    wallets_changed = Signal()
    account_changed = Signal()
    lock_changed = Signal(bool)  # True = locked
    network_changed = Signal()
    height_changed = Signal(int)
    connection_changed = Signal(object)  # app.chain.health.ConnectionState
    settings_changed = Signal()
    status = Signal(str)  # a line for the status bar (last transaction / notification)
    tx_done = Signal(object)  # a broadcast result, for tabs that refresh after a change

    def __init__(
        self,
        settings: Settings,
        session: Session,
        network: config.Network | None = None,
        *,
        client: Any | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.session = session
        self.network = network or settings.network_config()
        self.client = client
        self.height: int | None = None
        self.notifier: Any | None = None  # ui.notify.Notifier, set by the main window
        self._unsubscribe_client = None
        self._poll_task: asyncio.Task[None] | None = None
        self._unsubscribe_session = session.add_listener(self._on_session)

    # -- session ---------------------------------------------------------------------------------------

    def _on_session(self, kind: str) -> None:
        if kind == WALLETS:
            self.wallets_changed.emit()
        elif kind == ACCOUNT:
            self.account_changed.emit()
        elif kind == LOCK:
            self.lock_changed.emit(self.session.locked)

    @property
    def locked(self) -> bool:
        return self.session.locked

    def lock(self) -> None:
        self.session.lock()

    # -- settings --------------------------------------------------------------------------------------

    def save_settings(self) -> None:
        """Persist the settings now and tell the tabs (theme, endpoints, auto-lock... may have changed)."""
        try:
            settings_mod.save(self.settings)
        except OSError as exc:
            log.error("could not save the settings: %s", exc)
            self.status.emit(f"Settings could not be saved: {exc.strerror or exc}")
        self.settings_changed.emit()

    # -- network and chain client ------------------------------------------------------------------------

    def connect_chain(self, client: Any | None = None) -> None:
        """Use `client` (default: a new ChainClient for the current network) and start the height poll."""
        if client is None:
            from app.chain.client import ChainClient  # imported late: keeps the cold start short

            client = ChainClient(self.network)
        old = self._drop_client()
        if old is not None and old is not client:
            self._retire(old)
        self.client = client
        if hasattr(client, "add_listener"):
            self._unsubscribe_client = client.add_listener(self.connection_changed.emit)
            self.connection_changed.emit(client.state)
        self._poll_task = asyncio.ensure_future(self._poll_height())

    def set_network(self, network: config.Network, remember: bool = True) -> None:
        """Switch network: a new client and a fresh height; tabs reload on network_changed."""
        self.network = network
        if remember:
            self.settings.network = network.key
            self.save_settings()
        self.height = None
        self.connect_chain()
        self.network_changed.emit()

    async def _poll_height(self) -> None:
        from app.chain.tendermint import latest_block

        interval = POLL_S.get(self.network.key, 6.0)
        while True:
            try:
                block = await latest_block(self.client)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - the header shows the connection state instead
                log.debug("height poll failed: %s", exc)
            else:
                if block.height != self.height:
                    self.height = block.height
                    self.height_changed.emit(block.height)
            await asyncio.sleep(interval)

    def _retire(self, old: Any) -> None:
        """Stop the work that may still use the old client (quietly: it ends as cancelled, not as an error),
        then close it once the work that cannot be cancelled (an unlock, a wallet being written) is over."""
        from ui import ops

        stopped = ops.cancel_ops(lambda op: op.cancellable)
        if stopped:
            log.info("network changed: stopped %d operation(s) in progress", len(stopped))
        if hasattr(old, "aclose"):
            asyncio.ensure_future(self._close_after(old, ops.wait_ops(lambda op: not op.cancellable, RETIRE_WAIT_S)))

    @staticmethod
    async def _close_after(client: Any, wait: Any) -> None:
        await wait
        with contextlib.suppress(Exception):
            await client.aclose()

    def _drop_client(self) -> Any | None:
        """Stop polling and listening; returns the old client (the caller closes it)."""
        if self._poll_task is not None:
            self._poll_task.cancel()
            self._poll_task = None
        if self._unsubscribe_client is not None:
            self._unsubscribe_client()
            self._unsubscribe_client = None
        old, self.client = self.client, None
        return old

    async def aclose(self) -> None:
        """Stop the work in progress, stop polling and close the client (called when the app quits)."""
        from ui import ops

        ops.cancel_ops(lambda op: op.cancellable)
        if not await ops.wait_ops(timeout_s=QUIT_WAIT_S):  # e.g. a wallet being encrypted: let it finish first
            ops.cancel_ops()
            await ops.wait_ops(timeout_s=0.5)
        client = self._drop_client()
        if client is not None and hasattr(client, "aclose"):
            with contextlib.suppress(Exception):
                await client.aclose()
        self._unsubscribe_session()
        self.session.close()
