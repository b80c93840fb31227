"""Keystore unlock time with the default KDF parameters (aim: 0.2-1.0 s: strong but not annoying)."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from app.wallet.kdf import DEFAULT_KDF
from app.wallet.keystore import Keystore
from app.wallet.mnemonic import generate_mnemonic

RUNS = 7


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-keystore-") as root:
        ks = Keystore(Path(root))
        t0 = time.perf_counter()
        ks.create("bench", generate_mnemonic(24), "bench password")
        create_s = time.perf_counter() - t0
        times = []
        for _ in range(RUNS):
            t0 = time.perf_counter()
            wallet = ks.unlock("bench", "bench password")
            times.append(time.perf_counter() - t0)
            wallet.lock()
        t0 = time.perf_counter()
        ks.unlock("bench", "bench password").signer(0)
        first_signer_s = time.perf_counter() - t0
    median = statistics.median(times)
    verdict = "in range" if 0.2 <= median <= 1.0 else "OUT OF RANGE"
    print(f"  KDF: {DEFAULT_KDF.describe()}  ({DEFAULT_KDF.to_header()})")
    print(
        f"  unlock: median {median:.3f} s over {RUNS} (min {min(times):.3f}, max {max(times):.3f}) -> {verdict} [0.2-1.0 s]"
    )
    print(f"  create: {create_s:.3f} s; unlock + first signer: {first_signer_s:.3f} s")
