"""Akash Desk core: pure Python + asyncio, never imports Qt."""

__version__ = "0.1.0"
