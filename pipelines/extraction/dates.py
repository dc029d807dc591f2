"""The date policy: any date string of a page, feed or sitemap becomes a UTC instant or None.

One policy for extraction and discovery (`crawler.discovery`), total by construction:
- a time without an offset is local to the site (`DatePolicy.timezone`, an IANA name; UTC
  when unset), a date without a time is 00:00 of that zone, then everything becomes UTC;
- a date is plausible from PLAUSIBLE_FROM to `now` + FUTURE_SLACK (`now` is injected: the
  page's fetch time, else the clock); outside the window it becomes None with a note;
- relative dates ("yesterday", "3 hours ago") and impossible ones (Feb 31, 25:61) become
  None: they are never completed with today's date or rolled over into another day;
- nothing raises: any input, however large its year or odd its offset, yields a `DateReading`.
"""
# ruff: noqa: RUF001, RUF002 -- Cyrillic month names are meant

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from email.utils import parsedate_to_datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "FUTURE_SLACK",
    "PLAUSIBLE_FROM",
    "UTC_POLICY",
    "DatePolicy",
    "DateReading",
    "parse_date",
    "parser_languages",
    "site_timezone",
]

logger = logging.getLogger(__name__)

PLAUSIBLE_FROM = datetime(1990, 1, 1, tzinfo=UTC)  # before the web had articles to date
FUTURE_SLACK = timedelta(days=2)  # timezones and embargoed pages; beyond it is a typo
_MAX_CHARS = 80
# The date parser's languages for a string, or a function giving them when it needs them.
Languages = Sequence[str] | Callable[[], Sequence[str]] | None


class _Impossible:
    """A shape that was recognized, with values no calendar or clock has (Feb 31, 25:61)."""


_IMPOSSIBLE = _Impossible()
_Parsed = datetime | _Impossible | None

