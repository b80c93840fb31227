"""Garbage collection for a window that must never freeze: what start-up and each tab build made (modules, widgets,
models: hundreds of thousands of objects that live as long as the window) is moved out of the collector's reach
with gc.freeze(), so the occasional full collection only walks what came after and takes a few milliseconds
instead of 60-80 (measured by bench/b_ui_freeze.py)."""

from __future__ import annotations

import gc
import logging
import time

from PySide6.QtCore import QTimer

log = logging.getLogger(__name__)

_scheduled = False


def settle_soon() -> None:
    """Freeze the long-lived objects once the current event is handled (several calls in a row: one freeze)."""
    global _scheduled
    if _scheduled:
        return
    _scheduled = True
    QTimer.singleShot(0, settle)


def settle() -> None:
    """Collect the young garbage (cheap: not a full walk), then freeze everything that is left."""
    global _scheduled
    _scheduled = False
    started = time.perf_counter()
    gc.collect(1)  # cycles made while building are not frozen for good
    gc.freeze()
    log.debug("gc: %d objects frozen (%.1f ms)", gc.get_freeze_count(), (time.perf_counter() - started) * 1000)
