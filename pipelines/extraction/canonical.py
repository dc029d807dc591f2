"""Canonical URLs: pick the page's declared canonical when trustworthy, then normalize it."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from tld import get_fld

from crawler.dataset.identity import normalize_url

__all__ = ["canonical_url", "registered_domain"]

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


def canonical_url(page_url: str, declared: list[str]) -> str:
    """The first declared canonical URL on the page's registered domain, else the page URL."""
    try:
        own = registered_domain(page_url)
        for candidate in declared:
            absolute = urljoin(page_url, candidate.strip())
            if (
                urlsplit(absolute).scheme in ("http", "https")
                and registered_domain(absolute) == own
            ):
                return normalize_url(absolute)
        return normalize_url(page_url)
    except ValueError:  # malformed ports or IPv6 literals: keep the URL as fetched
        return page_url
