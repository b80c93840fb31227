"""Address book: validated addresses, unique names, atomic JSON under data_dir(), damaged files kept aside."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from app.config import data_dir
from app.wallet.address import AddressError
from app.wallet.addressbook import AddressBook, AddressBookError, AddressBookUnsupported, Contact

A0 = "akash19rl4cm2hmr8afy4kldpxz3fka4jguq0a3mq6x0"
A1 = "akash1jrkmdcwgq94uaamx6zax2luewlhf7u4k3rtk0c"


def test_add_persist_and_reload() -> None:
    book = AddressBook()
    assert book.path == data_dir() / "addressbook.json" and book.contacts() == []
    alice = book.add("  Alice  ", A0, "rent  ")
    assert alice == Contact("Alice", A0, "rent")
    book.add("bob", A1.upper())  # upper-case bech32 is stored in its canonical lower case
    again = AddressBook()
    assert again.contacts() == [alice, Contact("bob", A1, "")]
    assert again.get("ALICE") == alice and again.find_by_address(A1) == Contact("bob", A1, "")
    assert stat.S_IMODE(book.path.stat().st_mode) == 0o600
    assert json.loads(book.path.read_text())["version"] == 1


def test_names_and_addresses_are_unique() -> None:
    book = AddressBook()
    book.add("Alice", A0)
    with pytest.raises(AddressBookError, match="already a contact named 'Alice'"):
        book.add("alice", A1)
    with pytest.raises(AddressBookError, match="already saved as 'Alice'"):
        book.add("Carol", A0)
    assert [c.name for c in AddressBook().contacts()] == ["Alice"]


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("", "empty"),
        (A0[:-1] + "q", "checksum"),
        ("akashvaloper19rl4cm2hmr8afy4kldpxz3fka4jguq0amewuk9", "validator operator"),
        ("cosmos1jrkmdcwgq94uaamx6zax2luewlhf7u4kgefjcm", "'akash1'|checksum"),
    ],
)
def test_bad_addresses_are_refused(address: str, message: str) -> None:
    with pytest.raises(AddressError, match=message):
        AddressBook().add("X", address)
    assert not AddressBook().path.exists()


def test_bad_names_and_notes() -> None:
    book = AddressBook()
    for name in ("", "   ", "x" * 65, "tab\x00"):
        with pytest.raises(AddressBookError, match="name"):
            book.add(name, A0)
    with pytest.raises(AddressBookError, match="note"):
        book.add("Alice", A0, "n" * 501)


def test_update_remove_search() -> None:
    book = AddressBook()
    book.add("Alice", A0, "landlord")
    book.add("Bob", A1)
    assert book.update("alice", new_name="Alice B", note="old landlord") == Contact(
        "Alice B", A0, "old landlord"
    )
    with pytest.raises(AddressBookError, match="already a contact named 'Bob'"):
        book.update("Alice B", new_name="bob")
    with pytest.raises(AddressBookError, match="already saved as 'Bob'"):
        book.update("Alice B", address=A1)
    assert [c.name for c in book.search("LANDLORD")] == ["Alice B"]
    assert [c.name for c in book.search("jrkmd")] == ["Bob"]
    book.remove("bob")
    with pytest.raises(AddressBookError, match="no contact named 'Bob'"):
        book.remove("Bob")
    assert AddressBook().contacts() == [Contact("Alice B", A0, "old landlord")]


def test_two_books_do_not_lose_each_others_edits() -> None:
    first, second = AddressBook(), AddressBook()
    first.add("Alice", A0)
    second.add("Bob", A1)  # re-reads the file before changing it
    assert [c.name for c in AddressBook().contacts()] == ["Alice", "Bob"]


@pytest.mark.parametrize(
    "content", [b"", b"{not json", b'{"version": 1, "contacts": [{"name": 1}]}', b"\xff\xfe"]
)
def test_a_damaged_file_is_moved_aside_not_overwritten(content: bytes) -> None:
    path = data_dir() / "addressbook.json"
    path.write_bytes(content)
    book = AddressBook()
    assert book.contacts() == [] and book.recovered_from is not None
    assert book.recovered_from.read_bytes() == content
    book.add("Alice", A0)
    assert [c.name for c in AddressBook().contacts()] == ["Alice"]


def test_a_newer_file_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "book.json"
    path.write_text(json.dumps({"version": 99, "contacts": []}))
    with pytest.raises(AddressBookUnsupported, match="newer Akash Desk"):
        AddressBook(path)
    assert json.loads(path.read_text())["version"] == 99
