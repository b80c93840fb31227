"""The SDL text area: line numbers, error markers in the gutter, wavy underlines and the message at the line."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QPainter,
    QPaintEvent,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from app.sdl import SdlError

ERROR_COLOR = QColor("#e51400")
WARNING_COLOR = QColor("#c89400")
INLINE_GAP_PX = 24  # between the end of a line and its inline message
INDENT = "  "


@dataclass(frozen=True)
class Diagnostic:
    """An error or warning placed in the text: 0-based block (line) and the character range it underlines."""

    line: int  # 1-based, as SdlError
    column: int  # 1-based; 0 = the whole line
    message: str
    severity: str  # "error" or "warning"

    @classmethod
    def of(cls, error: SdlError, severity: str) -> Diagnostic:
        return cls(error.line, error.column, error.message, severity)

    @property
    def color(self) -> QColor:
        return ERROR_COLOR if self.severity == "error" else WARNING_COLOR

    @property
    def first_line(self) -> str:
        return self.message.splitlines()[0] if self.message else ""


def _token_span(text: str, column: int) -> tuple[int, int]:
    """(start, length) to underline in a line for a 1-based column (the token there, or the line's content)."""
    stripped_start = len(text) - len(text.lstrip())
    if column <= 0 or column > len(text):
        start = stripped_start if column <= 0 else max(0, len(text) - 1)
        return start, max(1, len(text.rstrip()) - start)
    start = column - 1
    end = start
    while end < len(text) and not text[end].isspace() and (end == start or text[end] not in ",]}#"):
        end += 1
    if end == start:  # the error points at blank space: underline up to the end of the line
        end = max(len(text.rstrip()), start + 1)
    return start, end - start


class _Gutter(QWidget):
    def __init__(self, editor: SdlCodeEdit) -> None:
        super().__init__(editor)
        self.editor = editor
        self.setObjectName("sdlGutter")
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(self.editor.gutter_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        self.editor.paint_gutter(self, event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            line = self.editor.line_at_y(event.pos().y())
            text = self.editor.messages_at(line)
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        if event.type() == QEvent.Type.MouseButtonPress:
            line = self.editor.line_at_y(event.pos().y())
            if line:
                self.editor.jump_to(line, 0)
            return True
        return super().event(event)


class SdlCodeEdit(QPlainTextEdit):
    """A monospace plain-text editor that shows Diagnostics: underline, gutter marker, inline message, tooltip."""

    diagnostics_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sdlText")
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        # YAML is indented with spaces: Tab indents by two, Shift+Tab dedents; Ctrl+Tab leaves the editor.
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 2)
        self.gutter = _Gutter(self)
        self._by_line: dict[int, list[Diagnostic]] = {}
        self.diagnostics: list[Diagnostic] = []
        self.blockCountChanged.connect(lambda _n: self._fit_gutter())
        self.updateRequest.connect(self._scroll_gutter)
        self._fit_gutter()

    # -- typing ------------------------------------------------------------------------------------------

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        key, mods = event.key(), event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and ctrl:
            self.focusNextPrevChild(key == Qt.Key.Key_Tab and not mods & Qt.KeyboardModifier.ShiftModifier)
            return
        if key == Qt.Key.Key_Backtab or (key == Qt.Key.Key_Tab and mods & Qt.KeyboardModifier.ShiftModifier):
            self._dedent()
            return
        if key == Qt.Key.Key_Tab and not mods:
            self._indent()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not mods:
            self._newline_keeping_indent()
            return
        super().keyPressEvent(event)

    def _selected_blocks(self) -> list:
        cursor = self.textCursor()
        doc = self.document()
        first = doc.findBlock(cursor.selectionStart())
        last = doc.findBlock(max(cursor.selectionStart(), cursor.selectionEnd() - (1 if cursor.hasSelection() else 0)))
        blocks, block = [], first
        while block.isValid() and block.blockNumber() <= last.blockNumber():
            blocks.append(block)
            block = block.next()
        return blocks

    def _indent(self) -> None:
        cursor = self.textCursor()
        if not cursor.hasSelection():
            cursor.insertText(INDENT)
            return
        cursor.beginEditBlock()
        for block in self._selected_blocks():
            c = QTextCursor(block)
            c.insertText(INDENT)
        cursor.endEditBlock()

    def _dedent(self) -> None:
        cursor = self.textCursor()
        cursor.beginEditBlock()
        for block in self._selected_blocks():
            text = block.text()
            n = min(len(INDENT), len(text) - len(text.lstrip(" ")))
            if n:
                c = QTextCursor(block)
                c.movePosition(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor, n)
                c.removeSelectedText()
        cursor.endEditBlock()

    def _newline_keeping_indent(self) -> None:
        """Enter keeps the line's indentation, one level deeper after `key:` (and after `- key:`)."""
        cursor = self.textCursor()
        line = cursor.block().text()[: cursor.positionInBlock()]
        indent = line[: len(line) - len(line.lstrip(" "))]
        stripped = line.strip()
        if stripped.startswith("- "):
            indent += "  "  # inside a list item, continue at the item's content
        if stripped.endswith(":") and not stripped.startswith("#"):
            indent += INDENT
        cursor.insertText("\n" + indent)
        self.ensureCursorVisible()

    # -- diagnostics ------------------------------------------------------------------------------------

    def set_diagnostics(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics, key=lambda d: (d.line, d.column, d.severity != "error"))
        self._by_line = {}
        for d in self.diagnostics:
            if d.line > 0:
                self._by_line.setdefault(d.line, []).append(d)
        self._apply_underlines()
        self.viewport().update()
        self.gutter.update()
        self.diagnostics_changed.emit()

    def underlines(self) -> list[QTextEdit.ExtraSelection]:
        return list(self.extraSelections())

    def _apply_underlines(self) -> None:
        doc = self.document()
        selections = []
        for line, items in self._by_line.items():
            block = doc.findBlockByNumber(line - 1)
            if not block.isValid():
                continue
            for d in items:
                start, length = _token_span(block.text(), d.column)
                cursor = QTextCursor(block)
                cursor.setPosition(block.position() + min(start, max(block.length() - 1, 0)))
                end = block.position() + min(start + length, max(block.length() - 1, 0))
                cursor.setPosition(max(end, cursor.position()), QTextCursor.MoveMode.KeepAnchor)
                fmt = QTextCharFormat()
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
                fmt.setUnderlineColor(d.color)
                fmt.setToolTip(d.message)
                fmt.setProperty(QTextFormat.Property.UserProperty, d.severity)
                selection = QTextEdit.ExtraSelection()
                selection.cursor = cursor
                selection.format = fmt
                selections.append(selection)
        self.setExtraSelections(selections)

    def messages_at(self, line: int) -> str:
        return "\n".join(d.message for d in self._by_line.get(line, ()))

    def diagnostics_at(self, line: int) -> list[Diagnostic]:
        return list(self._by_line.get(line, ()))

    # -- navigation --------------------------------------------------------------------------------------

    def jump_to(self, line: int, column: int) -> None:
        """Put the cursor at a 1-based line/column (clamped), show it and take the focus."""
        block = self.document().findBlockByNumber(max(0, line - 1))
        if not block.isValid():
            block = self.document().lastBlock()
        cursor = QTextCursor(block)
        cursor.setPosition(block.position() + max(0, min(column - 1, block.length() - 1)))
        self.setTextCursor(cursor)
        self.centerCursor()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def line_at_y(self, y: int) -> int:
        block = self.firstVisibleBlock()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        while block.isValid():
            bottom = top + round(self.blockBoundingRect(block).height())
            if top <= y < bottom:
                return block.blockNumber() + 1
            block = block.next()
            top = bottom
        return 0

    # -- painting ------------------------------------------------------------------------------------------

    def gutter_width(self) -> int:
        digits = len(str(max(1, self.blockCount())))
        return 14 + self.fontMetrics().horizontalAdvance("9") * max(3, digits)

    def _fit_gutter(self) -> None:
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)

    def _scroll_gutter(self, rect: QRect, dy: int) -> None:
        if dy:
            self.gutter.scroll(0, dy)
        else:
            self.gutter.update(0, rect.y(), self.gutter.width(), rect.height())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        cr = self.contentsRect()
        self.gutter.setGeometry(QRect(cr.left(), cr.top(), self.gutter_width(), cr.height()))

    def paint_gutter(self, gutter: QWidget, event: QPaintEvent) -> None:
        painter = QPainter(gutter)
        palette = self.palette()
        painter.fillRect(event.rect(), palette.color(palette.ColorRole.AlternateBase))
        block = self.firstVisibleBlock()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        height = self.fontMetrics().height()
        current = self.textCursor().blockNumber()
        while block.isValid() and top <= event.rect().bottom():
            bottom = top + round(self.blockBoundingRect(block).height())
            if block.isVisible() and bottom >= event.rect().top():
                number = block.blockNumber() + 1
                items = self._by_line.get(number)
                if items:
                    color = ERROR_COLOR if any(d.severity == "error" for d in items) else WARNING_COLOR
                    painter.setBrush(color)
                    painter.setPen(Qt.PenStyle.NoPen)
                    painter.drawEllipse(QPoint(6, top + height // 2), 4, 4)
                painter.setPen(palette.color(palette.ColorRole.Text if number - 1 == current
                                             else palette.ColorRole.PlaceholderText))
                painter.drawText(0, top, gutter.width() - 4, height, Qt.AlignmentFlag.AlignRight, str(number))
            block = block.next()
            top = bottom
        painter.end()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        super().paintEvent(event)
        if not self._by_line:
            return
        painter = QPainter(self.viewport())
        metrics = self.fontMetrics()
        block = self.firstVisibleBlock()
        offset = self.contentOffset()
        width = self.viewport().width()
        while block.isValid():
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > event.rect().bottom():
                break
            items = self._by_line.get(block.blockNumber() + 1)
            if items and block.isVisible():
                x = round(offset.x()) + metrics.horizontalAdvance(block.text()) + INLINE_GAP_PX
                text = items[0].first_line + (f"  (+{len(items) - 1} more)" if len(items) > 1 else "")
                available = width - x - 8
                if available > 40:
                    painter.setPen(items[0].color)
                    elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, available)
                    painter.drawText(x, round(geometry.top()), available, metrics.height(),
                                     Qt.AlignmentFlag.AlignLeft, elided)
            block = block.next()
        painter.end()

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.ToolTip:
            line = self.cursorForPosition(event.pos()).blockNumber() + 1
            text = self.messages_at(line) if self.line_at_y(event.pos().y()) == line else ""
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)
