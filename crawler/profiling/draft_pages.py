"""What a section page says about itself: title, page links, a "load more" button."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

from lxml import html

__all__ = ["find_more_button", "listing_area", "listing_pattern", "section_title"]

_PAGE_LINK = re.compile(r"([?&]page=|/page/)(\d+)/?$")
_PLACEHOLDER = re.compile(r"\{\{?\s*(offset|page|start|skip)\s*\}?\}")
_SEPARATORS = re.compile(r"\s+(?:[|\-\u2013\u2014\u00bb]|::?)\s+")  # | - dashes >> : ::


def section_title(tree: html.HtmlElement, url: str) -> str:
    """The section's name: og:title, else <title>, else <h1>, cut at a site-name separator."""
    for value in (
        *tree.xpath('//meta[@property="og:title"]/@content'),
        *tree.xpath("//title/text()"),
        *tree.xpath("//h1//text()"),
    ):
        text = _SEPARATORS.split(value.strip())[0].strip()
        if text:
            return text
    segments = [s for s in urlsplit(url).path.split("/") if s]
    return segments[-1] if segments else urlsplit(url).hostname or url


def listing_pattern(links: list[str], url: str) -> str | None:
    """A regex for the section's numbered page links (?page=N, /page/N/), if it has any."""
    base = urlsplit(url)
    prefix = base.path.rstrip("/")
    for link in links:
        parts = urlsplit(link)
        if parts.netloc != base.netloc or not _PAGE_LINK.search(link):
            continue
        if not parts.path.startswith(prefix):
            continue
        escaped = re.escape(link[: _PAGE_LINK.search(link).start(2)])  # type: ignore[union-attr]
        return f"^{escaped}\\d+{'/' if link.endswith('/') else ''}$"
    return None


def find_more_button(tree: html.HtmlElement, url: str) -> tuple[str, int, int] | None:
    """A "load more" element's URL template with its first offset and step, if there is one."""
    for node in tree.xpath("//*[@data-url or @data-href or @data-endpoint]"):
        raw = node.get("data-url") or node.get("data-href") or node.get("data-endpoint") or ""
        if not _PLACEHOLDER.search(raw):
            continue
        template = urljoin(url, _PLACEHOLDER.sub("{offset}", raw))
        first = _int(node.get("data-start") or node.get("data-offset"), 2)
        step = _int(node.get("data-step") or node.get("data-limit"), 1)
        return template, first, step
    return None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


AREA_SHARE = 0.6  # the area must hold this share of the page's article links


def listing_area(
    tree: html.HtmlElement, url: str, is_article: Callable[[str], bool],
    is_listing: Callable[[str], bool],
) -> str | None:  # fmt: skip
    """A selector for the area holding the section's list, when article links sit elsewhere too.

    A sidebar ("Just in", "Most read") beside the list links articles of every section in
    the same URL form. The area is the deepest element, named by a selector that matches it
    alone, that holds at least AREA_SHARE of the article links and every page link.
    """
    anchors = [(a, urljoin(url, (a.get("href") or "").strip())) for a in tree.iter("a")]
    articles = [a for a, href in anchors if is_article(href)]
    pages = [a for a, href in anchors if is_listing(href)]
    counts: dict[html.HtmlElement, int] = {}
    for anchor in articles:
        for ancestor in anchor.iterancestors():
            counts[ancestor] = counts.get(ancestor, 0) + 1
    total = len(articles)
    holders = [e for e, n in counts.items() if AREA_SHARE * total <= n < total]
    holders.sort(key=lambda e: -len(list(e.iterancestors())))
    for element in holders:
        selector = _unique_selector(tree, element)
        if selector and all(element in p.iterancestors() for p in pages):
            return selector
    return None


def _unique_selector(tree: html.HtmlElement, element: html.HtmlElement) -> str | None:
    classes = [c for c in (element.get("class") or "").split() if re.fullmatch(r"[\w-]+", c)]
    if element.get("id") and re.fullmatch(r"[\w-]+", element.get("id") or ""):
        return f"#{element.get('id')}"
    if not classes or not isinstance(element.tag, str):
        return None
    selector = element.tag + "".join(f".{c}" for c in classes)
    return selector if len(tree.cssselect(selector)) == 1 else None
