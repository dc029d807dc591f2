"""The schema.org article object a page declares in its JSON-LD scripts, parsed with json."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator
from typing import Any

from lxml.html import HtmlElement

__all__ = ["ARTICLE_TYPES", "article_object", "as_strings", "names"]

logger = logging.getLogger(__name__)

ARTICLE_TYPES = frozenset(
    t.lower()
    for t in (
        "Article",
        "NewsArticle",
        "OpinionNewsArticle",
        "AnalysisNewsArticle",
        "BlogPosting",
        "ReportageNewsArticle",
        "BackgroundNewsArticle",
        "ReviewNewsArticle",
        "Report",
        "LiveBlogPosting",
        "SocialMediaPosting",
        "TechArticle",
        "ScholarlyArticle",
        "Review",
        "AskPublicNewsArticle",
        "SatiricalArticle",
        "Posting",
    )
)
_DATES = ("datePublished", "dateModified")
# Real blocks nest under 10 levels and weigh under 100 kB (an articleBody included).
MAX_JSONLD_DEPTH = 32
MAX_JSONLD_CHARS = 2_000_000
_TOO_DEEP = object()
_COMMENTS = re.compile(r"^\s*(<!--|//\s*<!\[CDATA\[)|(-->|//\s*\]\]>)\s*$")


def article_object(scripts: Iterable[HtmlElement]) -> dict[str, Any]:
    """The first JSON-LD object typed as an article (or a WebPage with a headline), else {},
    of the page's <script> elements (in page order).

    A WebPage of the same page fills the dates the article object lacks: SEO plugins' graphs
    put datePublished on the WebPage, and without it only htmldate's day (00:00) is left.
    """
    found: dict[str, Any] = {}
    fallback: dict[str, Any] = {}
    dated: dict[str, Any] = {}
    for obj in _objects(scripts):
        types = {t.lower() for t in as_strings(obj.get("@type"))}
        if types & ARTICLE_TYPES:
            found = found or obj
            if found.get("datePublished"):
                break  # dated: nothing later can add to it
        elif "webpage" in types:
            fallback = fallback or (obj if obj.get("headline") else {})
            dated = dated or (obj if obj.get("datePublished") else {})
    found = found or fallback
    missing = {k: dated[k] for k in _DATES if k in dated and not found.get(k)}
    return {**found, **missing} if missing else found


def names(value: Any, skip_organizations: bool = True) -> list[str]:
    """Names of the persons in a schema.org author-like value (object, string or list)."""
    found: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            types = {t.lower() for t in as_strings(item.get("@type"))}
            if skip_organizations and any(t.endswith("organization") for t in types):
                continue
            found.extend(as_strings(item.get("name")))
    return found


def as_strings(value: Any) -> list[str]:
    """A JSON value flattened into its non-empty strings."""
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list):
        return [s for item in value for s in as_strings(item)]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [str(value)]
    return []


def _objects(scripts: Iterable[HtmlElement]) -> Iterator[dict[str, Any]]:
    """Every JSON-LD object of the scripts, @graph members and list items flattened."""
    for script in scripts:
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        data = _bounded_json(script.text)
        if data is not None:
            yield from _flatten(data, depth=0)


def _bounded_json(text: str) -> Any:
    """One script's JSON, or None when broken, too big or too deep (with a debug note)."""
    if len(text) > MAX_JSONLD_CHARS:
        logger.debug("JSON-LD block ignored: %d characters > %d", len(text), MAX_JSONLD_CHARS)
        return None
    try:
        data = json.loads(_COMMENTS.sub("", text.strip()), strict=False)
    except RecursionError:  # the C decoder's own limit, far deeper than any real block
        data = _TOO_DEEP
    except ValueError:
        return None  # broken JSON-LD is common; the page still has OpenGraph and markup
    if data is _TOO_DEEP or _deeper_than(data, MAX_JSONLD_DEPTH):
        # every reader of the object recurses; a block nested thousands deep would raise
        logger.debug("JSON-LD block ignored: nested deeper than %d", MAX_JSONLD_DEPTH)
        return None
    return data


def _deeper_than(data: Any, limit: int) -> bool:
    """True when containers nest more than `limit` levels (iterative: no recursion to blow)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = list(value.values())
        elif not isinstance(value, list):
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in value)
    return False


def _flatten(data: Any, depth: int) -> Iterator[dict[str, Any]]:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        yield from _flatten(data.get("@graph"), depth + 1)
        yield from _flatten(data.get("mainEntity"), depth + 1)
