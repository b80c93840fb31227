"""What tests and benches share: SDL texts (sdl.py) and leases seeded with real transactions (leases.py)."""
