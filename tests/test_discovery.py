"""Feeds and sitemaps: links found, hostile XML defused."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

from crawler.discovery import Link, feed_links, gunzip_bounded, parse_source_date, sitemap_entries

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Opinion</title>
<link>http://site.test/</link>
<item><title>A</title><link>http://site.test/opinion/a-1</link></item>
<item><title>B</title><guid isPermaLink="true">http://site.test/opinion/b-2</guid></item>
<item><title>C</title><link>javascript:alert(1)</link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Opinion</title>
<entry><title>A</title><link rel="alternate" href="/opinion/a-1"/>
<published>2026-03-01T10:00:00+01:00</published><updated>2026-03-02T10:30:00+01:00</updated>
<link rel="enclosure" href="/img/a.jpg"/></entry></feed>"""

SITEMAP_INDEX = b"""<?xml version="1.0"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>http://site.test/sitemap-1.xml</loc></sitemap>
<sitemap><loc>file:///etc/passwd</loc></sitemap></sitemapindex>"""

URLSET = b"""<?xml version="1.0"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>http://site.test/opinion/a-1</loc><lastmod>2026-01-01</lastmod></url>
<url><loc>data:text/html,hi</loc></url></urlset>"""


def test_rss_and_atom_links():
    assert [link.url for link in feed_links(RSS, "http://site.test/rss")] == [
        "http://site.test/opinion/a-1",
        "http://site.test/opinion/b-2",
    ]
    (atom,) = feed_links(ATOM, "http://site.test/atom")
    assert atom == Link("http://site.test/opinion/a-1", datetime(2026, 3, 2, 9, 30, tzinfo=UTC))


def test_sitemap_index_and_urlset_keep_only_http_urls():
    assert list(sitemap_entries(SITEMAP_INDEX, "http://site.test/sitemap.xml")) == [
        ("sitemap", Link("http://site.test/sitemap-1.xml"))
    ]
    assert list(sitemap_entries(gzip.compress(URLSET), "http://site.test/s.xml.gz")) == [
        ("url", Link("http://site.test/opinion/a-1", datetime(2026, 1, 1, tzinfo=UTC)))
    ]


def test_source_dates_in_iso_and_rfc822_become_utc():
    assert parse_source_date("Fri, 20 Mar 2026 08:56:00 +0300") == datetime(
        2026, 3, 20, 5, 56, tzinfo=UTC
    )
    assert parse_source_date("2026-03-20") == datetime(2026, 3, 20, tzinfo=UTC)
    assert parse_source_date("2026-03-20T08:56:00Z") == datetime(2026, 3, 20, 8, 56, tzinfo=UTC)
    assert parse_source_date("yesterday") is None


def test_external_entities_are_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    xxe = f"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>
<urlset><url><loc>http://site.test/&x;</loc></url></urlset>""".encode()
    found = list(sitemap_entries(xxe, "http://site.test/s.xml"))
    assert all("TOP-SECRET" not in link.url for _, link in found)


def test_billion_laughs_does_not_expand():
    lol = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
<!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">]>
<rss><channel><item><link>http://site.test/&g;</link></item></channel></rss>"""
    links = feed_links(lol, "http://site.test/rss")
    assert all(len(link.url) < 1000 for link in links)


def test_gzip_bomb_is_refused():
    bomb = gzip.compress(b"\0" * (20 * 1024 * 1024))
    assert gunzip_bounded(bomb, max_size=1024 * 1024) is None
    assert list(sitemap_entries(bomb, "http://site.test/s.xml.gz", max_size=1024 * 1024)) == []
    assert gunzip_bounded(gzip.compress(b"small"), max_size=100) == b"small"
