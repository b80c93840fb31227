"""`make screenshots`: drive the real app on a fresh local network and save a PNG of each tab and main dialog.

`python -m ui.screenshots OUT_DIR` (offscreen unless QT_QPA_PLATFORM says otherwise): starts a local node in a
temporary folder, imports the demo wallet through the wizard, then goes through the real services and widgets
like a person would: SDL template -> create -> bids -> accept -> manifest -> logs; a vote; a delegation; a send.
Every transaction goes through THE confirmation dialog (approved by clicking it). Then it advances the chain a
few days so rewards and a provider's earnings per day have content. A step that cannot get its content (e.g. a
tab still being built) is skipped with a printed note, and the exit status is 1.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from app.wallet.wizard import DEMO_PASSWORD  # the demo wallet's public, test-only password

# Tabs at 1280 x 800 (the AppStream metainfo and the README show them at that size).
WINDOW_SIZE = (1280, 800)


class ShotError(RuntimeError):
    """A screenshot whose content did not appear: the message says what was awaited."""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m ui.screenshots", description=__doc__.splitlines()[0])
    p.add_argument("out", type=Path, help="folder for the PNG files (e.g. resources/screenshots)")
    p.add_argument("--block-time", type=float, default=6.0,
                   help="seconds per block of the local node (6, like mainnet, gives realistic monthly costs)")
    p.add_argument("--advance-days", type=float, default=2.0,
                   help="chain days produced at once before the Provider and Staking shots (earnings, rewards)")
    p.add_argument("--template", default="wordpress-mysql", help="the SDL template deployed (resources/templates)")
    p.add_argument("--theme", choices=("light", "dark", "system"), default="light")
    p.add_argument("--keep", action="store_true", help="keep the temporary data folder (its path is printed)")
    return p.parse_args(argv)


class Shooter:
    """The window, its context and the node; helpers to wait for content and save PNGs."""

    def __init__(self, out: Path, window: Any, ctx: Any, node: Any, *, block_time: float, template: str) -> None:
        self.out = out
        self.block_time = block_time
        self.window = window
        self.ctx = ctx
        self.node = node
        self.template = template  # the SDL template deployed (a file stem of resources/templates)
        self.saved: list[str] = []
        self.skipped: list[tuple[str, str]] = []

    # -- waiting and saving -------------------------------------------------------------------------------

    async def until(self, what: str, ready: Callable[[], Any], timeout_s: float = 60.0,
                    poke: Callable[[], Any] | None = None, poke_every_s: float = 3.0) -> Any:
        """Let the app run until ready() is truthy (calling poke() now and then, e.g. a refresh)."""
        deadline = time.monotonic() + timeout_s
        next_poke = time.monotonic() + poke_every_s
        while time.monotonic() < deadline:
            value = ready()
            if value:
                return value
            if poke is not None and time.monotonic() >= next_poke:
                poke()
                next_poke = time.monotonic() + poke_every_s
            await asyncio.sleep(0.1)
        raise ShotError(f"timed out after {timeout_s:.0f} s waiting for {what}")

    async def stable(self, value: Callable[[], Any], for_s: float, timeout_s: float) -> Any:
        """Wait until value() has not changed for `for_s` seconds (or timeout_s passed); returns it."""
        deadline = time.monotonic() + timeout_s
        last, since = value(), time.monotonic()
        while time.monotonic() < deadline and time.monotonic() - since < for_s:
            await asyncio.sleep(0.2)
            now = value()
            if now != last:
                last, since = now, time.monotonic()
        return last

    async def settle(self, seconds: float = 0.6) -> None:
        """Let late repaints, column sizing and animations finish before a grab."""
        await asyncio.sleep(seconds)

    def save(self, name: str, widget: Any) -> Path:
        """The main window as it is, or a dialog drawn over the dimmed window (offscreen has no window frames)."""
        image = widget.grab().toImage() if widget is self.window else self.over_window(widget)
        path = self.out / f"{name}.png"
        if not image.save(str(path), "PNG", 0):  # quality 0 = the strongest zlib compression
            raise ShotError(f"could not write {path}")
        self.saved.append(name)
        print(f"saved {path} ({image.width()}x{image.height()}, {path.stat().st_size // 1024} KiB)", flush=True)
        return path

    def over_window(self, dialog: Any) -> Any:
        """The window, dimmed, with the dialog centred on it in a plain frame carrying its title."""
        from PySide6.QtCore import QRect, Qt
        from PySide6.QtGui import QColor, QPainter

        notifier = getattr(self.window, "notifier", None)
        for toast in notifier.toasts() if notifier is not None else ():
            toast.close()
        image = self.window.grab().toImage()
        content = dialog.grab().toImage()
        bar = 30
        frame = QRect(0, 0, content.width() + 2, content.height() + bar + 1)
        frame.moveCenter(image.rect().center())
        painter = QPainter(image)
        painter.fillRect(image.rect(), QColor(0, 0, 0, 110))
        painter.fillRect(frame, dialog.palette().window())
        painter.fillRect(QRect(frame.left(), frame.top(), frame.width(), bar), dialog.palette().alternateBase())
        painter.setPen(dialog.palette().windowText().color())
        painter.drawText(QRect(frame.left(), frame.top(), frame.width(), bar), Qt.AlignmentFlag.AlignCenter,
                         dialog.windowTitle())
        painter.drawImage(frame.left() + 1, frame.top() + bar, content)
        painter.setPen(QColor(0, 0, 0, 90))
        painter.drawRect(frame.adjusted(0, 0, -1, -1))
        painter.end()
        return image

    async def calm(self, timeout_s: float = 30.0) -> None:
        """Before a window shot: no work-in-progress strip and no toast over the content."""
        from PySide6.QtWidgets import QWidget

        panel = self.window.findChild(QWidget, "busyPanel")
        try:
            await self.until("work in progress", lambda: panel is None or not panel.isVisible(), timeout_s)
        except ShotError as exc:
            print(f"note: {exc}; shooting anyway", flush=True)
        notifier = getattr(self.window, "notifier", None)
        for toast in notifier.toasts() if notifier is not None else ():
            toast.close()
        await asyncio.sleep(0.3)

    async def shot(self, name: str, settle_s: float = 0.6) -> None:
        """Save the main window once its content has settled."""
        await self.settle(settle_s)
        await self.calm()
        self.save(name, self.window)

    async def tab(self, key: str) -> Any:
        self.window.show_tab(key)
        page = self.window.page(key)
        if page is None or page.objectName() == "tabError":
            raise ShotError(f"the {key} tab could not be built")
        await asyncio.sleep(0.2)
        return page

    async def step(self, name: str, work: Callable[[], Awaitable[None]]) -> None:
        """Run one scripted step; a ShotError (or a missing widget) skips it with a note."""
        try:
            await work()
        except (ShotError, AttributeError) as exc:
            self.skipped.append((name, str(exc)))
            print(f"skipped {name}: {exc}{self.boxes()}", flush=True)
            await self.close_dialogs()

    @staticmethod
    def boxes() -> str:
        """The text of any error box on screen (why a step got stuck)."""
        from PySide6.QtWidgets import QApplication, QMessageBox

        texts = [f"{w.text()} {w.informativeText()}".strip() for w in QApplication.allWidgets()
                 if isinstance(w, QMessageBox) and w.isVisible()]
        return "".join(f"\n  error box: {t}" for t in texts)

    # -- dialogs --------------------------------------------------------------------------------------------

    @staticmethod
    def gone(widget: Any) -> bool:
        """True once a dialog is hidden or deleted (dialogs delete themselves when finished)."""
        import shiboken6

        return not shiboken6.isValid(widget) or not widget.isVisible()

    @staticmethod
    def visible(kind: type) -> Any:
        from PySide6.QtWidgets import QApplication

        return next((w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None)

    async def close_dialogs(self) -> None:
        from PySide6.QtWidgets import QApplication, QDialog

        for w in QApplication.topLevelWidgets():
            if isinstance(w, QDialog) and w.isVisible():
                w.reject()
        await asyncio.sleep(0.2)

    async def confirm_dialog(self) -> Any:
        """THE confirmation dialog, after unlocking if the wallet was locked."""
        from ui.dialogs.confirm import ConfirmDialog
        from ui.dialogs.unlock import UnlockDialog

        await self.until("the confirmation dialog",
                         lambda: self.visible(ConfirmDialog) or self.visible(UnlockDialog), 90)
        unlock = self.visible(UnlockDialog)
        if unlock is not None:
            unlock.password.setText(DEMO_PASSWORD)
            unlock.ok.click()
            await self.until("the confirmation dialog after unlocking", lambda: self.visible(ConfirmDialog), 90)
        return self.visible(ConfirmDialog)

    async def approve(self, shot: str | None = None) -> None:
        """Press "Sign and send" in THE confirmation dialog (saving it first as `shot`)."""
        dialog = await self.confirm_dialog()
        if dialog.password.isVisible():
            dialog.password.setText(DEMO_PASSWORD)
        await self.until("the confirmation's Sign button", dialog.approve.isEnabled, 30)
        if shot:
            await self.settle(0.3)
            self.save(shot, dialog)
        dialog.approve.click()
        await self.until("the confirmation dialog to close", lambda: self.gone(dialog), 90)

    # -- the local node's test-only routes -------------------------------------------------------------------

    async def advance(self, blocks: int, chunk: int = 2000) -> None:
        """Produce `blocks` blocks at once (POST /localnet/advance), in chunks so the app keeps running."""
        from app.chain.client import ChainClient
        from app.chain.errors import ChainError
        from app.chain.policy import NO_RETRY, Timeouts

        slow = Timeouts(read_s=600.0)  # thousands of blocks in one call
        async with ChainClient([self.node.url], timeouts=slow, retry=NO_RETRY) as client:
            done = 0
            while done < blocks:
                n = min(chunk, blocks - done)
                try:
                    await client.post("/localnet/advance", {"blocks": n})
                except ChainError as exc:
                    raise ShotError(f"the local node did not produce blocks: {exc}") from exc
                done += n
                await asyncio.sleep(0.05)


# -- the script ---------------------------------------------------------------------------------------------


async def wizard_and_demo_wallet(s: Shooter) -> None:
    """First run: the wizard's first page, then its one-click demo wallet (imported through the keystore)."""
    wizard = s.window.open_wizard()
    await s.settle()
    s.save("wizard", wizard)
    wizard.choose.demo.click()
    await s.until("the demo wallet to be imported", lambda: s.ctx.session.account is not None, 60)
    await s.until("the wizard to close", lambda: s.gone(wizard), 10)


