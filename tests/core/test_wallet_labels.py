"""Account and contact names: cleaned the same way, refused with the same words naming what they are."""

from __future__ import annotations

import pytest

from app.wallet.accounts import clean_account_name
from app.wallet.addressbook import AddressBook, AddressBookError
from app.wallet.errors import AccountError


def test_names_are_nfc_with_single_spaces() -> None:
    assert clean_account_name("  Cafe\u0301   savings \n") == "Café savings"


@pytest.mark.parametrize(("name", "problem"), [(7, "must be text"), ("   ", "is empty"), ("x" * 49, "is longer than 48"),
                                               ("a\u200bb", "contains control characters")])
def test_bad_account_names_say_what_is_wrong(name: object, problem: str) -> None:
    with pytest.raises(AccountError, match=f"the account name {problem}"):
        clean_account_name(name)  # type: ignore[arg-type]


def test_bad_contact_names_say_what_is_wrong(tmp_path) -> None:
    book = AddressBook(tmp_path / "contacts.json")
    with pytest.raises(AddressBookError, match="the contact name is longer than 64"):
        book.add("y" * 65, "akash1c2qvxwatpml5he5apgkwlc62qa3aj58cdhlqj5")
