"""Input types of the extraction layer: the fetched page, per-site rules, a named rejection."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from lxml.cssselect import CSSSelector, SelectorError

from .dates import site_timezone

__all__ = [
    "REMOVED_KINDS",
    "ExtractRules",
    "IdentityRules",
    "Page",
    "Rejection",
    "compiled_patterns",
    "compiled_selectors",
    "validate_rules",
]

# The vocabulary of `Removed.kind`: what a stripped block was. "profile" marks a site rule's
# selector or pattern; "byline" a headline, byline or date line repeated at the body's edges;
# "placeholder" a template's dummy text (lorem ipsum) left on a live page; "hidden" text the
# page hides from readers (`hidden`, `display:none`); "bio" a closing line introducing the author;
# "date" no block but a declared date the date policy refused (why the field is null); "repeat"
# a section or long paragraph the page shows a second time; "embed" a quoted social post.
REMOVED_KINDS = (
    "appeal", "newsletter", "paywall", "disclaimer", "credit", "related", "share", "comments",
    "cookie", "navigation", "ad", "profile", "byline", "placeholder", "hidden", "bio", "date",
    "repeat", "embed",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Page:
    """A fetched page: the raw bytes and what the crawler knew about them."""

    url: str
    body: bytes
    content_type: str | None = None
    status: int = 200
    fetched_at: datetime | None = None
    site: str = ""
    run_id: str = ""


@dataclass(frozen=True, slots=True)
class IdentityRules:
    """What a declared canonical URL must look like to be trusted: the profile's URL forms."""

    article_patterns: tuple[str, ...] = ()  # regexes; empty: any URL of the site
    article_deny: tuple[str, ...] = ()
    listing_patterns: tuple[str, ...] = ()
    listing_urls: tuple[str, ...] = ()  # section indexes, feeds: never an article


@dataclass(frozen=True, slots=True)
class ExtractRules:
    """Per-site extraction knowledge from the site profile; picklable."""

    strip_selectors: tuple[str, ...] = ()
    strip_patterns: tuple[str, ...] = ()
    section: str | None = None
    language: str | None = None
    max_bytes: int = 10_000_000
    timezone: str | None = None  # IANA name: the zone of times the site prints without offset
    identity: IdentityRules = IdentityRules()

    def __post_init__(self) -> None:
        validate_rules(self)


@dataclass(frozen=True, slots=True)
class Rejection:
    """A page that did not become an article: a `RejectReason` value and a human detail."""

    reason: str
    detail: str


def validate_rules(rules: ExtractRules) -> None:
    """Raise ValueError when a selector or pattern of the profile does not compile."""
    if isinstance(rules.strip_selectors, str) or isinstance(rules.strip_patterns, str):
        raise ValueError("strip_selectors and strip_patterns must be tuples of strings")
    if rules.max_bytes <= 0:
        raise ValueError(f"max_bytes must be positive, got {rules.max_bytes}")
    if rules.timezone is not None:
        site_timezone(rules.timezone)  # ValueError naming an unknown zone
    for selector in rules.strip_selectors:
        try:
            CSSSelector(selector)
        except SelectorError as exc:
            raise ValueError(f"invalid strip selector {selector!r}: {exc}") from exc
    identity = rules.identity
    url_patterns = (*identity.article_patterns, *identity.article_deny, *identity.listing_patterns)
    for pattern in (*rules.strip_patterns, *url_patterns):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"invalid pattern {pattern!r}: {exc}") from exc


@lru_cache(maxsize=256)
def compiled_selectors(selectors: tuple[str, ...]) -> tuple[CSSSelector, ...]:
    """The profile's CSS selectors, compiled once per distinct tuple."""
    return tuple(CSSSelector(s) for s in selectors)


@lru_cache(maxsize=256)
def compiled_patterns(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """The profile's text patterns, compiled once per distinct tuple (case-insensitive)."""
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)