async def deploy_and_confirm(s: Shooter) -> int:
    """Deploy tab with a template and its live cost; Create -> THE confirmation (saved) -> signed."""
    from app.sdl.templates import list_templates

    deploy = await s.tab("deploy")
    template = next((t for t in list_templates() if t.name == s.template), None)
    gallery = deploy.gallery
    items = [gallery.list.item(i) for i in range(gallery.list.count())]
    item = next((i for i in items if template is not None and i.text() == template.title), None)
    if item is None:
        raise ShotError(f"the gallery has no template named {s.template!r} (resources/templates)")
    gallery.list.setCurrentItem(item)  # chosen in the gallery, then "Use this template", as a person does
    gallery.use.click()
    await s.until("the template in the editor", lambda: deploy.editor.text().strip() == template.text.strip(), 10)
    deploy.name.setText(f"my {template.title.lower()}")
    await s.until("the SDL check", lambda: not deploy.editor.is_checking() and deploy.editor.current.deployable)
    await s.until("the chain's prices (live cost)", lambda: deploy.cost.facts.live, 60, poke=deploy.refresh)
    deploy.cost.deposit.setText("20")
    await s.until("the Create button", deploy.create_button.isEnabled, 10)
    await s.shot("deploy")
    deploy.create_button.click()
    await s.approve(shot="confirm")
    await s.until("the deployment to be created", lambda: deploy.last_created is not None, 120)
    return int(deploy.last_created.dseq)


