"""Memo checks: warn before a recovery phrase or a private key is published on chain by mistake."""

from __future__ import annotations

import re

from app.wallet.mnemonic import wordlist

MAX_MEMO_CHARS = 256  # the SDK's default auth param max_memo_characters
SEED_WORDS = 12  # the shortest BIP39 phrase
_WORD = re.compile(r"[a-z]+")
_HEX_KEY = re.compile(r"(?<![0-9a-f])(?:0x)?[0-9a-f]{64}(?![0-9a-f])", re.IGNORECASE)
_EXTENDED_KEY = re.compile(r"\b[xyzt]prv[1-9A-HJ-NP-Za-km-z]{100,}\b")
_B64_KEY = re.compile(r"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{43}=(?![A-Za-z0-9+/=])")  # 32 bytes in base64
_PEM_KEY = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")

SEED_WARNING = ("The memo looks like a recovery phrase ({n} words from the BIP39 list). Memos are public forever: "
                "anyone who reads it can take every coin of that wallet. Remove it; no exchange or person needs "
                "your recovery phrase.")
KEY_WARNING = ("The memo looks like a private key ({kind}). Memos are public forever: anyone who reads it can take "
               "the coins of that key. Remove it.")


def seed_word_run(memo: str) -> int:
    """The longest run of consecutive BIP39 words in the memo (separators and case ignored)."""
    words = set(wordlist())
    best = run = 0
    for token in _WORD.findall(memo.lower()):
        run = run + 1 if token in words else 0
        best = max(best, run)
    return best


def memo_warnings(memo: str) -> tuple[str, ...]:
    """Warnings for a memo that looks like a secret; () for an ordinary memo (exchange tags, notes)."""
    if not memo:
        return ()
    out = []
    run = seed_word_run(memo)
    if run >= SEED_WORDS:
        out.append(SEED_WARNING.format(n=run))
    for pattern, kind in ((_PEM_KEY, "a PEM private key"), (_EXTENDED_KEY, "an extended private key"),
                          (_HEX_KEY, "64 hexadecimal characters"), (_B64_KEY, "32 bytes in base64")):
        if pattern.search(memo):
            text = KEY_WARNING.format(kind=kind)
            if pattern is _HEX_KEY:
                text += " (If it is a transaction hash you meant to quote, you can ignore this.)"
            out.append(text)
            break
    return tuple(out)
