"""Dialogs: confirmation of signing actions, unlock."""
