"""Dates from metadata strings, always returned timezone-aware in UTC."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime

import dateparser

__all__ = ["parse_date"]

_EARLIEST = datetime(1995, 1, 1, tzinfo=UTC)
_ISO_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ ,T]+(\d{1,2})[:.](\d{2}))?\b")
_DATEPARSER_SETTINGS = {
    "RETURN_AS_TIMEZONE_AWARE": True,
    "TIMEZONE": "UTC",
    "TO_TIMEZONE": "UTC",
    "PREFER_DAY_OF_MONTH": "first",
}


def parse_date(
    value: str | None, now: datetime | None = None, languages: Sequence[str] | None = None
) -> datetime | None:
    """A UTC datetime from an ISO 8601 or free-text date; naive dates are taken as UTC.

    `languages` (ISO 639-1) narrows dateparser's search: without it, it tries every language,
    which is slow and reads 12.03.2026 the American way.
    """
    text = (value or "").strip()
    if not text or len(text) > 80:
        return None
    parsed = _iso(text) if _ISO_LIKE.match(text) else _dotted(text)
    if parsed is None:
        parsed = dateparser.parse(
            text,
            languages=list(languages) if languages else None,
            settings=_DATEPARSER_SETTINGS,  # type: ignore[arg-type]
        )
    if parsed is None:
        return None
    parsed = parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    latest = (now or datetime.now(UTC)).replace(year=(now or datetime.now(UTC)).year + 1)
    return parsed if _EARLIEST <= parsed <= latest else None


def _dotted(text: str) -> datetime | None:
    """Day-first dotted dates (12.03.2026 11:40), as written across Europe."""
    match = _DOTTED.match(text)
    if not match:
        return None
    day, month, year, hour, minute = (int(g) if g else 0 for g in match.groups())
    try:
        return datetime(year, month, day, hour, minute)
    except ValueError:
        return None


def _iso(text: str) -> datetime | None:
    """fromisoformat with the common deviations of real pages repaired."""
    repaired = text.replace(" ", "T", 1) if re.match(r"^\d{4}-\d{2}-\d{2} \d", text) else text
    repaired = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", repaired)  # +0100 -> +01:00
    try:
        return datetime.fromisoformat(repaired)
    except ValueError:
        return None
