"""The provider directory: who each provider is (attributes, auditors, GPUs, region), online or not, our history.

Chain data (providers and audited attributes) is cached for a few minutes; `/status` probes run
concurrently with short timeouts and are cached for a minute, so a bid table never waits on a dead host.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from app.chain import provider as chain_provider
from app.chain.client import ChainClient
from app.chain.errors import ChainError

log = logging.getLogger(__name__)

CHAIN_TTL_S = 300.0
PROBE_TTL_S = 60.0
PROBE_TIMEOUT_S = 3.0
PROBE_CONCURRENCY = 16


@dataclass(frozen=True)
class ProviderCard:
    """A provider as the bid table shows it."""

    address: str
    host_uri: str
    attributes: tuple[tuple[str, str], ...]
    audited: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()  # (auditor, signed attributes)
    email: str = ""
    website: str = ""

    def attr(self, key: str) -> str:
        return next((v for k, v in self.attributes if k == key), "")

    @property
    def host(self) -> str:
        try:
            return urlsplit(self.host_uri).hostname or self.host_uri
        except ValueError:
            return self.host_uri

    @property
    def name(self) -> str:
        """The organization when it says one, else the gateway's host name."""
        return self.attr("organization") or self.host or self.address

    @property
    def region(self) -> str:
        return self.attr("region") or self.attr("location-region")

    @property
    def country(self) -> str:
        return self.attr("country") or self.attr("location-country")

    @property
    def tier(self) -> str:
        return self.attr("tier")

    @property
    def auditors(self) -> tuple[str, ...]:
        return tuple(a for a, _ in self.audited)

    @property
    def audited_attributes(self) -> dict[str, tuple[tuple[str, str], ...]]:
        return dict(self.audited)

    @property
    def gpu_models(self) -> tuple[str, ...]:
        """"nvidia/a100", ... from capabilities/gpu/vendor/<vendor>/model/<model>[/...]."""
        out: dict[str, None] = {}
        for key, value in self.attributes:
            parts = key.split("/")
            if value == "true" and len(parts) >= 6 and parts[:3] == ["capabilities", "gpu", "vendor"] \
                    and parts[4] == "model":
                out[f"{parts[3]}/{parts[5]}"] = None
        return tuple(out)

    @property
    def storage_classes(self) -> tuple[str, ...]:
        return tuple(sorted({v for k, v in self.attributes if k.startswith("capabilities/storage/")
                             and k.endswith("/class")}))

    @property
    def leased_ips(self) -> bool:
        return self.attr("feat-endpoint-ip") == "true"


@dataclass(frozen=True)
class OnlineStatus:
    """The answer (or not) of the provider's `/status`."""

    online: bool
    checked_at: float
    latency_ms: int | None = None
    error: str = ""
    active_leases: int | None = None

    def words(self) -> str:
        if self.online:
            return f"online ({self.latency_ms} ms)" if self.latency_ms is not None else "online"
        return f"offline: {self.error}" if self.error else "offline"


StatusProbe = Callable[[ProviderCard, float], Awaitable[OnlineStatus]]


def gateway_probe(chain: ChainClient) -> StatusProbe:
    """A probe that asks the gateway's `/status` over TLS verified against the provider's on-chain certificate."""
    from app.provider.client import ProviderClient
    from app.provider.errors import ProviderError

    async def probe(card: ProviderCard, timeout_s: float) -> OnlineStatus:
        started = time.monotonic()
        if not card.host_uri:
            return OnlineStatus(False, time.time(), error="no gateway address on chain")
        try:
            async with ProviderClient(card.host_uri, card.address, chain=chain, timeout_s=timeout_s,
                                      connect_timeout_s=timeout_s) as client:
                status = await asyncio.wait_for(client.status(), timeout_s * 2)
        except (ProviderError, ChainError, OSError, TimeoutError, ValueError) as exc:
            return OnlineStatus(False, time.time(), error=_short(exc))
        return OnlineStatus(True, time.time(), int((time.monotonic() - started) * 1000),
                            active_leases=status.active_leases)

    return probe


def _short(exc: BaseException) -> str:
    text = str(exc.args[0]) if getattr(exc, "args", None) else ""
    if isinstance(exc, TimeoutError) or not text:
        return "no answer in time" if isinstance(exc, TimeoutError) else type(exc).__name__
    return text.split(". ")[0].rstrip(".")


@dataclass
class ProviderDirectory:
    """Providers of one network with their audits (cached), and their online state (probed on demand)."""

    chain: ChainClient
    probe_fn: StatusProbe | None = None
    clock: Callable[[], float] = time.monotonic
    _cards: dict[str, ProviderCard] = field(default_factory=dict)
    _loaded_at: float | None = None
    _status: dict[str, OnlineStatus] = field(default_factory=dict)
    _status_at: dict[str, float] = field(default_factory=dict)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def refresh(self, force: bool = False) -> None:
        async with self._lock:
            if not force and self._loaded_at is not None and self.clock() - self._loaded_at < CHAIN_TTL_S:
                return
            providers = await chain_provider.providers(self.chain)
            try:
                audits = (await chain_provider.audited_attributes(self.chain)).items
            except ChainError as exc:  # a node without the audit module still lists providers
                log.info("audited attributes unavailable: %s", exc)
                audits = ()
            signed: dict[str, list[tuple[str, tuple[tuple[str, str], ...]]]] = {}
            for a in audits:
                signed.setdefault(a.owner, []).append((a.auditor, tuple((x.key, x.value) for x in a.attributes)))
            self._cards = {
                p.owner: ProviderCard(p.owner, p.host_uri, tuple((a.key, a.value) for a in p.attributes),
                                      tuple(signed.get(p.owner, ())), p.email, p.website)
                for p in providers.items
            }
            self._loaded_at = self.clock()

    def card(self, address: str) -> ProviderCard:
        """The provider's card; a bare one (address only) when the chain does not list it."""
        return self._cards.get(address) or ProviderCard(address, "", ())

    def cards(self) -> list[ProviderCard]:
        return sorted(self._cards.values(), key=lambda c: c.name.casefold())

    def status(self, address: str) -> OnlineStatus | None:
        return self._status.get(address)

    async def probe(self, addresses: Iterable[str], *, timeout_s: float = PROBE_TIMEOUT_S,
                    force: bool = False) -> dict[str, OnlineStatus]:
        """`/status` of each provider at once (cached for a minute); never raises."""
        if self.probe_fn is None:
            self.probe_fn = gateway_probe(self.chain)
        probe = self.probe_fn
        now = self.clock()
        wanted = list(dict.fromkeys(addresses))
        todo = [a for a in wanted if force or a not in self._status or now - self._status_at[a] >= PROBE_TTL_S]
        gate = asyncio.Semaphore(PROBE_CONCURRENCY)

        async def one(address: str) -> None:
            async with gate:
                try:
                    result = await probe(self.card(address), timeout_s)
                except Exception as exc:  # noqa: BLE001 - a probe must never break the bid table
                    result = OnlineStatus(False, time.time(), error=_short(exc))
            self._status[address] = result
            self._status_at[address] = self.clock()

        await asyncio.gather(*(one(a) for a in todo))
        return {a: self._status[a] for a in wanted if a in self._status}

    def forget_status(self, address: str) -> None:
        self._status.pop(address, None)
        self._status_at.pop(address, None)
