"""Every exception a person may meet, in plain words with what to do next (never a traceback)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from app.logs import redact


@dataclass(frozen=True)
class UserMessage:
    """What the error dialog shows: a short title, what happened, and what to do next."""

    title: str
    text: str
    hint: str = ""

    def full_text(self) -> str:
        return f"{self.text}\n\n{self.hint}" if self.hint else self.text


def _plain(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return redact(text[:600])


def _without_hint(exc: BaseException) -> str:
    """The core's message without the hint that some error types append to it."""
    text = _plain(exc)
    hint = getattr(exc, "hint", "")
    if hint and text.endswith(hint):
        text = text[: -len(hint)].rstrip()
    return text


def _tx_rejected(exc: BaseException) -> UserMessage:
    code = getattr(exc, "code", None)
    hint = getattr(exc, "hint", "") or "Nothing was changed on chain unless the message says the fee was paid."
    return UserMessage(f"The network refused the transaction (code {code})", _without_hint(exc), hint)


def _sdl(exc: BaseException) -> UserMessage:
    """SdlValidationError: `errors` lists every problem (each with line, column, message)."""
    problems = list(getattr(exc, "errors", ()) or ())
    first = problems[0] if problems else exc
    line = getattr(first, "line", 0)
    text = (f"Line {line}: " if line else "") + str(getattr(first, "message", "") or _plain(exc))
    if len(problems) > 1:
        text += f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})"
    return UserMessage("The deployment file (SDL) has an error", text, "Fix it in the editor; nothing was sent.")


def _generic(title: str, hint: str = "") -> Callable[[BaseException], UserMessage]:
    def build(exc: BaseException) -> UserMessage:
        return UserMessage(title, _without_hint(exc), getattr(exc, "hint", "") or hint)

    return build


