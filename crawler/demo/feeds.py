"""RSS 2.0, Atom and sitemap documents for the demo publishers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

from crawler.demo.markup import rfc822

_SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item of a feed."""

    title: str
    url: str
    guid: str
    published: datetime
    updated: datetime
    summary: str
    author: str
    category: str


@dataclass(frozen=True, slots=True)
class Channel:
    """Feed-level metadata."""

    title: str
    link: str
    self_url: str
    description: str
    language: str
    updated: datetime


def rss(channel: Channel, entries: Sequence[FeedEntry], encoding: str = "utf-8") -> str:
    """An RSS 2.0 document with Dublin Core creators."""
    items = "\n".join(
        f"<item>\n<title>{escape(e.title)}</title>\n<link>{escape(e.url)}</link>\n"
        f'<guid isPermaLink="false">{escape(e.guid)}</guid>\n<pubDate>{rfc822(e.published)}'
        f"</pubDate>\n<dc:creator>{escape(e.author)}</dc:creator>\n"
        f"<category>{escape(e.category)}</category>\n"
        f"<description>{escape(e.summary)}</description>\n</item>"
        for e in entries
    )
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>\n'
        f"<title>{escape(channel.title)}</title>\n<link>{escape(channel.link)}</link>\n"
        f'<atom:link href="{escape(channel.self_url)}" rel="self" type="application/rss+xml"/>\n'
        f"<description>{escape(channel.description)}</description>\n"
        f"<language>{channel.language}</language>\n"
        f"<lastBuildDate>{rfc822(channel.updated)}</lastBuildDate>\n{items}\n</channel>\n</rss>\n"
    )


def atom(channel: Channel, entries: Sequence[FeedEntry]) -> str:
    """An Atom 1.0 document."""
    items = "\n".join(
        f"<entry>\n<title>{escape(e.title)}</title>\n"
        f'<link rel="alternate" type="text/html" href="{escape(e.url)}"/>\n'
        f"<id>{escape(e.guid)}</id>\n<published>{e.published.isoformat()}</published>\n"
        f"<updated>{e.updated.isoformat()}</updated>\n"
        f"<author><name>{escape(e.author)}</name></author>\n"
        f'<category term="{escape(e.category)}"/>\n'
        f'<summary type="html">{escape(e.summary)}</summary>\n</entry>'
        for e in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{channel.language}">\n'
        f"<title>{escape(channel.title)}</title>\n<subtitle>{escape(channel.description)}"
        f'</subtitle>\n<link rel="alternate" type="text/html" href="{escape(channel.link)}"/>\n'
        f'<link rel="self" type="application/atom+xml" href="{escape(channel.self_url)}"/>\n'
        f"<id>{escape(channel.self_url)}</id>\n<updated>{channel.updated.isoformat()}</updated>\n"
        f"{items}\n</feed>\n"
    )


def urlset(entries: Iterable[tuple[str, str]]) -> str:
    """A sitemap of (loc, lastmod) pairs."""
    rows = "\n".join(
        f"<url><loc>{escape(loc)}</loc><lastmod>{lastmod}</lastmod></url>"
        for loc, lastmod in entries
    )
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{_SITEMAP_NS}">'
    return f"{head}\n{rows}\n</urlset>\n"


def sitemap_index(entries: Iterable[tuple[str, str]]) -> str:
    """A sitemap index of (child sitemap, lastmod) pairs."""
    rows = "\n".join(
        f"<sitemap><loc>{escape(loc)}</loc><lastmod>{lastmod}</lastmod></sitemap>"
        for loc, lastmod in entries
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{_SITEMAP_NS}">\n'
        f"{rows}\n</sitemapindex>\n"
    )
