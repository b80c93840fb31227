"""Reusable widgets (column memory, word picker, password field)."""