async def bids_and_accept(s: Shooter, dseq: int) -> None:
    bids = await s.tab("bids")
    if getattr(bids, "dseq", None) != dseq:
        bids.watch(dseq)
    try:
        await s.until("bids", lambda: bids.model.rowCount() >= 1, 150, poke=bids.refresh, poke_every_s=30)
    except ShotError as exc:
        raise ShotError(f"{exc} (the Bids tab says: {bids.status.text()})") from None
    await s.stable(bids.model.rowCount, 3 * s.block_time, 60)  # the slower providers bid a few blocks later
    bids.select_cheapest()
    await s.shot("bids")
    bids.accept.click()
    await s.approve()


async def deployment_with_logs(s: Shooter, dseq: int) -> str:
    """The Deployments tab: the lease with its URI (from the provider), then its streaming logs.

    Returns the provider's address."""
    deployments = await s.tab("deployments")
    detail = deployments.detail
    deployments.select(dseq)
    await s.until("the lease to be active", lambda: detail.line is not None and detail.line.dseq == dseq and any(
        le.state == "active" for le in detail.line.leases), 120, poke=deployments.refresh)

    def uri_poke() -> None:
        if deployments.status_op is None or not deployments.status_op.running:
            deployments.load_status(ask=True)

    await s.until("the lease's URI", detail.uris, 120, poke=uri_poke)
    detail.tabs.setCurrentIndex(0)
    await s.shot("deployments")
    detail.tabs.setCurrentWidget(detail.logs)
    await s.until("log lines", lambda: detail.logs.model.rowCount() >= 20, 120)
    await s.shot("logs", 1.0)
    return next(le.provider for le in detail.line.leases if le.state == "active")


