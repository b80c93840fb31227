"""The fleet: every simulated provider, driven by the node's new blocks, started and stopped with the node."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path
from typing import Any

from app.localnet.providers.catalog import FLEET
from app.localnet.providers.config import FleetConfig
from app.localnet.providers.simprovider import SimProvider

log = logging.getLogger(__name__)
IDLE_WAKE_S = 1.0  # also wake without blocks, so offline/online cycles follow the clock


class Fleet:
    def __init__(self, node: Any, config: FleetConfig) -> None:
        self.node = node
        self.config = config
        base = Path(node.store.path).parent / "providers"
        self.providers = [SimProvider(spec, node, config, base / spec.name) for spec in FLEET if config.runs(spec.name)]
        self._task: asyncio.Task[None] | None = None

    def names(self) -> list[str]:
        return [p.name for p in self.providers]

    def by_name(self, name: str) -> SimProvider:
        for p in self.providers:
            if p.name == name:
                return p
        raise KeyError(f"simulated provider {name!r} is not running")

    async def start(self) -> None:
        for p in self.providers:
            await p.start()
        self._task = asyncio.get_running_loop().create_task(self._run(), name="provider-fleet")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        for p in self.providers:
            await p.stop()

    async def _run(self) -> None:
        seen = -1
        while True:
            async with self.node.new_block:
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self.node.new_block.wait(), IDLE_WAKE_S)
            await self.tick(seen != self.node.height)
            seen = self.node.height

    async def tick(self, new_block: bool = True) -> None:
        """One round for every provider (tests may call it directly)."""
        height = self.node.height
        for p in self.providers:
            try:
                if new_block:
                    await p.on_block(height)
                else:
                    await p._update_online()
            except Exception:  # one provider's bug must not stop the others
                log.exception("provider %s failed at height %d", p.name, height)
