"""`make proto` is reproducible: regenerating from app/proto/src gives exactly the committed app/proto/gen."""

from __future__ import annotations

from pathlib import Path

from app.proto import build


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
            and "__pycache__" not in p.parts}


def test_regenerated_code_equals_committed(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    build.generate(out)
    fresh, committed = _tree(out), _tree(build.GEN_DIR)
    assert sorted(fresh) == sorted(committed), "file set differs: run `make proto` and commit app/proto/gen"
    changed = [name for name in fresh if fresh[name] != committed[name]]
    assert not changed, f"stale generated files (run `make proto`): {changed[:5]}"


def test_generated_imports_point_inside_the_package() -> None:
    for py in build.GEN_DIR.rglob("*_pb2.py"):
        text = py.read_text(encoding="utf-8")
        for root in build.OWN_ROOTS:
            assert f"\nfrom {root}." not in text, f"{py}: absolute import of {root} left unrewritten"
