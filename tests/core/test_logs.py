"""The log redaction filter removes secrets and keeps useful text; the log file lives under the data dir."""

from __future__ import annotations

import base64
import logging
import os
import stat

from app import config, logs
from app.wallet.mnemonic import generate_mnemonic

TXHASH = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"


def test_mnemonics_are_redacted() -> None:
    for count in (12, 24):
        phrase = generate_mnemonic(count)
        out = logs.redact(f"importing {phrase}; xyzzy")
        assert phrase not in out
        assert out == f"importing {logs.REDACTED}; xyzzy"
        assert not any(w in out.split() for w in phrase.split() if w not in ("importing", "xyzzy"))


def test_comma_separated_mnemonic_is_redacted() -> None:
    phrase = generate_mnemonic(12).replace(" ", ", ")
    assert logs.redact(phrase) == logs.REDACTED


def test_ordinary_sentences_stay() -> None:
    text = "settings: the endpoint was slow so the client tried the next one after three more tries today"
    assert logs.redact(text) == text
    assert logs.redact(f"tx {TXHASH} included") == f"tx {TXHASH} included"


def test_keys_tokens_and_pairs_are_redacted() -> None:
    key_hex = os.urandom(32).hex()
    key_b64 = base64.b64encode(os.urandom(32)).decode()
    pubkey_b64 = base64.b64encode(b"\x02" + os.urandom(32)).decode()  # 33 bytes: public, stays
    jwt = "eyJhbGciOiJFUzI1NksifQ.eyJpc3MiOiJha2FzaDEifQ.c2lnbmF0dXJlLWJ5dGVz"
    pem = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB\n-----END EC PRIVATE KEY-----"
    text = f"k={key_hex} b={key_b64} pub={pubkey_b64} auth {jwt} {pem} password=hunter2 'passphrase': 'x y'"
    out = logs.redact(text)
    for secret in (key_hex, key_b64, jwt, "MHcCAQEEIB", "hunter2", "x y"):
        assert secret not in out
    assert pubkey_b64 in out


def test_filter_redacts_args_and_tracebacks(caplog) -> None:
    phrase = generate_mnemonic(24)
    logger = logging.getLogger("test.redact")
    handler = logging.Handler()
    seen: list[str] = []
    handler.emit = lambda record: seen.append(logging.Formatter().format(record))  # type: ignore[method-assign]
    handler.addFilter(logs.RedactingFilter())
    logger.addHandler(handler)
    try:
        logger.warning("phrase was %s", phrase)
        try:
            raise ValueError(f"bad phrase {phrase}")
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    assert len(seen) == 2
    assert all(phrase not in s for s in seen)
    assert "ValueError" in seen[1]


def test_configure_writes_a_private_file() -> None:
    path = logs.configure(logging.INFO)
    try:
        phrase = generate_mnemonic(12)
        logging.getLogger("test.file").info("restoring from %s", phrase)
        for h in logging.getLogger().handlers:
            h.flush()
        assert path.parent.parent == config.data_dir()
        text = path.read_text()
        assert "restoring from [redacted]" in text and phrase not in text
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert logs.configure(logging.INFO) == path  # idempotent: replaces its own handlers
        assert sum(getattr(h, "_akash_desk", False) for h in logging.getLogger().handlers) == 2
    finally:
        for h in [h for h in logging.getLogger().handlers if getattr(h, "_akash_desk", False)]:
            logging.getLogger().removeHandler(h)
            h.close()
