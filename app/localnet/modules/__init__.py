"""The local node's modules; every file here that defines MODULE (a Module subclass) is loaded, in `order`."""

from __future__ import annotations

import importlib
import pkgutil

from app.localnet.module import Module


def discover() -> list[type[Module]]:
    """Module classes of this package, sorted by (order, name). Adding a file adds a module."""
    found: list[type[Module]] = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"{__name__}.{info.name}")
        cls = getattr(mod, "MODULE", None)
        if isinstance(cls, type) and issubclass(cls, Module):
            found.append(cls)
    return sorted(found, key=lambda c: (c.order, c.name))