async def governance_vote(s: Shooter) -> None:
    """Vote Yes on a proposal in its voting period through the vote dialog; the detail then shows my vote."""
    from app.chain.gov import VoteOption

    tab = await s.tab("governance")
    await s.until("proposals", lambda: tab.proposals, 60, poke=tab.refresh)
    target = next((p for p in tab.proposals if p.voting), None)
    if target is None:
        raise ShotError("no proposal is in its voting period")
    tab.select(target.id)
    dialog = tab.open_vote()
    dialog.choices[VoteOption.YES].click()
    dialog.ok.click()
    await s.approve()

    def voted() -> bool:
        return any(p.id == target.id and p.my_vote == VoteOption.YES for p in tab.proposals)

    await s.until("my vote to show", voted, 60, poke=tab.refresh)
    tab.select(target.id)
    await s.shot("governance")


async def staking_delegate(s: Shooter) -> None:
    """Delegate 500 AKT to the first active validator through the delegate dialog."""
    tab = await s.tab("staking")
    await s.until("validators", lambda: tab.position is not None and bool(tab.validators), 60, poke=tab.refresh)
    tab.validators_view.selectRow(0)
    dialog = tab.open_delegate()
    dialog.amount.setText("500")
    await s.until("the delegate dialog's OK", dialog.ok.isEnabled, 10)
    dialog.ok.click()
    await s.approve()
    await s.until("the delegate dialog to close", lambda: s.gone(dialog), 60)


async def wallet_send_receive(s: Shooter, recipient: str) -> None:
    """The Send dialog filled in (saved, then sent for real), and the Receive dialog with its QR code."""
    tab = await s.tab("wallet")
    await s.until("balances", lambda: tab.overview is not None, 60, poke=tab.refresh)
    send = tab.open_send()
    send.recipient.edit.setText(recipient)
    send.amount.setText("125")
    send.memo.setText("invoice 2041")
    await s.until("the Send button", send.send_button.isEnabled, 20)
    await s.settle()
    s.save("send", send)
    send.send_button.click()
    await s.approve()
    await s.until("the send dialog to close", lambda: s.gone(send), 60)
    receive = tab.open_receive()
    await s.settle()
    s.save("receive", receive)
    receive.reject()


async def later_tabs(s: Shooter, provider: str) -> None:
    """After days of blocks: the Provider tab (earnings of the provider we lease from), Staking, Wallet."""
    async def provider_shot() -> None:
        tab = await s.tab("provider")
        tab.set_provider(provider)
        await s.until("the provider's earnings", lambda: tab.earnings is not None, 90, poke=tab.refresh)
        await s.shot("provider", 1.0)

    async def staking_shot() -> None:
        tab = await s.tab("staking")
        tab.refresh()
        await s.until("rewards", lambda: tab.position is not None and tab.position.total_rewards > 0, 60,
                      poke=tab.refresh)
        await s.shot("staking", 1.0)

    async def wallet_shot() -> None:
        tab = await s.tab("wallet")
        tab.refresh()
        await s.until("history rows", lambda: tab.history.model() is not None and tab.history.model().rowCount() > 3,
                      60, poke=tab.refresh)
        await s.shot("wallet", 1.0)

    await s.step("provider", provider_shot)
    await s.step("staking", staking_shot)
    await s.step("wallet", wallet_shot)


