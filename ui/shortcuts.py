"""Every keyboard shortcut of the app in one list: the widgets bind them from here (`bind`, `tip`), the Keyboard
shortcuts dialog (F1) shows it, and tests/ui/test_shortcuts.py checks that no key does two things at once.

Conventions: Ctrl+1…8 switch tabs; Ctrl+Shift+letter opens the current tab's actions; Ctrl+Enter does a
screen's main action (create, accept, send); Ctrl+F goes to the search box; F5 reloads; F1 shows this list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

WINDOW = "window"  # the scope of shortcuts that work everywhere in the main window


@dataclass(frozen=True)
class Shortcut:
    """`scope`: WINDOW, a tab key, or "dialog:<name>" / "editor" (bound by that widget itself)."""

    id: str
    keys: tuple[str, ...]  # portable text, e.g. ("Ctrl+Return", "Ctrl+Enter"); the first is the one shown
    scope: str
    words: str

    @property
    def shown(self) -> str:
        return QKeySequence(self.keys[0]).toString(QKeySequence.SequenceFormat.NativeText)


def _tabs() -> tuple[Shortcut, ...]:
    from ui.tabs import DEFAULT_TABS

    return tuple(Shortcut(tab_id(i), (f"Ctrl+{i + 1}",), WINDOW, f"Show the {spec.title} tab")
                 for i, spec in enumerate(DEFAULT_TABS[:9]))


def tab_id(index: int) -> str:
    """The shortcut of the tab at `index` (0-based): Ctrl+1 for the first."""
    return f"window.tab{index + 1}"


ENTER = ("Ctrl+Return", "Ctrl+Enter")  # the main key and the keypad's

SHORTCUTS: tuple[Shortcut, ...] = (
    *_tabs(),
    Shortcut("window.lock", ("Ctrl+L",), WINDOW, "Lock the wallet, or unlock it"),
    Shortcut("window.refresh", ("F5",), WINDOW, "Reload what the tab shows"),
    Shortcut("window.help", ("F1",), WINDOW, "Show these keyboard shortcuts"),
    Shortcut("window.quit", ("Ctrl+Q",), WINDOW, "Quit Akash Desk"),
    Shortcut("wallet.send", ("Ctrl+Shift+S",), "wallet", "Send AKT or USDC"),
    Shortcut("wallet.receive", ("Ctrl+Shift+R",), "wallet", "Receive: the address and its QR code"),
    Shortcut("wallet.mint", ("Ctrl+Shift+M",), "wallet", "Mint or burn ACT"),
    Shortcut("wallet.contacts", ("Ctrl+Shift+B",), "wallet", "Open the address book"),
    Shortcut("wallet.export", ("Ctrl+Shift+E",), "wallet", "Export the history as CSV"),
    Shortcut("deploy.create", ENTER, "deploy", "Create the deployment"),
    Shortcut("deploy.open", ("Ctrl+O",), "deploy", "Open an SDL file"),
    Shortcut("deploy.save", ("Ctrl+S",), "deploy", "Save the SDL to a file"),
    Shortcut("deploy.search", ("Ctrl+F",), "deploy", "Search the templates"),
    Shortcut("bids.accept", ENTER, "bids", "Accept the chosen bid of each group"),
    Shortcut("bids.cheapest", ("Ctrl+Shift+P",), "bids", "Pick the cheapest online bid of each group"),
    Shortcut("deployments.funds", ("Ctrl+Shift+A",), "deployments", "Add funds to the selected deployment"),
    Shortcut("deployments.update", ("Ctrl+Shift+U",), "deployments", "Update the selected deployment's SDL"),
    Shortcut("deployments.resend", ("Ctrl+Shift+M",), "deployments", "Resend the manifest to the providers"),
    Shortcut("deployments.close", ("Ctrl+Shift+X",), "deployments", "Close the selected deployment"),
    Shortcut("deployments.certificates", ("Ctrl+Shift+C",), "deployments", "Client certificates (mTLS)"),
    Shortcut("logs.search", ("Ctrl+F",), "logs", "Search the logs or events shown (in the view)"),
    Shortcut("logs.previous", ("Shift+Return",), "logs", "Previous match (in the search box; Enter: next)"),
    Shortcut("logs.copy", ("Ctrl+C",), "logs", "Copy the selected lines (in the table)"),
    Shortcut("staking.delegate", ("Ctrl+Shift+D",), "staking", "Delegate to the selected validator"),
    Shortcut("staking.undelegate", ("Ctrl+Shift+U",), "staking", "Undelegate"),
    Shortcut("staking.redelegate", ("Ctrl+Shift+G",), "staking", "Move stake to another validator"),
    Shortcut("staking.claim", ("Ctrl+Shift+L",), "staking", "Claim all rewards"),
    Shortcut("staking.compound", ("Ctrl+Shift+O",), "staking", "Compound: claim and stake again"),
    Shortcut("staking.search", ("Ctrl+F",), "staking", "Search the validators"),
    Shortcut("governance.vote", ("Ctrl+Shift+V",), "governance", "Vote on the selected proposal"),
    Shortcut("governance.search", ("Ctrl+F",), "governance", "Search the proposals"),
    Shortcut("provider.withdraw", ("Ctrl+Shift+W",), "provider", "Withdraw the earnings of every lease"),
    Shortcut("provider.export", ("Ctrl+Shift+E",), "provider", "Export the leases and earnings as CSV"),
    Shortcut("send.confirm", ("Ctrl+Return",), "dialog:send", "Send (then the confirmation)"),
    Shortcut("receive.copy", ("Ctrl+C",), "dialog:receive", "Copy the address"),
    Shortcut("contacts.add", ("Ctrl+N",), "dialog:contacts", "Add a contact"),
    Shortcut("contacts.search", ("Ctrl+F",), "dialog:contacts", "Search the contacts"),
    Shortcut("contacts.remove", ("Del",), "dialog:contacts", "Remove the selected contact (in the list)"),
    Shortcut("update.confirm", ENTER, "dialog:update", "Update the deployment (then the confirmation)"),
    Shortcut("editor.indent", ("Tab",), "editor", "SDL editor: indent by two spaces (Shift+Tab: outdent)"),
    Shortcut("editor.leave", ("Ctrl+Tab",), "editor", "SDL editor: move on to the next field"),
)
BY_ID = {s.id: s for s in SHORTCUTS}
SCOPE_TITLES = {WINDOW: "Everywhere", "logs": "Deployments: logs and events", "editor": "SDL editor"}


def get(shortcut_id: str) -> Shortcut:
    return BY_ID[shortcut_id]


def tip(text: str, shortcut_id: str) -> str:
    """A tooltip that ends with the key: 'Send AKT or USDC (Ctrl+Shift+S)'."""
    return f"{text} ({get(shortcut_id).shown})"


def bind(parent: QWidget, shortcut_id: str, slot: Callable[[], object],
         context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut) -> list[QShortcut]:
    """QShortcut(s) for every key of `shortcut_id` on `parent` (a tab's shortcuts work while the tab is shown)."""
    made = []
    for keys in get(shortcut_id).keys:
        shortcut = QShortcut(QKeySequence(keys), parent, context=context)
        shortcut.activated.connect(lambda: slot())
        shortcut.setObjectName(f"shortcut:{shortcut_id}")
        shortcut.setWhatsThis(get(shortcut_id).words)
        made.append(shortcut)
    return made


def scope_title(scope: str) -> str:
    if scope in SCOPE_TITLES:
        return SCOPE_TITLES[scope]
    if scope.startswith("dialog:"):
        return f"{scope.split(':', 1)[1].capitalize()} dialog"
    from ui.tabs import DEFAULT_TABS

    return next((f"{s.title} tab" for s in DEFAULT_TABS if s.key == scope), scope)
