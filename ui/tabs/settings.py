"""Settings tab: network and endpoints (with a latency probe), gas price, theme, auto-lock, notifications, data."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import config
from app.settings import NETWORK_KEYS, SettingsError, normalize_endpoint, parse_gas_price
from ui import ops
from ui.context import AppContext
from ui.resources import apply_theme, icon
from ui.tabs.base import TabPage

THEME_CHOICES = (("system", "Follow the system"), ("light", "Light"), ("dark", "Dark"))
PROVIDER_AUTH_CHOICES = (
    ("jwt", "Token (JWT, default)"),
    ("mtls", "Client certificate (mTLS)"),
)
NOTIFICATION_CHOICES = (
    ("tx_finished", "A transaction is confirmed or fails"),
    ("low_runway", "A deployment is about to run out of funds"),
    ("new_bids", "Bids arrive for a new deployment"),
    ("proposals", "A governance proposal enters its voting period"),
)


class SettingsTab(TabPage):
    key = "settings"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        body = QWidget(scroll)
        column = QVBoxLayout(body)
        column.addWidget(self._network_group(body))
        column.addWidget(self._transactions_group(body))
        column.addWidget(self._providers_group(body))
        column.addWidget(self._appearance_group(body))
        column.addWidget(self._notifications_group(body))
        column.addWidget(self._data_group(body))
        column.addStretch(1)
        scroll.setWidget(body)
        self.layout_.addWidget(scroll)
        ctx.network_changed.connect(self._show_network)
        self._show_network()

    # -- network and endpoints -------------------------------------------------------------------------

    def _network_group(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox("Network", parent)
        layout = QVBoxLayout(box)
        row = QHBoxLayout()
        self.network = QComboBox(box)
        self.network.setObjectName("networkChoice")
        for key in NETWORK_KEYS:
            self.network.addItem(config.PRESETS[key].name, key)
        self.network.setToolTip("Mainnet holds real funds; the sandbox and the local network are for testing")
        self.use_network = QPushButton("Switch to this network", box)
        self.use_network.setObjectName("useNetwork")
        self.use_network.setToolTip("Use this network now: the work in progress stops, the tabs reload")
        self.use_network.clicked.connect(self._switch_network)
        self.network.currentIndexChanged.connect(lambda _i: self._show_endpoints())
        row.addWidget(self.network, 1)
        row.addWidget(self.use_network)
        layout.addLayout(row)
        layout.addWidget(QLabel("REST endpoints, tried in this order (your own list replaces the preset):", box))
        self.endpoints = QListWidget(box)
        self.endpoints.setObjectName("endpointList")
        self.endpoints.setMaximumHeight(140)
        layout.addWidget(self.endpoints)
        add_row = QHBoxLayout()
        self.new_endpoint = QLineEdit(box)
        self.new_endpoint.setObjectName("newEndpoint")
        self.new_endpoint.setPlaceholderText("https://rest.example.com")
        self.add_endpoint = QPushButton("Add", box)
        self.add_endpoint.setToolTip("Add your own endpoint to this network's list")
        self.remove_endpoint = QPushButton("Remove", box)
        self.remove_endpoint.setToolTip("Remove the selected endpoint from your own list")
        self.reset_endpoints = QPushButton("Use the preset", box)
        self.reset_endpoints.setToolTip("Forget your own endpoints for this network")
        self.probe = QPushButton(icon("refresh"), "Test latency", box)
        self.probe.setObjectName("probeButton")
        self.probe.setToolTip("Ask every endpoint for its node info and show how fast it answers")
        for widget in (self.new_endpoint, self.add_endpoint, self.remove_endpoint, self.reset_endpoints, self.probe):
            add_row.addWidget(widget)
        layout.addLayout(add_row)
        self.endpoint_error = QLabel(box)
        self.endpoint_error.setObjectName("errorText")
        layout.addWidget(self.endpoint_error)
        self.add_endpoint.clicked.connect(self._add_endpoint)
        self.new_endpoint.returnPressed.connect(self._add_endpoint)
        self.remove_endpoint.clicked.connect(self._remove_endpoint)
        self.reset_endpoints.clicked.connect(self._reset_endpoints)
        self.probe.clicked.connect(self.probe_latency)
        return box

    def selected_network(self) -> str:
        return self.network.currentData()

    def _show_network(self) -> None:
        self.network.setCurrentIndex(max(0, self.network.findData(self.ctx.network.key)))
        self._show_endpoints()

    def _show_endpoints(self) -> None:
        key = self.selected_network()
        custom = key in self.ctx.settings.custom_endpoints and bool(self.ctx.settings.custom_endpoints[key])
        self.endpoints.clear()
        for url in self.ctx.settings.endpoints(key):
            item = QListWidgetItem(url)
            item.setData(Qt.ItemDataRole.UserRole, url)
            item.setToolTip("Your endpoint" if custom else "Preset endpoint")
            self.endpoints.addItem(item)
        self.remove_endpoint.setEnabled(custom)
        self.reset_endpoints.setEnabled(custom)
        current = key == self.ctx.network.key
        self.use_network.setEnabled(not current)
        self.use_network.setText("In use" if current else "Switch to this network")
        self.endpoint_error.clear()

    def _add_endpoint(self) -> None:
        key = self.selected_network()
        try:
            url = normalize_endpoint(self.new_endpoint.text())
        except SettingsError as exc:
            self.endpoint_error.setText(str(exc))
            return
        mine = list(self.ctx.settings.custom_endpoints.get(key) or [])
        if url not in mine:
            mine.append(url)
        self.ctx.settings.custom_endpoints[key] = mine
        self.new_endpoint.clear()
        self._endpoints_changed(key)

    def _remove_endpoint(self) -> None:
        key = self.selected_network()
        item = self.endpoints.currentItem()
        mine = list(self.ctx.settings.custom_endpoints.get(key) or [])
        if item is None or item.data(Qt.ItemDataRole.UserRole) not in mine:
            return
        mine.remove(item.data(Qt.ItemDataRole.UserRole))
        if mine:
            self.ctx.settings.custom_endpoints[key] = mine
        else:
            self.ctx.settings.custom_endpoints.pop(key, None)
        self._endpoints_changed(key)

    def _reset_endpoints(self) -> None:
        key = self.selected_network()
        self.ctx.settings.custom_endpoints.pop(key, None)
        self._endpoints_changed(key)

    def _endpoints_changed(self, key: str) -> None:
        self.ctx.save_settings()
        self._show_endpoints()
        if key == self.ctx.network.key and not self.ctx.network.local:
            self.ctx.set_network(self.ctx.settings.network_config(key), remember=False)

    def _switch_network(self) -> None:
        key = self.selected_network()
        network = self.ctx.settings.network_config(key) if key != "local" else self._local_network()
        self.ctx.set_network(network)
        self.ctx.status.emit(f"Now on {network.name}")

    def _local_network(self) -> config.Network:
        current = self.ctx.network
        return current if current.local else self.ctx.settings.network_config("local")

    def probe_latency(self) -> ops.Op:
        from app.netprobe import probe_all

        key = self.selected_network()
        urls = [self.endpoints.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.endpoints.count())]
        chain_id = config.PRESETS[key].chain_id if key != "local" else self.ctx.network.chain_id
        for i in range(self.endpoints.count()):
            self.endpoints.item(i).setText(f"{urls[i]}  —  testing…")

        def show(results) -> None:
            for i, result in enumerate(results):
                item = self.endpoints.item(i)
                if item is not None:
                    item.setText(f"{result.endpoint}  —  {result.summary(chain_id)}")

        return ops.run_op(
            self, lambda: probe_all(urls), success=show, progress_label="Testing endpoints…",
            disable=[self.probe], failure=lambda exc: self._show_endpoints(),
        )

    # -- transactions ----------------------------------------------------------------------------------

    def _transactions_group(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox("Transactions", parent)
        form = QFormLayout(box)
        row = QHBoxLayout()
        self.gas_price = QLineEdit(self.ctx.settings.gas_price, box)
        self.gas_price.setObjectName("gasPrice")
        self.gas_price.setToolTip(
            f"uakt paid per unit of gas. The nodes refuse less than {config.MIN_GAS_PRICE_UAKT}; "
            f"{config.DEFAULT_GAS_PRICE_UAKT} is the usual price."
        )
        self.gas_price.setMaximumWidth(160)
        self.gas_apply = QPushButton("Apply", box)
        self.gas_apply.setToolTip("Use this gas price from the next transaction on")
        self.gas_apply.clicked.connect(self._apply_gas_price)
        self.gas_price.returnPressed.connect(self._apply_gas_price)
        row.addWidget(self.gas_price)
        row.addWidget(QLabel("uakt per gas", box))
        row.addWidget(self.gas_apply)
        row.addStretch(1)
        form.addRow("Gas price", row)
        self.gas_error = QLabel(box)
        self.gas_error.setObjectName("errorText")
        form.addRow("", self.gas_error)
        return box

    def _apply_gas_price(self) -> None:
        try:
            self.ctx.settings.gas_price = parse_gas_price(self.gas_price.text())
        except SettingsError as exc:
            self.gas_error.setText(str(exc))
            return
        self.gas_error.clear()
        self.gas_price.setText(self.ctx.settings.gas_price)
        self.ctx.save_settings()

    # -- providers -------------------------------------------------------------------------------------

    def _providers_group(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox("Providers", parent)
        form = QFormLayout(box)
        row = QHBoxLayout()
        self.provider_auth = QComboBox(box)
        self.provider_auth.setObjectName("providerAuth")
        for key, label in PROVIDER_AUTH_CHOICES:
            self.provider_auth.addItem(label, key)
        self.provider_auth.setCurrentIndex(max(0, self.provider_auth.findData(self.ctx.settings.provider_auth)))
        self.provider_auth.setToolTip(
            "How Akash Desk proves to a provider that the deployment is yours (manifest, status, logs):\n"
            "a short-lived token signed by your key, or an mTLS client certificate published on chain")
        self.provider_auth.setMaximumWidth(260)
        self.provider_auth.currentIndexChanged.connect(self._provider_auth_chosen)
        self.certificates = QPushButton("Certificates…", box)
        self.certificates.setObjectName("settingsCertificates")
        self.certificates.setToolTip("Your mTLS client certificates: create, publish, revoke")
        self.certificates.clicked.connect(self.open_certificates)
        row.addWidget(self.provider_auth)
        row.addWidget(self.certificates)
        row.addStretch(1)
        form.addRow("Provider sign-in", row)
        return box

    def _provider_auth_chosen(self, _index: int) -> None:
        self.ctx.settings.provider_auth = self.provider_auth.currentData()
        self.ctx.save_settings()

    def open_certificates(self) -> QWidget:
        from ui.dialogs.cert_manager import CertificatesDialog

        dialog = CertificatesDialog(self.ctx, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    # -- appearance and security -----------------------------------------------------------------------

    def _appearance_group(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox("Appearance and security", parent)
        form = QFormLayout(box)
        self.theme = QComboBox(box)
        self.theme.setObjectName("themeChoice")
        for key, label in THEME_CHOICES:
            self.theme.addItem(label, key)
        self.theme.setCurrentIndex(max(0, self.theme.findData(self.ctx.settings.theme)))
        self.theme.setToolTip("Follow the system's light or dark look, or always use one")
        self.theme.currentIndexChanged.connect(self._theme_chosen)
        self.auto_lock = QSpinBox(box)
        self.auto_lock.setObjectName("autoLockMinutes")
        self.auto_lock.setRange(0, 24 * 60)
        self.auto_lock.setSpecialValueText("Never")
        self.auto_lock.setSuffix(" min")
        self.auto_lock.setValue(self.ctx.settings.auto_lock_minutes)
        self.auto_lock.setMaximumWidth(160)
        self.theme.setMaximumWidth(240)
        self.auto_lock.setToolTip("Lock the keys after this many minutes without keyboard or mouse input")
        self.auto_lock.valueChanged.connect(self._auto_lock_changed)
        form.addRow("Theme", self.theme)
        form.addRow("Lock after idle", self.auto_lock)
        return box

    def _theme_chosen(self, _index: int) -> None:
        self.ctx.settings.theme = self.theme.currentData()
        app = QApplication.instance()
        if app is not None:
            apply_theme(app, self.ctx.settings.theme)
        self.ctx.save_settings()

    def _auto_lock_changed(self, minutes: int) -> None:
        self.ctx.settings.auto_lock_minutes = minutes
        self.ctx.save_settings()

    # -- notifications and data ------------------------------------------------------------------------

    def _notifications_group(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox("Desktop notifications", parent)
        layout = QVBoxLayout(box)
        self.notify_boxes: dict[str, QCheckBox] = {}
        for key, label in NOTIFICATION_CHOICES:
            check = QCheckBox(label, box)
            check.setObjectName(f"notify_{key}")
            check.setChecked(getattr(self.ctx.settings.notifications, key))
            check.toggled.connect(lambda on, key=key: self._notification_toggled(key, on))
            layout.addWidget(check)
            self.notify_boxes[key] = check
        return box

    def _notification_toggled(self, key: str, on: bool) -> None:
        setattr(self.ctx.settings.notifications, key, on)
        self.ctx.save_settings()

    def _data_group(self, parent: QWidget) -> QGroupBox:
        from app import logs

        box = QGroupBox("Data", parent)
        form = QFormLayout(box)
        folder = str(config.data_dir())
        row = QHBoxLayout()
        self.data_folder = QLineEdit(folder, box)
        self.data_folder.setObjectName("dataFolder")
        self.data_folder.setReadOnly(True)
        self.data_folder.setToolTip("Wallet files, settings, logs and the local network live here")
        self.open_folder = QPushButton(icon("folder"), "Open", box)
        self.open_folder.setToolTip("Open the data folder in the file manager")
        self.open_folder.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(folder)))
        row.addWidget(self.data_folder, 1)
        row.addWidget(self.open_folder)
        form.addRow("Data folder", row)
        log_file = QLabel(str(logs.log_dir() / logs.LOG_FILE), box)
        log_file.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("Log file", log_file)
        return box
