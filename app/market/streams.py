"""Logs and events of a deployment: every lease's provider stream merged into one, reconnecting by itself.

Each item says which lease it came from. The providers' streams (app.provider) reconnect when a
socket drops and yield StreamNotice markers ("reconnecting", "reconnected", "ended"); a lease whose
stream fails for good yields a final "failed" notice and the others go on. save_items() appends the
lines to a private file as they arrive.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.market.access import ProviderAccess
from app.market.context import MarketContext
from app.market.lease import active_leases
from app.market.providers import ProviderDirectory
from app.provider.errors import ProviderError
from app.provider.models import KubeEvent, LogLine, StreamNotice
from app.provider.streams import format_item

LOGS, EVENTS = "logs", "events"
_DONE = object()


@dataclass(frozen=True)
class LeaseItem:
    """A log line, an event or a connection notice, from one lease (gseq, oseq, provider)."""

    gseq: int
    oseq: int
    provider: str
    host_uri: str
    item: LogLine | KubeEvent | StreamNotice

    @property
    def is_notice(self) -> bool:
        return isinstance(self.item, StreamNotice)

    def line(self, tagged: bool = False) -> str:
        text = format_item(self.item)
        return f"[{self.gseq}/{self.oseq} {self.provider[-6:]}] {text}" if tagged else text

    def __str__(self) -> str:
        return self.line()


class StreamFailed(ProviderError):
    """No lease of the deployment could be streamed."""


async def deployment_stream(ctx: MarketContext, dseq: int, access: ProviderAccess, *, kind: str = LOGS,
                            follow: bool = True, tail: int = 100, services: tuple[str, ...] = (),
                            provider: str = "", gseq: int | None = None,
                            reconnect: bool = True) -> AsyncIterator[LeaseItem]:
    """Merged stream of the deployment's active leases (optionally one provider / group)."""
    if kind not in (LOGS, EVENTS):
        raise ValueError("kind is 'logs' or 'events'")
    leases = [le for le in await active_leases(ctx, dseq)
              if (not provider or le.lease.id.provider == provider) and (gseq is None or le.lease.id.gseq == gseq)]
    if not leases:
        raise StreamFailed(f"Deployment {dseq} has no active lease{' with ' + provider if provider else ''} to "
                           f"stream {kind} from.")
    directory = ProviderDirectory(ctx.chain)
    await directory.refresh()
    queue: asyncio.Queue[Any] = asyncio.Queue(maxsize=1000)
    errors: list[ProviderError] = []

    async def pump(info: Any) -> None:
        i = info.lease.id
        host = directory.card(i.provider).host_uri
        try:
            async with access.client(ctx.chain, host, i.provider) as client:
                source = client.logs(i.dseq, i.gseq, i.oseq, follow=follow, tail=tail, services=services,
                                     reconnect=reconnect) if kind == LOGS else \
                    client.events(i.dseq, i.gseq, i.oseq, follow=follow, services=services, reconnect=reconnect)
                try:
                    async for item in source:
                        await queue.put(LeaseItem(i.gseq, i.oseq, i.provider, host, item))
                finally:
                    await source.aclose()  # type: ignore[attr-defined]
        except ProviderError as exc:
            errors.append(exc)
            await queue.put(LeaseItem(i.gseq, i.oseq, i.provider, host, StreamNotice("failed", str(exc))))
        finally:
            await queue.put(_DONE)

    tasks = [asyncio.create_task(pump(info)) for info in leases]
    running = len(tasks)
    try:
        while running:
            got = await queue.get()
            if got is _DONE:
                running -= 1
                continue
            yield got
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
    if errors and len(errors) == len(leases):
        raise errors[0]


async def save_items(items: AsyncIterator[LeaseItem], path: str | Path, *, limit: int = 0, tagged: bool = False,
                     echo: Any = None) -> int:
    """Append each item's line to `path` (created 0600) as it arrives; returns the data items written.

    `echo(item)` is called for each item too (e.g. to print while saving); `limit` stops after that many
    data items (0 = until the stream ends or the task is cancelled)."""
    fd = os.open(Path(path), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    written = 0
    with os.fdopen(fd, "a", encoding="utf-8") as fh:
        try:
            async for entry in items:
                fh.write(entry.line(tagged) + "\n")
                fh.flush()
                if echo is not None:
                    echo(entry)
                if not entry.is_notice:
                    written += 1
                    if limit and written >= limit:
                        break
        finally:
            aclose = getattr(items, "aclose", None)
            if aclose is not None:
                await aclose()
    return written
