"""Transactions: message constructors, JSON requests, SIGN_MODE_DIRECT signing, decoding (pure, no network)."""
