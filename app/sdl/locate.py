"""Turn a YAML path into a located SdlError (line and column of the value, or of its key)."""

from __future__ import annotations

from app.sdl.errors import SdlError, format_path
from app.sdl.jsvalues import JSArray, JSObject

Path = tuple[str | int, ...]


def position(root: object, root_pos: tuple[int, int], path: Path, at_key: bool = False) -> tuple[int, int]:
    """(line, column) of the node at `path`; of its key when `at_key`; of the nearest existing
    ancestor when the path goes further than the document (a missing required key)."""
    node, pos = root, root_pos
    for i, part in enumerate(path):
        last = i == len(path) - 1
        if isinstance(node, JSObject) and isinstance(part, str) and part in node:
            kl, kc, vl, vc = node.kpos.get(part, (*pos, *pos))
            if last and at_key:
                return kl, kc
            node, pos = node[part], (vl, vc)
        elif isinstance(node, JSArray) and isinstance(part, int) and 0 <= part < len(node):
            pos = node.ipos[part] if part < len(node.ipos) else pos
            node = node[part]
        else:
            break
    return pos


class ErrorSink:
    """Collects located errors for one document."""

    def __init__(self, root: object, root_pos: tuple[int, int]) -> None:
        self.root = root
        self.root_pos = root_pos
        self.errors: list[SdlError] = []

    def add(self, path: Path, message: str, at_key: bool = False) -> None:
        line, column = position(self.root, self.root_pos, path, at_key)
        self.errors.append(SdlError(format_path(path), line, column, message))

    def sorted(self) -> list[SdlError]:
        """Errors in file order (stable for errors at the same place)."""
        return sorted(self.errors, key=lambda e: (e.line, e.column))
