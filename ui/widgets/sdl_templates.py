"""The template gallery: search the shipped SDL templates by title, description or tag, and use one."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.sdl.templates import Template, TemplateError, list_templates

log = logging.getLogger(__name__)
_ROLE = Qt.ItemDataRole.UserRole


def matches(template: Template, query: str) -> bool:
    """Every word of the query appears in the title, description, tags or file name (case-insensitive)."""
    haystack = " ".join((template.title, template.description, template.name, *template.tags)).casefold()
    return all(word in haystack for word in query.casefold().split())


class TemplateGallery(QWidget):
    """`chosen(Template)` when the person uses a template (double click, Enter or the button)."""

    chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None, templates: Sequence[Template] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("templateGallery")
        self.templates = list(templates) if templates is not None else _load()
        self.search = QLineEdit(self)
        self.search.setObjectName("templateSearch")
        self.search.setPlaceholderText("Search templates (Ctrl+F): title, description, tags: gpu, web, database…")
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        self.list.setObjectName("templateList")
        self.list.setToolTip("Double-click (or Enter) to load a template into the editor")
        self.details = QLabel(self)
        self.details.setObjectName("templateDetails")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.use = QPushButton("Use this template", self)
        self.use.setObjectName("useTemplate")
        self.use.setToolTip("Replace the editor's text with this template (Ctrl+Z brings your text back)")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("<b>Templates</b>", self))
        layout.addWidget(self.search)
        layout.addWidget(self.list, 3)
        layout.addWidget(self.details, 2)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.use)
        layout.addLayout(row)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._use_first_visible)
        self.list.currentItemChanged.connect(lambda item, _prev: self._show(item))
        self.list.itemActivated.connect(self._emit)
        self.list.itemDoubleClicked.connect(self._emit)
        self.use.clicked.connect(lambda: self._emit(self.list.currentItem()))
        for template in self.templates:
            item = QListWidgetItem(template.title)
            item.setData(_ROLE, template)
            item.setToolTip(f"{template.description}\n\nTags: {', '.join(template.tags)}")
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        self._show(self.list.currentItem())

    def visible_templates(self) -> list[Template]:
        return [self.list.item(i).data(_ROLE) for i in range(self.list.count()) if not self.list.item(i).isHidden()]

    def _filter(self, query: str) -> None:
        first = None
        for i in range(self.list.count()):
            item = self.list.item(i)
            hidden = not matches(item.data(_ROLE), query)
            item.setHidden(hidden)
            if not hidden and first is None:
                first = item
        current = self.list.currentItem()
        if current is None or current.isHidden():
            self.list.setCurrentItem(first)
        self._show(self.list.currentItem() if first is not None else None)

    def _show(self, item: QListWidgetItem | None) -> None:
        template: Template | None = item.data(_ROLE) if item is not None and not item.isHidden() else None
        self.use.setEnabled(template is not None)
        if template is None:
            self.details.setText("<i>No template matches.</i>" if self.templates else "<i>No templates found.</i>")
            return
        tags = " ".join(f"<span style='background:palette(midlight)'>&nbsp;{_esc(t)}&nbsp;</span>" for t in template.tags)
        self.details.setText(f"<b>{_esc(template.title)}</b><br>{_esc(template.description)}<br><br>{tags}")

    def _use_first_visible(self) -> None:
        item = self.list.currentItem()
        if item is not None and not item.isHidden():
            self._emit(item)

    def _emit(self, item: QListWidgetItem | None) -> None:
        if item is not None and not item.isHidden():
            self.chosen.emit(item.data(_ROLE))


def _load() -> list[Template]:
    try:
        return list_templates()
    except (OSError, TemplateError) as exc:  # a broken template must not hide the editor
        log.error("templates could not be read: %s", exc)
        return []


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
