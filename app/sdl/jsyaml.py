"""YAML -> the values js-yaml 4 gives JavaScript (core schema + timestamps, merge keys), with positions.

The official SDL library reads YAML with js-yaml's `load`. libyaml (PyYAML's C parser) does the
parsing; this module composes its events the way js-yaml builds objects: YAML 1.2 core-schema
scalars (`yes`/`on` stay strings, `0x1F` and `0o17` are ints, `1_000` is 1000), mapping keys turned
into strings, `<<` merges where explicit keys win, duplicate keys rejected, anchors that may be
redefined, and every value remembering its line and column.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

import yaml

from app.jsnumber import number_to_string
from app.sdl.errors import SdlError, SdlValidationError
from app.sdl.jsvalues import (
    JSArray,
    JSDate,
    JSObject,
    int_to_float,
    js_key_order,
    js_string,
    make_utc_date,
    parse_float,
)

MAX_DEPTH = 256  # deeper nesting is never a valid SDL; refusing it keeps every walk bounded

_MERGE = object()  # marks a `<<` key


class YamlProblem(Exception):
    """A document js-yaml would refuse, at (line, column)."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


# --- implicit scalar types (ports of js-yaml/lib/type/*.js) -------------------------------------

def _is_hex(c: str) -> bool:
    return "0" <= c <= "9" or "A" <= c <= "F" or "a" <= c <= "f"


def _resolve_int(data: str) -> bool:
    size = len(data)
    if not size:
        return False
    index = 0
    ch: str | None = data[0]
    if ch in ("-", "+"):
        index += 1
        ch = data[index] if index < size else None
    if ch == "0":
        if index + 1 == size:
            return True
        index += 1
        ch = data[index]
        digit_ok: Callable[[str], bool] | None = {
            "b": lambda c: c in "01", "x": _is_hex, "o": lambda c: "0" <= c <= "7"}.get(ch)
        if digit_ok is not None:
            has_digits = False
            index += 1
            while index < size:
                ch = data[index]
                index += 1
                if ch == "_":
                    continue
                if not digit_ok(ch):
                    return False
                has_digits = True
            return has_digits and ch != "_"
    if ch == "_":
        return False
    has_digits = False
    while index < size:
        ch = data[index]
        index += 1
        if ch == "_":
            continue
        if not ("0" <= ch <= "9"):
            return False
        has_digits = True
    return has_digits and ch != "_"


def _construct_int(data: str) -> float:
    value = data.replace("_", "")
    sign = 1.0
    ch = value[0]
    if ch in ("-", "+"):
        if ch == "-":
            sign = -1.0
        value = value[1:]
        ch = value[0] if value else ""
    if value == "0":
        return 0.0
    if ch == "0" and len(value) > 1 and value[1] in "bxo":
        return sign * int_to_float(int(value[2:], {"b": 2, "x": 16, "o": 8}[value[1]]))
    return sign * float(value)  # decimal digits: correctly rounded, no length limit (unlike int())


_FLOAT = re.compile(
    r"(?:[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?"
    r"|\.[0-9_]+(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)"
    r"|\.(?:nan|NaN|NAN))")


def _resolve_float(data: str) -> bool:
    return _FLOAT.fullmatch(data) is not None and not data.endswith("_")


def _construct_float(data: str) -> float:
    value = data.replace("_", "").lower()
    sign = -1.0 if value[0] == "-" else 1.0
    if value[0] in "+-":
        value = value[1:]
    if value == ".inf":
        return sign * math.inf
    if value == ".nan":
        return math.nan
    return sign * parse_float(value)


_DATE = re.compile(r"([0-9][0-9][0-9][0-9])-([0-9][0-9])-([0-9][0-9])")
_TIMESTAMP = re.compile(
    r"([0-9][0-9][0-9][0-9])-([0-9][0-9]?)-([0-9][0-9]?)(?:[Tt]|[ \t]+)([0-9][0-9]?):([0-9][0-9]):([0-9][0-9])"
    r"(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9][0-9]?)(?::([0-9][0-9]))?))?")


def _resolve_timestamp(data: str) -> bool:
    return _DATE.fullmatch(data) is not None or _TIMESTAMP.fullmatch(data) is not None


