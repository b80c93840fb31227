"""Located SDL errors: what is wrong, where in the file (YAML path, line, column) and what to do."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SdlError:
    """One problem in an SDL. `path` is the YAML path ("services.web.expose[0].port", "" for the
    whole document); `line` and `column` are 1-based (0 when the problem has no position)."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        where = f"{self.line}:{self.column}: " if self.line else ""
        return f"{where}{self.message}"

    def to_dict(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "column": self.column, "message": self.message}


class SdlValidationError(ValueError):
    """An SDL that cannot be deployed; `errors` lists every problem found, in file order."""

    def __init__(self, errors: list[SdlError]) -> None:
        if not errors:
            raise ValueError("SdlValidationError needs at least one error")
        self.errors = list(errors)
        super().__init__(str(self.errors[0]))

    def to_dict(self) -> dict[str, object]:
        return {"error": self.errors[0].message, "errors": [e.to_dict() for e in self.errors]}


def format_path(path: tuple[str | int, ...]) -> str:
    """("services", "web", "expose", 0, "port") -> "services.web.expose[0].port"."""
    out: list[str] = []
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif part and all(c.isalnum() or c in "-_" for c in part) and part.isascii():
            out.append(f".{part}" if out else part)
        else:
            quoted = '"' + part.replace("\\", "\\\\").replace('"', '\\"') + '"'
            out.append(f"[{quoted}]")
    return "".join(out)
