"""What a section page says about itself: title, page links, a "load more" button."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml import html

__all__ = ["find_more_button", "listing_pattern", "section_title"]

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
