"""The Keyboard shortcuts dialog (F1): every key of the app, by where it works, read from ui/shortcuts.py."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui import shortcuts


def key_text(shortcut: shortcuts.Shortcut) -> str:
    native = QKeySequence.SequenceFormat.NativeText
    return " or ".join(QKeySequence(k).toString(native) for k in shortcut.keys)


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(620, 640)
        layout = QVBoxLayout(self)
        intro = QLabel("Ctrl+1…8 switch tabs, Ctrl+Shift+letter opens the current tab's actions, Ctrl+Enter does "
                       "the main action of a screen, Ctrl+F goes to its search box.", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("shortcutsTree")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Keys", "What it does"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        scopes: dict[str, QTreeWidgetItem] = {}
        for shortcut in shortcuts.SHORTCUTS:
            group = scopes.get(shortcut.scope)
            if group is None:
                group = scopes[shortcut.scope] = QTreeWidgetItem(self.tree, [shortcuts.scope_title(shortcut.scope)])
                group.setFirstColumnSpanned(True)
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            QTreeWidgetItem(group, [key_text(shortcut), shortcut.words])
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        layout.addWidget(self.tree, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def rows(self) -> list[tuple[str, str, str]]:
        """(where, keys, what) for each listed shortcut, as shown."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            for j in range(group.childCount()):
                item = group.child(j)
                out.append((group.text(0), item.text(0), item.text(1)))
        return out
