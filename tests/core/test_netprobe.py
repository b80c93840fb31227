"""The endpoint latency probe against real loopback HTTP servers: ok, wrong chain, errors, down."""

from __future__ import annotations

import socket

from aiohttp import web

from app.netprobe import probe_all, probe_endpoint


def _node_info(chain_id: str) -> dict:
    return {
        "default_node_info": {"network": chain_id, "moniker": "m", "default_node_id": "x", "version": "0.38"},
        "application_version": {"name": "akash", "app_name": "akash", "version": "v2.1.0"},
    }


async def _serve(handler) -> tuple[web.AppRunner, str]:
    app = web.Application()
    app.router.add_get("/cosmos/base/tendermint/v1beta1/node_info", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_probe_reports_latency_and_chain() -> None:
    async def ok(_request):
        return web.json_response(_node_info("akashnet-2"))

    async def other(_request):
        return web.json_response(_node_info("sandbox-2"))

    async def broken(_request):
        return web.Response(status=500, text="boom")

    runners = []
    try:
        urls = []
        for handler in (ok, other, broken):
            runner, url = await _serve(handler)
            runners.append(runner)
            urls.append(url)
        down = f"http://127.0.0.1:{_free_port()}"
        results = await probe_all(urls + [down], timeout_s=2)
        good, wrong, failed, unreachable = results
        assert good.ok and good.chain_id == "akashnet-2" and good.latency_ms is not None
        assert good.summary("akashnet-2") == f"{good.latency_ms} ms"
        assert "serves sandbox-2, not akashnet-2" in wrong.summary("akashnet-2")
        assert not failed.ok and failed.summary()
        assert not unreachable.ok and unreachable.latency_ms is None
        assert [r.endpoint for r in results] == urls + [down]
    finally:
        for runner in runners:
            await runner.cleanup()


async def test_single_probe_of_a_closed_port() -> None:
    result = await probe_endpoint(f"http://127.0.0.1:{_free_port()}", timeout_s=1)
    assert not result.ok and result.error
