"""Deploy tab: template gallery, SDL editor with inline errors, live cost and deposit, preflight, Create."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.config import DENOM_ACT
from app.fsutil import atomic_write_text
from app.sdl import MAX_SDL_BYTES
from app.sdl.templates import Template
from ui import ops, shortcuts
from ui.context import AppContext
from ui.resources import icon
from ui.tabs.base import TabPage
from ui.tenant import QtTxSender, market_context, navigate, tenant_hub
from ui.widgets.deploy_preflight import PreflightPanel
from ui.widgets.sdl_check import SdlCheck, sdl_network
from ui.widgets.sdl_cost import ChainFacts, CostPanel
from ui.widgets.sdl_editor import SdlEditor
from ui.widgets.sdl_templates import TemplateGallery

log = logging.getLogger(__name__)
SDL_FILTER = "SDL files (*.yaml *.yml);;All files (*)"


async def load_chain_facts(client: Any) -> ChainFacts:
    """AKT price, measured block time and the minimum deposit, from the chain."""
    from app.chain import deployment as chain_deployment
    from app.market.blocktime import BlockClock
    from app.market.funding import akt_price

    price = await akt_price(client)
    block_time = await BlockClock(client).block_time_s()
    params = await chain_deployment.params(client)
    return ChainFacts(price, block_time, params.min_deposit(DENOM_ACT) or ChainFacts().min_deposit_uact, True)


def read_sdl_file(path: str) -> str:
    with open(path, "rb") as fh:  # noqa: PTH123
        data = fh.read(MAX_SDL_BYTES + 1)
    if len(data) > MAX_SDL_BYTES:
        raise ValueError(f"{Path(path).name} is larger than {MAX_SDL_BYTES // 1048576} MiB: it is not an SDL")
    return data.decode("utf-8", "replace")


class DeployTab(TabPage):
    key = "deploy"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.path: str | None = None
        self.last_created: Any = None
        self._facts_loaded_for: tuple | None = None
        self.gallery = TemplateGallery(self)
        self.editor = SdlEditor(self, network=sdl_network(ctx.network.key))
        self.cost = CostPanel(self)
        self.preflight = PreflightPanel(self)
        self._build()
        self.gallery.chosen.connect(self.load_template)
        self.editor.checked.connect(self._checked)
        self.cost.deposit_changed.connect(self._update_create)
        self.preflight.mint_requested.connect(lambda: self.create(mint=True))
        self.create_button.clicked.connect(lambda: self.create())
        self.open_button.clicked.connect(self.open_dialog)
        self.save_button.clicked.connect(self.save_dialog)
        ctx.network_changed.connect(self._network_changed)
        ctx.account_changed.connect(self._update_create)
        ctx.lock_changed.connect(lambda _locked: self._update_create())
        self._shortcuts()
        self._update_create()

    # -- layout ------------------------------------------------------------------------------------------

    def _build(self) -> None:
        bar = QHBoxLayout()
        self.open_button = QPushButton(icon("folder"), "Open…", self)
        self.open_button.setToolTip(shortcuts.tip("Open an SDL file", "deploy.open"))
        self.save_button = QPushButton("Save…", self)
        self.save_button.setToolTip(shortcuts.tip("Save the SDL to a file", "deploy.save"))
        self.file_label = QLabel(self)
        self.file_label.setObjectName("sdlFile")
        bar.addWidget(self.open_button)
        bar.addWidget(self.save_button)
        bar.addWidget(self.file_label, 1)
        middle = QWidget(self)
        column = QVBoxLayout(middle)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(bar)
        column.addWidget(self.editor, 1)

        side = QWidget(self)
        right = QVBoxLayout(side)
        right.setContentsMargins(0, 0, 0, 0)
        self.name = QLineEdit(side)
        self.name.setObjectName("deploymentName")
        self.name.setPlaceholderText("Name (optional; kept on this computer)")
        self.name.setToolTip("A name for the deployment in your list; the chain only knows its number (DSEQ)")
        right.addWidget(QLabel("<b>Deployment</b>", side))
        right.addWidget(self.name)
        right.addWidget(self.cost)
        right.addWidget(self.preflight)
        right.addStretch(1)
        self.create_hint = QLabel(side)
        self.create_hint.setObjectName("createHint")
        self.create_hint.setWordWrap(True)
        self.create_button = QPushButton(icon("deploy"), "Create deployment", side)
        self.create_button.setObjectName("createDeployment")
        self.create_button.setDefault(True)
        right.addWidget(self.create_hint)
        right.addWidget(self.create_button)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(side)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(300)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setObjectName("deploySplit")
        split.addWidget(self.gallery)
        split.addWidget(middle)
        split.addWidget(scroll)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 4)
        split.setStretchFactor(2, 2)
        split.setSizes([240, 640, 320])
        self.layout_.addWidget(split, 1)
        self.setTabOrder(self.gallery.search, self.gallery.list)
        self.setTabOrder(self.gallery.list, self.editor.edit)
        self.setTabOrder(self.editor.edit, self.name)
        self.setTabOrder(self.name, self.cost.deposit)
        self.setTabOrder(self.cost.deposit, self.create_button)

    def _shortcuts(self) -> None:
        within = Qt.ShortcutContext.WidgetWithChildrenShortcut
        shortcuts.bind(self, "deploy.create", lambda: self.create(), within)
        shortcuts.bind(self, "deploy.open", self.open_dialog, within)
        shortcuts.bind(self, "deploy.save", self.save_dialog, within)
        shortcuts.bind(self, "deploy.search", self.gallery.search.setFocus, within)

    # -- chain facts -----------------------------------------------------------------------------------------

    def shown(self) -> None:
        key = (self.ctx.network.key, id(self.ctx.client))
        if self._facts_loaded_for != key and self.ctx.client is not None:
            self.refresh()

    def refresh(self) -> None:
        if self.ctx.client is None:
            return
        self._facts_loaded_for = (self.ctx.network.key, id(self.ctx.client))
        ops.run_op(self, lambda: load_chain_facts(self.ctx.client), success=self._facts, key="facts",
                   failure=lambda exc: log.info("chain facts unavailable: %s", exc), cancellable=False,
                   progress_label="Reading prices…")

    def _facts(self, facts: ChainFacts) -> None:
        self.cost.set_facts(facts, self.editor.current.sdl)
        if facts.akt_price_usd is not None and facts.akt_price_usd != self.editor.akt_price_usd:
            self.editor.set_pricing_context(akt_price_usd=facts.akt_price_usd)

    def _network_changed(self) -> None:
        self._facts_loaded_for = None
        self.editor.set_pricing_context(network=sdl_network(self.ctx.network.key))
        if self.isVisible():
            self.refresh()

    # -- editor --------------------------------------------------------------------------------------------

    def load_template(self, template: Template) -> None:
        self.editor.set_text(template.text)
        self.path = None
        self.file_label.setText(f"Template: {template.title} (Ctrl+Z brings your previous text back)")
        self.preflight.clear()
        self.editor.edit.setFocus()

    def load_sdl(self, text: str, *, name: str = "") -> None:
        """Put an SDL in the editor (redeploy from a local record); nothing is sent until Create."""
        self.editor.set_text(text)
        self.path = None
        self.name.setText(name)
        self.file_label.setText("From the local record of a deployment (Ctrl+Z brings your previous text back)")
        self.preflight.clear()

    def _checked(self, result: SdlCheck) -> None:
        self.cost.show_sdl(result.sdl)
        if result.sdl is not None and not self.name.text():
            from app.market.deploy import default_name

            self.name.setPlaceholderText(default_name(result.sdl))
        self.preflight.clear()
        self._update_create()

    def _blocker(self) -> str:
        """Why Create cannot run now ('' when it can)."""
        session = self.ctx.session
        result = self.editor.current
        if session.wallet is None:
            return "Create or import a wallet first."
        if session.watch_only:
            return "This wallet only watches an address: it cannot sign a deployment."
        if result.empty:
            return "Write an SDL or choose a template."
        if self.editor.is_checking():
            return "Checking the SDL…"
        if result.errors:
            return "Fix the problems shown in the editor first."
        if self.cost.deposit_uact() is None:
            return "Enter a valid deposit."
        return ""

    def _update_create(self) -> None:
        blocker = self._blocker()
        self.create_button.setEnabled(not blocker)
        self.create_hint.setText(blocker)
        self.create_button.setToolTip(blocker or "Check everything, confirm and sign (Ctrl+Enter)")

    # -- create --------------------------------------------------------------------------------------------

    def create(self, *, mint: bool = False) -> ops.Op | None:
        """Preflight, then (if all is well) the confirmation and the transaction; then the Bids tab."""
        if self.editor.is_checking():
            self.editor.check_now()
        blocker = self._blocker()
        if blocker:
            self.create_hint.setText(blocker)
            return None
        text, name, deposit = self.editor.text(), self.name.text().strip(), self.cost.deposit_uact()
        sender = QtTxSender(self, self.ctx)

        async def work(progress: ops.Progress) -> Any:
            from app.market.deploy import create_deployment, plan_deployment

            mctx = market_context(self.ctx)
            progress(None, "checking balances and fees")
            plan = await plan_deployment(mctx, text, sender=sender, name=name, deposit_uact=deposit)
            if not plan.report.ok and not (mint and plan.report.only_act_missing):
                return plan
            return await create_deployment(mctx, plan, sender, mint=mint,
                                           progress=lambda line: progress(None, line))

        return ops.run_op(self, work, success=self._created, with_progress=True, key="create",
                          progress_label="Creating the deployment…",
                          disable=[self.create_button, self.preflight.mint])

    def _created(self, outcome: Any) -> None:
        from app.market.deploy import DeploymentPlan

        if isinstance(outcome, DeploymentPlan):  # the preflight found problems: show them, nothing was signed
            self.preflight.show_report(outcome.report)
            return
        self.last_created = outcome
        self.preflight.clear()
        self.ctx.status.emit(f"Deployment {outcome.dseq} created; waiting for bids")
        hub = tenant_hub(self.ctx)
        hub.watched_dseq = outcome.dseq
        page = navigate(self, "bids")
        hub.deployment_created.emit(outcome.dseq)
        if page is not None and hasattr(page, "watch"):
            page.watch(outcome.dseq)

    # -- files ---------------------------------------------------------------------------------------------

    def open_dialog(self) -> None:
        dialog = QFileDialog(self, "Open an SDL", str(Path(self.path).parent if self.path else Path.home()), SDL_FILTER)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self.open_file)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def open_file(self, path: str) -> ops.Op:
        def opened(text: str) -> None:
            self.editor.set_text(text)
            self.path = path
            self.file_label.setText(path)

        return ops.run_in_thread(self, read_sdl_file, path, success=opened, disable=[self.open_button],
                                 progress_label="Opening…")

    def save_dialog(self) -> None:
        dialog = QFileDialog(self, "Save the SDL", self.path or str(Path.home() / "deploy.yaml"), SDL_FILTER)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("yaml")
        dialog.fileSelected.connect(self.save_file)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def save_file(self, path: str) -> ops.Op:
        def saved(_r: object) -> None:
            self.path = path
            self.file_label.setText(path)
            self.editor.edit.document().setModified(False)
            self.ctx.status.emit(f"SDL saved to {path}")

        return ops.run_in_thread(self, atomic_write_text, Path(path), self.editor.text(), success=saved,
                                 disable=[self.save_button], progress_label="Saving…")
