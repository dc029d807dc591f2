"""The sections a page says it belongs to (JSON-LD, meta, breadcrumb, a profile selector)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

from lxml import etree, html

__all__ = ["in_sections", "page_sections"]

_MAX_JSON_LD = 512 * 1024  # a script this large is no metadata block: skip it
_SPACES = re.compile(r"\s+")


def page_sections(body: bytes, selector: str | None = None) -> list[str]:
    """Section labels the page gives itself, lowercased, in order of trust, each once.

    Profile selector text first (the site's own marker), then JSON-LD `articleSection`,
    the `article:section` meta, and the names and last URL segments of BreadcrumbList items
    (the trail's first item is the site's home, so it is skipped).
    """
    try:
        tree = html.document_fromstring(body)
    except (etree.ParserError, ValueError):
        return []
    found: dict[str, None] = {}
    if selector:
        for node in tree.cssselect(selector):
            found.setdefault(_label(node.text_content()), None)
    for data in _json_ld(tree):
        for value in _values(data.get("articleSection")):
            found.setdefault(_label(value), None)
        if _is_type(data, "BreadcrumbList"):
            for label in _breadcrumb(data):
                found.setdefault(label, None)
    for node in tree.xpath('//meta[@property="article:section" or @name="article:section"]'):
        found.setdefault(_label(node.get("content") or ""), None)
    return [label for label in found if label]


def in_sections(labels: Iterable[str], wanted: Iterable[str]) -> bool:
    """True when one of the page's labels names a wanted section (case and spacing aside)."""
    want = {_label(w) for w in wanted}
    return any(label in want for label in labels)


def _label(text: str) -> str:
    return _SPACES.sub(" ", text).strip().lower()


def _json_ld(tree: Any) -> Iterator[dict[str, Any]]:
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        text = script.text or ""
        if len(text) > _MAX_JSON_LD:
            continue
        try:
            data = json.loads(text)
        except ValueError:
            continue
        yield from _objects(data)


def _objects(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for value in data:
            yield from _objects(value)
    elif isinstance(data, dict):
        yield data
        yield from _objects(data.get("@graph"))


def _values(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _is_type(data: dict[str, Any], name: str) -> bool:
    return name in _values(data.get("@type"))


def _breadcrumb(data: dict[str, Any]) -> Iterator[str]:
    items = [i for i in data.get("itemListElement") or [] if isinstance(i, dict)]
    items.sort(key=_position)
    for item in items[1:-1]:  # neither the home page nor the article itself
        name = item.get("name")
        target = item.get("item")
        if isinstance(target, dict):
            name = name or target.get("name")
            target = target.get("@id") or target.get("url")
        if isinstance(name, str):
            yield _label(name)
        if isinstance(target, str):
            segments = [s for s in urlsplit(target).path.split("/") if s]
            if segments:
                yield _label(segments[-1])


def _position(item: dict[str, Any]) -> int:
    position = item.get("position")
    return position if isinstance(position, int) else 0
