"""Reading article links out of RSS/Atom feeds and sitemaps, safely (no Scrapy)."""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

from lxml import etree

__all__ = ["feed_links", "gunzip_bounded", "parse_xml", "sitemap_entries"]

logger = logging.getLogger(__name__)


def parse_xml(data: bytes) -> etree._Element | None:
    """Parse untrusted XML: no entity expansion, no DTD or network access, no huge trees."""
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        recover=True,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        return etree.fromstring(data.lstrip(), parser=parser)
    except etree.XMLSyntaxError:
        return None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _http_url(raw: str | None, base_url: str) -> str | None:
    url = urljoin(base_url, (raw or "").strip())
    return url if urlsplit(url).scheme in ("http", "https") else None


def feed_links(data: bytes, base_url: str) -> list[str]:
    """Item links of an RSS 2.0, RSS 1.0 or Atom feed, in feed order, http(s) only."""
    root = parse_xml(data)
    if root is None:
        return []
    links: list[str] = []
    for element in root.iter():
        name = _local(element.tag)
        if name not in ("item", "entry"):
            continue
        for child in element:
            child_name = _local(child.tag)
            if child_name == "link":
                raw = child.get("href") if child.get("href") else child.text
                if child.get("rel", "alternate") != "alternate":
                    continue
            elif child_name == "guid" and child.get("isPermaLink", "true") == "true":
                raw = child.text
            else:
                continue
            url = _http_url(raw, base_url)
            if url and url not in links:
                links.append(url)
    return links


def gunzip_bounded(data: bytes, max_size: int) -> bytes | None:
    """Decompress gzip data, or None when it would exceed `max_size` bytes (a bomb)."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, max_size + 1 if max_size else 0)
    except zlib.error:
        return None
    if max_size and len(out) > max_size:
        return None
    return out


def sitemap_entries(data: bytes, base_url: str, max_size: int = 0) -> Iterator[tuple[str, str]]:
    """(`sitemap` | `url`, location) pairs of a sitemap index or urlset, gzip accepted."""
    if data[:2] == b"\x1f\x8b":
        unpacked = gunzip_bounded(data, max_size or 50 * 1024 * 1024)
        if unpacked is None:
            logger.warning("sitemap %s: gzip data too large or corrupt, skipped", base_url)
            return
        data = unpacked
    root = parse_xml(data)
    if root is None:
        logger.warning("sitemap %s: not XML, skipped", base_url)
        return
    for element in root:
        kind = _local(element.tag)
        if kind not in ("sitemap", "url"):
            continue
        loc = next((c.text for c in element if _local(c.tag) == "loc"), None)
        url = _http_url(loc, base_url)
        if url:
            yield kind, url
