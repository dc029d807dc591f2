"""Dates from metadata strings, always returned timezone-aware in UTC."""
# ruff: noqa: RUF001, RUF002 -- Cyrillic month names are meant

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime

import dateparser

__all__ = ["parse_date"]

_EARLIEST = datetime(1995, 1, 1, tzinfo=UTC)
_ISO_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ ,T]+(\d{1,2})[:.](\d{2}))?\b")
_EN_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_RU_MONTHS = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
_MONTHS = {
    **{name: i for i, name in enumerate(_EN_MONTHS, 1)},
    **{name[:3]: i for i, name in enumerate(_EN_MONTHS, 1)},
    "sept": 9,
    **{name: i for i, name in enumerate(_RU_MONTHS.split(), 1)},
}
_TIME = r"(?:,?\s+(?:at\s+)?(?P<hour>\d{1,2}):(?P<minute>\d{2})\s*(?P<half>[ap]\.?m\.?)?)?\s*$"
_MONTH_FIRST = re.compile(
    r"^(?P<month>[a-z]{3,9}\.?)\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})" + _TIME,
    re.IGNORECASE,
)
_DAY_FIRST = re.compile(
    r"^(?P<day>\d{1,2})\.?\s+(?P<month>[a-zа-яё]{3,9}\.?)\s+(?P<year>\d{4})(?:\s*г\.)?" + _TIME,
    re.IGNORECASE,
)
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
    parsed = _iso(text) if _ISO_LIKE.match(text) else _dotted(text) or _named(text)
    if parsed is None:  # dateparser reads anything, at a few milliseconds a call
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


def _named(text: str) -> datetime | None:
    """`March 6, 2026, 14:03`, `6 March 2026`, `9 марта 2026 г., 16:36`: the usual header lines."""
    match = _MONTH_FIRST.match(text) or _DAY_FIRST.match(text)
    if not match:
        return None
    month = _MONTHS.get(match["month"].lower().rstrip("."))
    if month is None:
        return None
    hour, minute = int(match["hour"] or 0), int(match["minute"] or 0)
    if match["half"] and hour <= 12:
        hour = hour % 12 + (12 if match["half"].lower().startswith("p") else 0)
    try:
        return datetime(int(match["year"]), month, int(match["day"]), hour, minute)
    except ValueError:
        return None


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