def _utc(year: int, *rest: int) -> float:
    if 0 <= year <= 99:  # Date.UTC maps two-digit years to the 1900s
        year += 1900
    return make_utc_date(year, *rest)


def _construct_timestamp(data: str) -> JSDate:
    m = _DATE.fullmatch(data)
    if m:
        return JSDate(_utc(int(m[1]), int(m[2]) - 1, int(m[3])))
    m = _TIMESTAMP.fullmatch(data)
    assert m is not None
    fraction = int((m[7] or "")[:3].ljust(3, "0")) if m[7] else 0
    ms = _utc(int(m[1]), int(m[2]) - 1, int(m[3]), int(m[4]), int(m[5]), int(m[6]), fraction)
    if m[9]:
        delta = (int(m[10]) * 60 + int(m[11] or 0)) * 60000
        ms -= -delta if m[9] == "-" else delta
    return JSDate(ms)


def resolve_plain(data: str) -> object:
    """The value of an untagged plain scalar under js-yaml's default schema."""
    first = data[0]
    if first not in "0123456789+-.~nNtTfF<":
        return data
    if data in ("~", "null", "Null", "NULL"):
        return None
    if data in ("true", "True", "TRUE"):
        return True
    if data in ("false", "False", "FALSE"):
        return False
    if _resolve_int(data):
        return _construct_int(data)
    if _resolve_float(data):
        return _construct_float(data)
    if _resolve_timestamp(data):
        return _construct_timestamp(data)
    if data == "<<":
        return _MERGE
    return data


# --- explicit tags -------------------------------------------------------------------------------

_TAG = "tag:yaml.org,2002:"
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\n\r"


def _binary(data: str) -> bytes | None:
    bits = 0
    for ch in data:
        code = _B64.find(ch)
        if code > 64:
            continue
        if code < 0:
            return None
        bits += 6
    if bits % 8:
        return None
    clean = re.sub(r"[\r\n=]", "", data)
    out = bytearray()
    acc = 0
    for i, ch in enumerate(clean):
        if i % 4 == 0 and i:
            out += bytes(((acc >> 16) & 0xFF, (acc >> 8) & 0xFF, acc & 0xFF))
        acc = ((acc << 6) | _B64.index(ch)) & 0xFFFFFFFF
    tail = (len(clean) % 4) * 6
    if tail == 0:
        out += bytes(((acc >> 16) & 0xFF, (acc >> 8) & 0xFF, acc & 0xFF))
    elif tail == 18:
        out += bytes(((acc >> 10) & 0xFF, (acc >> 2) & 0xFF))
    elif tail == 12:
        out.append((acc >> 4) & 0xFF)
    return bytes(out)


def _tagged_scalar(tag: str, data: str | None) -> object:
    """An explicitly tagged scalar (`data` None for an empty node); NotImplemented when it cannot resolve."""
    name = tag[len(_TAG):] if tag.startswith(_TAG) else None
    if name == "str":
        return "" if data is None else data
    if name == "null":
        return None if data is None or data in ("~", "null", "Null", "NULL") else NotImplemented
    if data is None:
        if name == "bool":
            return NotImplemented
        if name == "merge":
            return _MERGE
        if name in ("map", "set"):
            return JSObject()
        if name in ("seq", "omap", "pairs"):
            return JSArray()
        return NotImplemented
    if name == "bool":
        if data in ("true", "True", "TRUE"):
            return True
        return False if data in ("false", "False", "FALSE") else NotImplemented
    if name == "int":
        return _construct_int(data) if _resolve_int(data) else NotImplemented
    if name == "float":
        return _construct_float(data) if _resolve_float(data) else NotImplemented
    if name == "timestamp":
        return _construct_timestamp(data) if _resolve_timestamp(data) else NotImplemented
    if name == "merge":
        return _MERGE if data == "<<" else NotImplemented
    if name == "binary":
        value = _binary(data)
        return NotImplemented if value is None else value
    raise KeyError(tag)


# --- composing -----------------------------------------------------------------------------------

