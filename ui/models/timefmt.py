"""Times for tables: local date and time, and "in 3 days" / "2 h ago" relative to now."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def local(when: datetime | None) -> str:
    return when.astimezone().strftime("%Y-%m-%d %H:%M") if when else "—"


def span(delta: timedelta) -> str:
    """'3 days', '5 h 10 min', '40 s' (never negative)."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds >= 2 * 86_400:
        return f"{seconds // 86_400} days"
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60} min"
    if seconds >= 60:
        return f"{seconds // 60} min"
    return f"{seconds} s"


def relative(when: datetime | None, now: datetime | None = None) -> str:
    if when is None:
        return ""
    delta = when - (now or datetime.now(UTC))
    return f"in {span(delta)}" if delta.total_seconds() >= 0 else f"{span(-delta)} ago"
