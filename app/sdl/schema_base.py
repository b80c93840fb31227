"""Schema-checking building blocks: value kinds as ajv sees them, and located type/shape checks."""

from __future__ import annotations

import difflib

from app.jsnumber import number_to_string
from app.sdl.jsvalues import JSDate, is_js_integer
from app.sdl.locate import ErrorSink, Path

HTTP_ERROR_CODES = ("error", "timeout", "500", "502", "503", "504", "403", "404", "429", "off")

_HINTS = {
    "depends_on": "`depends_on` is not part of SDL; remove it (services reach each other by name, "
                  "see `expose.to.service`)",
    "depends-on": "`depends-on` is not part of SDL; remove it (services reach each other by name, "
                  "see `expose.to.service`)",
    "environment": "`environment` is not part of SDL; use `env` (a list of \"KEY=value\")",
    "ports": "`ports` is not part of SDL; use `expose` (a list of {port, as, to})",
    "volumes": "`volumes` is not part of SDL; declare storage under profiles.compute.<profile>.resources."
               "storage and mount it with params.storage",
    "restart": "`restart` is not part of SDL; remove it (the provider always restarts containers)",
    "cmd": "`cmd` is not part of SDL; use `command` (and `args`)",
    "entrypoint": "`entrypoint` is not part of SDL; use `command`",
    "tee": "`tee` is not supported by the SDL version the network's reference library accepts; remove it",
    "proxy_buffer_size": "`proxy_buffer_size` is not accepted by the reference SDL library; remove it",
}


def describe(value: object) -> str:
    """A value's kind in words, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, JSDate):
        return "a date"
    if isinstance(value, bytes):
        return "binary data"
    return "a mapping"


def is_object(value: object) -> bool:
    """ajv's "object": anything typeof "object" that is neither null nor an array."""
    return isinstance(value, (dict, JSDate, bytes))


def as_mapping(value: object) -> dict:
    """The own enumerable properties of an ajv object."""
    if isinstance(value, dict):
        return value
    if isinstance(value, bytes):
        return {str(i): float(b) for i, b in enumerate(value)}
    return {}


class SchemaBase:
    """Located checks of the keywords the schema uses (type, additionalProperties, required, ...)."""

    def __init__(self, sink: ErrorSink) -> None:
        self.sink = sink

    def err(self, path: Path, message: str, at_key: bool = False) -> None:
        self.sink.add(path, message, at_key)

    # --- generic keywords ------------------------------------------------------------------------

    def mapping(self, value: object, path: Path, what: str, allowed: tuple[str, ...] | None = None,
                required: tuple[str, ...] = ()) -> dict | None:
        """Type object + additionalProperties false + required; the mapping, or None when not one."""
        if not is_object(value):
            self.err(path, f"{what} must be a mapping, not {describe(value)}")
            return None
        obj = as_mapping(value)
        if allowed is not None:
            for key in obj:
                if key not in allowed:
                    self.err((*path, key), self._unknown_key(key, what, allowed), at_key=True)
        for key in required:
            if key not in obj:
                self.err(path, f"{what} needs `{key}`")
        return obj

    @staticmethod
    def _unknown_key(key: str, what: str, allowed: tuple[str, ...]) -> str:
        if key in _HINTS:
            return _HINTS[key]
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f"; did you mean `{close[0]}`?" if close else f"; allowed here: {', '.join(allowed)}"
        return f"`{key}` is not allowed in {what}{hint}"

    def string(self, value: object, path: Path, what: str, min_length: int = 0) -> bool:
        if not isinstance(value, str):
            self.err(path, f"{what} must be a string, not {describe(value)}" + _quote_hint(value))
            return False
        if len(value) < min_length:
            self.err(path, f"{what} must be at least {min_length} character{'s' * (min_length > 1)} long")
            return False
        return True

    def integer(self, value: object, path: Path, what: str, minimum: float | None = None,
                maximum: float | None = None) -> None:
        minimum = None if minimum is None else float(minimum)
        maximum = None if maximum is None else float(maximum)
        if not is_js_integer(value):
            self.err(path, f"{what} must be a whole number, not {describe(value)}")
        if type(value) is float:
            if minimum is not None and not value >= minimum:
                self.err(path, f"{what} must be at least {number_to_string(minimum)}")
            if maximum is not None and not value <= maximum:
                self.err(path, f"{what} must be at most {number_to_string(maximum)}")

    def string_list(self, value: object, path: Path, what: str, nullable: bool = False) -> None:
        if nullable and value is None:
            return
        if not isinstance(value, list):
            self.err(path, f"{what} must be a list of strings, not {describe(value)}")
            return
        for i, item in enumerate(value):
            self.string(item, (*path, i), f"each entry of {what}")


def _quote_hint(value: object) -> str:
    if isinstance(value, (bool, float)) or value is None:
        return " (quote it to make it a string)"
    return ""
