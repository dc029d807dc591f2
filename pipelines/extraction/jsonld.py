"""The schema.org article object a page declares in its JSON-LD scripts, parsed with json."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from lxml.html import HtmlElement

__all__ = ["ARTICLE_TYPES", "article_object", "as_strings", "names"]

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
_COMMENTS = re.compile(r"^\s*(<!--|//\s*<!\[CDATA\[)|(-->|//\s*\]\]>)\s*$")


def article_object(tree: HtmlElement) -> dict[str, Any]:
    """The first JSON-LD object typed as an article (or a WebPage with a headline), else {}.

    A WebPage of the same page fills the dates the article object lacks: SEO plugins' graphs
    put datePublished on the WebPage, and without it only htmldate's day (00:00) is left.
    """
    found: dict[str, Any] = {}
    fallback: dict[str, Any] = {}
    dated: dict[str, Any] = {}
    for obj in _objects(tree):
        types = {t.lower() for t in as_strings(obj.get("@type"))}
        if types & ARTICLE_TYPES:
            found = found or obj
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


def _objects(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    """Every JSON-LD object of the page, @graph members and list items flattened."""
    for script in tree.iterfind(".//script[@type]"):
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        try:
            data = json.loads(_COMMENTS.sub("", script.text.strip()), strict=False)
        except ValueError:
            continue  # broken JSON-LD is common; the page still has OpenGraph and markup
        yield from _flatten(data, depth=0)


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
