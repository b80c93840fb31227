"""Password strength hint (length, character classes, common passwords, patterns); no external data."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

MIN_LENGTH = 8
LABELS = ("Very weak", "Weak", "Fair", "Good", "Strong")

# The most common passwords of public breach lists (lower case); a password that is one of these, or one
# of these plus digits/symbols at the end, is guessed in seconds whatever its length.
_COMMON_TEXT = """
    123456 123456789 12345678 12345 1234567 1234567890 1234 111111 000000 123123 654321 666666 121212 112233
    password passw0rd p@ssw0rd password1 qwerty qwertyuiop qwerty123 asdfgh asdfghjkl zxcvbnm 1q2w3e4r 1qaz2wsx
    abc123 iloveyou admin welcome monkey dragon letmein football baseball master sunshine princess shadow
    superman batman trustno1 starwars whatever freedom hello charlie michael jennifer jordan hunter ranger
    buster soccer harley hockey killer george andrew thomas robert daniel ashley jessica pepper ginger summer
    secret login access flower cookie cheese computer internet samsung google apple orange banana chocolate
    matrix merlin mustang maggie tigger lovely loveme angel bailey nicole biteme blink182 michelle pokemon
    naruto liverpool chelsea arsenal juventus barcelona blahblah zaq12wsx qazwsx q1w2e3r4 aa123456 abcd1234
    changeme default guest test testing root toor administrator passport wallet crypto bitcoin ethereum cosmos
    akash akashnet moon lambo satoshi hodl ledger keplr metamask mnemonic seed phrase recovery private
"""
_COMMON = frozenset(_COMMON_TEXT.split())
_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "1234567890", "abcdefghijklmnopqrstuvwxyz")


@dataclass(frozen=True)
class Strength:
    """score 0 (very weak) .. 4 (strong), its label, and what would make the password better."""

    score: int
    label: str
    hints: tuple[str, ...]

    @property
    def acceptable(self) -> bool:
        """Good enough to encrypt a wallet with (the UI refuses below this)."""
        return self.score >= 2


def _pool_size(password: str) -> int:
    pool = 0
    if re.search(r"[a-z]", password):
        pool += 26
    if re.search(r"[A-Z]", password):
        pool += 26
    if re.search(r"[0-9]", password):
        pool += 10
    if re.search(r"[^A-Za-z0-9]", password):
        pool += 33
    return max(pool, 1)


def _is_common(password: str) -> bool:
    lowered = password.lower()
    stripped = re.sub(r"[^a-z]+$", "", lowered)  # "Password123!" -> "password"
    leet = lowered.translate(str.maketrans("@0134$5!", "aoieassi"))
    return lowered in _COMMON or stripped in _COMMON or leet in _COMMON or re.sub(r"[^a-z]+$", "", leet) in _COMMON


def _pattern_penalty(password: str) -> float:
    """Fraction of the password made of runs (aaaa), keyboard or alphabet sequences (qwer, 1234)."""
    lowered = password.lower()
    covered = [False] * len(lowered)
    for m in re.finditer(r"(.)\1{2,}", lowered):
        covered[m.start() : m.end()] = [True] * (m.end() - m.start())
    for row in _KEYBOARD_ROWS:
        for seq in (row, row[::-1]):
            for size in range(len(seq), 3, -1):
                for start in range(len(seq) - size + 1):
                    chunk = seq[start : start + size]
                    pos = lowered.find(chunk)
                    while pos != -1:
                        covered[pos : pos + size] = [True] * size
                        pos = lowered.find(chunk, pos + 1)
    return sum(covered) / len(lowered) if lowered else 0.0


def password_strength(password: str) -> Strength:
    """A quick estimate: entropy from length and character classes, minus patterns; common -> very weak."""
    hints: list[str] = []
    if not password:
        return Strength(0, LABELS[0], ("Choose a password to encrypt the wallet file.",))
    if _is_common(password):
        return Strength(0, LABELS[0], ("This is one of the most common passwords; choose another.",))
    length = len(password)
    bits = length * math.log2(_pool_size(password)) * (1 - 0.75 * _pattern_penalty(password))
    distinct = len(set(password))
    bits = min(bits, distinct * 6.0 + 8)  # "abababab..." is not strong however long
    if length < MIN_LENGTH:
        hints.append(f"Use at least {MIN_LENGTH} characters.")
    classes = sum(bool(re.search(p, password)) for p in (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^A-Za-z0-9]"))
    if classes < 3 and length < 16:
        hints.append("Mix upper and lower case, digits and symbols, or use a longer phrase of several words.")
    if _pattern_penalty(password) > 0.4:
        hints.append("Avoid repeated characters and keyboard sequences.")
    if bits < 28:
        score = 0
    elif bits < 40:
        score = 1
    elif bits < 60:
        score = 2
    elif bits < 80:
        score = 3
    else:
        score = 4
    if length < MIN_LENGTH:
        score = min(score, 1)
    return Strength(score, LABELS[score], tuple(hints) if score < 3 else ())
