"""PySide6 must not drop references to None when C++ hands Python a QVariant holding None (6.12.0 did: every
combo.currentData() of an "All" entry or index.data() of an empty role took one, and a long session aborted with
"Fatal Python error: deallocating None"). pyproject.toml keeps PySide6 below 6.12 for it."""

from __future__ import annotations

import sys

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox

from ui.models.logs import LogModel, LogRow

CALLS = 500


def _drift(call) -> int:
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        call()
    return sys.getrefcount(None) - before


def test_none_from_cpp_keeps_its_references(qtbot) -> None:
    combo = QComboBox()
    qtbot.addWidget(combo)
    combo.addItem("All services", None)
    standard = QStandardItemModel(2, 2)
    logs = LogModel()
    logs.append([LogRow("t", "web", "hello")])
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(logs)
    checks = {
        "combo.currentData()": combo.currentData,
        "an empty item's data()": lambda: standard.index(0, 0).data(),
        "a Python model's empty role": lambda: logs.index(0, 0).data(Qt.ItemDataRole.DecorationRole),
        "through a proxy": lambda: proxy.index(0, 0).data(Qt.ItemDataRole.DecorationRole),
        "an invalid index": lambda: QModelIndex().data(),
    }
    drifts = {name: _drift(call) for name, call in checks.items()}
    assert all(d >= 0 for d in drifts.values()), f"references to None lost per {CALLS} calls: {drifts}"
