"""Logging to a file under the data dir, through a filter that redacts anything that looks like a secret."""

from __future__ import annotations

import base64
import binascii
import contextlib
import logging
import logging.handlers
import os
import re
from pathlib import Path

from app import config

REDACTED = "[redacted]"
LOG_FILE = "akash-desk.log"
_MIN_MNEMONIC_WORDS = 12

# key=value / "key": "value" pairs whose value is a secret, whatever it looks like.
_SECRET_PAIR = re.compile(
    r"""(?ix)
    (["']?\b(?:password|passphrase|passwd|mnemonic|seed|secret|private[_ ]?key|priv[_]?key|jwt|token|bip39_password)
    \b["']?\s*[:=]\s*)
    ("[^"]*"|'[^']*'|\S+)
    """
)
_PEM_PRIVATE = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)", re.S)
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*")
# 64 hex digits not all upper case: a raw private key. Cosmos tx hashes are upper case and stay readable.
_HEX64 = re.compile(r"(?<![0-9A-Fa-f])(?=[0-9A-F]*[a-f])[0-9A-Fa-f]{64}(?![0-9A-Fa-f])")
_B64_32 = re.compile(r"(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/]{43}=(?![A-Za-z0-9+/=])")
_WORD_RUN = re.compile(r"\b[a-z]{3,8}(?:[ \t,]+[a-z]{3,8}){" + str(_MIN_MNEMONIC_WORDS - 1) + r",}\b")


def _bip39_words() -> frozenset[str]:
    global _WORDS
    if _WORDS is None:
        try:
            from app.wallet.mnemonic import wordlist

            _WORDS = frozenset(wordlist())
        except Exception:  # noqa: BLE001 - logging must work even if the word list cannot load
            _WORDS = frozenset()
    return _WORDS


_WORDS: frozenset[str] | None = None


def _redact_word_run(match: re.Match[str]) -> str:
    """Replace each stretch of >= 12 consecutive BIP39 words inside a run of short lowercase words."""
    words = _bip39_words()
    tokens = re.split(r"([ \t,]+)", match.group(0))  # even indexes: words, odd: separators
    out = list(tokens)
    start = None
    for i in range(0, len(tokens) + 2, 2):
        in_list = i < len(tokens) and tokens[i] in words
        if in_list and start is None:
            start = i
        elif not in_list and start is not None:
            if (i - start) // 2 >= _MIN_MNEMONIC_WORDS:
                out[start] = REDACTED
                for j in range(start + 1, i - 1):
                    out[j] = ""
            start = None
    return "".join(out)


def _redact_b64(match: re.Match[str]) -> str:
    try:
        raw = base64.b64decode(match.group(0), validate=True)
    except (binascii.Error, ValueError):
        return match.group(0)
    return REDACTED if len(raw) == 32 else match.group(0)


def redact(text: str) -> str:
    """`text` with mnemonics, private keys (hex, base64, PEM), JWTs and secret key=value pairs removed."""
    text = _PEM_PRIVATE.sub(REDACTED, text)
    text = _SECRET_PAIR.sub(lambda m: m.group(1) + REDACTED, text)
    text = _JWT.sub(REDACTED, text)
    text = _HEX64.sub(REDACTED, text)
    text = _B64_32.sub(_redact_b64, text)
    return _WORD_RUN.sub(_redact_word_run, text)


class RedactingFilter(logging.Filter):
    """Renders each record's message, traceback and stack once, redacted, before any handler sees it."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string must not break logging
            message = f"{record.msg!r} {record.args!r}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def log_dir() -> Path:
    path = config.data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def configure(level: int = logging.INFO, console_level: int = logging.WARNING) -> Path:
    """Route the root logger to a rotating file (0600) under the data dir and to stderr, both redacted.

    Returns the log file path. Calling it again replaces the handlers it installed before.
    """
    path = log_dir() / LOG_FILE
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_akash_desk", False)]:
        root.removeHandler(handler)
        handler.close()
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    file_handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)
    console = logging.StreamHandler()
    for handler, lvl in ((file_handler, level), (console, console_level)):
        handler.setLevel(lvl)
        handler.setFormatter(fmt)
        handler.addFilter(RedactingFilter())
        handler._akash_desk = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(min(level, console_level, root.level or logging.WARNING))
    # One line per HTTP request drowns everything else; they are kept at DEBUG level only.
    for noisy in ("httpx", "httpcore", "aiohttp.access", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if level <= logging.DEBUG else logging.WARNING)
    return path