def _key_string(key: object, line: int, col: int) -> str:
    """String(keyNode) as js-yaml's storeMappingPair computes it."""
    if isinstance(key, list):
        parts = []
        for item in key:
            if isinstance(item, list):
                raise YamlProblem("nested arrays are not supported inside keys", line, col)
            parts.append(item)
        return js_string(parts)
    if isinstance(key, dict):
        return "[object Object]"
    if isinstance(key, str):
        return key
    if type(key) is float:
        return number_to_string(key)
    return js_string(key)


class _Mapping:
    __slots__ = ("obj", "key", "key_pos", "overridable", "tag", "anchor", "block", "started")

    def __init__(self, obj: JSObject, tag: str | None, anchor: str | None, block: bool) -> None:
        self.obj = obj
        self.block = block
        self.started = False
        self.key: object = None
        self.key_pos: tuple[int, int] | None = None  # set while a key waits for its value
        self.overridable: set[str] = set()
        self.tag = tag
        self.anchor = anchor


class _Sequence:
    __slots__ = ("arr", "tag", "anchor")

    def __init__(self, arr: JSArray, tag: str | None, anchor: str | None) -> None:
        self.arr = arr
        self.tag = tag
        self.anchor = anchor


def _merge_into(dest: JSObject, source: object, overridable: set[str], line: int, col: int) -> None:
    if isinstance(source, dict):
        items = list(source.items())
        kpos = getattr(source, "kpos", {})
    elif isinstance(source, list):
        items = [(str(i), v) for i, v in enumerate(source)]
        kpos = {}
    elif isinstance(source, (JSDate, bytes)):
        items = [(str(i), float(b)) for i, b in enumerate(source)] if isinstance(source, bytes) else []
        kpos = {}
    else:
        raise YamlProblem("cannot merge mappings; the provided source object is unacceptable", line, col)
    for key, value in items:
        if key not in dest and key != "__proto__":
            dest[key] = value
            dest.kpos[key] = kpos.get(key, (line, col, line, col))
            overridable.add(key)


def _store(frame: _Mapping, value: object, vpos: tuple[int, int]) -> None:
    key, (kl, kc) = frame.key, frame.key_pos  # type: ignore[misc]
    frame.key_pos = None
    obj = frame.obj
    if key is _MERGE:
        if isinstance(value, list):
            for item in value:
                _merge_into(obj, item, frame.overridable, *vpos)
        else:
            _merge_into(obj, value, frame.overridable, *vpos)
        return
    name = _key_string(key, kl, kc)
    if name in obj and name not in frame.overridable:
        raise YamlProblem(f"duplicated mapping key `{name}`", kl, kc)
    obj[name] = value
    obj.kpos[name] = (kl, kc, vpos[0], vpos[1])
    frame.overridable.discard(name)


def _finish_collection(frame: _Mapping | _Sequence, line: int, col: int) -> object:
    """Apply an explicit collection tag (js-yaml: !!map, !!set, !!seq, !!omap, !!pairs, `!`)."""
    tag = frame.tag
    if isinstance(frame, _Mapping):
        obj = frame.obj
        if any(k.isdigit() for k in obj):
            ordered = js_key_order(list(obj))
            if ordered != list(obj):
                items = [(k, obj[k]) for k in ordered]
                obj.clear()
                obj.update(items)
        if tag in (None, "!", _TAG + "map"):
            return obj
        if tag == _TAG + "set":
            if any(v is not None for v in obj.values()):
                raise YamlProblem("cannot resolve a node with !<tag:yaml.org,2002:set> explicit tag", line, col)
            return obj
        if tag in (_TAG + "seq", _TAG + "omap", _TAG + "pairs"):
            raise YamlProblem(f"unacceptable node kind for !<{tag}> tag; it should be \"sequence\", not "
                              "\"mapping\"", line, col)
        raise YamlProblem(f"unknown tag !<{tag}>", line, col)
    arr = frame.arr
    if tag in (None, "!", _TAG + "seq"):
        return arr
    if tag in (_TAG + "omap", _TAG + "pairs"):
        seen: set[str] = set()
        for item in arr:
            if not isinstance(item, dict) or len(item) != 1:
                raise YamlProblem(f"cannot resolve a node with !<{tag}> explicit tag", line, col)
            (key,) = item
            if tag == _TAG + "omap":
                if key in seen:
                    raise YamlProblem(f"cannot resolve a node with !<{tag}> explicit tag", line, col)
                seen.add(key)
        if tag == _TAG + "omap":
            return arr
        pairs = JSArray(arr.pos)
        for item, pos in zip(arr, arr.ipos, strict=True):
            ((key, value),) = item.items()
            pair = JSArray(pos)
            pair.extend((key, value))
            pair.ipos = [pos, pos]
            pairs.append(pair)
            pairs.ipos.append(pos)
        return pairs
    if tag in (_TAG + "map", _TAG + "set"):
        raise YamlProblem(f"unacceptable node kind for !<{tag}> tag; it should be \"mapping\", not "
                          "\"sequence\"", line, col)
    raise YamlProblem(f"unknown tag !<{tag}>", line, col)


