"""YAML/SDL syntax highlighting for the SDL editor (keys, SDL section names, strings, numbers, comments)."""

from __future__ import annotations

import re

from PySide6.QtGui import QColor, QFont, QPalette, QSyntaxHighlighter, QTextCharFormat, QTextDocument

# Top-level sections and the keys people look for; shown bold so the structure stands out.
SDL_KEYWORDS = frozenset({
    "version", "services", "profiles", "deployment", "compute", "placement", "endpoints", "image", "expose",
    "port", "as", "to", "global", "accept", "http_options", "env", "command", "args", "depends_on", "params",
    "storage", "resources", "cpu", "memory", "gpu", "units", "size", "attributes", "pricing", "denom",
    "amount", "signedBy", "anyOf", "allOf", "count", "profile", "proto", "credentials", "vendor", "ip",
    "persistent", "class", "mount", "readOnly", "reclamation", "min_window",
})
HUGE_DOCUMENT_CHARS = 256 * 1024  # past this, colouring every line costs more than it helps

_KEY = re.compile(r"^(\s*(?:-\s+)*)([^\s#'\"{}\[\],&*!|>%@`][^#:]*?|\"[^\"]*\"|'[^']*')\s*:(?=\s|$)")
_COMMENT = re.compile(r"(^|\s)#.*$")
_STRING = re.compile(r"\"(?:[^\"\\]|\\.)*\"?|'(?:[^']|'')*'?")
_NUMBER = re.compile(r"(?<![\w.-])[-+]?(?:0x[0-9a-fA-F]+|0o[0-7]+|\d[\d_]*(?:\.\d*)?(?:[eE][-+]?\d+)?)(?:[KMGTPE]i?)?(?![\w.])")
_BOOL = re.compile(r"(?<![\w-])(?:true|false|True|False|TRUE|FALSE|null|Null|NULL|~)(?![\w-])")
_ANCHOR = re.compile(r"[&*][^\s,\[\]{}]+")
_MARKER = re.compile(r"^(?:---|\.\.\.)(?=\s|$)")
_DASH = re.compile(r"^\s*(-)(?=\s|$)")


def _fmt(color: QColor, bold: bool = False, italic: bool = False) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(color)
    if bold:
        fmt.setFontWeight(QFont.Weight.Bold)
    fmt.setFontItalic(italic)
    return fmt


class SdlHighlighter(QSyntaxHighlighter):
    """Line-by-line YAML colouring; colours follow the palette so a dark theme stays readable."""

    def __init__(self, document: QTextDocument, palette: QPalette | None = None) -> None:
        super().__init__(document)
        self.set_palette(palette or QPalette())

    def set_palette(self, palette: QPalette) -> None:
        dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
        pick = (lambda d, light: QColor(d if dark else light))  # noqa: E731 - a tiny chooser
        self.formats = {
            "key": _fmt(pick("#7cc4ff", "#005a9e")),
            "keyword": _fmt(pick("#9cdcfe", "#00407a"), bold=True),
            "string": _fmt(pick("#ce9178", "#a31515")),
            "number": _fmt(pick("#b5cea8", "#098658")),
            "bool": _fmt(pick("#569cd6", "#0000ff")),
            "comment": _fmt(pick("#6a9955", "#6a737d"), italic=True),
            "anchor": _fmt(pick("#c586c0", "#af00db")),
            "marker": _fmt(pick("#d7ba7d", "#795e26"), bold=True),
        }
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt API
        if self.document().characterCount() > HUGE_DOCUMENT_CHARS or not text:
            return
        f = self.formats
        comment_at = _comment_start(text)
        code = text if comment_at < 0 else text[:comment_at]
        if _MARKER.match(code):
            self.setFormat(0, 3, f["marker"])
        dash = _DASH.match(code)
        if dash:
            self.setFormat(dash.start(1), 1, f["marker"])
        value_from = 0
        key = _KEY.match(code)
        if key:
            name = key.group(2).strip().strip("'\"")
            self.setFormat(key.start(2), len(key.group(2)), f["keyword"] if name in SDL_KEYWORDS else f["key"])
            value_from = key.end()
        value = code[value_from:]
        for pattern, name in ((_NUMBER, "number"), (_BOOL, "bool"), (_ANCHOR, "anchor"), (_STRING, "string")):
            for m in pattern.finditer(value):
                self.setFormat(value_from + m.start(), m.end() - m.start(), f[name])
        if comment_at >= 0:
            self.setFormat(comment_at, len(text) - comment_at, f["comment"])


def _comment_start(text: str) -> int:
    """Index of a `#` that starts a comment (not inside quotes, after whitespace or at the start), else -1."""
    quote = ""
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = ""
            continue
        if ch in "'\"" and (i == 0 or text[i - 1] in " \t:[{,-"):
            quote = ch
        elif ch == "#" and (i == 0 or text[i - 1] in " \t"):
            return i
    return -1
