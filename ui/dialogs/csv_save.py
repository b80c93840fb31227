"""Ask where to save a CSV file without a nested event loop (a window-modal QFileDialog opened with open())."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget


def ask_csv_path(parent: QWidget, title: str, suggested: str, chosen: Callable[[Path], object]) -> QFileDialog:
    """Opens the dialog and returns it; `chosen(path)` runs once a file is picked (".csv" added if missing)."""
    dialog = QFileDialog(parent, title, str(Path.home() / suggested), "CSV files (*.csv)")
    dialog.setObjectName("csvSaveDialog")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setDefaultSuffix("csv")

    def accepted() -> None:
        files = dialog.selectedFiles()
        if files:
            chosen(Path(files[0]))

    dialog.accepted.connect(accepted)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
