"""Icons and themes from resources/: QIcon by name, and applying a theme (system, light, dark)."""

from __future__ import annotations

import json
import logging
from functools import cache

from PySide6.QtGui import QColor, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from app.resources import resources_dir

log = logging.getLogger(__name__)

RESOURCES = resources_dir()  # the checkout's resources/, or the frozen bundle's
ICONS = RESOURCES / "icons"
THEMES = RESOURCES / "themes"
APP_ICON = "akash-desk"

_ROLES = {
    "window": QPalette.ColorRole.Window,
    "window_text": QPalette.ColorRole.WindowText,
    "base": QPalette.ColorRole.Base,
    "alternate_base": QPalette.ColorRole.AlternateBase,
    "text": QPalette.ColorRole.Text,
    "button": QPalette.ColorRole.Button,
    "button_text": QPalette.ColorRole.ButtonText,
    "highlight": QPalette.ColorRole.Highlight,
    "highlighted_text": QPalette.ColorRole.HighlightedText,
    "tooltip_base": QPalette.ColorRole.ToolTipBase,
    "tooltip_text": QPalette.ColorRole.ToolTipText,
    "placeholder_text": QPalette.ColorRole.PlaceholderText,
    "link": QPalette.ColorRole.Link,
    "mid": QPalette.ColorRole.Mid,
}
_DISABLED_ROLES = (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText)


@cache
def icon(name: str) -> QIcon:
    """resources/icons/<name>.svg as a QIcon (an empty icon, logged, if the file is missing)."""
    path = ICONS / f"{name}.svg"
    if not path.is_file():
        log.warning("icon %s not found", path)
        return QIcon()
    return QIcon(str(path))


def _palette(colors: dict[str, str]) -> QPalette:
    palette = QPalette()
    for key, role in _ROLES.items():
        if key in colors:
            palette.setColor(role, QColor(colors[key]))
    if "disabled_text" in colors:
        for role in _DISABLED_ROLES:
            palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(colors["disabled_text"]))
    return palette


def _read(name: str) -> str:
    try:
        return (THEMES / name).read_text(encoding="utf-8")
    except OSError as exc:
        log.warning("theme file %s unreadable: %s", name, exc)
        return ""


_system_style: str | None = None


def apply_theme(app: QApplication, theme: str) -> None:
    """'system' follows the desktop (native style and palette); 'light'/'dark' use Fusion + our palette."""
    global _system_style
    if _system_style is None:
        _system_style = app.style().name()
    qss = _read("base.qss")
    if theme in ("light", "dark"):
        try:
            colors = json.loads(_read(f"{theme}.json") or "{}")
        except ValueError:
            colors = {}
        app.setStyle("Fusion")
        app.setPalette(_palette(colors))
        qss += "\n" + _read(f"{theme}.qss")
    else:
        app.setStyle(_system_style)
        app.setPalette(app.style().standardPalette())
    app.setStyleSheet(qss)
    app.setProperty("akashTheme", theme)
