"""BIP39 mnemonics: generation, normalisation, and the messages a person sees for each mistake."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.wallet.mnemonic import (
    MnemonicError,
    entropy_to_mnemonic,
    generate_mnemonic,
    is_valid_mnemonic,
    mnemonic_to_entropy,
    normalize_mnemonic,
    suggest_words,
    validate_mnemonic,
    wordlist,
    words_starting_with,
)

ABANDON = "abandon " * 11 + "about"
# BIP39 reference vectors (trezor/python-mnemonic vectors.json, english): entropy -> phrase.
REFERENCE = [
    ("00000000000000000000000000000000", ABANDON),
    (
        "7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f",
        "legal winner thank year wave sausage worth useful legal winner thank yellow",
    ),
    (
        "0000000000000000000000000000000000000000000000000000000000000000",
        "abandon " * 23 + "art",
    ),
    (
        "9e885d952ad362caeb4efe34a8e91bd2",
        "ozone drill grab fiber curtain grace pudding thank cruise elder eight picnic",
    ),
    (
        "f585c11aec520db57dd353c69554b21a89b20fb0650966fa0a9d6f74fd989d8f",
        "void come effort suffer camp survey warrior heavy shoot primary clutch crush open amazing screen "
        "patrol group space point ten exist slush involve unfold",
    ),
]


def test_wordlist_is_the_bip39_english_list() -> None:
    words = wordlist()
    assert len(words) == 2048 and words[0] == "abandon" and words[-1] == "zoo"
    assert hashlib.sha256(("\n".join(words) + "\n").encode()).hexdigest().startswith("2f5eed53")


@pytest.mark.parametrize(("entropy_hex", "phrase"), REFERENCE)
def test_reference_vectors_both_ways(entropy_hex: str, phrase: str) -> None:
    assert entropy_to_mnemonic(bytes.fromhex(entropy_hex)) == phrase.strip()
    assert mnemonic_to_entropy(phrase).hex() == entropy_hex


@pytest.mark.parametrize("count", [12, 24])
def test_generate_gives_valid_phrases_of_the_asked_length(count: int) -> None:
    phrases = {generate_mnemonic(count) for _ in range(20)}
    assert len(phrases) == 20  # fresh entropy each time
    for p in phrases:
        assert len(p.split(" ")) == count
        assert validate_mnemonic(p) == p


@pytest.mark.parametrize("count", [0, 11, 15, 18, 25])
def test_generate_refuses_other_lengths(count: int) -> None:
    with pytest.raises(ValueError, match="12 or 24"):
        generate_mnemonic(count)


def test_normalisation_collapses_spacing_and_case() -> None:
    messy = "  ABANDON\tabandon \n abandon abandon abandon abandon abandon abandon abandon abandon abandon About  "
    assert normalize_mnemonic(messy) == ABANDON.strip()
    assert validate_mnemonic(messy) == ABANDON.strip()
    # NFKD: full-width letters typed by an IME become plain ASCII
    assert normalize_mnemonic("ａｂａｎｄｏｎ") == "abandon"


def test_unknown_word_is_named_by_position_with_a_suggestion() -> None:
    words = ABANDON.split()
    words[6] = "abandn"
    with pytest.raises(MnemonicError) as err:
        validate_mnemonic(" ".join(words))
    assert str(err.value) == "word 7 'abandn' is not in the BIP39 word list; did you mean 'abandon'?"
    assert err.value.position == 7 and err.value.suggestions == ("abandon",)


def test_suggestions_use_the_four_letter_prefix_and_spelling() -> None:
    assert suggest_words("abou") == ("about",)
    assert "zoo" in suggest_words("zooo")
    assert suggest_words("xqzj") == ()


def test_unknown_word_without_any_close_match() -> None:
    with pytest.raises(MnemonicError, match=r"^word 1 'xqzjw' is not in the BIP39 word list$"):
        validate_mnemonic("xqzjw " + "abandon " * 11)


def test_unknown_word_is_reported_before_the_count() -> None:
    with pytest.raises(MnemonicError, match="word 3 'abandonn'"):
        validate_mnemonic("abandon abandon abandonn abandon")


@pytest.mark.parametrize("count", [1, 11, 13, 23, 25])
def test_wrong_word_count(count: int) -> None:
    with pytest.raises(MnemonicError, match=f"12 or 24 words .*this one has {count}$"):
        validate_mnemonic("abandon " * count)


def test_empty_phrase() -> None:
    for text in ("", "   \n"):
        with pytest.raises(MnemonicError, match="empty"):
            validate_mnemonic(text)


def test_checksum_error_for_wrong_word_or_order() -> None:
    wrong_last = "abandon " * 12
    swapped = "legal winner thank year wave sausage worth useful legal winner yellow thank"
    for phrase in (wrong_last, swapped):
        with pytest.raises(MnemonicError) as err:
            validate_mnemonic(phrase)
        assert str(err.value) == "the checksum is wrong: a word is wrong or the order is off"
        assert not is_valid_mnemonic(phrase)


def test_non_text_input() -> None:
    with pytest.raises(MnemonicError):
        validate_mnemonic(None)  # type: ignore[arg-type]


def test_words_starting_with_for_autocomplete() -> None:
    assert words_starting_with("aba") == ["abandon"]
    assert words_starting_with("zo") == ["zone", "zoo"]
    assert words_starting_with("") == []


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([16, 20, 24, 28, 32]).flatmap(lambda n: st.binary(min_size=n, max_size=n)))
def test_roundtrip_any_entropy(entropy: bytes) -> None:
    phrase = entropy_to_mnemonic(entropy)
    assert mnemonic_to_entropy(phrase) == entropy
    assert len(phrase.split()) == len(entropy) * 3 // 4


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_never_crashes(text: str) -> None:
    try:
        validate_mnemonic(text)
    except MnemonicError as exc:
        assert str(exc)