# By class name, walking the exception's MRO: the core modules are written and loaded independently and
# ui/errors.py must be importable before any of them exists; each name is unique across app/.
_BY_NAME: dict[str, Callable[[BaseException], UserMessage]] = {
    "WrongPassword": _generic("Wrong password", "Check the keyboard layout and Caps Lock, then try again."),
    "WalletLocked": _generic("The wallet is locked", "Unlock it (Ctrl+L toggles the lock) and try again."),
    "WatchOnlyWallet": _generic("This wallet only watches", "Import the recovery phrase to sign with this account."),
    "UnsupportedFormat": _generic("This wallet file is from a newer Akash Desk", "Update Akash Desk to open it."),
    "KeystoreCorrupt": _generic("The wallet file cannot be used", "Your funds are on chain: the recovery phrase restores them."),
    "WalletExists": _generic("A wallet with that name exists", "Choose another name."),
    "WalletNotFound": _generic("Wallet not found", "Choose another wallet in the account list."),
    "InvalidName": _generic("That name cannot be used", "Use letters, digits, spaces or - _ ."),
    "InvalidPassword": _generic("That password cannot be used", "Choose a longer password."),
    "AccountError": _generic("Account problem", "Check the account name or number."),
    "MnemonicError": _generic("The recovery phrase is not valid", "Check each word against your written copy."),
    "AddressError": _generic("The address is not valid", "Copy the address again from its source; do not retype it."),
    "AmountError": _generic("The amount is not valid", "Enter a positive number, e.g. 12.5"),
    "SettingsError": _generic("That setting cannot be used", "Change the value and try again."),
    "TxRejected": _tx_rejected,
    "TxTimeout": _generic("The transaction is not confirmed yet", "Do not send it again; check its status later."),
    "WrongChain": _generic("The endpoint serves another chain", "Check the endpoints in Settings."),
    "NodeUnavailable": _generic(
        "The network cannot be reached",
        "Check your internet connection or choose another endpoint in Settings, then try again.",
    ),
    "NotFound": _generic("Not found on chain", "Check the address or identifier."),
    "BadRequest": _generic("The node refused the request", "Check the values entered."),
    "MalformedResponse": _generic("The node gave an unexpected answer", "Try another endpoint in Settings."),
    "NodeError": _generic("The node reported an error", "Try again, or another endpoint in Settings."),
    "SdlValidationError": _sdl,
    "TemplateError": _generic("The template cannot be used", "Choose another template."),
    "QuantityError": _generic("A size or amount in the SDL is not valid", "Use units such as 512Mi or 1Gi."),
    "AccountMissing": _generic("This account is not on chain yet", "Receive some AKT on it first."),
    "ProviderUnreachable": _generic("The provider cannot be reached", "Try again in a minute."),
    "ProviderTlsError": _generic("The provider's identity could not be verified", "Nothing was sent to it."),
    "ProviderAuthError": _generic("The provider refused access", "Check your certificate in Deployments."),
    "ProviderHttpError": _generic("The provider reported an error", "Try again in a minute."),
    "ProviderStreamError": _generic("The provider's stream stopped", "It reconnects; press F5 if it does not."),
    "ProviderError": _generic("The provider did not answer as expected", "Try again in a minute."),
    "JwtError": _generic("The provider access token could not be made", "Unlock the wallet and try again."),
    "PreflightFailed": _generic("The deployment cannot be created yet", "Fix the problems listed, then try again."),
    "MarketError": _generic("The marketplace step failed", "Check the deployment in the Deployments tab."),
    "NoUsableCertificate": _generic("No usable client certificate",
                                    "Create and publish one in Deployments > Certificates, or sign in with a token "
                                    "(Settings > Provider sign-in)."),
    "MintFailed": _generic("ACT could not be minted", "Check the AKT balance and the minimum mint, then try again."),
    "DeploymentNotFound": _generic("The deployment does not exist", "Check the account and network it was made on."),
    "DeploymentClosed": _generic("The deployment is closed", "Deploy its SDL again to run it anew."),
    "RecordMissing": _generic("The deployment's SDL is not on this computer", "Give the SDL file again."),
    "BidNotAvailable": _generic("That bid cannot be accepted", "Refresh the bids and pick another one."),
    "ProviderOffline": _generic("The provider is offline", "Choose a bid from another provider."),
    "UpdateRefused": _generic("This update cannot be made in place", "Deploy the new SDL as a new deployment."),
    "NothingToUpdate": _generic("Nothing to update", "Change the SDL, or resend the manifest instead."),
    "NoBidSelected": _generic("No bid to accept", "Relax the filters, or wait for more bids."),
    "ManifestRejected": _generic("The provider refused the manifest", "Check the SDL, then resend the manifest."),
    "LeaseNotFound": _generic("The provider does not know this lease", "Wait a few seconds, then try again."),
    "ProviderServiceUnavailable": _generic("The provider is busy", "Try again in a minute."),
    "ProviderBadResponse": _generic("The provider gave an unexpected answer", "Contact the provider if it persists."),
    "CertificateInvalid": _generic("The client certificate cannot be used",
                                   "Create a new one in Deployments > Certificates."),
    "PlanError": _generic("This transaction cannot be made as asked", "Change the values as the message says; "
                          "nothing was sent."),
    "MsgError": _generic("A value of the transaction is not valid", "Check the values entered; nothing was sent."),
    "ChainError": _generic("The network reported a problem", "Try again, or another endpoint in Settings."),
    "KeystoreError": _generic("Wallet problem", "Check the wallet selected in the header, then try again."),
    "KdfParamError": _generic("The wallet file cannot be used", "Restore the wallet from its recovery phrase."),
    "SignerLocked": _generic("The wallet is locked", "Unlock it (Ctrl+L toggles the lock) and try again."),
    "WizardError": _generic("That step cannot be completed", "Check the values on this page and try again."),
    "AddressBookError": _generic("That contact cannot be saved", "Change the name or address and try again."),
    "AddressBookUnsupported": _generic("The address book is from a newer Akash Desk",
                                       "Update Akash Desk to change it; it was left untouched."),
    "TxDecodeError": _generic("That is not a transaction", "Check the text you pasted."),
    "MsgJsonError": _generic("The message is not valid", "Check the request against `python -m app tx types`."),
    "RequestError": _generic("The signing request is not valid", "Check the request file."),
    "NotConnected": _generic("Not connected to a network yet",
                             "Wait until the header says Connected (or pick a network in Settings), then try again."),
}

# Not errors for a person: they chose to stop (a declined confirmation inside a longer flow).
SILENT = frozenset({"Cancelled", "CancelledError"})


def is_silent(exc: BaseException) -> bool:
    """True for a stop the person chose, and for work cut short because its chain client was closed (the
    network was switched or the app is quitting: the work no longer matters, so it ends as cancelled)."""
    return any(cls.__name__ in SILENT for cls in type(exc).__mro__) or _closed_client(exc)


def _closed_client(exc: BaseException) -> bool:
    # httpx raises a plain RuntimeError for a request on a closed client; the text is its only mark.
    return type(exc) is RuntimeError and "client has been closed" in str(exc)


def user_message(exc: BaseException) -> UserMessage:
    """The plain-words message for any exception; unknown ones get a generic text and a pointer to the log."""
    for cls in type(exc).__mro__:
        builder = _BY_NAME.get(cls.__name__)
        if builder is not None:
            return builder(exc)
    if isinstance(exc, TimeoutError | asyncio.TimeoutError):
        return UserMessage("That took too long", "The operation timed out.", "Check the connection and try again.")
    if isinstance(exc, PermissionError):
        return UserMessage("Permission denied", _plain(exc), "Check that the folder is yours and writable.")
    if isinstance(exc, OSError):
        return UserMessage("A file or connection problem", _plain(exc), "Check the path or the connection and try again.")
    return UserMessage(
        "Something went wrong",
        f"An unexpected error happened ({type(exc).__name__}): {_plain(exc)}",
        "Nothing was sent. The details are in the log file (Settings > Data folder). "
        "Please try again; if it keeps happening, report it with the log.",
    )
