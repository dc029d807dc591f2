"""Canonical URLs: the page's declared canonical when it is a plausible article URL, normalized."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from tld import get_fld

from crawler.dataset.identity import clean_url, normalize_url

from .page import IdentityRules

__all__ = ["canonical_url", "plausible_canonical", "registered_domain"]

MAX_URL_CHARS = 2048
_IP = re.compile(r"^[\d.]+$|:")


def registered_domain(url: str) -> str:
    """The registrable domain of a URL (example.co.uk); the last two labels for unknown TLDs."""
    return _registered_host((urlsplit(url).hostname or "").rstrip("."))


@lru_cache(maxsize=4096)  # a crawl sees few hosts, and the suffix lookup is slow on odd ones
def _registered_host(host: str) -> str:
    try:
        found = get_fld(host, fix_protocol=True, fail_silently=True)
    except Exception:  # tld raises its own types on odd hosts; the fallback below is fine
        found = None
    if found:
        return str(found)
    if _IP.match(host) or host.count(".") < 1:
        return host
    return ".".join(host.split(".")[-2:])


def canonical_url(page_url: str, declared: list[str], rules: IdentityRules | None = None) -> str:
    """The first plausible declared canonical URL (see `plausible_canonical`), else the page URL."""
    rules = rules or IdentityRules()
    try:
        own = registered_domain(page_url)
        for candidate in declared:
            absolute = urljoin(page_url, candidate.strip())
            if (
                urlsplit(absolute).scheme in ("http", "https")
                and registered_domain(absolute) == own
                and plausible_canonical(absolute, page_url, rules)
            ):
                return normalize_url(absolute)
        return normalize_url(page_url)
    except ValueError:  # malformed ports or IPv6 literals: keep the URL as fetched
        return page_url


def plausible_canonical(candidate: str, page_url: str, rules: IdentityRules) -> bool:
    """True when a declared canonical URL could be this page's article URL.

    A home page, a section index (an ancestor of the page's own path, one of the profile's
    listing pages or patterns) or a URL outside the profile's article patterns is a
    misconfigured template, not the article's identity.
    """
    if len(candidate) > MAX_URL_CHARS:
        return False  # no article URL is this long; and patterns run on bounded input only
    identity = normalize_url(candidate)
    page = normalize_url(page_url)
    if identity == page:
        return True
    parts, page_parts = urlsplit(identity), urlsplit(page)
    if parts.path == "/" and not parts.query:
        return False  # the home page
    if parts.netloc == page_parts.netloc and _section_above(parts.path, page_parts.path):
        return False
    if identity in {normalize_url(u) for u in rules.listing_urls}:
        return False
    cleaned = clean_url(candidate)
    if any(p.search(cleaned) for p in _compiled(rules.listing_patterns)):
        return False
    articles = _compiled(rules.article_patterns)
    if articles and not any(p.search(cleaned) for p in articles):
        return False
    return not any(p.search(cleaned) for p in _compiled(rules.article_deny))


def _section_above(path: str, page_path: str) -> bool:
    """True for a path two or more levels above the page's: `/opinion` over `/opinion/2026/x`.

    One level up is also where alias forms point home (`/story/amp` -> `/story`).
    """
    if not page_path.startswith(path.rstrip("/") + "/"):
        return False
    return page_path.rstrip("/").count("/") - path.rstrip("/").count("/") >= 2


@lru_cache(maxsize=256)
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)
