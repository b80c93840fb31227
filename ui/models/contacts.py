"""ContactsModel: the address book's contacts (name, address, note)."""

from __future__ import annotations

from app.wallet.addressbook import Contact
from ui.models.rows import Column, RowsModel


class ContactsModel(RowsModel[Contact]):
    columns = (
        Column("Name", lambda c: c.name, key=lambda c: c.name.casefold()),
        Column("Address", lambda c: c.address),
        Column("Note", lambda c: c.note, tip=lambda c: c.note),
    )