def _scalar_value(ev: yaml.ScalarEvent, line: int, col: int) -> object:
    tag, data = ev.tag, ev.value
    if tag is None:
        if ev.style:
            return data
        return resolve_plain(data) if data else None
    if tag == "!":
        return data
    empty = data == "" and not ev.style
    try:
        value = _tagged_scalar(tag, None if empty else data)
    except KeyError:
        if tag.startswith(_TAG) and tag[len(_TAG):] in ("map", "set", "seq", "omap", "pairs"):
            kind = "mapping" if tag[len(_TAG):] in ("map", "set") else "sequence"
            raise YamlProblem(f"unacceptable node kind for !<{tag}> tag; it should be \"{kind}\", not "
                              "\"scalar\"", line, col) from None
        raise YamlProblem(f"unknown tag !<{tag}>", line, col) from None
    if value is NotImplemented:
        raise YamlProblem(f"cannot resolve a node with !<{tag}> explicit tag", line, col)
    return value


def _check_first_key(top: _Mapping | _Sequence, ev: object, line: int, col: int) -> None:
    """js-yaml cannot read an anchor or tag in front of the first key of a block mapping."""
    if not isinstance(top, _Mapping) or top.started:
        return
    top.started = True
    anchored = getattr(ev, "anchor", None) is not None and type(ev) is not yaml.AliasEvent
    if top.block and (anchored or getattr(ev, "tag", None) is not None) and top.obj.pos == (line, col):
        raise YamlProblem("bad indentation of a mapping entry (js-yaml does not accept an anchor or tag before "
                          "the first key of a mapping)", line, col)


def _open(ev: yaml.MappingStartEvent | yaml.SequenceStartEvent, line: int, col: int,
          anchors: dict[str, object]) -> _Mapping | _Sequence:
    """A new collection frame; its anchor is usable from inside it, as in js-yaml."""
    if type(ev) is yaml.MappingStartEvent:
        obj = JSObject((line, col))
        if ev.anchor is not None:
            anchors[ev.anchor] = obj
        return _Mapping(obj, ev.tag, ev.anchor, not ev.flow_style)
    arr = JSArray((line, col))
    if ev.anchor is not None:
        anchors[ev.anchor] = arr
    return _Sequence(arr, ev.tag, ev.anchor)


def _compose(events: object) -> tuple[object, tuple[int, int], bool]:
    """(root value, root position, found) from a PyYAML event stream."""
    anchors: dict[str, object] = {}
    stack: list[_Mapping | _Sequence] = []
    root: object = None
    root_pos = (1, 1)
    documents = 0

    def add(value: object, line: int, col: int) -> None:
        nonlocal root, root_pos
        if not stack:
            root, root_pos = value, (line, col)
            return
        top = stack[-1]
        if isinstance(top, _Sequence):
            if value is _MERGE:
                value = "<<"
            top.arr.append(value)
            top.arr.ipos.append((line, col))
        elif top.key_pos is None:
            top.key, top.key_pos = value, (line, col)
        else:
            if value is _MERGE:
                value = "<<"
            _store(top, value, (line, col))

    for ev in events:  # type: ignore[attr-defined]
        mark = ev.start_mark
        line, col = mark.line + 1, mark.column + 1
        cls = type(ev)
        if stack and cls is not yaml.MappingEndEvent and cls is not yaml.SequenceEndEvent:
            _check_first_key(stack[-1], ev, line, col)
        if cls is yaml.ScalarEvent:
            value = _scalar_value(ev, line, col)
            if ev.anchor is not None:
                anchors[ev.anchor] = value
            add(value, line, col)
        elif cls is yaml.MappingStartEvent or cls is yaml.SequenceStartEvent:
            if len(stack) >= MAX_DEPTH:
                raise YamlProblem(f"the document is nested more than {MAX_DEPTH} levels deep", line, col)
            stack.append(_open(ev, line, col, anchors))
        elif cls is yaml.MappingEndEvent or cls is yaml.SequenceEndEvent:
            frame = stack.pop()
            fl, fc = frame.obj.pos if isinstance(frame, _Mapping) else frame.arr.pos
            value = _finish_collection(frame, fl, fc)
            if frame.anchor is not None:
                anchors[frame.anchor] = value
            add(value, fl, fc)
        elif cls is yaml.AliasEvent:
            if ev.anchor not in anchors:
                raise YamlProblem(f'unidentified alias "{ev.anchor}"', line, col)
            add(anchors[ev.anchor], line, col)
        elif cls is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise YamlProblem("expected a single document in the stream, but found more", line, col)
    return root, root_pos, documents > 0


