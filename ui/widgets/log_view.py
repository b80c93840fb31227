"""The logs / events view: a lazy table fed in batches, with follow, pause, search, per-service filter and save."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.fsutil import atomic_write_text
from ui import ops, shortcuts
from ui.models.logs import DEFAULT_CAP, LogModel
from ui.widgets.log_feed import LogFeed

_STATE_TEXT = {
    "idle": "", "connecting": "Connecting…", "live": "● Live", "reconnecting": "Reconnecting…",
    "ended": "The stream ended", "stopped": "Stopped", "failed": "The stream failed (see the last line)",
}


class LogView(QWidget):
    """A table over a LogModel with its LogFeed. `stream_requested()` asks the owner to (re)connect."""

    reconnect_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, name: str = "logs", cap: int = DEFAULT_CAP,
                 columns: tuple[str, ...] = ("Time", "Service", "Message")) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}View")
        self.model = LogModel(self, cap=cap, columns=columns)
        self.feed = LogFeed(self.model, self)
        self.follow_bottom = True
        self._build(name, columns)
        self.model.sources_changed.connect(self._sources_changed)
        self.model.rowsInserted.connect(self._rows_inserted)
        self.feed.state_changed.connect(self._state_changed)
        self.feed.flushed.connect(lambda _n: self._update_count())
        self.table.verticalScrollBar().valueChanged.connect(self._scrolled)

    def _build(self, name: str, columns: tuple[str, ...]) -> None:
        self.service = QComboBox(self)
        self.service.setObjectName(f"{name}Service")
        self.service.setToolTip(f"Show the {name} of one {columns[1].lower()} only")
        self.service.addItem(f"All {columns[1].lower()}s", None)
        self.search = QLineEdit(self)
        self.search.setObjectName(f"{name}Search")
        self.search.setPlaceholderText("Search (Ctrl+F; Enter = next, Shift+Enter = previous)")
        self.search.setClearButtonEnabled(True)
        self.only_matching = QCheckBox("Only matching", self)
        self.only_matching.setToolTip("Hide the lines that do not contain the search text")
        self.follow = QCheckBox("Follow", self)
        self.follow.setObjectName(f"{name}Follow")
        self.follow.setChecked(True)
        self.follow.setToolTip("Keep the newest line in view (scrolling up turns it off)")
        self.pause = QPushButton("Pause", self)
        self.pause.setObjectName(f"{name}Pause")
        self.pause.setCheckable(True)
        self.pause.setToolTip("Stop adding lines to the view; they are kept and shown when you resume")
        self.save = QPushButton("Save…", self)
        self.save.setObjectName(f"{name}Save")
        self.save.setToolTip("Save the lines shown to a text file")
        self.clear = QPushButton("Clear", self)
        self.clear.setToolTip("Empty the view (the stream goes on)")
        self.state = QLabel(self)
        self.state.setObjectName(f"{name}State")
        self.count = QLabel(self)
        self.count.setObjectName(f"{name}Count")
        bar = QHBoxLayout()
        for w in (self.service, self.search, self.only_matching, self.follow, self.pause, self.save, self.clear):
            bar.addWidget(w)
        bar.setStretchFactor(self.search, 1)
        self.table = self._make_table(name)
        status = QHBoxLayout()
        status.addWidget(self.state)
        status.addStretch(1)
        status.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(status)
        self._connect()

    def _make_table(self, name: str) -> QTableView:
        """Fixed row heights and no word wrap: the view never measures 100k rows."""
        self.table = QTableView(self)
        self.table.setObjectName(f"{name}Table")
        self.table.setModel(self.model)
        self.table.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(False)
        vertical = self.table.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.table.fontMetrics().height() + 4)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.resizeSection(0, 80)
        header.resizeSection(1, 160)
        return self.table

    def _connect(self) -> None:
        self.service.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.only_matching.toggled.connect(lambda _c: self._apply_filter())
        self.search.textChanged.connect(self._search_changed)
        self.search.returnPressed.connect(lambda: self.find_next(backwards=False))
        shortcuts.bind(self.search, "logs.previous", lambda: self.find_next(backwards=True),
                       Qt.ShortcutContext.WidgetShortcut)
        shortcuts.bind(self, "logs.search", self.focus_search, Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcuts.bind(self.table, "logs.copy", self.copy_selection, Qt.ShortcutContext.WidgetShortcut)
        self.follow.toggled.connect(self._follow_toggled)
        self.pause.toggled.connect(self.set_paused)
        self.save.clicked.connect(self.save_dialog)
        self.clear.clicked.connect(self.model.clear)

    # -- follow / pause ------------------------------------------------------------------------------------

    def _rows_inserted(self, *_args) -> None:
        if self.follow.isChecked():
            self.follow_bottom = True
            self.table.scrollToBottom()

    def _scrolled(self, value: int) -> None:
        bar = self.table.verticalScrollBar()
        at_bottom = value >= bar.maximum() - 2
        if self.follow.isChecked() and not at_bottom and self.follow_bottom and bar.isSliderDown():
            self.follow.setChecked(False)  # the person scrolled up to read: stop jumping away

    def _follow_toggled(self, on: bool) -> None:
        self.follow_bottom = on
        if on:
            self.table.scrollToBottom()

    def set_paused(self, paused: bool) -> None:
        self.pause.setChecked(paused)
        self.pause.setText("Resume" if paused else "Pause")
        self.feed.set_paused(paused)
        self._update_count()

    # -- filter and search -----------------------------------------------------------------------------------

    def _sources_changed(self) -> None:
        current = self.service.currentData()
        self.service.blockSignals(True)
        while self.service.count() > 1:
            self.service.removeItem(1)
        for source in self.model.sources:
            self.service.addItem(source, source)
        self.service.setCurrentIndex(max(0, self.service.findData(current)) if current else 0)
        self.service.blockSignals(False)

    def set_services(self, services: list[str]) -> None:
        """Offer these services in the filter before any of their lines arrived."""
        for s in services:
            if self.service.findData(s) < 0:
                self.service.addItem(s, s)

    def _apply_filter(self) -> None:
        service = self.service.currentData()
        text = self.search.text() if self.only_matching.isChecked() else ""
        self.model.set_filter({service} if service else None, text)
        self._update_count()
        if self.follow.isChecked():
            self.table.scrollToBottom()

    def _search_changed(self, _text: str) -> None:
        if self.only_matching.isChecked():
            self._apply_filter()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def find_next(self, *, backwards: bool = False) -> int:
        """Select the next line containing the search text (wrapping); returns its view row or -1."""
        text = self.search.text()
        current = self.table.currentIndex().row()
        start = (current - 1 if backwards else current + 1) if current >= 0 else (self.model.rowCount() - 1 if backwards else 0)
        row = self.model.find(text, start, backwards=backwards)
        if row >= 0:
            self.follow.setChecked(False)
            index = self.model.index(row, 2)
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
            self.count.setText(f"Line {row + 1:,} of {self.model.rowCount():,}")
        elif text:
            self.count.setText(f"“{text}” not found")
        return row

    # -- copy / save -----------------------------------------------------------------------------------------

    def shown_text(self) -> str:
        return "\n".join(r.as_text() for r in self.model.shown_rows()) + "\n"

    def copy_selection(self) -> None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedIndexes()})
        QApplication.clipboard().setText("\n".join(self.model.row(r).as_text() for r in rows if self.model.row(r)))

    def save_dialog(self) -> None:
        dialog = QFileDialog(self, "Save the lines shown", str(Path.home() / f"{self.objectName()}.txt"),
                             "Text files (*.txt *.log);;All files (*)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("txt")
        dialog.fileSelected.connect(self.save_to)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def save_to(self, path: str) -> None:
        text = self.shown_text()
        ops.run_in_thread(self, atomic_write_text, Path(path), text, disable=[self.save],
                          progress_label="Saving…",
                          success=lambda _r: self.count.setText(f"Saved {self.model.rowCount():,} lines to {path}"))

    # -- status -------------------------------------------------------------------------------------------

    def _state_changed(self, state: str) -> None:
        self.state.setText(_STATE_TEXT.get(state, state))
        self.state.setProperty("state", state)

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total
        text = f"{shown:,} lines" if not self.model.filtered else f"{shown:,} of {total:,} lines"
        if self.feed.paused and self.feed.pending:
            text += f" — paused, {self.feed.pending:,} new"
        if self.model.dropped:
            text += f" (oldest {self.model.dropped:,} dropped: the view keeps {self.model.cap:,})"
        self.count.setText(text)
