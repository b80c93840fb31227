"""Names people type for accounts and contacts: NFC, single spaces, bounded, no control characters."""

from __future__ import annotations

import unicodedata


def clean_label(text: object, what: str, max_len: int, error: type[Exception]) -> str:
    """The cleaned label, or `error` saying what is wrong with "the <what>"."""
    if not isinstance(text, str):
        raise error(f"the {what} must be text")
    clean = " ".join(unicodedata.normalize("NFC", text).split())
    if not clean:
        raise error(f"the {what} is empty")
    if len(clean) > max_len:
        raise error(f"the {what} is longer than {max_len} characters")
    if any(unicodedata.category(c).startswith("C") for c in clean):
        raise error(f"the {what} contains control characters")
    return clean
