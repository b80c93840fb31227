"""Awaiting a window-modal dialog without a nested event loop (dialog.open(), never exec())."""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import QDialog


async def accepted(dialog: QDialog) -> bool:
    """Open `dialog`, wait until it closes (True when accepted), then delete it; cancelling the wait rejects it.

    The deletion is deferred to the event loop: read what the dialog holds before the caller's next await.
    """
    answer: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
    dialog.finished.connect(lambda result: answer.done() or answer.set_result(int(result) == QDialog.DialogCode.Accepted.value))
    dialog.open()
    try:
        return await answer
    finally:
        if not answer.done():  # the caller was cancelled: close the dialog
            dialog.reject()
        dialog.deleteLater()