_ISO_LIKE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?:[T ]|$)")
_CLOCK = re.compile(r"(?<![\d+-])(\d{1,2}):(\d{2})(?::(\d{2}))?(?!\d)")
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")
_RFC822 = re.compile(r"^(?:[a-z]{3},?\s+)?\d{1,2}\s+[a-z]{3}\s+(\d{4})\s+\d{1,2}:\d{2}", re.I)
_RELATIVE = re.compile(
    r"\b(ago|yesterday|today|tomorrow|just now|gestern|heute)\b"
    r"|(вчера|сегодня|завтра|назад|только что|минут|час[аов]* )",
    re.IGNORECASE,
)
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ ,T]+(\d{1,2})[:.](\d{2}))?\b")
_EN_MONTHS = "january february march april may june july august september october november december"
_RU_MONTHS = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
_MONTHS = {
    **{name: i for i, name in enumerate(_EN_MONTHS.split(), 1)},
    **{name[:3]: i for i, name in enumerate(_EN_MONTHS.split(), 1)},
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
# Absolute dates only, with day, month and year all written: dateparser otherwise completes
# "March 5" or "15:30" with today and reads "yesterday" as a timestamp to the second.
_DATEPARSER_SETTINGS = {
    "PARSERS": ["custom-formats", "absolute-time"],
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PREFER_DAY_OF_MONTH": "first",
}


@dataclass(frozen=True, slots=True)
class DateReading:
    """A date string's UTC instant, or None with a note on why a written date was not kept."""

    value: datetime | None
    note: str | None = None  # "relative", "impossible", "implausible", "unreadable"


@dataclass(frozen=True, slots=True)
class DatePolicy:
    """How one site's date strings become UTC: its timezone and the clock of the window."""

    timezone: str | None = None  # IANA name; naive times are local to it (UTC when None)
    now: datetime | None = None  # the window's end is now + FUTURE_SLACK; None: the clock

    def read(
        self, value: str | None, languages: Languages = None, free_text: bool = True
    ) -> DateReading:
        """The reading of one date string; never raises.

        `languages` may be a function giving them: it is called only when the string is no
        exact format and goes to the date parser.
        """
        try:
            reading = _read(value, self, languages, free_text)
        except Exception as exc:  # the contract: a date string never costs anything else
            reading = DateReading(None, f"unreadable ({type(exc).__name__})")
        if reading.note:
            logger.debug("date %r ignored: %s", (value or "")[:_MAX_CHARS], reading.note)
        return reading


def parse_date(
    value: str | None,
    now: datetime | None = None,
    languages: Sequence[str] | None = None,
    timezone: str | None = None,
) -> datetime | None:
    """A UTC datetime from an ISO 8601, RFC 822 or written date, None when not a sure date."""
    return DatePolicy(timezone, now).read(value, languages).value


UTC_POLICY = DatePolicy()  # a site without a declared timezone, judged by the clock


@lru_cache(maxsize=64)
def site_timezone(name: str | None) -> tzinfo:
    """The tzinfo of an IANA name (UTC for None); ValueError for an unknown name."""
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown IANA timezone {name!r}") from exc


def _read(
    value: str | None, policy: DatePolicy, languages: Languages, free_text: bool
) -> DateReading:
    text = " ".join((value or "").split())
    if not text:
        return DateReading(None)
    if len(text) > _MAX_CHARS:
        return DateReading(None, "unreadable (too long)")
    parsed = _strict(text)
    if parsed is None and free_text:
        parsed = _free_text(text, languages() if callable(languages) else languages)
    if parsed is None:
        return DateReading(None, "relative" if _RELATIVE.search(text) else "unreadable")
    if isinstance(parsed, _Impossible):
        return DateReading(None, "impossible")
    return _placed(parsed, policy)


def _placed(parsed: datetime, policy: DatePolicy) -> DateReading:
    """The instant in UTC (naive = the site's local time), if inside the plausible window."""
    now = policy.now or datetime.now(UTC)
    latest = now.astimezone(UTC) + FUTURE_SLACK
    # Years far outside the window overflow on conversion (year 1 at +05:00): stop first.
    if not PLAUSIBLE_FROM.year - 1 <= parsed.year <= latest.year + 1:
        return DateReading(None, "implausible")
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        parsed = parsed.replace(tzinfo=site_timezone(policy.timezone))
    instant = parsed.astimezone(UTC)
    if not PLAUSIBLE_FROM <= instant <= latest:
        return DateReading(None, "implausible")
    return DateReading(instant)


def _strict(text: str) -> _Parsed:
    """The exact formats: impossible values are caught here, before any lenient parser."""
    if _impossible_clock(text) or _impossible_numeric_date(text):
        return _IMPOSSIBLE
    if _ISO_LIKE.match(text):
        return _iso(text)
    if rfc822 := _RFC822.match(text):
        return _rfc822(text, int(rfc822[1]))
    return _dotted(text) or _named(text)


def _impossible_clock(text: str) -> bool:
    return any(int(h) > 23 or int(m) > 59 or int(s or 0) > 59 for h, m, s in _CLOCK.findall(text))


def _impossible_numeric_date(text: str) -> bool:
    """31/02/2026 is neither day-first nor month-first: no lenient parser may roll it over."""
    for a, b, year in _NUMERIC_DATE.findall(text):
        if not (_valid(int(year), int(b), int(a)) or _valid(int(year), int(a), int(b))):
            return True
    return False


def _valid(year: int, month: int, day: int) -> bool:
    try:
        datetime(year, month, day)
    except ValueError:
        return False
    return True


def _iso(text: str) -> _Parsed:
    """fromisoformat with the common deviations of real pages repaired."""
    match = _ISO_LIKE.match(text)
    if match and not _valid(*(int(g) for g in match.groups())):
        return _IMPOSSIBLE
    repaired = text.replace(" ", "T", 1) if re.match(r"^\d{4}-\d{2}-\d{2} \d", text) else text
    repaired = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", repaired)  # +0100 -> +01:00
    try:
        return datetime.fromisoformat(repaired)
    except ValueError:
        return None  # "2026-03-06 14:03 GMT+3": valid values, left to the free-text parser


def _rfc822(text: str, year: int) -> _Parsed:
    """`Fri, 06 Mar 2026 14:03:00 +0300`, the date of RSS and HTTP."""
    try:
        parsed = parsedate_to_datetime(text)
        # the email parser reads year 0001 as 2001: the year as written decides
        return parsed if parsed.year == year else parsed.replace(year=year)
    except (TypeError, ValueError, IndexError, OverflowError):
        return _IMPOSSIBLE


def _named(text: str) -> _Parsed:
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
        return _IMPOSSIBLE


def _dotted(text: str) -> _Parsed:
    """Dotted dates (12.03.2026 11:40): day first as across Europe, else month first (US)."""
    match = _DOTTED.match(text)
    if not match:
        return None
    first, second, year, hour, minute = (int(g) if g else 0 for g in match.groups())
    for day, month in ((first, second), (second, first)):
        try:
            return datetime(year, month, day, hour, minute)
        except ValueError:
            continue
    return _IMPOSSIBLE


def parser_languages(codes: Iterable[str | None]) -> list[str]:
    """The given language codes the date parser knows, in order, each once.

    It refuses a date whose languages include one it does not know (the whole reading fails),
    and given no language at all it tries each of its ~200 locales, loading every one first:
    ~1 s and ~34 MB of a process's memory at the first such date. Pages hand it their
    languages (pagedates.py), never none.
    """
    return [code for code in dict.fromkeys(codes) if code and code in _parser_codes()]


@lru_cache(maxsize=1)
def _parser_codes() -> frozenset[str]:
    from dateparser.data.languages_info import language_order  # see _free_text

    return frozenset(language_order)


def _free_text(text: str, languages: Sequence[str] | None) -> datetime | None:
    """dateparser, for the written forms of many languages (a few milliseconds a call)."""
    import dateparser  # slow to import; the exact formats above serve feeds and most pages

    return dateparser.parse(
        text,
        languages=list(languages) if languages else None,
        settings=_DATEPARSER_SETTINGS,  # type: ignore[arg-type]
    )
