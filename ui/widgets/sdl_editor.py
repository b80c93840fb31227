"""The SDL editor: highlighted text, the engine's errors inline as you type (debounced), a clickable errors list.

Small texts are checked on the GUI thread (about a millisecond); past THREAD_THRESHOLD_CHARS the check runs
in a worker thread so a pasted megabyte never freezes the window. A result that arrives after the text
changed again is dropped (generation counter).
"""

from __future__ import annotations

import asyncio
import logging
from decimal import Decimal

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QSplitter, QStyle, QVBoxLayout, QWidget

from app.sdl import SdlError
from ui.widgets.sdl_check import THREAD_THRESHOLD_CHARS, SdlCheck, check_sdl_text
from ui.widgets.sdl_code_edit import Diagnostic, SdlCodeEdit
from ui.widgets.sdl_highlighter import SdlHighlighter

log = logging.getLogger(__name__)

DEBOUNCE_MS = 250
_ROLE = Qt.ItemDataRole.UserRole


class SdlEditor(QWidget):
    """`checked(SdlCheck)` fires after each check; `current` holds the latest one."""

    checked = Signal(object)

    def __init__(self, parent: QWidget | None = None, *, network: str = "mainnet",
                 akt_price_usd: Decimal | None = None) -> None:
        super().__init__(parent)
        self.network = network
        self.akt_price_usd = akt_price_usd
        self.current = SdlCheck("")
        self._generation = 0
        self._pending: asyncio.Future | None = None
        self.edit = SdlCodeEdit(self)
        self.edit.setPlaceholderText("Paste or write an SDL (deploy.yaml), or pick a template")
        self.highlighter = SdlHighlighter(self.edit.document(), self.edit.palette())
        self.errors = QListWidget(self)
        self.errors.setObjectName("sdlErrors")
        self.errors.setToolTip("Problems found in the SDL; click one to go to it")
        self.errors.setMinimumHeight(60)
        self.summary = QLabel(self)
        self.summary.setObjectName("sdlSummary")
        self.summary.setWordWrap(True)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.edit)
        split.addWidget(self.errors)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split, 1)
        layout.addWidget(self.summary)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.check_now)
        self.edit.textChanged.connect(self._text_changed)
        self.errors.itemActivated.connect(self._jump)
        self.errors.itemClicked.connect(self._jump)
        self._show(self.current)

    # -- text --------------------------------------------------------------------------------------------

    def text(self) -> str:
        return self.edit.toPlainText()

    def set_text(self, text: str, *, undoable: bool = True) -> None:
        """Replace the whole text; with `undoable`, Ctrl+Z brings the previous text back."""
        if undoable:
            cursor = self.edit.textCursor()
            cursor.beginEditBlock()
            cursor.select(cursor.SelectionType.Document)
            cursor.insertText(text)
            cursor.endEditBlock()
            cursor.movePosition(cursor.MoveOperation.Start)
            self.edit.setTextCursor(cursor)
        else:
            self.edit.setPlainText(text)
        self.edit.horizontalScrollBar().setValue(0)
        self.edit.document().setModified(False)
        self.check_now()

    def set_pricing_context(self, *, network: str | None = None, akt_price_usd: Decimal | None = None) -> None:
        """New network rules or AKT price: check the text again with them."""
        if network is not None:
            self.network = network
        if akt_price_usd is not None:
            self.akt_price_usd = akt_price_usd
        self.check_now()

    def _text_changed(self) -> None:
        self._generation += 1  # any result still on its way is now stale
        self.timer.start()

    # -- checking ------------------------------------------------------------------------------------------

    def check_now(self) -> None:
        """Check the current text now (on this thread when small, in a worker thread when large)."""
        self.timer.stop()
        self._generation += 1
        generation, text = self._generation, self.text()
        if len(text) <= THREAD_THRESHOLD_CHARS:
            self._apply(self._check(text, generation))
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (a script): check here rather than not at all
            self._apply(self._check(text, generation))
            return
        self.summary.setText("Checking…")
        if self._pending is not None and not self._pending.done():
            self._pending.cancel()  # its result would be stale anyway (the thread finishes on its own)
        self._pending = asyncio.ensure_future(asyncio.to_thread(self._check, text, generation), loop=loop)
        self._pending.add_done_callback(self._thread_done)

    def _check(self, text: str, generation: int) -> SdlCheck:
        return check_sdl_text(text, network=self.network, akt_price_usd=self.akt_price_usd, generation=generation)

    def _thread_done(self, future: asyncio.Future) -> None:
        if future.cancelled():
            return
        exc = future.exception()
        if exc is not None:
            log.error("SDL check failed: %s", exc)
            return
        self._apply(future.result())

    def _apply(self, result: SdlCheck) -> None:
        if result.generation != self._generation:
            return  # typed again since: a newer check follows
        self.current = result
        self._show(result)
        self.checked.emit(result)

    def is_checking(self) -> bool:
        return self.timer.isActive() or (self._pending is not None and not self._pending.done())

    # -- showing -----------------------------------------------------------------------------------------

    def _show(self, result: SdlCheck) -> None:
        diagnostics = [Diagnostic.of(e, "error") for e in result.errors]
        diagnostics += [Diagnostic.of(w, "warning") for w in result.warnings]
        self.edit.set_diagnostics(diagnostics)
        self.errors.clear()
        for severity, items in (("error", result.errors), ("warning", result.warnings)):
            for e in items:
                self.errors.addItem(self._item(e, severity))
        self.errors.setVisible(bool(result.errors or result.warnings))
        self.summary.setText(_summary(result))

    def _item(self, error: SdlError, severity: str) -> QListWidgetItem:
        where = f"Line {error.line}, column {error.column}" if error.line else "Whole file"
        first = error.message.splitlines()[0] if error.message else ""
        pixmap = (QStyle.StandardPixmap.SP_MessageBoxCritical if severity == "error"
                  else QStyle.StandardPixmap.SP_MessageBoxWarning)
        item = QListWidgetItem(self.style().standardIcon(pixmap), f"{where}: {first}")
        item.setToolTip(error.message + (f"\n\nat {error.path}" if error.path else ""))
        item.setData(_ROLE, (error.line, error.column))
        return item

    def _jump(self, item: QListWidgetItem) -> None:
        line, column = item.data(_ROLE)
        if line:
            self.edit.jump_to(line, column)

    def diagnostics(self) -> list[Diagnostic]:
        return list(self.edit.diagnostics)


def _summary(result: SdlCheck) -> str:
    if result.empty:
        return "Write an SDL or choose a template."
    if result.errors:
        n = len(result.errors)
        return f"{n} problem{'s' if n > 1 else ''} to fix before deploying."
    if result.sdl is None:
        return ""
    groups = len(result.sdl.placements)
    services = len(result.sdl.service_names)
    warn = f" — {len(result.warnings)} warning{'s' if len(result.warnings) > 1 else ''}" if result.warnings else ""
    return (f"Valid SDL {result.sdl.version_string}: {services} service{'s' if services != 1 else ''} in {groups} group{'s' if groups != 1 else ''}{warn}.")
