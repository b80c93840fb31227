"""Keys, addresses, mnemonics and the encrypted keystore. The only package that touches key material."""
