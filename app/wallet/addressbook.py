"""The address book: named contacts (name, akash address, note) in one JSON file under data_dir()."""

from __future__ import annotations

import contextlib
import json
import logging
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.config import data_dir
from app.fsutil import atomic_write_json
from app.wallet.address import validate_address
from app.wallet.filelock import exclusive
from app.wallet.labels import clean_label

log = logging.getLogger(__name__)
FILE_NAME = "addressbook.json"
SCHEMA_VERSION = 1
MAX_NAME_LEN = 64
MAX_NOTE_LEN = 500


class AddressBookError(ValueError):
    """A contact that cannot be saved, or a name that is not in the book; the message says which."""


class AddressBookUnsupported(AddressBookError):
    """The file was written by a newer Akash Desk; it is left untouched and not written."""


@dataclass(frozen=True)
class Contact:
    name: str
    address: str
    note: str = ""


def _clean_name(name: str) -> str:
    return clean_label(name, "contact name", MAX_NAME_LEN, AddressBookError)


def _clean_note(note: str) -> str:
    if not isinstance(note, str):
        raise AddressBookError("the note must be text")
    note = unicodedata.normalize("NFC", note).strip()
    if len(note) > MAX_NOTE_LEN:
        raise AddressBookError(f"the note is longer than {MAX_NOTE_LEN} characters")
    return note


def _clean_address(address: str) -> str:
    text = address.strip() if isinstance(address, str) else address
    validate_address(text)  # AddressError (a ValueError) says what is wrong
    return text.lower()


class AddressBook:
    """Contacts with unique names (case-insensitive) and unique addresses; every change is saved atomically.

    The file is re-read before each change, under a lock, so the app and the CLI never lose each other's edits.
    A damaged file is moved aside (see `recovered_from`) instead of being overwritten.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else data_dir() / FILE_NAME
        self.recovered_from: Path | None = None
        self._contacts: list[Contact] = self._load()

    def contacts(self) -> list[Contact]:
        return sorted(self._contacts, key=lambda c: c.name.casefold())

    def get(self, name: str) -> Contact:
        folded = _clean_name(name).casefold()
        for c in self._contacts:
            if c.name.casefold() == folded:
                return c
        raise AddressBookError(f"there is no contact named '{_clean_name(name)}'")

    def find_by_address(self, address: str) -> Contact | None:
        key = address.strip().lower() if isinstance(address, str) else ""
        return next((c for c in self._contacts if c.address == key), None)

    def search(self, text: str) -> list[Contact]:
        """Contacts whose name, address or note contains `text` (case-insensitive)."""
        needle = text.strip().casefold()
        return [c for c in self.contacts() if needle in f"{c.name}\n{c.address}\n{c.note}".casefold()]

    def add(self, name: str, address: str, note: str = "") -> Contact:
        contact = Contact(_clean_name(name), _clean_address(address), _clean_note(note))
        with self._editing() as contacts:
            self._check_unique(contacts, contact, replacing=None)
            contacts.append(contact)
        return contact

    def update(
        self, name: str, *, new_name: str | None = None, address: str | None = None, note: str | None = None
    ) -> Contact:
        with self._editing() as contacts:
            old = self._find(contacts, name)
            new = Contact(
                _clean_name(new_name) if new_name is not None else old.name,
                _clean_address(address) if address is not None else old.address,
                _clean_note(note) if note is not None else old.note,
            )
            self._check_unique(contacts, new, replacing=old)
            contacts[contacts.index(old)] = new
        return new

    def remove(self, name: str) -> None:
        with self._editing() as contacts:
            contacts.remove(self._find(contacts, name))

    # ---- internals ---------------------------------------------------------------------------------

    def _find(self, contacts: list[Contact], name: str) -> Contact:
        folded = _clean_name(name).casefold()
        for c in contacts:
            if c.name.casefold() == folded:
                return c
        raise AddressBookError(f"there is no contact named '{_clean_name(name)}'")

    @staticmethod
    def _check_unique(contacts: list[Contact], new: Contact, replacing: Contact | None) -> None:
        for c in contacts:
            if c is replacing:
                continue
            if c.name.casefold() == new.name.casefold():
                raise AddressBookError(f"there is already a contact named '{c.name}'")
            if c.address == new.address:
                raise AddressBookError(f"{new.address} is already saved as '{c.name}'")

    @contextlib.contextmanager
    def _editing(self) -> Iterator[list[Contact]]:
        """Lock, re-read, let the caller change the list, save; nothing is saved if the change raises."""
        with exclusive(self.path.with_name(f".{self.path.name}.lock")):
            contacts = self._load()
            yield contacts
            self._save(contacts)
            self._contacts = list(contacts)

    def _load(self) -> list[Contact]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return []
        try:
            return self._parse(json.loads(raw.decode("utf-8")))
        except AddressBookUnsupported:
            raise
        except (ValueError, KeyError, TypeError) as exc:
            aside = self.path.with_name(f"addressbook.damaged-{time.strftime('%Y%m%d-%H%M%S')}.json")
            self.path.replace(aside)
            self.recovered_from = aside
            log.warning(
                "address book %s was damaged (%s); moved it to %s", self.path, type(exc).__name__, aside
            )
            return []

    def _parse(self, obj: Any) -> list[Contact]:
        if not isinstance(obj, dict) or not isinstance(obj.get("version"), int):
            raise ValueError("not an address book")
        if obj["version"] > SCHEMA_VERSION:
            raise AddressBookUnsupported(
                f"the address book {self.path} was written by a newer Akash Desk (version {obj['version']}); "
                "update Akash Desk to change it"
            )
        contacts: list[Contact] = []
        for entry in obj["contacts"]:
            contact = Contact(
                _clean_name(entry["name"]), _clean_address(entry["address"]), _clean_note(entry["note"])
            )
            self._check_unique(contacts, contact, replacing=None)
            contacts.append(contact)
        return contacts

    def _save(self, contacts: list[Contact]) -> None:
        doc = {
            "version": SCHEMA_VERSION,
            "contacts": [{"name": c.name, "address": c.address, "note": c.note} for c in contacts],
        }
        atomic_write_json(self.path, doc)
