"""AddressInput: a recipient field checked as you type (the problem in words), with address-book completion
and a contact picker. `address` is the resolved akash1... address, "" while the text is not usable."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.wallet.address import AddressError, validate_address
from app.wallet.addressbook import AddressBook, AddressBookError


def check_recipient(text: str, book: AddressBook | None) -> tuple[str, str, str]:
    """(address, contact name, problem): the address is "" and the problem says why when unusable."""
    value = text.strip()
    if not value:
        return "", "", ""
    if value.lower().startswith("akash1"):
        try:
            validate_address(value)
        except AddressError as exc:
            return "", "", f"Not a valid address: {exc}."
        contact = book.find_by_address(value) if book is not None else None
        return value, contact.name if contact else "", ""
    if book is not None:
        try:
            contact = book.get(value)
        except (AddressBookError, ValueError):
            contact = None
        if contact is not None:
            return contact.address, contact.name, ""
    try:
        validate_address(value)  # says e.g. "starts with 'cosmos1' but an 'akash1' address is needed"
    except AddressError as exc:
        return "", "", f"Not an Akash address or a contact name: {exc}."
    return "", "", "Not an Akash address (akash1...) or a contact name."


class AddressInput(QWidget):
    """`resolved(address, contact_name)` fires on every change ("" address while invalid)."""

    resolved = Signal(str, str)

    def __init__(self, book: AddressBook | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.address = ""
        self.contact = ""
        self.problem = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        row = QHBoxLayout()
        self.edit = QLineEdit(self)
        self.edit.setObjectName("recipientInput")
        self.edit.setPlaceholderText("akash1... address or a contact name")
        self.edit.setToolTip("Paste the recipient's address, or type the name of a contact")
        self.edit.setClearButtonEnabled(True)
        self.pick = QToolButton(self)
        self.pick.setObjectName("pickContact")
        self.pick.setText("Contacts")
        self.pick.setToolTip("Choose a saved contact")
        self.pick.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.pick.setMenu(QMenu(self.pick))
        self.pick.menu().aboutToShow.connect(self._fill_menu)
        row.addWidget(self.edit, 1)
        row.addWidget(self.pick)
        self.message = QLabel(self)
        self.message.setObjectName("recipientMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self._completions = QStringListModel(self)
        completer = QCompleter(self._completions, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.edit.setCompleter(completer)
        self.edit.textChanged.connect(self._check)
        self.reload_contacts()

    def reload_contacts(self) -> None:
        contacts = self.book.contacts() if self.book is not None else []
        self._completions.setStringList([c.name for c in contacts] + [c.address for c in contacts])
        self.pick.setEnabled(bool(contacts))
        self._check(self.edit.text())

    def text(self) -> str:
        return self.edit.text()

    def set_text(self, text: str) -> None:
        self.edit.setText(text)

    def _fill_menu(self) -> None:
        menu = self.pick.menu()
        menu.clear()
        for c in self.book.contacts() if self.book is not None else []:
            action = QAction(f"{c.name}  ({c.address[:12]}…{c.address[-6:]})", menu)
            action.setToolTip(c.note or c.address)
            action.triggered.connect(lambda _checked=False, name=c.name: self.edit.setText(name))
            menu.addAction(action)

    def _check(self, text: str) -> None:
        self.address, self.contact, self.problem = check_recipient(text, self.book)
        if self.problem:
            self.message.setText(self.problem)
            self.message.setProperty("state", "error")
        elif self.contact:
            self.message.setText(f"Contact “{self.contact}”: {self.address}")
            self.message.setProperty("state", "ok")
        elif self.address:
            self.message.setText("Valid address (not in your contacts)")
            self.message.setProperty("state", "ok")
        else:
            self.message.setText("")
            self.message.setProperty("state", "")
        self.edit.setProperty("invalid", bool(self.problem))
        for w in (self.message, self.edit):
            w.style().unpolish(w)
            w.style().polish(w)
        self.resolved.emit(self.address, self.contact)
