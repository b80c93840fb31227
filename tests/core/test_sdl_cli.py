"""`python -m app sdl manifest|check`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from app.__main__ import main
from tests.core.test_sdl_errors import GOOD

VECTORS = Path(__file__).resolve().parent.parent / "vectors" / "sdl"


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_manifest_matches_the_library(capsys) -> None:
    path = VECTORS / "samples" / "gpu-a100-2.1.yaml"
    code, out = run(capsys, "sdl", "manifest", str(path))
    assert code == 0
    data = json.loads(out)
    expected = json.loads((VECTORS / "samples" / "gpu-a100-2.1.json").read_text(encoding="utf-8"))
    for key in ("groups_proto_hex", "manifest_sorted_json", "version_hex", "groups"):
        assert data[key] == expected[key]


def test_manifest_invalid_exits_1_with_all_errors(capsys, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("image: nginx", "image: nginx\n    depends_on: [db]").replace("count: 1", "count: 0"))
    code, out = run(capsys, "sdl", "manifest", str(bad))
    assert code == 1
    data = json.loads(out)
    assert data["error"] == data["errors"][0]["message"]
    assert [e["path"] for e in data["errors"]] == ["services.web.depends_on", "deployment.web.dcloud.count"]
    assert all(set(e) == {"path", "line", "column", "message"} for e in data["errors"])


def test_check_prints_file_line_col(capsys, tmp_path: Path) -> None:
    bad = tmp_path / "deploy.yaml"
    bad.write_text(GOOD.replace("denom: uact", "denom: uakt"))
    code, out = run(capsys, "sdl", "check", str(bad), "--akt-price", "0.5")
    assert code == 1
    assert out.startswith(f"{bad}:24:18: placement `dcloud` prices `web` in uakt")
    assert "amount: 500" in out


def test_check_summary(capsys, tmp_path: Path) -> None:
    good = tmp_path / "deploy.yaml"
    good.write_text(GOOD)
    code, out = run(capsys, "sdl", "check", str(good), "--akt-price", "2")
    assert code == 0
    assert "group dcloud (gseq 1)" in out
    assert "web x1: 0.5 CPU, 512Mi memory, 1Gi storage `default`; 1000 uact/block each" in out
    assert "431.25 ACT/month" in out and "215.62 AKT/month" in out
    assert "suggested deposit" in out


def test_cli_reads_stdin_and_survives_binary(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "app", "sdl", "manifest", "-"], input=b"\x00\xff\xfe garbage",
                          capture_output=True, timeout=60)
    assert proc.returncode == 1
    assert "error" in json.loads(proc.stdout)
    proc = subprocess.run([sys.executable, "-m", "app", "sdl", "check", "-"], input=GOOD.encode(),
                          capture_output=True, timeout=60)
    assert proc.returncode == 0 and b"<stdin>: valid SDL 2.0" in proc.stdout
