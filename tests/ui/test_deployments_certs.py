"""Certificate management on the local network through the real dialog: create+publish (the key stored encrypted
in the wallet), shown as usable with the password, then revoked; every transaction through the confirmation."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from tests.ui.holder_kit import PASSWORD, approve, await_task, make_context
from ui.dialogs.cert_manager import CertificatesDialog

pytestmark = pytest.mark.slow


def test_create_publish_list_and_revoke(qtbot, localnet) -> None:
    ctx, _owner = make_context(localnet, name="certs")
    try:
        dialog = CertificatesDialog(ctx)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: "certificate" in dialog.status.text(), timeout=30_000)
        assert dialog.model.rowCount() == 0 and "Enter the password" in dialog.status.text()

        qtbot.mouseClick(dialog.create, Qt.MouseButton.LeftButton)  # no password yet: asked for, nothing sent
        assert "Enter the wallet password" in dialog.status.text() and dialog.model.rowCount() == 0

        qtbot.keyClicks(dialog.password, PASSWORD)
        qtbot.mouseClick(dialog.create, Qt.MouseButton.LeftButton)
        confirm = approve(qtbot)
        assert confirm.request.descriptions[0].type_url.endswith("MsgCreateCertificate")
        qtbot.waitUntil(lambda: "published in block" in dialog.status.text(), timeout=60_000)
        qtbot.waitUntil(lambda: dialog.model.rowCount() == 1 and dialog.load.isEnabled(), timeout=30_000)
        entry = dialog.model.entry_at(0)
        assert entry.status.value == "usable" and entry.local is not None and entry.on_chain_state == "valid"

        dialog.table.selectionModel().select(dialog.model.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                                             | QItemSelectionModel.SelectionFlag.Rows)
        qtbot.mouseClick(dialog.revoke, Qt.MouseButton.LeftButton)
        confirm = approve(qtbot)
        assert confirm.request.descriptions[0].type_url.endswith("MsgRevokeCertificate")
        qtbot.waitUntil(lambda: "Revoked" in dialog.status.text(), timeout=60_000)
        qtbot.waitUntil(lambda: dialog.model.rowCount() == 1 and dialog.model.entry_at(0).on_chain_state == "revoked",
                        timeout=30_000)
        assert dialog.model.entry_at(0).local is None  # its key was forgotten here too
        dialog.close()
    finally:
        await_task(qtbot, ctx.aclose())
