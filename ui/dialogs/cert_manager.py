"""Certificate management: the account's mTLS client certificates here vs on chain; create+publish, revoke, regenerate.

The private keys live encrypted in the wallet file (app.provider.certstore): listing them and storing a
new one take the wallet password, typed here; every transaction goes through the one confirmation dialog.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui import ops
from ui.context import AppContext
from ui.models.certs import CertificatesModel
from ui.provider_signin import remember_published
from ui.tenant import QtTxSender, market_context


class CertificatesDialog(QDialog):
    published = Signal(object)  # app.provider.certs.ClientKeyPair of a certificate just created and published

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, prompt: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("certificatesDialog")
        self.setWindowTitle("Client certificates (mTLS)")
        self.resize(900, 420)
        layout = QVBoxLayout(self)
        intro = QLabel(prompt or self._intro(), self)
        intro.setObjectName("certIntro")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.password = QLineEdit(self)
        self.password.setObjectName("certPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("Wallet password (to see and store the keys on this computer)")
        self.load = QPushButton("Show", self)
        self.load.setObjectName("certLoad")
        self.load.setToolTip("List the certificates on chain and, with the password, the keys kept here")
        row.addWidget(self.password, 1)
        row.addWidget(self.load)
        layout.addLayout(row)
        self.model = CertificatesModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("certTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        self.status = QLabel(self)
        self.status.setObjectName("certStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons = QHBoxLayout()
        self.create = QPushButton("Create and publish", self)
        self.create.setObjectName("certCreate")
        self.create.setToolTip("A new certificate: its key is stored encrypted in the wallet, then it is published")
        self.revoke = QPushButton("Revoke selected", self)
        self.revoke.setObjectName("certRevoke")
        self.revoke.setToolTip("Revoke the selected certificates on chain (and forget their keys here)")
        self.regenerate = QPushButton("Regenerate", self)
        self.regenerate.setToolTip("Revoke every valid certificate and publish a new one, in one transaction")
        for b in (self.create, self.revoke, self.regenerate):
            buttons.addWidget(b)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.load.clicked.connect(self.refresh)
        self.password.returnPressed.connect(self.refresh)
        self.create.clicked.connect(lambda: self.publish(regenerate=False))
        self.regenerate.clicked.connect(lambda: self.publish(regenerate=True))
        self.revoke.clicked.connect(self.revoke_selected)
        self.refresh()

    def _intro(self) -> str:
        using = ("Akash Desk signs in to providers with a client certificate (mTLS)"
                 if self.ctx.settings.provider_auth == "mtls" else
                 "Akash Desk signs in to providers with a token made by your key (JWT)")
        return (f"{using}; Settings > Provider sign-in chooses. A client certificate is published on chain; its "
                "private key stays encrypted in your wallet file.")

    # -- service ---------------------------------------------------------------------------------------------

    def _service(self) -> Any:
        from app.market.certificates import CertificateService

        wallet = self.ctx.session.wallet
        return CertificateService(market_context(self.ctx), self.ctx.session.keystore, wallet.name if wallet else "")

    async def _source(self) -> Any:
        """The unlocked wallet as a secret source (one key derivation), or None without a password."""
        password = self.password.text()
        wallet = self.ctx.session.wallet
        if not password or wallet is None or wallet.watch_only:
            return None
        return await self.ctx.session.keystore.unlock_async(wallet.name, password)

    def _busy(self) -> list[QWidget]:
        return [self.load, self.create, self.revoke, self.regenerate]

    def refresh(self) -> ops.Op:
        async def work() -> list[Any]:
            source = await self._source()
            try:
                return await self._service().entries(source)
            finally:
                if source is not None:
                    source.lock()

        def shown(entries: list[Any]) -> None:
            self.model.set_entries(entries)
            local = "" if self.password.text() else " Enter the password to see the keys kept on this computer."
            usable = sum(1 for e in entries if e.status.value == "usable")
            listed = f"{len(entries)} certificate{'s' if len(entries) != 1 else ''}, {usable} usable.{local}"
            done = self.status.text() if self.status.text().startswith(("Certificate ", "Revoked")) else ""
            self.status.setText(f"{done} {listed}".strip())

        return ops.run_op(self, work, success=shown, progress_label="Reading certificates…", disable=self._busy())

    def _need_password(self) -> str | None:
        password = self.password.text()
        if not password:
            self.status.setText("Enter the wallet password: the new key is stored encrypted with it.")
            self.password.setFocus()
            return None
        return password

    def publish(self, *, regenerate: bool) -> ops.Op | None:
        password = self._need_password()
        if password is None:
            return None
        sender = QtTxSender(self, self.ctx)

        async def work() -> Any:
            service = self._service()
            if not regenerate:
                result = await service.create(sender, password)
            else:
                source = await self._source()
                try:
                    result = await service.regenerate(sender, password, source)
                finally:
                    if source is not None:
                        source.lock()
            return result

        def done(result: Any) -> None:
            self.status.setText(f"Certificate {result.pair.certificate.serial} published in block "
                                f"{result.result.height:,}.")
            remember_published(self.ctx, result.pair)  # usable for mTLS at once, before the next unlock
            self.published.emit(result.pair)
            self.refresh()

        return ops.run_op(self, work, success=done, progress_label="Publishing the certificate…", disable=self._busy())

    def revoke_selected(self) -> ops.Op | None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        serials = tuple(e.serial for e in (self.model.entry_at(r) for r in rows) if e is not None
                        and e.on_chain_state == "valid")
        if not serials:
            self.status.setText("Select a certificate that is valid on chain to revoke it.")
            return None
        sender = QtTxSender(self, self.ctx)
        password = self.password.text()

        async def work() -> Any:
            return await self._service().revoke(sender, serials, password=password)

        def done(result: Any) -> None:
            self.status.setText(f"Revoked {', '.join(map(str, serials))} in block {result.height:,}.")
            self.refresh()

        return ops.run_op(self, work, success=done, progress_label="Revoking…", disable=self._busy())
