"""BIP39 English mnemonics: generation, normalisation, and validation with errors a person understands."""

from __future__ import annotations

import difflib
import hashlib
import importlib.resources
import secrets
import unicodedata
from functools import lru_cache

GENERATE_WORD_COUNTS = (12, 24)
VALID_WORD_COUNTS = (12, 15, 18, 21, 24)
# sha256 of the canonical BIP39 english.txt (2048 lines, "\n"-terminated); guards against a damaged copy.
_WORDLIST_SHA256 = "2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda"


class MnemonicError(ValueError):
    """A recovery phrase that cannot be used. The message says which word is wrong or what to check.

    `position` (1-based) and `suggestions` are set when one word is not in the word list.
    """

    def __init__(self, message: str, position: int | None = None, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.position = position
        self.suggestions = suggestions


@lru_cache(maxsize=1)
def wordlist() -> tuple[str, ...]:
    """The 2048 BIP39 English words, in order (index = 11-bit value)."""
    data = (importlib.resources.files("bip_utils.bip.bip39") / "wordlist/english.txt").read_bytes()
    if hashlib.sha256(data).hexdigest() != _WORDLIST_SHA256:
        raise RuntimeError("the installed BIP39 English word list is damaged; reinstall bip-utils")
    words = tuple(data.decode("ascii").split())
    if len(words) != 2048:
        raise RuntimeError("the installed BIP39 English word list does not have 2048 words")
    return words


@lru_cache(maxsize=1)
def _word_index() -> dict[str, int]:
    return {w: i for i, w in enumerate(wordlist())}


def normalize_mnemonic(text: str) -> str:
    """NFKD, lower case, single spaces: the form BIP39 hashes (so pasted phrases with odd spacing work)."""
    if not isinstance(text, str):
        raise MnemonicError("the recovery phrase must be text")
    return " ".join(unicodedata.normalize("NFKD", text).lower().split())


def words_starting_with(prefix: str, limit: int = 8) -> list[str]:
    """Word-list entries starting with `prefix` (for autocompletion while typing a phrase)."""
    p = normalize_mnemonic(prefix)
    return [w for w in wordlist() if w.startswith(p)][:limit] if p else []


def suggest_words(word: str, limit: int = 3) -> tuple[str, ...]:
    """Close word-list entries for a mistyped word: shared 4-letter prefix first, then similar spelling."""
    found: list[str] = []
    # BIP39 English words are unique by their first four letters, so a shared prefix is the best hint.
    if len(word) >= 3:
        found += [w for w in wordlist() if w.startswith(word[:4])]
    found += difflib.get_close_matches(word, wordlist(), n=limit, cutoff=0.75)
    unique = list(dict.fromkeys(found))
    return tuple(unique[:limit])


def _or_list(words: tuple[str, ...]) -> str:
    quoted = [f"'{w}'" for w in words]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _unknown_word_error(position: int, word: str) -> MnemonicError:
    hints = suggest_words(word)
    message = f"word {position} '{word}' is not in the BIP39 word list"
    if hints:
        message += f"; did you mean {_or_list(hints)}?"
    return MnemonicError(message, position=position, suggestions=hints)


def entropy_to_mnemonic(entropy: bytes) -> str:
    """The phrase for 16/20/24/28/32 bytes of entropy (BIP39: entropy || sha256 checksum bits)."""
    if len(entropy) not in (16, 20, 24, 28, 32):
        raise ValueError("BIP39 entropy has 16, 20, 24, 28 or 32 bytes")
    checksum_bits = len(entropy) * 8 // 32
    checksum = hashlib.sha256(entropy).digest()[0] >> (8 - checksum_bits)
    value = (int.from_bytes(entropy, "big") << checksum_bits) | checksum
    count = (len(entropy) * 8 + checksum_bits) // 11
    words = wordlist()
    return " ".join(words[(value >> (11 * (count - 1 - i))) & 0x7FF] for i in range(count))


def generate_mnemonic(words: int = 24) -> str:
    """A new random phrase of 12 or 24 words from the operating system's CSPRNG."""
    if words not in GENERATE_WORD_COUNTS:
        raise ValueError("a new recovery phrase has 12 or 24 words")
    return entropy_to_mnemonic(secrets.token_bytes(words * 4 // 3))


def mnemonic_to_entropy(text: str) -> bytes:
    """The entropy behind a phrase, after checking every word, the word count and the checksum."""
    phrase = normalize_mnemonic(text)
    if not phrase:
        raise MnemonicError("the recovery phrase is empty")
    words = phrase.split(" ")
    index = _word_index()
    for position, word in enumerate(words, start=1):
        if word not in index:
            raise _unknown_word_error(position, word)
    if len(words) not in VALID_WORD_COUNTS:
        raise MnemonicError(
            f"a recovery phrase has 12 or 24 words (or 15, 18, 21); this one has {len(words)}"
        )
    value = 0
    for word in words:
        value = (value << 11) | index[word]
    checksum_bits = len(words) * 11 // 33
    entropy_bits = len(words) * 11 - checksum_bits
    entropy = (value >> checksum_bits).to_bytes(entropy_bits // 8, "big")
    expected = hashlib.sha256(entropy).digest()[0] >> (8 - checksum_bits)
    if value & ((1 << checksum_bits) - 1) != expected:
        raise MnemonicError("the checksum is wrong: a word is wrong or the order is off")
    return entropy


def validate_mnemonic(text: str) -> str:
    """The normalised phrase if it is a valid BIP39 English mnemonic, else MnemonicError."""
    mnemonic_to_entropy(text)
    return normalize_mnemonic(text)


def is_valid_mnemonic(text: str) -> bool:
    try:
        mnemonic_to_entropy(text)
    except MnemonicError:
        return False
    return True
