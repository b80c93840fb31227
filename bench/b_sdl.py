"""SDL engine speed: the 296 valid corpus SDLs (parse, validate, GroupSpecs, manifest, hash) in one process,
and the whole 342-file corpus side by side with the official library in Node when it is available."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from app.sdl import SdlValidationError, parse_sdl

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "vectors" / "sdl" / "corpus"
ROUNDS = 5


def _process(texts: list[str]) -> tuple[int, int]:
    ok = invalid = 0
    for text in texts:
        try:
            sdl = parse_sdl(text)
        except SdlValidationError:
            invalid += 1
            continue
        sdl.groups_proto_hex()
        sdl.manifest_sorted_json()
        sdl.version()
        ok += 1
    return ok, invalid


def _best_of(texts: list[str]) -> float:
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.perf_counter()
        _process(texts)
        best = min(best, time.perf_counter() - start)
    return best


def _node_seconds(files: list[Path]) -> float | None:
    """The official library's own figure for the same files (`node sdl-batch.mjs`), or None."""
    oracle = Path(os.environ.get("ORACLE_DIR", "/tmp/oracle"))
    if not shutil.which("node") or not (oracle / "sdl-batch.mjs").exists():
        return None
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in"
        src.mkdir()
        for f in files:
            shutil.copy(f, src / f.name)
        best = None
        for _ in range(3):
            out = subprocess.run(["node", str(oracle / "sdl-batch.mjs"), str(src), str(Path(tmp) / "out")],
                                 capture_output=True, text=True, timeout=300, check=False)
            m = re.search(r"(\d+) ok, (\d+) invalid, ([0-9.]+) seconds", out.stdout)
            if m:
                best = min(best or float("inf"), float(m.group(3)))
        return best


def main() -> None:
    files = sorted((CORPUS / "sdl").glob("*.yaml"))
    texts = {f: f.read_text(encoding="utf-8") for f in files}
    valid = [texts[f] for f in files
             if "version_hex" in json.loads((CORPUS / "expected" / f"{f.stem}.json").read_text(encoding="utf-8"))]
    _process(valid)  # warm-up (imports, caches)
    t_valid = _best_of(valid)
    print(f"  {len(valid)} valid corpus SDLs (parse, validate, groups, manifest, hash): {t_valid:.3f} s, "
          f"{len(valid) / t_valid:,.0f} SDL/s (best of {ROUNDS})")
    all_texts = list(texts.values())
    t_all = _best_of(all_texts)
    ok, invalid = _process(all_texts)
    print(f"  all {len(all_texts)} corpus files ({ok} ok, {invalid} invalid): {t_all:.3f} s, "
          f"{len(all_texts) / t_all:,.0f} SDL/s")
    node = _node_seconds(files)
    if node is None:
        print("  official library (node sdl-batch.mjs): not available (needs node and ORACLE_DIR)")
    else:
        print(f"  official library (node sdl-batch.mjs, same {len(files)} files): {node:.3f} s; "
              f"ours is {node / t_all:.1f}x its speed")


if __name__ == "__main__":
    main()
