"""`python -m app.localnet`: run the local Akash-compatible node on 127.0.0.1."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from pathlib import Path

from aiohttp import web

from app.config import LOCAL_CHAIN_ID, LOCAL_DEFAULT_PORT, localnet_dir
from app.localnet.node import Node
from app.localnet.server import make_app
from app.localnet.store import StoreError

READY_PREFIX = "localnet ready"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m app.localnet", description=__doc__)
    p.add_argument("--port", type=int, default=LOCAL_DEFAULT_PORT, help="TCP port on 127.0.0.1 (0 picks a free one)")
    p.add_argument("--data", type=Path, default=None, help="state directory (default: the user data dir)")
    p.add_argument("--block-time", type=float, default=1.0, help="seconds between blocks (default 1)")
    p.add_argument("--chain-id", default=LOCAL_CHAIN_ID)
    p.add_argument("--unbonding-seconds", type=int, default=180, help="staking unbonding time (genesis only)")
    p.add_argument("--reset", action="store_true", help="delete the state and start from genesis")
    p.add_argument("--exit-with-parent", type=int, default=0, metavar="PID",
                   help="stop cleanly when process PID is gone (the app or test that started this node)")
    args = p.parse_args(argv)
    if not 0.01 <= args.block_time <= 3600:
        p.error("--block-time must be between 0.01 and 3600 seconds")
    if not 0 <= args.port <= 65535:
        p.error("--port must be between 0 and 65535")
    return args


async def serve(args: argparse.Namespace) -> None:
    data = args.data or localnet_dir()
    node = Node(data, args.chain_id, args.block_time, reset=args.reset, unbonding_time_s=args.unbonding_seconds)
    runner = web.AppRunner(make_app(node), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", args.port)
    await site.start()
    port = runner.addresses[0][1]
    print(f"{READY_PREFIX} url=http://127.0.0.1:{port} chain_id={args.chain_id} height={node.height} "
          f"data={data}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    watch = asyncio.create_task(_watch_parent(args.exit_with_parent, stop)) if args.exit_with_parent else None
    await stop.wait()
    if watch is not None:
        watch.cancel()
    await runner.cleanup()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


async def _watch_parent(pid: int, stop: asyncio.Event) -> None:
    """A parent that crashed cannot stop us: notice it is gone (or we were re-parented) and stop cleanly."""
    parent = os.getppid()
    while not stop.is_set():
        await asyncio.sleep(1.0)
        if not _alive(pid) or os.getppid() != parent:
            logging.getLogger(__name__).warning("process %d is gone; the local node stops", pid)
            stop.set()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        asyncio.run(serve(args))
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: cannot listen on 127.0.0.1:{args.port}: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
