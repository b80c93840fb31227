"""The simulated providers as a node service: started with the node (after genesis), stopped with it."""

from __future__ import annotations

from typing import Any

from app.localnet.module import Module
from app.localnet.providers.config import FleetConfig
from app.localnet.providers.fleet import Fleet


class FleetModule(Module):
    name = "fleet"
    order = 200
    fleet: Fleet | None = None

    async def start(self, node: Any) -> None:
        config = FleetConfig.resolve(node)
        if config.enabled:
            self.fleet = Fleet(node, config)
            await self.fleet.start()

    async def stop(self) -> None:
        if self.fleet is not None:
            await self.fleet.stop()
            self.fleet = None


MODULE = FleetModule
