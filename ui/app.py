"""Application entry point (`akash-desk`, `python -m ui.app`): args, logging, qasync loop, main window."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import threading
import time
from pathlib import Path
from types import TracebackType

_T0 = time.perf_counter()
log = logging.getLogger("ui.app")
NETWORKS = ("mainnet", "sandbox", "local")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="akash-desk", description="Akash Desk: wallet and marketplace client")
    parser.add_argument("--network", choices=NETWORKS, default=None,
                        help="network to use (default: the one used last time); the choice is remembered")
    parser.add_argument("--demo", action="store_true",
                        help="on the local network, offer the funded demo wallet (test only)")
    parser.add_argument("--data", type=Path, default=None, help="data folder (default: the user data folder)")
    parser.add_argument("--debug", action="store_true", help="log at DEBUG level (secrets are still redacted)")
    parser.add_argument("--exit-when-ready", action="store_true", help=argparse.SUPPRESS)  # bench/b_ui_start.py
    parser.add_argument("--smoke-test", action="store_true",
                        help="open the main window, build every tab, print one line and quit (checks a build)")
    return parser.parse_args(argv)


# -- errors that nobody caught --------------------------------------------------------------------------


def _report(exc: BaseException, where: str) -> None:
    """Log the traceback (redacted by the log filter) and show the person plain words, never a traceback."""
    log.critical("unhandled error in %s", where, exc_info=(type(exc), exc, exc.__traceback__))
    try:
        from PySide6.QtWidgets import QApplication

        from ui.ops import show_error

        app = QApplication.instance()
        if app is not None and threading.current_thread() is threading.main_thread():
            show_error(app.activeWindow(), exc)
    except Exception:  # noqa: BLE001 - the hook must never raise
        log.exception("could not show the error dialog")


def install_error_hooks(loop: asyncio.AbstractEventLoop | None = None) -> None:
    def excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        _report(exc.with_traceback(tb), "the main thread")

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            log.critical("unhandled error in thread %s", args.thread, exc_info=(args.exc_type, args.exc_value,
                                                                                  args.exc_traceback))

    def loop_handler(_loop: asyncio.AbstractEventLoop, context: dict) -> None:
        exc = context.get("exception")
        if isinstance(exc, BaseException):
            _report(exc, f"a background task ({context.get('message', '')})")
        else:
            log.error("asyncio: %s", context.get("message"))

    sys.excepthook = excepthook
    threading.excepthook = thread_hook
    if loop is not None:
        loop.set_exception_handler(loop_handler)


# -- startup --------------------------------------------------------------------------------------------


def _quit_on_signals(loop: asyncio.AbstractEventLoop, app) -> None:
    """SIGTERM / Ctrl+C close the window like Ctrl+Q does, so settings are saved and the node is stopped."""
    import signal

    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, app.closeAllWindows)
        except (NotImplementedError, RuntimeError, ValueError):  # e.g. Windows: keep the default behaviour
            log.debug("no handler for signal %s on this platform", sig)


def _first_settings(args: argparse.Namespace):
    from app import settings as settings_mod

    settings = settings_mod.load()
    if args.network and args.network != settings.network:
        settings.network = args.network
        settings_mod.save(settings)
    return settings


def _demo_mnemonic(enabled: bool) -> str | None:
    if not enabled:
        return None
    try:
        from app.localnet.genesis import DEMO_MNEMONIC
    except ImportError:
        log.warning("--demo: this build has no local network demo wallet")
        return None
    return DEMO_MNEMONIC


def _start_local_node(ctx, window) -> object:
    """Start (or reuse) the local node in the background; the window is already showing."""
    from app import config
    from ui.localnode import LocalNode

    node = LocalNode()

    async def start() -> None:
        window.show_status("Starting the local network…")
        try:
            url = await node.start()
        except Exception as exc:  # noqa: BLE001 - shown in words; the app stays usable
            _report(exc, "starting the local network")
            return
        port = int(url.rsplit(":", 1)[1])
        if ctx.network.local and ctx.network.rest != (url,):
            ctx.set_network(config.local_network(port), remember=False)
        window.show_status("Local network ready" + (" (already running)" if node.reused else ""))

    asyncio.ensure_future(start())
    return node


def _build(args: argparse.Namespace, app) -> tuple[object, object]:
    from app.session import Session
    from ui.context import AppContext
    from ui.main_window import MainWindow

    settings = _first_settings(args)
    from ui.resources import apply_theme

    apply_theme(app, settings.theme)
    session = Session(settings)
    session.reload()
    ctx = AppContext(settings, session, settings.network_config())
    window = MainWindow(ctx)
    window.demo_mnemonic = _demo_mnemonic(args.demo and ctx.network.local)
    return ctx, window


# The public BIP-39 test phrase ("abandon" x 11, "about") and its m/44'/118'/0'/0/0 address (official library).
_SMOKE_PHRASE = " ".join(["abandon"] * 11 + ["about"])
_SMOKE_ADDRESS = "akash19rl4cm2hmr8afy4kldpxz3fka4jguq0a3mq6x0"


def _smoke_keys() -> bool:
    """Derive a known address: key derivation and secp256k1 are imported lazily, so a build missing them shows here."""
    from app.wallet.signer import Signer

    try:
        return Signer.from_mnemonic(_SMOKE_PHRASE).address == _SMOKE_ADDRESS
    except Exception:  # noqa: BLE001 - reported as a failed check, with the traceback in the log
        log.exception("smoke test: key derivation failed")
        return False


def _smoke_test(window, failures: list[str]) -> None:
    """Build every tab (their modules are imported lazily: a frozen build missing one shows here), then quit."""
    for slot in window.slots:
        page = window.page(slot.spec.key)
        if page is None or page.objectName() == "tabError":
            failures.append(slot.spec.key)
    window.show_tab("settings")
    tabs_ok = len(window.slots) - len(failures)
    if not _smoke_keys():
        failures.append("key derivation")
    print(f"akash-desk smoke test: {tabs_ok}/{len(window.slots)} tabs built, key derivation "
          + ("failed" if "key derivation" in failures else "ok")
          + (f"; failed: {', '.join(failures)}" if failures else "") + f" ({time.perf_counter() - _T0:.2f} s)",
          flush=True)
    window.close()


def _run_local_node(argv: list[str]) -> int:
    """`akash-desk --localnet-child ...`: the local node in a frozen build (app.localnet.runner starts it so)."""
    from app.localnet.__main__ import main as localnet_main

    return localnet_main(argv)


def main(argv: list[str] | None = None) -> int:
    from app.resources import LOCALNET_CHILD_FLAG

    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == [LOCALNET_CHILD_FLAG]:
        return _run_local_node(argv[1:])
    args = parse_args(argv)
    if args.data is not None:
        os.environ["AKASH_DESK_HOME"] = str(args.data.expanduser().resolve())
    from app import logs

    log_file = logs.configure(logging.DEBUG if args.debug else logging.INFO)
    log.info("starting Akash Desk (network %s, log %s)", args.network or "remembered", log_file)

    import qasync
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.resources import APP_ID
    from ui.resources import APP_ICON, icon

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Akash Desk")
    app.setOrganizationName("akash-desk")
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(icon(APP_ICON))
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    install_error_hooks(loop)
    _quit_on_signals(loop, app)

    ctx, window = _build(args, app)
    window.show()
    ctx.connect_chain()
    nodes: list[object] = []

    def ensure_local_node() -> None:
        """At start on --network local, or when Settings switches to it later: one node per app run."""
        if ctx.network.local and not nodes:
            nodes.append(_start_local_node(ctx, window))

    ensure_local_node()
    ctx.network_changed.connect(ensure_local_node)
    failures: list[str] = []
    if args.smoke_test:
        QTimer.singleShot(0, lambda: _smoke_test(window, failures))
    elif not ctx.session.wallets:
        QTimer.singleShot(0, window.open_wizard)
    if args.exit_when_ready:
        def ready() -> None:
            print(f"akash-desk ready {time.perf_counter() - _T0:.3f} network={ctx.network.key}", flush=True)
            window.close()

        QTimer.singleShot(0, ready)

    try:
        with loop:
            loop.run_forever()
            loop.run_until_complete(asyncio.wait_for(ctx.aclose(), 5))
    finally:
        for node in nodes:
            node.stop()
        log.info("Akash Desk closed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
