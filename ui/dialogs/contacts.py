"""The address book: list, search, add, edit and remove contacts; ContactEditor also serves "save contact"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.wallet.addressbook import AddressBook, AddressBookError, Contact
from ui import shortcuts
from ui.models.contacts import ContactsModel
from ui.models.rows import SortFilter, row_of
from ui.ops import show_error
from ui.widgets.address_input import check_recipient


class ContactEditor(QDialog):
    """Add (contact=None) or edit one contact; saves into the book on OK and stays open on an error."""

    def __init__(self, book: AddressBook, contact: Contact | None = None, parent: QWidget | None = None,
                 address: str = "") -> None:
        super().__init__(parent)
        self.book = book
        self.original = contact
        self.saved: Contact | None = None
        self.setWindowTitle("Edit contact" if contact else "Save contact")
        self.setObjectName("contactEditor")
        form = QFormLayout(self)
        self.name = QLineEdit(contact.name if contact else "", self)
        self.name.setObjectName("contactName")
        self.name.setPlaceholderText("e.g. Exchange deposit, Alice")
        self.address = QLineEdit(contact.address if contact else address, self)
        self.address.setObjectName("contactAddress")
        self.address.setPlaceholderText("akash1...")
        self.note = QLineEdit(contact.note if contact else "", self)
        self.note.setPlaceholderText("Optional note (only on this computer)")
        self.error = QLabel(self)
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        form.addRow("Name", self.name)
        form.addRow("Address", self.address)
        form.addRow("Note", self.note)
        form.addRow(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                       self)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.address.textChanged.connect(self._check_address)
        self._check_address(self.address.text())
        (self.address if contact is None and not address else self.name).setFocus()

    def _check_address(self, text: str) -> None:
        _addr, _name, problem = check_recipient(text, None) if text.strip() else ("", "", "")
        self.error.setText(problem)

    def save(self) -> None:
        try:
            if self.original is None:
                self.saved = self.book.add(self.name.text(), self.address.text(), self.note.text())
            else:
                self.saved = self.book.update(self.original.name, new_name=self.name.text(),
                                              address=self.address.text(), note=self.note.text())
        except (AddressBookError, ValueError, OSError) as exc:
            self.error.setText(f"Not saved: {exc}.")
            return
        self.accept()


class ContactsDialog(QDialog):
    """Non-blocking (open()); every change is written at once by the AddressBook."""

    def __init__(self, book: AddressBook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.setWindowTitle("Address book")
        self.setObjectName("contactsDialog")
        self.resize(720, 420)
        layout = QVBoxLayout(self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search names, addresses and notes (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.model = ContactsModel(self)
        self.proxy = SortFilter(self.model, self)
        self.view = QTableView(self)
        self.view.setObjectName("contactsTable")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.view.verticalHeader().hide()
        self.view.doubleClicked.connect(lambda _i: self.edit_selected())
        self.search.textChanged.connect(self.proxy.set_search)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add…", self)
        self.add_button.setToolTip("Add a contact (Ctrl+N)")
        self.edit_button = QPushButton("Edit…", self)
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.setToolTip("Remove the selected contact (Delete)")
        close = QPushButton("Close", self)
        for b in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        close.clicked.connect(self.accept)
        shortcuts.bind(self, "contacts.add", self.add)
        shortcuts.bind(self, "contacts.search", self.search.setFocus)
        shortcuts.bind(self.view, "contacts.remove", self.remove_selected, Qt.ShortcutContext.WidgetShortcut)
        layout.addWidget(self.search)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        if book.recovered_from is not None:
            note = QLabel(f"The address book file was damaged; it was moved to {book.recovered_from}.", self)
            note.setWordWrap(True)
            layout.insertWidget(0, note)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(self.book.contacts())
        self._update_buttons()

    def selected(self) -> Contact | None:
        rows = self.view.selectionModel().selectedRows()
        return row_of(rows[0]) if rows else None

    def _update_buttons(self) -> None:
        has = self.selected() is not None
        self.edit_button.setEnabled(has)
        self.remove_button.setEnabled(has)

    def _editor(self, contact: Contact | None) -> ContactEditor:
        editor = ContactEditor(self.book, contact, self)
        editor.accepted.connect(self.reload)
        editor.finished.connect(editor.deleteLater)
        editor.open()
        return editor

    def add(self) -> ContactEditor:
        return self._editor(None)

    def edit_selected(self) -> ContactEditor | None:
        contact = self.selected()
        return self._editor(contact) if contact else None

    def remove_selected(self) -> QMessageBox | None:
        contact = self.selected()
        if contact is None:
            return None
        box = QMessageBox(QMessageBox.Icon.Question, "Remove contact",
                          f"Remove “{contact.name}” ({contact.address}) from the address book?",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda r: self._remove(contact) if r == QMessageBox.StandardButton.Yes.value else None)
        box.finished.connect(box.deleteLater)
        box.open()
        return box

    def _remove(self, contact: Contact) -> None:
        try:
            self.book.remove(contact.name)
        except (AddressBookError, OSError) as exc:
            show_error(self, exc)
        self.reload()
