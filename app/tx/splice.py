"""Byte-exact quirks of the JS encoders that the protobuf runtime cannot produce, spliced in afterwards.

Three exist: cosmjs-types and protobufjs write an unpaired UTF-16 surrogate as its 3-byte sequence (not
valid UTF-8); they write a number field whose `!== 0` check passed but that coerces to 0 as an explicit
zero; and the cosmjs-types writer mis-encodes a 64-bit varint whose value lies in [2^31, 2^32) (the low
byte followed by four zero bytes: malformed protobuf that a node rejects, reproduced only for
byte-compatibility with the official libraries). The message is built with a same-length
placeholder, serialized, and the placeholder's bytes (found by building once more with that one
placeholder changed) are replaced by the exact bytes.
"""

from __future__ import annotations

from collections.abc import Callable

from google.protobuf.message import Message

_U64_PLACEHOLDER = 1 << 28  # a 5-byte varint, like every value in [2^31, 2^32)


def cosmjs_int64_bits(v: int) -> int:
    """cosmjs-types int64FromString(v.toString()): the last 24 decimal digits, modulo 2^64."""
    text = str(v)
    neg = text.startswith("-")
    n = int(text.lstrip("-")[-24:] or "0") % (1 << 64)
    return (-n) % (1 << 64) if neg else n


class Splicer:
    """Hands out placeholders while a message is built and remembers the exact bytes for each."""

    def __init__(self, mark: int | None = None, *, cosmjs_varint_bug: bool = True) -> None:
        self.mark = mark
        self.cosmjs_varint_bug = cosmjs_varint_bug
        self.items: list[bytes] = []

    def _next(self, data: bytes) -> bool:
        index = len(self.items)
        self.items.append(data)
        return index == self.mark

    def text(self, s: str, *, replace_surrogates: bool = False) -> str:
        """A string as cosmjs-types / protobufjs write it (lone surrogates as 3 bytes); with
        replace_surrogates, as TextEncoder writes it (U+FFFD)."""
        try:
            s.encode("utf-8")
            return s
        except UnicodeEncodeError:
            pass
        if replace_surrogates:
            return s.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        data = s.encode("utf-8", "surrogatepass")
        return ("b" if self._next(data) else "a") * len(data)

    def explicit_zero(self) -> int:
        """A varint field written as an explicit 0 (the JS writer checked `!== 0` before coercing)."""
        return 2 if self._next(b"\x00") else 1

    def cosmjs_u64(self, bits: int) -> int:
        """A 64-bit value (as unsigned bits) as the cosmjs-types BinaryWriter writes it (unless the
        splicer was made with cosmjs_varint_bug=False: then the correct varint)."""
        if self.cosmjs_varint_bug and (1 << 31) <= bits < (1 << 32):
            data = bytes([bits & 0xFF, 0, 0, 0, 0])
            return _U64_PLACEHOLDER + (1 if self._next(data) else 0)
        return bits


def serialize_spliced(build: Callable[[Splicer], Message], *, cosmjs_varint_bug: bool = True) -> bytes:
    """build(splicer) -> message; its serialization with every placeholder replaced by its exact bytes."""
    splicer = Splicer(cosmjs_varint_bug=cosmjs_varint_bug)
    base = build(splicer).SerializeToString()
    out = bytearray(base)
    for index, data in enumerate(splicer.items):
        marked = build(Splicer(mark=index, cosmjs_varint_bug=cosmjs_varint_bug)).SerializeToString()
        if len(marked) != len(base):
            raise ValueError("placeholder serialization changed length")
        start = next(i for i in range(len(base)) if base[i] != marked[i])
        out[start : start + len(data)] = data
    return bytes(out)
