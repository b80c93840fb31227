"""TabPage: the frame every tab module subclasses (context, F5 refresh, shown hook, remembered columns)."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.context import AppContext


class TabPage(QWidget):
    """A tab's root widget. Subclasses fill `self.layout_` and override `refresh()` (F5) as needed.

    Give every QTableView/QTreeView an objectName: the main window then remembers its column widths.
    """

    key = ""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName(f"tab_{self.key}" if self.key else "tab")
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(12, 12, 12, 12)

    def refresh(self) -> None:
        """Reload what the tab shows (F5). The default has nothing to reload."""

    def shown(self) -> None:
        """Called each time the tab becomes the current one."""