async def settings_and_unlock(s: Shooter) -> None:
    async def settings_shot() -> None:
        await s.tab("settings")
        await s.shot("settings")

    async def unlock_shot() -> None:
        await s.tab("wallet")
        await s.calm()
        s.ctx.lock()
        dialog = s.window.request_unlock()
        if dialog is None:
            raise ShotError("the unlock dialog did not open")
        await s.settle()
        s.save("unlock", dialog)
        dialog.reject()

    await s.step("settings", settings_shot)
    await s.step("unlock", unlock_shot)


async def script(s: Shooter, advance_days: float) -> None:
    await s.step("wizard", lambda: wizard_and_demo_wallet(s))
    if s.ctx.session.account is None:
        raise ShotError("no wallet: nothing else can be shown")
    lease: dict[str, Any] = {}

    async def tenant() -> None:
        dseq = await deploy_and_confirm(s)
        await bids_and_accept(s, dseq)
        lease["provider"] = await deployment_with_logs(s, dseq)

    await s.step("deploy, bids, deployments", tenant)
    await s.step("governance", lambda: governance_vote(s))
    await s.step("delegation", lambda: staking_delegate(s))
    recipient = lease.get("provider") or _fresh_address()
    await s.step("send and receive", lambda: wallet_send_receive(s, recipient))
    blocks = int(advance_days * 86_400 / s.block_time)
    print(f"producing {blocks} blocks ({advance_days:g} days of chain time)…", flush=True)
    await s.step("days of blocks", lambda: s.advance(blocks))
    await later_tabs(s, lease.get("provider") or s.ctx.session.account.address)
    await settings_and_unlock(s)


def _fresh_address() -> str:
    from app.wallet.mnemonic import generate_mnemonic
    from app.wallet.signer import Signer

    return Signer.from_mnemonic(generate_mnemonic(24)).address


async def shoot(args: argparse.Namespace, node: Any, app: Any) -> Shooter:
    from app import config
    from app import settings as settings_mod
    from app.localnet.genesis import DEMO_MNEMONIC
    from app.session import Session
    from ui.context import AppContext
    from ui.main_window import MainWindow
    from ui.resources import apply_theme

    settings = settings_mod.load()
    settings.network, settings.theme = "local", args.theme
    apply_theme(app, args.theme)
    session = Session(settings)
    session.reload()
    ctx = AppContext(settings, session, config.local_network(int(node.url.rsplit(":", 1)[1])))
    window = MainWindow(ctx, use_tray=False)
    window.demo_mnemonic = DEMO_MNEMONIC
    window.show()
    window.resize(*WINDOW_SIZE)
    ctx.connect_chain()
    shooter = Shooter(args.out, window, ctx, node, block_time=args.block_time, template=args.template)
    try:
        await script(shooter, args.advance_days)
    except ShotError as exc:
        shooter.skipped.append(("everything after the wizard", str(exc)))
        print(f"stopped: {exc}", flush=True)
    finally:
        await shooter.close_dialogs()
        window.close()
        await ctx.aclose()
    return shooter


def run(args: argparse.Namespace, node: Any) -> Shooter:
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Akash Desk")
    app.setOrganizationName("akash-desk")
    app.setQuitOnLastWindowClosed(False)  # the script closes dialogs and the window itself
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        return loop.run_until_complete(shoot(args, node, app))


def optimise(out: Path, names: list[str]) -> None:
    """Recompress the PNGs losslessly with optipng when it is installed (about a quarter smaller)."""
    optipng = shutil.which("optipng")
    if optipng is None or not names:
        print("note: optipng is not installed; the PNGs are left as Qt wrote them")
        return
    subprocess.run([optipng, "-quiet", "-o2", *(str(out / f"{n}.png") for n in names)], check=False)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    tmp = Path(tempfile.mkdtemp(prefix="akash-desk-shots-"))
    os.environ["AKASH_DESK_HOME"] = str(tmp / "home")  # a first run: no wallet, default settings
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    from app.localnet.runner import LocalNode

    node = LocalNode(data_dir=tmp / "localnet", block_time=args.block_time, log_path=tmp / "localnet.log")
    try:
        shooter = run(args, node)
    finally:
        node.stop()
        if args.keep:
            print(f"data kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    optimise(args.out, shooter.saved)
    print(f"{len(shooter.saved)} screenshots in {args.out} ({time.monotonic() - started:.0f} s)"
          + "".join(f"\nskipped {name}: {why}" for name, why in shooter.skipped))
    return 1 if shooter.skipped else 0


if __name__ == "__main__":
    sys.exit(main())
