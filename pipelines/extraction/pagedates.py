"""A page's publication and modification dates, in a documented order of trust.

published  JSON-LD datePublished > article:published_time and similar meta > <time datetime>
           > a written header line > htmldate (a day; skipped when a declared date was refused)
modified   JSON-LD dateModified > article:modified_time and similar meta > microdata
           dateModified > a written "updated" line (pages with no machine-readable dates)
A declared date the policy refuses (relative, impossible, implausible) leaves the field null
and a note, which the record keeps in `removed` (kind "date").
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from itertools import chain
from typing import Any

from htmldate import find_date
from lxml.html import HtmlElement

from .dates import FUTURE_SLACK, PLAUSIBLE_FROM, DatePolicy, parser_languages
from .jsonld import as_strings
from .language import decide_language
from .scope import paragraph_texts
from .textmeta import text_dates

__all__ = ["PageDates", "page_dates"]

_PUBLISHED_META = (
    "article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
    "date", "dc.date", "dc.date.issued", "dcterms.created", "parsely-pub-date", "sailthru.date",
    "publication_date", "article.published",
)  # fmt: skip
_MODIFIED_META = (
    "article:modified_time", "og:updated_time", "datemodified", "dcterms.modified",
    "last-modified", "article.updated",
)  # fmt: skip
_MODIFIED_ITEMPROP = (
    ".//*[@itemprop='dateModified']/@datetime|.//*[@itemprop='dateModified']/@content"
)
_TIME_DATETIME = ".//time/@datetime"
_SAMPLE_CHARS = 1000  # as much as the detector reads of a text (language.py)
_Written = Callable[[], datetime | None]


@dataclass(frozen=True, slots=True)
class PageDates:
    """The page's two dates in UTC, and why a declared one was not kept."""

    published: datetime | None = None
    modified: datetime | None = None
    notes: list[str] = field(default_factory=list)


def page_dates(
    tree: HtmlElement,
    ld: dict[str, Any],
    meta: dict[str, list[str]],
    language: str | None,
    dates: DatePolicy,
) -> PageDates:
    """Both dates of a parsed page, read under the site's date policy."""
    # A page that declares no language is read in the one its paragraphs read as, and in
    # English: given none, the date parser would load and try all of its ~200 languages.
    # Guessed only when a date needs the parser: most are exact formats.
    spoken = cache(lambda: language or _reads_as(tree))
    written = cache(lambda: text_dates(tree, spoken(), dates))  # one walk for both dates

    @cache
    def languages() -> list[str]:
        # never none: a declared language the parser does not know leaves English
        return parser_languages([language] if language else [spoken(), "en"]) or ["en"]

    published, published_note = _declared(
        (as_strings(ld.get("datePublished")), _metas(meta, _PUBLISHED_META),
         lambda: tree.xpath(_TIME_DATETIME)[:3]), languages, dates,
    )  # fmt: skip
    if published is None:
        published = written()[0]
    if published is None and published_note is None:
        published = _htmldate(tree, dates)
    modified, modified_note = _declared(
        (as_strings(ld.get("dateModified")), _metas(meta, _MODIFIED_META),
         lambda: tree.xpath(_MODIFIED_ITEMPROP)[:3]), languages, dates,
    )  # fmt: skip
    if modified is None and not (ld.get("datePublished") or _metas(meta, _PUBLISHED_META)):
        modified = written()[1]  # pages with machine-readable dates give this one there too
    notes = [
        f"{name}: {note}"
        for name, value, note in (("published_at", published, published_note),
                                  ("modified_at", modified, modified_note))
        if value is None and note
    ]  # fmt: skip
    return PageDates(published, modified, notes)


def _reads_as(tree: HtmlElement) -> str | None:
    """The language of the page's paragraphs, by the detector (None without any text)."""
    return decide_language(None, None, " ".join(paragraph_texts(tree))[:_SAMPLE_CHARS])


def _metas(meta: dict[str, list[str]], keys: tuple[str, ...]) -> list[str]:
    return [value for key in keys for value in meta.get(key, ())]


def _declared(
    sources: tuple[list[str], list[str], Callable[[], list[str]]],
    languages: Callable[[], list[str]],
    dates: DatePolicy,
) -> tuple[datetime | None, str | None]:
    """The first good declared date, else None and a note on the first one refused.

    The page's markup is searched only when JSON-LD and meta tags declared no good date: each
    search walks the whole tree.
    """
    json_ld, metas, markup = sources
    refused = None
    for value in chain(json_ld, metas, _later(markup)):
        reading = dates.read(value, languages=languages)
        if reading.value:
            return reading.value, None
        if reading.note and refused is None:
            refused = f"{value.strip()[:60]!r} is {reading.note}"
    return None, refused


def _later(values: Callable[[], list[str]]) -> Iterator[str]:
    yield from values()


def _htmldate(tree: HtmlElement, dates: DatePolicy) -> datetime | None:
    """htmldate's guess (a day, no time), inside the policy's window."""
    latest = (dates.now or datetime.now(UTC)) + FUTURE_SLACK
    try:
        found = find_date(
            tree, original_date=True, extensive_search=False,
            min_date=PLAUSIBLE_FROM.replace(tzinfo=None), max_date=latest.replace(tzinfo=None),
        )  # fmt: skip
    except Exception:  # a heuristic's failure must not cost the article
        return None
    return dates.read(found, free_text=False).value if found else None
