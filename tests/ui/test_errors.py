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


# Signals caught inside the core that never reach a person (each is turned into a typed error above it).
INTERNAL = {
    "app.sdl.build.BuildFailed",  # app.sdl.model turns it into SdlValidationError
    "app.sdl.jsvalues.ValueTooLarge",  # app.sdl.build
    "app.sdl.jsyaml.YamlProblem",  # app.sdl.jsyaml reports it as an SdlError
    "app.tx.jsvalue.JSError",  # app.tx.jsonmsg -> MsgJsonError
    "app.tx.msgencode.EncodeError",  # app.tx.jsonmsg -> MsgJsonError
    "app.tx.validate.FieldError",  # app.tx.jsonmsg -> MsgJsonError
    "app.wallet.crypto_box.WrongPasswordSignal",  # app.wallet.keystore -> WrongPassword
}


def _core_error_classes() -> dict[str, type[BaseException]]:
    """Every exception class defined in app/ (but the local node, generated protos and the CLI) and ui.tenant."""
    import importlib
    import inspect
    import pkgutil

    import app

    names = [m.name for m in pkgutil.walk_packages(app.__path__, "app.")
             if not m.name.startswith(("app.localnet", "app.proto", "app.cli"))]
    found = {}
    for name in [*names, "ui.tenant"]:
        module = importlib.import_module(name)
        for attr, obj in vars(module).items():
            if inspect.isclass(obj) and issubclass(obj, BaseException) and obj.__module__ == name:
                found[f"{name}.{attr}"] = obj
    return found


def _bare(cls: type[BaseException]) -> BaseException:
    """An instance without running the class's own __init__ (whose arguments differ per class)."""
    exc = cls.__new__(cls)
    Exception.__init__(exc, "something happened")
    return exc


def test_every_typed_error_of_the_core_is_said_in_words_with_a_next_step() -> None:
    classes = _core_error_classes()
    assert {"app.chain.errors.NodeUnavailable", "app.txplan.PlanError", "ui.tenant.NotConnected",
            "app.market.errors.DeploymentClosed", "app.provider.errors.ManifestRejected"} <= set(classes)
    assert set(classes) >= INTERNAL, "an INTERNAL entry no longer exists: remove it"
    short = [path.rsplit(".", 1)[1] for path in classes]
    assert len(short) == len(set(short)), "ui/errors maps by class name: names must be unique across app/"
    missing = []
    for path, cls in sorted(classes.items()):
        if path in INTERNAL:
            continue
        message = user_message(_bare(cls))
        if message.title == "Something went wrong" or not message.hint:
            missing.append(path)
    assert missing == [], f"add these to ui/errors._BY_NAME (title and what to do next): {missing}"


def test_not_connected_says_to_wait_for_the_connection() -> None:
    from ui.tenant import NotConnected

    message = user_message(NotConnected("the app is not connected to a network yet"))
    assert message.title == "Not connected to a network yet" and "Connected" in message.hint


def test_a_request_on_a_closed_chain_client_is_a_quiet_stop(qtbot) -> None:
    import asyncio

    from app import config
    from app.chain.client import ChainClient

    async def closed_request() -> None:
        client = ChainClient(config.local_network(9))
        await client.aclose()
        await client.get("/cosmos/base/tendermint/v1beta1/blocks/latest")

    task = asyncio.ensure_future(closed_request())
    qtbot.waitUntil(task.done, timeout=5000)
    assert isinstance(task.exception(), RuntimeError) and is_silent(task.exception())
    assert not is_silent(RuntimeError("something else"))


def test_every_known_error_name_has_a_title_and_a_next_step() -> None:
    from ui.errors import _BY_NAME

    for name in _BY_NAME:
        exc = type(name, (Exception,), {})("something happened")
        message = user_message(exc)
        assert message.title and message.title != "Something went wrong", name
        assert message.hint, f"{name} has no 'what to do next'"