_SURROGATE_PAIR = re.compile(r"\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})")


def _events(text: str) -> list:
    """libyaml's events, after two fixes where js-yaml is more lenient: double-quoted "\\uD83D\\uDE00"
    pairs (which libyaml refuses and js-yaml joins into one character) become "\\U0001F600", and a tab
    separating tokens inside a line (`- \\tvalue`) becomes a space."""
    for _ in range(256):
        try:
            return list(yaml.parse(text, Loader=yaml.CSafeLoader))
        except yaml.MarkedYAMLError as exc:
            mark, problem = exc.problem_mark, exc.problem or ""
            if mark is None:
                raise
            if "cannot start any token" in problem and text[mark.index:mark.index + 1] == "\t":
                line_start = text.rfind("\n", 0, mark.index) + 1
                if not text[line_start:mark.index].strip(" \t"):
                    raise  # a tab in the indentation: js-yaml refuses it too
                text = text[:mark.index] + " " + text[mark.index + 1:]
                continue
            if "invalid Unicode character escape" not in problem:
                raise
            m = _SURROGATE_PAIR.match(text, max(0, mark.index - 2))
            if not m:
                raise YamlProblem("a \\u escape names half of a surrogate pair; write the character itself",
                                  mark.line + 1, mark.column + 1) from None
            code = 0x10000 + ((int(m.group(1), 16) - 0xD800) << 10) + (int(m.group(2), 16) - 0xDC00)
            text = text[:m.start()] + f"\\U{code:08X}" + text[m.end():]
    raise YamlProblem("too many tabs or \\u escapes to repair", 0, 0)


_FIRST_MARKER = re.compile(r"\A((?:[ \t]*(?:#[^\n]*)?\n|%[^\n]*\n)*)---(?=[^ \t\r\n])")


def _js_document_start(text: str) -> str:
    """js-yaml takes `---` at the start of a document as the marker even when a character follows it
    (`---# comment`, `---x`); libyaml reads such a line as a plain scalar. Add the missing space."""
    return _FIRST_MARKER.sub(r"\1--- ", text, count=1) if "---" in text[:4096] else text


def load(text: str) -> tuple[object, tuple[int, int]]:
    """The js-yaml value of a one-document YAML text and the position of its root node.

    Raises SdlValidationError (one located error) for anything js-yaml's `load` would refuse."""
    try:
        root, pos, found = _compose(_events(_js_document_start(text)))
    except YamlProblem as exc:
        raise SdlValidationError([SdlError("", exc.line, exc.column, f"YAML: {exc.message}")]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        problem = exc.problem or exc.context or "invalid YAML"
        context = f" ({exc.context})" if exc.context and exc.problem else ""
        raise SdlValidationError([SdlError("", line, col, f"YAML: {problem}{context}")]) from None
    except yaml.YAMLError as exc:
        raise SdlValidationError([SdlError("", 0, 0, f"YAML: {exc}")]) from None
    except (UnicodeError, ValueError) as exc:
        raise SdlValidationError([SdlError("", 0, 0, f"YAML: the text cannot be read ({exc})")]) from None
    if not found:
        raise SdlValidationError([SdlError("", 0, 0, "the file holds no YAML document")])
    return root, pos
