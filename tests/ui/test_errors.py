"""ui/errors: the real typed errors of the core in plain words, with what to do next."""

from __future__ import annotations

import pytest

from app.chain.errors import EndpointFailure, NodeUnavailable, TxRejected
from app.sdl.errors import SdlError, SdlValidationError
from app.settings import SettingsError
from app.units import AmountError
from app.wallet.address import AddressError
from app.wallet.errors import KeystoreCorrupt, WrongPassword
from app.wallet.mnemonic import MnemonicError
from ui.errors import is_silent, user_message


@pytest.mark.parametrize(
    ("exc", "title", "in_text"),
    [
        (WrongPassword("main"), "Wrong password", "wallet 'main'"),
        (KeystoreCorrupt("/x/main.wallet", "truncated"), "The wallet file cannot be used", "truncated"),
        (NodeUnavailable("GET", "/cosmos/x", [EndpointFailure("https://a", "timeout")]), "The network cannot be reached",
         "https://a: timeout"),
        (TxRejected(5, "sdk", "insufficient funds"), "The network refused the transaction (code 5)", "insufficient funds"),
        (AddressError("the address checksum is wrong"), "The address is not valid", "checksum"),
        (AmountError("not a number: 'x'"), "The amount is not valid", "not a number"),
        (MnemonicError("word 3 'zzz' is not in the BIP39 word list"), "The recovery phrase is not valid", "word 3"),
        (SettingsError("the gas price is too low"), "That setting cannot be used", "gas price"),
        (SdlValidationError([SdlError("services.web", 4, 3, "image is missing"), SdlError("", 9, 1, "x")]),
         "The deployment file (SDL) has an error", "Line 4: image is missing (and 1 more problem)"),
        (TimeoutError(), "That took too long", "timed out"),
    ],
)
def test_typed_errors_in_words(exc, title, in_text) -> None:
    message = user_message(exc)
    assert message.title == title
    assert in_text in message.text
    assert message.hint, "every message says what to do next"
    assert "Traceback" not in message.full_text()


def test_hint_is_not_repeated_in_the_text() -> None:
    exc = NodeUnavailable("GET", "/p", [EndpointFailure("https://a", "refused")])
    message = user_message(exc)
    assert exc.hint not in message.text and message.hint == exc.hint


def test_unknown_errors_are_generic_and_redacted() -> None:
    message = user_message(RuntimeError("key " + "ab" * 32))
    assert message.title == "Something went wrong" and "abab" not in message.text and "log" in message.hint


def test_a_declined_step_is_silent() -> None:
    class Cancelled(Exception):
        pass

    assert is_silent(Cancelled()) and not is_silent(ValueError())


def test_every_known_error_name_has_a_title_and_a_next_step() -> None:
    from ui.errors import _BY_NAME

    for name in _BY_NAME:
        exc = type(name, (Exception,), {})("something happened")
        message = user_message(exc)
        assert message.title and message.title != "Something went wrong", name
        assert message.hint, f"{name} has no 'what to do next'"
