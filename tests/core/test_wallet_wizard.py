"""The UI-neutral wallet wizard: create (verify words), import, watch, passwords, names, errors."""

from __future__ import annotations

import random

import pytest

from app.wallet.address import AddressError, bech32_encode
from app.wallet.errors import InvalidPassword
from app.wallet.kdf import Argon2idParams
from app.wallet.keystore import Keystore
from app.wallet.mnemonic import MnemonicError, generate_mnemonic
from app.wallet.signer import Signer
from app.wallet.strength import password_strength
from app.wallet.unlocked import UnlockedWallet
from app.wallet.wizard import Kind, Step, WalletWizardFlow, WizardError, WordQuiz

FAST = Argon2idParams(memory_kib=1024, iterations=1, lanes=1)
GOOD_PASSWORD = "violet-Harbor-42-kite"
WATCHED = bech32_encode("akash", bytes(range(20)))


@pytest.fixture
def flow() -> WalletWizardFlow:
    return WalletWizardFlow(Keystore(kdf=FAST), rng=random.Random(7))


def _verify(flow: WalletWizardFlow, words: list[str]) -> None:
    quiz = flow.quiz
    for word in words:
        choice = next(i for i, w in enumerate(quiz.choices) if w == word and not quiz.used(i))
        assert quiz.pick(choice)


def test_create_flow_shows_24_words_verifies_and_writes(flow: WalletWizardFlow) -> None:
    flow.choose(Kind.CREATE)
    assert flow.step is Step.SHOW_WORDS
    words = flow.words()
    assert len(words) == 24
    assert words not in [flow.quiz.choices]  # shuffled (seeded rng)
    assert sorted(words) == sorted(flow.quiz.choices)
    flow.words_written()
    with pytest.raises(WizardError):
        flow.words()  # shown once, on its page only
    with pytest.raises(WizardError):
        flow.words_verified()
    _verify(flow, words)
    flow.words_verified()
    assert flow.step is Step.PASSWORD
    flow.set_password("Main", GOOD_PASSWORD, GOOD_PASSWORD)
    result = flow.finish()
    assert isinstance(result, UnlockedWallet)
    assert result.accounts[0].address == Signer.from_mnemonic(" ".join(words)).address
    assert flow.keystore.reveal_mnemonic("Main", GOOD_PASSWORD) == " ".join(words)
    assert "mnemonic" not in repr(flow) and words[0] not in repr(flow._secret)


def test_quiz_refuses_a_wrong_word_and_undo_works() -> None:
    words = generate_mnemonic(12).split()
    quiz = WordQuiz(words, random.Random(1))
    wrong = next(i for i, w in enumerate(quiz.choices) if w != words[0])
    assert not quiz.pick(wrong) and quiz.mistakes == 1 and quiz.picked == []
    first = quiz.choices.index(words[0])
    assert quiz.pick(first) and quiz.next_position == 2
    assert not quiz.pick(first)  # a button is used once
    quiz.undo()
    assert quiz.picked == [] and not quiz.complete
    assert words[0] not in repr(quiz)


def test_going_back_from_verify_restarts_the_quiz(flow: WalletWizardFlow) -> None:
    flow.choose(Kind.CREATE)
    words = flow.words()
    flow.words_written()
    flow.quiz.pick(flow.quiz.choices.index(words[0]))
    flow.back()
    assert flow.step is Step.SHOW_WORDS and flow.words() == words and flow.quiz.picked == []
    flow.back()
    assert flow.step is Step.CHOOSE and flow.kind is None and flow.quiz is None


def test_import_with_passphrase_and_path(flow: WalletWizardFlow) -> None:
    phrase = generate_mnemonic(12)
    flow.choose(Kind.IMPORT)
    assert flow.name == "Imported wallet"
    with pytest.raises(MnemonicError) as err:
        flow.set_phrase(phrase.replace(phrase.split()[2], "notaword"))
    assert err.value.position == 3
    with pytest.raises(WizardError):
        flow.set_phrase(phrase, account=-1)
    flow.set_phrase("  " + phrase.upper() + " ", passphrase="extra words", account=1, index=2)
    flow.set_password("Imported", GOOD_PASSWORD, GOOD_PASSWORD)
    wallet = flow.finish()
    from app.wallet.hd import derive_private_key

    expected = Signer(derive_private_key(phrase, 1, 2, "extra words")).address
    assert wallet.accounts[0].address == expected
    assert wallet.accounts[0].hd_path == "m/44'/118'/1'/0/2"


def test_check_phrase_for_live_feedback() -> None:
    assert WalletWizardFlow.check_phrase(generate_mnemonic(24)) is None
    assert "word" in WalletWizardFlow.check_phrase("abandon abandon zzzz")


def test_watch_only(flow: WalletWizardFlow) -> None:
    flow.choose(Kind.WATCH)
    with pytest.raises(AddressError):
        flow.set_watch("Cold", WATCHED[:-1] + "x")
    flow.set_watch("Cold", "  " + WATCHED + " ")
    info = flow.finish()
    assert info.watch_only and info.accounts[0].address == WATCHED


def test_password_rules(flow: WalletWizardFlow) -> None:
    flow.choose(Kind.IMPORT)
    flow.set_phrase(generate_mnemonic(12))
    with pytest.raises(InvalidPassword, match="differ"):
        flow.set_password("W", GOOD_PASSWORD, GOOD_PASSWORD + "x")
    with pytest.raises(InvalidPassword, match="weak"):
        flow.set_password("W", "password1", "password1")
    assert flow.step is Step.PASSWORD


def test_names_are_unique_and_a_failed_finish_keeps_the_inputs(flow: WalletWizardFlow) -> None:
    flow.keystore.create_watch_only("Watched address", WATCHED)
    flow.choose(Kind.WATCH)
    assert flow.name == "Watched address 2"
    with pytest.raises(WizardError, match="already exists"):
        flow.set_watch("watched ADDRESS", WATCHED)
    flow.set_watch("Second", WATCHED)
    flow.keystore.create_watch_only("Second", WATCHED)  # taken meanwhile (another window)
    with pytest.raises(Exception, match="already exists"):
        flow.finish()
    assert flow.step is Step.WATCH_ADDRESS


@pytest.mark.parametrize(
    ("password", "acceptable"),
    [("", False), ("abc", False), ("password", False), ("Password123!", False), ("aaaaaaaaaaaaaaaa", False),
     ("qwertyuiop123", False), ("Tr0ub4dor&3x", True), ("correct horse battery staple", True)],
)
def test_password_strength(password: str, acceptable: bool) -> None:
    s = password_strength(password)
    assert s.acceptable is acceptable
    assert 0 <= s.score <= 4 and s.label
    if not acceptable:
        assert s.hints
