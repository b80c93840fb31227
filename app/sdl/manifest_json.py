"""The manifest's sorted JSON (the provider PUT body and the hash input) and its sha256 version.

Byte-for-byte what chain-sdk's manifestToSortedJSON gives: keys sorted, no spaces, JSON.stringify string
and number forms, `command`/`args`/`env`/`hosts` null when empty, `kind` 0 and empty `attributes`
omitted, `quantity` written as `size`, and `<`, `>`, `&` escaped as Go's encoder does.
"""

from __future__ import annotations

import hashlib
import re
from json.encoder import encode_basestring  # type: ignore[attr-defined]

from app.jsnumber import number_to_string

_NULLABLE = frozenset({"command", "args", "env", "hosts"})
_OMITTED = frozenset({"kind", "attributes"})
_RENAMED = {"quantity": "size", "sequenceNumber": "sequence_number"}
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _string(s: str) -> str:
    out = encode_basestring(s)
    if _LONE_SURROGATE.search(out):  # JSON.stringify escapes lone surrogates
        out = _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", out)
    return out


def _value(value: object, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(_string(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, float):
        out.append(number_to_string(value) if value - value == 0 else "null")
    elif isinstance(value, int):
        out.append(str(value))
    elif isinstance(value, bytes):
        out.append(_string(value.decode("utf-8", "replace")))
    elif isinstance(value, list):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _value(item, out)
        out.append("]")
    else:
        _object(value, out)  # type: ignore[arg-type]


def _is_zero(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == 0


def _object(obj: dict, out: list[str]) -> None:
    out.append("{")
    first = True
    for key in sorted(obj):
        value = obj[key]
        if key in _NULLABLE and (value is None or (isinstance(value, list) and not value)):
            value = None
        elif key in _OMITTED and ((isinstance(value, list) and not value) or _is_zero(value)):
            continue
        if not first:
            out.append(",")
        first = False
        out.append(f'"{_RENAMED.get(key, key)}":')
        _value(value, out)
    out.append("}")


def sorted_json(manifest: list[dict]) -> str:
    """manifestToSortedJSON(manifest groups)."""
    out: list[str] = []
    _value(manifest, out)
    text = "".join(out)
    if "<" in text or ">" in text or "&" in text:
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return text


def manifest_version(sorted_manifest_json: str) -> bytes:
    """The 32-byte version hash: sha256 of the sorted JSON (MsgCreateDeployment.hash)."""
    return hashlib.sha256(sorted_manifest_json.encode("utf-8")).digest()
