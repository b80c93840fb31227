"""String.prototype.localeCompare as Node (ICU, root/en-US collation) orders the names the SDL library sorts."""

from __future__ import annotations

import functools
import unicodedata

# ICU root collation of ASCII, read from Node: control characters are ignorable, then whitespace,
# punctuation and symbols, digits, and letters (case differs only at the tertiary level, lower first).
_ASCII_ORDER = "\t\n\x0b\x0c\r _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyz"
_PRIMARY: dict[str, int] = {ch: i + 1 for i, ch in enumerate(_ASCII_ORDER)}
for _ch in "abcdefghijklmnopqrstuvwxyz":
    _PRIMARY[_ch.upper()] = _PRIMARY[_ch]
_NON_ASCII_BASE = 1000


@functools.lru_cache(maxsize=4096)
def collation_key(s: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """A sort key comparing like `a.localeCompare(b)`: exact for ASCII, an approximation beyond it
    (accented letters sort with their base letter, other characters after 'z' by code point)."""
    primary: list[int] = []
    secondary: list[int] = []
    tertiary: list[int] = []
    text = s if s.isascii() else unicodedata.normalize("NFD", s)
    for ch in text:
        weight = _PRIMARY.get(ch)
        if weight is not None:
            primary.append(weight)
            tertiary.append(1 if "A" <= ch <= "Z" else 0)
            continue
        if ch.isascii():
            continue  # control characters are completely ignorable
        if unicodedata.combining(ch):
            secondary.append(ord(ch))
            continue
        if unicodedata.category(ch) in ("Cc", "Cf"):
            continue
        lower = ch.lower()
        primary.append(_NON_ASCII_BASE + ord(lower[0]) if len(lower) == 1 else _NON_ASCII_BASE + ord(ch))
        tertiary.append(0 if lower == ch else 1)
    return tuple(primary), tuple(secondary), tuple(tertiary)


def locale_compare(a: str, b: str) -> int:
    """-1, 0 or 1 like a.localeCompare(b)."""
    ka, kb = collation_key(a), collation_key(b)
    return (ka > kb) - (ka < kb)
