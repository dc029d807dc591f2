"""Reading article links out of RSS/Atom feeds and sitemaps, safely (no Scrapy)."""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from lxml import etree

from pipelines.extraction.dates import UTC_POLICY, DatePolicy

__all__ = [
    "Link", "feed_links", "gunzip_bounded", "parse_source_date", "parse_xml", "sitemap_entries",
]  # fmt: skip

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


@dataclass(frozen=True, slots=True)
class Link:
    """A URL found in a feed or sitemap, with the date the source says it last changed."""

    url: str
    changed_at: datetime | None = None


def parse_source_date(text: str | None, dates: DatePolicy = UTC_POLICY) -> datetime | None:
    """A feed or sitemap date (W3C/ISO 8601 or RFC 822) in UTC under the site's date policy.

    None when unreadable, impossible or implausible: an entry loses its date, never its link.
    """
    return dates.read(text, free_text=False).value


_FEED_DATES = ("updated", "modified", "published", "pubdate", "date")


def _feed_entry(element: etree._Element, base_url: str, dates: DatePolicy) -> Link | None:
    url = None
    written: dict[str, str | None] = {}
    for child in element:
        name = _local(child.tag)
        if name == "link" and child.get("rel", "alternate") == "alternate":
            url = url or _http_url(child.get("href") or child.text, base_url)
        elif name == "guid" and child.get("isPermaLink", "true") == "true":
            url = url or _http_url(child.text, base_url)
        elif name in _FEED_DATES:
            written.setdefault(name, child.text)
    if url is None:
        return None
    # Prefer a modification date over a publication date when the feed gives both good ones.
    readings = (parse_source_date(written[n], dates) for n in _FEED_DATES if n in written)
    return Link(url, next((d for d in readings if d is not None), None))


def feed_links(data: bytes, base_url: str, dates: DatePolicy = UTC_POLICY) -> list[Link]:
    """Item links of an RSS 2.0, RSS 1.0 or Atom feed, in feed order, http(s) only."""
    root = parse_xml(data)
    if root is None:
        return []
    links: dict[str, Link] = {}
    for element in root.iter():
        if _local(element.tag) in ("item", "entry"):
            link = _feed_entry(element, base_url, dates)
            if link is not None:
                links.setdefault(link.url, link)
    return list(links.values())


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


def sitemap_entries(
    data: bytes, base_url: str, max_size: int = 0, dates: DatePolicy = UTC_POLICY
) -> Iterator[tuple[str, Link]]:
    """(`sitemap` | `url`, link) pairs of a sitemap index or urlset, gzip accepted."""
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
        fields = {_local(c.tag): c.text for c in element}
        url = _http_url(fields.get("loc"), base_url)
        if url:
            yield kind, Link(url, parse_source_date(fields.get("lastmod"), dates))
