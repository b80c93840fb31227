"""The first-run wallet wizard as a UI-neutral state machine (create / import / watch), as Electrum does.

The Qt dialog (ui/wizard.py) shows one page per Step and calls these methods; every rule lives here.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from enum import Enum

from app.wallet.accounts import WalletInfo, clean_wallet_name
from app.wallet.address import validate_address
from app.wallet.errors import InvalidPassword
from app.wallet.keystore import SUFFIX, Keystore
from app.wallet.mnemonic import generate_mnemonic, validate_mnemonic
from app.wallet.strength import password_strength
from app.wallet.unlocked import UnlockedWallet

NEW_WORDS = 24
# The local network's demo wallet: its phrase is public (test only), so its password protects nothing and
# is simply told to the person.
DEMO_WALLET_NAME = "Demo (test only)"
DEMO_PASSWORD = "demo"


class Kind(Enum):
    CREATE = "create"
    IMPORT = "import"
    WATCH = "watch"


class Step(Enum):
    CHOOSE = "choose"
    SHOW_WORDS = "show_words"
    VERIFY_WORDS = "verify_words"
    IMPORT_PHRASE = "import_phrase"
    WATCH_ADDRESS = "watch_address"
    PASSWORD = "password"
    DONE = "done"


_PATHS = {
    Kind.CREATE: (Step.CHOOSE, Step.SHOW_WORDS, Step.VERIFY_WORDS, Step.PASSWORD, Step.DONE),
    Kind.IMPORT: (Step.CHOOSE, Step.IMPORT_PHRASE, Step.PASSWORD, Step.DONE),
    Kind.WATCH: (Step.CHOOSE, Step.WATCH_ADDRESS, Step.DONE),
}
DEFAULT_NAMES = {Kind.CREATE: "My wallet", Kind.IMPORT: "Imported wallet", Kind.WATCH: "Watched address"}


class WizardError(ValueError):
    """An input on the current step that cannot be used; the message says what to change."""


class WordQuiz:
    """Verify a written-down phrase: pick its words in order from shuffled buttons.

    `choices` are the phrase's words in a random order (duplicates kept); `pick(i)` takes choice i when
    it is the next word, else counts a mistake and leaves the picked list unchanged.
    """

    def __init__(self, words: list[str], rng: random.Random | None = None) -> None:
        self._words = list(words)
        self.choices = list(words)
        (rng or secrets.SystemRandom()).shuffle(self.choices)
        self.picked: list[int] = []
        self.mistakes = 0

    @property
    def next_position(self) -> int:
        """1-based position of the word to pick next."""
        return len(self.picked) + 1

    @property
    def complete(self) -> bool:
        return len(self.picked) == len(self._words)

    def used(self, choice: int) -> bool:
        return choice in self.picked

    def pick(self, choice: int) -> bool:
        if self.complete or choice in self.picked or not 0 <= choice < len(self.choices):
            return False
        if self.choices[choice] != self._words[len(self.picked)]:
            self.mistakes += 1
            return False
        self.picked.append(choice)
        return True

    def undo(self) -> None:
        if self.picked:
            self.picked.pop()

    def picked_words(self) -> list[str]:
        return [self.choices[i] for i in self.picked]

    def __repr__(self) -> str:
        return f"WordQuiz({len(self.picked)}/{len(self._words)} picked, <words hidden>)"


@dataclass
class _Secrets:
    """What the wizard holds until finish() or wipe(); never shown by repr()."""

    mnemonic: str = field(default="", repr=False)
    passphrase: str = field(default="", repr=False)
    password: str = field(default="", repr=False)


class WalletWizardFlow:
    """Steps: CHOOSE -> (create) SHOW_WORDS -> VERIFY_WORDS -> PASSWORD, (import) IMPORT_PHRASE -> PASSWORD,
    (watch) WATCH_ADDRESS; then DONE and finish(keystore) writes the wallet.
    """

    def __init__(self, keystore: Keystore, rng: random.Random | None = None) -> None:
        self.keystore = keystore
        self.kind: Kind | None = None
        self.step = Step.CHOOSE
        self.quiz: WordQuiz | None = None
        self.name = ""
        self.address = ""
        self.account = 0
        self.index = 0
        self._secret = _Secrets()
        self._rng = rng

    def __repr__(self) -> str:
        return f"WalletWizardFlow(kind={self.kind}, step={self.step}, name={self.name!r})"

    # -- navigation ------------------------------------------------------------------------------------

    def choose(self, kind: Kind) -> None:
        self.wipe()
        self.kind = kind
        self.name = self.suggest_name(DEFAULT_NAMES[kind])
        if kind is Kind.CREATE:
            self._secret.mnemonic = generate_mnemonic(NEW_WORDS)
            self.quiz = WordQuiz(self._secret.mnemonic.split(), self._rng)
        self.step = _PATHS[kind][1]

    @property
    def can_go_back(self) -> bool:
        return self.step not in (Step.CHOOSE, Step.DONE)

    def back(self) -> None:
        if not self.can_go_back or self.kind is None:
            return
        path = _PATHS[self.kind]
        previous = path[path.index(self.step) - 1]
        if previous is Step.CHOOSE:
            self.wipe()
            self.kind = None
        elif previous is Step.SHOW_WORDS and self.quiz is not None:
            self.quiz = WordQuiz(self._secret.mnemonic.split(), self._rng)  # verify afresh
        self.step = previous

    def _advance(self) -> None:
        assert self.kind is not None
        path = _PATHS[self.kind]
        self.step = path[path.index(self.step) + 1]

    # -- create ----------------------------------------------------------------------------------------

    def words(self) -> list[str]:
        """The new phrase's words, for SHOW_WORDS only (shown once; never logged, never copied)."""
        if self.kind is not Kind.CREATE or self.step is not Step.SHOW_WORDS:
            raise WizardError("the new recovery phrase is only shown on its own page")
        return self._secret.mnemonic.split()

    def words_written(self) -> None:
        self._require(Step.SHOW_WORDS)
        self._advance()

    def words_verified(self) -> None:
        self._require(Step.VERIFY_WORDS)
        if self.quiz is None or not self.quiz.complete:
            raise WizardError("pick every word in order first")
        self._advance()

    # -- import ----------------------------------------------------------------------------------------

    def set_phrase(self, phrase: str, passphrase: str = "", account: int = 0, index: int = 0) -> None:
        """Validate and keep an imported phrase (MnemonicError names the wrong word)."""
        self._require(Step.IMPORT_PHRASE)
        normal = validate_mnemonic(phrase)
        for what, value in (("account", account), ("index", index)):
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**31:
                raise WizardError(f"the {what} number must be a whole number from 0 to 2147483647")
        self._secret.mnemonic = normal
        self._secret.passphrase = passphrase
        self.account, self.index = account, index
        self._advance()

    @staticmethod
    def check_phrase(phrase: str) -> str | None:
        """For live feedback while typing: None if valid, else what is wrong (incomplete phrases too)."""
        from app.wallet.mnemonic import MnemonicError

        try:
            validate_mnemonic(phrase)
        except MnemonicError as exc:
            return str(exc)
        return None

    # -- watch -----------------------------------------------------------------------------------------

    def set_watch(self, name: str, address: str) -> None:
        self._require(Step.WATCH_ADDRESS)
        address = address.strip()
        validate_address(address)
        self.name = self._free_name(name)
        self.address = address
        self._advance()

    # -- password --------------------------------------------------------------------------------------

    def set_password(self, name: str, password: str, confirm: str) -> None:
        """Name and password of the new wallet; refuses a mismatch or a password too weak to protect it."""
        self._require(Step.PASSWORD)
        clean = self._free_name(name)
        if password != confirm:
            raise InvalidPassword("the two passwords differ; type the same password twice")
        strength = password_strength(password)
        if not strength.acceptable:
            advice = " ".join(strength.hints) or "Use a longer password."
            raise InvalidPassword(f"this password is {strength.label.lower()}. {advice}")
        self.name = clean
        self._secret.password = password
        self._advance()

    # -- names -----------------------------------------------------------------------------------------

    def suggest_name(self, base: str) -> str:
        """`base`, or `base 2`, `base 3`... : the first name no wallet uses yet."""
        name, n = base, 1
        while self._taken(name):
            n += 1
            name = f"{base} {n}"
        return name

    def _free_name(self, name: str) -> str:
        clean = clean_wallet_name(name)
        if self._taken(clean):
            raise WizardError(f"a wallet named '{clean}' already exists; choose another name")
        return clean

    def _taken(self, name: str) -> bool:
        """Case-insensitive, as the keystore refuses 'Main' when 'main' exists (file systems differ)."""
        folded = name.casefold()
        root = self.keystore.root
        return root.is_dir() and any(p.name[: -len(SUFFIX)].casefold() == folded for p in root.glob(f"*{SUFFIX}"))

    # -- the end ---------------------------------------------------------------------------------------

    def finish(self) -> UnlockedWallet | WalletInfo:
        """Write the wallet (blocking: the KDF runs; call it off the UI thread). Secrets are dropped after.

        Returns the unlocked wallet for create/import (the session takes it), the WalletInfo for watch.
        """
        self._require(Step.DONE)
        assert self.kind is not None
        try:
            if self.kind is Kind.WATCH:
                result: UnlockedWallet | WalletInfo = self.keystore.create_watch_only(self.name, self.address)
            else:
                s = self._secret
                self.keystore.create(
                    self.name,
                    s.mnemonic,
                    s.password,
                    passphrase=s.passphrase,
                    accounts=(("Account 1", self.account, self.index),),
                )
                result = self.keystore.unlock(self.name, s.password)
        except Exception:
            self.step = _PATHS[self.kind][-2]  # back to the last input page, inputs kept, to fix and retry
            raise
        self.wipe()
        return result

    def wipe(self) -> None:
        """Forget the phrase, passphrase and password (Python strings cannot be zeroed: dropped only)."""
        self._secret = _Secrets()
        self.quiz = None
        if self.step is not Step.DONE:
            self.address = ""

    def _require(self, step: Step) -> None:
        if self.step is not step:
            raise WizardError(f"this action belongs to the {step.value} step, not {self.step.value}")



def import_demo(keystore: Keystore, mnemonic: str) -> UnlockedWallet:
    """The local network's public demo wallet, unlocked (created on first use with DEMO_PASSWORD)."""
    if not mnemonic:
        raise WizardError("this build has no demo wallet for the local network")
    if not keystore.exists(DEMO_WALLET_NAME):
        keystore.create(DEMO_WALLET_NAME, mnemonic, DEMO_PASSWORD)
    return keystore.unlock(DEMO_WALLET_NAME, DEMO_PASSWORD)
