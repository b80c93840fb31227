"""The wallet wizard dialog (create / import / watch, plus the local demo wallet) over app.wallet.wizard."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QCommandLinkButton,
    QDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.config import Network
from app.wallet.keystore import Keystore
from app.wallet.wizard import Kind, Step, WalletWizardFlow
from ui import ops
from ui.errors import user_message
from ui.widgets.password import NewPasswordFields
from ui.widgets.wordpicker import WordPicker

log = logging.getLogger(__name__)


def _label(text: str, parent: QWidget, name: str = "") -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    return label


class _ChoosePage(QWidget):
    def __init__(self, parent: QWidget, demo: bool) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addWidget(_label("<h2>Set up a wallet</h2>Your keys stay on this computer, encrypted with your password.", self))
        self.create = QCommandLinkButton("Create a new wallet", "24 new words you write down on paper", self)
        self.restore = QCommandLinkButton("Import a recovery phrase", "12 or 24 words from another wallet", self)
        self.watch = QCommandLinkButton("Watch an address", "See balances and history, without keys", self)
        self.demo = QCommandLinkButton(
            "Use the demo wallet (test only)", "A funded account on this computer's local test network", self
        )
        self.demo_warning = _label(
            "The demo phrase is public: never send real funds to it. Its password is “demo”.", self, "testOnlyWarning"
        )
        for name, button in (("createButton", self.create), ("importButton", self.restore),
                             ("watchButton", self.watch), ("demoButton", self.demo)):
            button.setObjectName(name)
            layout.addWidget(button)
        layout.addWidget(self.demo_warning)
        self.demo.setVisible(demo)
        self.demo_warning.setVisible(demo)
        layout.addStretch(1)


class _ShowWordsPage(QWidget):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addWidget(_label(
            "<h2>Your recovery phrase</h2>Write these 24 words on paper, in order, and keep it safe. "
            "They are the only way to restore this wallet and are shown only now. Anyone who sees them "
            "can take your funds: no screenshots, no cloud, no chat.", self))
        self.frame = QFrame(self)
        self.frame.setObjectName("mnemonicWords")
        self.grid = QGridLayout(self.frame)
        layout.addWidget(self.frame)
        self.written = QCheckBox("I have written the 24 words down, in order", self)
        self.written.setObjectName("writtenCheck")
        layout.addWidget(self.written)
        layout.addStretch(1)
        self.labels: list[QLabel] = []

    def show_words(self, words: list[str]) -> None:
        self.clear()
        for i, word in enumerate(words):
            label = QLabel(f"{i + 1:>2}. {word}", self.frame)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)  # no copy
            self.grid.addWidget(label, i % 8, i // 8)
            self.labels.append(label)
        self.written.setChecked(False)

    def clear(self) -> None:
        for label in self.labels:
            label.clear()
            label.deleteLater()
        self.labels = []


class _VerifyPage(QWidget):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addWidget(_label("<h2>Check your copy</h2>Click the words in the order you wrote them.", self))
        self.picker = WordPicker(self)
        layout.addWidget(self.picker)
        layout.addStretch(1)


class _ImportPage(QWidget):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addWidget(_label("<h2>Import a recovery phrase</h2>Type or paste the 12 or 24 words.", self))
        self.phrase = QPlainTextEdit(self)
        self.phrase.setObjectName("phraseEdit")
        self.phrase.setPlaceholderText("word1 word2 word3 …")
        self.phrase.setTabChangesFocus(True)
        self.status = _label("", self, "errorText")
        advanced = QGroupBox("Advanced (only if your other wallet used them)", self)
        form = QFormLayout(advanced)
        self.passphrase = QLineEdit(advanced)
        self.passphrase.setObjectName("bip39Passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setToolTip("The optional BIP39 passphrase (the '25th word'). A different one opens a different wallet.")
        self.account = QSpinBox(advanced)
        self.account.setObjectName("accountNumber")
        self.account.setRange(0, 2**31 - 1)
        self.index = QSpinBox(advanced)
        self.index.setObjectName("addressIndex")
        self.index.setRange(0, 2**31 - 1)
        form.addRow("BIP39 passphrase", self.passphrase)
        form.addRow("Account", self.account)
        form.addRow("Address index", self.index)
        for widget in (self.phrase, self.status, advanced):
            layout.addWidget(widget)
        layout.addStretch(1)


class _WatchPage(QWidget):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addWidget(_label("<h2>Watch an address</h2>Balances, deployments and history without keys.", self))
        form = QFormLayout()
        self.name = QLineEdit(self)
        self.name.setObjectName("watchName")
        self.address = QLineEdit(self)
        self.address.setObjectName("watchAddress")
        self.address.setPlaceholderText("akash1…")
        form.addRow("Name", self.name)
        form.addRow("Address", self.address)
        layout.addLayout(form)
        self.status = _label("", self, "errorText")
        layout.addWidget(self.status)
        layout.addStretch(1)


class _PasswordPage(QWidget):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addWidget(_label(
            "<h2>Name and password</h2>The password encrypts the wallet on this computer; you type it to sign.", self))
        form = QFormLayout()
        self.name = QLineEdit(self)
        self.name.setObjectName("walletName")
        form.addRow("Wallet name", self.name)
        layout.addLayout(form)
        self.fields = NewPasswordFields(self)
        layout.addWidget(self.fields)
        self.status = _label("", self, "errorText")
        layout.addWidget(self.status)
        layout.addStretch(1)


class WalletWizard(QDialog):
    """Emits `finished_wallet(UnlockedWallet | WalletInfo)` and accepts once the wallet file is written."""

    finished_wallet = Signal(object)

    def __init__(self, keystore: Keystore, parent: QWidget | None = None, *, network: Network | None = None,
                 demo_mnemonic: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Akash Desk — wallet")
        self.setObjectName("walletWizard")
        self.resize(720, 560)
        self.flow = WalletWizardFlow(keystore)
        self.keystore = keystore
        self.demo_mnemonic = demo_mnemonic if network is None or network.local else None
        self.op: ops.Op | None = None

        self.stack = QStackedWidget(self)
        self.choose = _ChoosePage(self.stack, self.demo_mnemonic is not None)
        self.show_words = _ShowWordsPage(self.stack)
        self.verify = _VerifyPage(self.stack)
        self.import_page = _ImportPage(self.stack)
        self.watch = _WatchPage(self.stack)
        self.password = _PasswordPage(self.stack)
        self.pages = {
            Step.CHOOSE: self.choose, Step.SHOW_WORDS: self.show_words, Step.VERIFY_WORDS: self.verify,
            Step.IMPORT_PHRASE: self.import_page, Step.WATCH_ADDRESS: self.watch, Step.PASSWORD: self.password,
        }
        for page in self.pages.values():
            self.stack.addWidget(page)

        self.back = QPushButton("Back", self)
        self.next = QPushButton("Next", self)
        self.next.setObjectName("nextButton")
        self.next.setDefault(True)
        self.cancel = QPushButton("Cancel", self)
        nav = QHBoxLayout()
        nav.addWidget(self.cancel)
        nav.addStretch(1)
        nav.addWidget(self.back)
        nav.addWidget(self.next)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack, 1)
        layout.addLayout(nav)

        self.choose.create.clicked.connect(lambda: self._choose(Kind.CREATE))
        self.choose.restore.clicked.connect(lambda: self._choose(Kind.IMPORT))
        self.choose.watch.clicked.connect(lambda: self._choose(Kind.WATCH))
        self.choose.demo.clicked.connect(self.use_demo)
        self.show_words.written.toggled.connect(lambda _c: self._update_nav())
        self.verify.picker.progressed.connect(self._update_nav)
        self.import_page.phrase.textChanged.connect(self._phrase_edited)
        self.watch.address.textChanged.connect(lambda _t: self._update_nav())
        self.password.fields.changed.connect(self._update_nav)
        self.password.name.textChanged.connect(lambda _t: self._update_nav())
        self.back.clicked.connect(self._back)
        self.next.clicked.connect(self._next)
        self.cancel.clicked.connect(self.reject)
        self._show_step()

    # -- navigation ------------------------------------------------------------------------------------

    def _choose(self, kind: Kind) -> None:
        self.flow.choose(kind)
        if kind is Kind.CREATE:
            self.show_words.show_words(self.flow.words())
        self._show_step()

    def _back(self) -> None:
        self.flow.back()
        if self.flow.step is Step.SHOW_WORDS:
            self.show_words.show_words(self.flow.words())
        self._show_step()

    def _show_step(self) -> None:
        step = self.flow.step
        page = self.pages.get(step)
        if page is None:
            return
        self.stack.setCurrentWidget(page)
        if step is Step.VERIFY_WORDS:
            self.show_words.clear()  # shown once: gone from the screen once checked
            self.verify.picker.set_quiz(self.flow.quiz)
        elif step is Step.WATCH_ADDRESS:
            self.watch.name.setText(self.flow.name)
            self.watch.address.setFocus()
        elif step is Step.PASSWORD:
            self.password.name.setText(self.flow.name)
            self.password.fields.password.setFocus()
        elif step is Step.IMPORT_PHRASE:
            self.import_page.phrase.setFocus()
        self._update_nav()

    def _update_nav(self) -> None:
        step = self.flow.step
        self.back.setVisible(self.flow.can_go_back)
        self.next.setVisible(step is not Step.CHOOSE)
        ready = {
            Step.SHOW_WORDS: self.show_words.written.isChecked(),
            Step.VERIFY_WORDS: bool(self.flow.quiz and self.flow.quiz.complete),
            Step.IMPORT_PHRASE: WalletWizardFlow.check_phrase(self.import_page.phrase.toPlainText()) is None,
            Step.WATCH_ADDRESS: bool(self.watch.address.text().strip()),
            Step.PASSWORD: self.password.fields.acceptable() and bool(self.password.name.text().strip()),
        }.get(step, False)
        self.next.setEnabled(ready and (self.op is None or not self.op.running))
        last = step is Step.PASSWORD or step is Step.WATCH_ADDRESS
        self.next.setText({Kind.CREATE: "Create wallet", Kind.IMPORT: "Import", Kind.WATCH: "Watch"}.get(
            self.flow.kind, "Next") if last else "Next")

    def _phrase_edited(self) -> None:
        text = self.import_page.phrase.toPlainText()
        words = text.split()
        problem = WalletWizardFlow.check_phrase(text) if words else None
        # While typing, only an unknown word is worth saying; the count and checksum wait for 12+ words.
        show = problem if problem and ("not in the" in problem or len(words) >= 12) else ""
        self.import_page.status.setText(show)
        self._update_nav()

    # -- steps -----------------------------------------------------------------------------------------

    def _next(self) -> None:
        step = self.flow.step
        try:
            if step is Step.SHOW_WORDS:
                self.flow.words_written()
            elif step is Step.VERIFY_WORDS:
                self.flow.words_verified()
            elif step is Step.IMPORT_PHRASE:
                page = self.import_page
                self.flow.set_phrase(page.phrase.toPlainText(), page.passphrase.text(), page.account.value(),
                                     page.index.value())
                page.phrase.clear()
                page.passphrase.clear()
            elif step is Step.WATCH_ADDRESS:
                self.flow.set_watch(self.watch.name.text(), self.watch.address.text())
            elif step is Step.PASSWORD:
                fields = self.password.fields
                self.flow.set_password(self.password.name.text(), fields.password.text(), fields.confirm.text())
        except Exception as exc:  # noqa: BLE001 - typed input errors, shown on the page
            self._page_error(exc)
            return
        if self.flow.step is Step.DONE:
            self._finish()
        else:
            self._show_step()

    def _page_error(self, exc: BaseException) -> None:
        message = user_message(exc)
        status = getattr(self.stack.currentWidget(), "status", None)
        if isinstance(status, QLabel):
            status.setText(message.text)
        else:
            ops.show_error(self, exc)

    def _finish(self) -> None:
        self.op = ops.run_in_thread(
            self, self.flow.finish, success=self._written, failure=self._finish_failed,
            progress_label="Encrypting the wallet…", cancellable=False, disable=[self.next, self.back, self.cancel],
        )

    def _written(self, result: object) -> None:
        self.password.fields.clear()
        self.finished_wallet.emit(result)
        self.accept()

    def _finish_failed(self, exc: BaseException) -> None:
        self._show_step()  # the flow went back to the last input page
        self._page_error(exc)

    def use_demo(self) -> None:
        """One click: the public demo phrase of the local network, password 'demo' (test only)."""
        from app.wallet.wizard import import_demo

        mnemonic = self.demo_mnemonic or ""
        self.op = ops.run_in_thread(
            self, import_demo, self.keystore, mnemonic, success=self._written,
            progress_label="Importing the demo wallet…", cancellable=False,
            disable=[self.choose.demo, self.choose.create, self.choose.restore, self.choose.watch],
        )

    def reject(self) -> None:
        if self.op is not None and self.op.running:
            return  # the wallet file is being written; Esc must not drop the inputs halfway
        self.flow.wipe()
        self.show_words.clear()
        self.import_page.phrase.clear()
        self.import_page.passphrase.clear()
        self.password.fields.clear()
        super().reject()
