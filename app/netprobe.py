"""Latency probe of REST endpoints (Settings): one node_info request each, chain id checked, no retries."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from app.chain.client import ChainClient
from app.chain.errors import ChainError
from app.chain.policy import NO_RETRY, Timeouts
from app.chain.tendermint import node_info


@dataclass(frozen=True)
class ProbeResult:
    endpoint: str
    latency_ms: int | None
    chain_id: str
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error

    def summary(self, expected_chain_id: str = "") -> str:
        """'85 ms', '85 ms · serves sandbox-2, not akashnet-2', or the error in words."""
        if self.error:
            return self.error
        text = f"{self.latency_ms} ms"
        if expected_chain_id and self.chain_id != expected_chain_id:
            text += f" · serves {self.chain_id}, not {expected_chain_id}"
        return text


async def probe_endpoint(url: str, timeout_s: float = 5.0) -> ProbeResult:
    timeouts = Timeouts(connect_s=timeout_s, read_s=timeout_s, write_s=timeout_s, pool_s=timeout_s)
    client = ChainClient([url], timeouts=timeouts, retry=NO_RETRY)
    try:
        started = time.perf_counter()
        info = await node_info(client)
        latency = round((time.perf_counter() - started) * 1000)
        return ProbeResult(url, latency, info.chain_id)
    except ChainError as exc:
        return ProbeResult(url, None, "", _short(exc))
    finally:
        await client.aclose()


async def probe_all(urls: list[str] | tuple[str, ...], timeout_s: float = 5.0) -> list[ProbeResult]:
    """Every endpoint at once (in the given order)."""
    return list(await asyncio.gather(*(probe_endpoint(u, timeout_s) for u in urls)))


def _short(exc: ChainError) -> str:
    failures = getattr(exc, "failures", ())
    if failures:
        return f"no answer: {failures[-1].reason}"
    return " ".join(str(exc).split())[:200]
