"""Benchmarks: `make bench` runs every bench/b_*.py module's main() and prints its figures."""
