"""Akash Desk GUI (PySide6). Thin: widgets, models and dialogs over the services in app/."""
