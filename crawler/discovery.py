"""Reading article links out of RSS/Atom feeds and sitemaps, safely (no Scrapy)."""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from lxml import etree

from crawler.xmldepth import prune_depth
from pipelines.extraction.dates import UTC_POLICY, DatePolicy

__all__ = [
    "MAX_ENTRIES", "MAX_XML_DEPTH", "Link", "feed_links", "gunzip_bounded", "parse_source_date",
    "parse_xml", "sitemap_entries",
]  # fmt: skip

logger = logging.getLogger(__name__)


MAX_XML_DEPTH = 64  # feeds and sitemaps are a few levels deep; deeper elements are dropped
MAX_ENTRIES = 50_000  # the sitemap protocol's limit per file; feeds are far smaller


def _xml_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        recover=True,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(
    data: bytes, base_url: str | None = None, problems: list[str] | None = None
) -> etree._Element | None:
    """Parse untrusted XML: no entity expansion, no DTD or network access, no huge trees.

    A document nested deeper than libxml2 allows is parsed again without its over-deep
    elements (problem `too_deep`), so the entries around them are kept.
    """
    parser = _xml_parser()
    try:
        root = etree.fromstring(data.lstrip(), parser=parser, base_url=base_url)
    except etree.XMLSyntaxError:
        root = None
    if any("Excessive depth" in error.message for error in parser.error_log):
        _note(problems, "too_deep")
        try:
            root = etree.fromstring(
                prune_depth(data.lstrip(), MAX_XML_DEPTH), parser=_xml_parser(), base_url=base_url
            )
        except etree.XMLSyntaxError:
            root = None
    return root


def _note(problems: list[str] | None, problem: str) -> None:
    if problems is not None:
        problems.append(problem)


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


def parse_source_date(
    text: str | None, dates: DatePolicy = UTC_POLICY, problems: list[str] | None = None
) -> datetime | None:
    """A feed or sitemap date (W3C/ISO 8601 or RFC 822) in UTC under the site's date policy.

    None when unreadable, impossible or implausible: an entry loses its date, never its link;
    the refusal is noted as a problem, `date_<why>` (`date_implausible` ...).
    """
    reading = dates.read(text, free_text=False)
    if reading.note:
        _note(problems, "date_" + reading.note.split()[0])
    return reading.value


_FEED_DATES = ("updated", "modified", "published", "pubdate", "date")


def _feed_entry(
    element: etree._Element, base_url: str, dates: DatePolicy, problems: list[str] | None
) -> Link | None:
    url = None
    written: dict[str, str | None] = {}
    for child in element:
        name = _local(child.tag)
        # Atom's xml:base (on the feed or the entry) is what lxml's `base` resolves.
        if name == "link" and child.get("rel", "alternate") == "alternate":
            url = url or _http_url(child.get("href") or child.text, child.base or base_url)
        elif name == "guid" and child.get("isPermaLink", "true") == "true":
            url = url or _http_url(child.text, child.base or base_url)
        elif name in _FEED_DATES:
            written.setdefault(name, child.text)
    if url is None:
        return None
    # Prefer a modification date over a publication date when the feed gives both good ones.
    readings = (parse_source_date(written[n], dates, problems) for n in _FEED_DATES if n in written)
    return Link(url, next((d for d in readings if d is not None), None))


FEED_ROOTS = ("rss", "feed", "rdf")


def feed_links(
    data: bytes,
    base_url: str,
    dates: DatePolicy = UTC_POLICY,
    *,
    problems: list[str] | None = None,
) -> list[Link]:
    """Item links of an RSS 2.0, RSS 1.0 or Atom feed, in feed order, http(s) only.

    What goes wrong is appended to `problems` by name: `not_xml`, `not_a_feed` (an HTML
    page, say), `too_deep`, `bad_entry` (an item without an http(s) link, once per item),
    `too_many_entries`, `no_entries`, `date_<why>` (a date the date policy refused).
    """
    root = parse_xml(data, base_url, problems)
    if root is None:
        _note(problems, "not_a_feed" if b"<html" in data[:2048].lower() else "not_xml")
        return []
    if _local(root.tag) not in FEED_ROOTS:
        _note(problems, "not_a_feed")
        return []
    links: dict[str, Link] = {}
    for element in root.iter():
        if _local(element.tag) in ("item", "entry"):
            link = _feed_entry(element, base_url, dates, problems)
            if link is None:
                _note(problems, "bad_entry")
            elif len(links) >= MAX_ENTRIES:
                _note(problems, "too_many_entries")
                break
            else:
                links.setdefault(link.url, link)
    if not links:
        _note(problems, "no_entries")
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
    data: bytes,
    base_url: str,
    max_size: int = 0,
    dates: DatePolicy = UTC_POLICY,
    *,
    problems: list[str] | None = None,
) -> Iterator[tuple[str, Link]]:
    """(`sitemap` | `url`, link) pairs of a sitemap index or urlset, gzip accepted.

    Problems, by name: `bad_gzip` (too large or corrupt), `not_xml`, `not_a_sitemap`,
    `too_deep`, `bad_entry` (a `<loc>` that is no http(s) URL), `too_many_entries`,
    `date_<why>` (a `<lastmod>` the date policy refused).
    """
    if data[:2] == b"\x1f\x8b":
        unpacked = gunzip_bounded(data, max_size or 50 * 1024 * 1024)
        if unpacked is None:
            _note(problems, "bad_gzip")
            return
        data = unpacked
    root = parse_xml(data, base_url, problems)
    if root is None:
        _note(problems, "not_xml")
        return
    if _local(root.tag) not in ("urlset", "sitemapindex"):
        _note(problems, "not_a_sitemap")
        return
    count = 0
    for element in root:
        kind = _local(element.tag)
        if kind not in ("sitemap", "url"):
            continue
        fields = {_local(c.tag): c.text for c in element}
        url = _http_url(fields.get("loc"), base_url)
        if not url:
            _note(problems, "bad_entry")
            continue
        count += 1
        if count > MAX_ENTRIES:
            _note(problems, "too_many_entries")
            return
        yield kind, Link(url, parse_source_date(fields.get("lastmod"), dates, problems))
