"""The spider routes: only profile-approved article URLs on the profile's domains are fetched."""

from __future__ import annotations

import asyncio
import gc
import inspect
import weakref
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, XmlResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.utils import misc
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

from crawler.items import PageItem
from crawler.links import LinkResolver, listing_links
from crawler.spiders.opinion import OpinionSpider

PROFILE = """
name = "mini"
domains = ["mini.test"]
start_urls = ["http://www.mini.test/opinion/"]
feeds = ["http://www.mini.test/rss.xml"]
sitemaps = ["http://www.mini.test/sitemap.xml"]
[articles]
allow = ['^http://www\\.mini\\.test/opinion/[a-z-]+-\\d+$']
[listings]
allow = ['^http://www\\.mini\\.test/opinion/\\?page=\\d+$']
max_pages = 2
"""

LISTING = b"""<html><body>
<a href="/opinion/first-take-1">A</a><a href="/opinion/first-take-1#comments">A again</a>
<a href="/news/flood-2">news</a><a href="http://evil.test/opinion/spam-3">offsite</a>
<a href="/opinion/?page=2">2</a><a href="/opinion/?page=3">3</a><a href="/opinion/?page=4">4</a>
</body></html>"""


@pytest.fixture
def spider(tmp_path: Path) -> OpinionSpider:
    (tmp_path / "mini.toml").write_text(PROFILE, encoding="utf-8")
    crawler = get_crawler(OpinionSpider, {"SITE_PROFILES_DIR": str(tmp_path)})
    return OpinionSpider.from_crawler(crawler, site="mini")


def request_for(spider: OpinionSpider, url: str) -> Request:
    return Request(url, meta={"site": "mini", "sitemap_depth": 0})


def test_start_requests_feeds_sitemaps_and_listings(spider: OpinionSpider):
    async def collect() -> list[Request]:
        return [r async for r in spider.start()]

    requests = asyncio.run(collect())
    assert [r.url for r in requests] == [
        "http://www.mini.test/rss.xml",
        "http://www.mini.test/sitemap.xml",
        "http://www.mini.test/opinion/",
    ]
    assert all(r.meta["download_slot"] == "mini" for r in requests)


def test_listing_follows_articles_and_bounded_pagination(spider: OpinionSpider):
    url = "http://www.mini.test/opinion/"
    spider.listing_pages["mini"].add(url)
    response = HtmlResponse(url, body=LISTING, request=request_for(spider, url))
    urls = [r.url for r in spider.parse_listing(response)]
    assert urls == [
        "http://www.mini.test/opinion/first-take-1",
        "http://www.mini.test/opinion/?page=2",
    ]


def test_a_listing_seen_again_yields_nothing_new(spider: OpinionSpider):
    url = "http://www.mini.test/opinion/"
    spider.listing_pages["mini"].add(url)
    response = HtmlResponse(url, body=LISTING, request=request_for(spider, url))
    assert len(list(spider.parse_listing(response))) == 2
    assert list(spider.parse_listing(response)) == []
    assert spider.routed_listings == {f"{url}?page={n}" for n in (2, 3, 4)}


LINKS = """<html><head><base href="http://x.test/base/"></head><body><div class="list">
<a href=" rel/a-1 ">a</a><a href="/doc.pdf">pdf</a><a href="/doc.PDF?next=/y">pdf</a>
<a href="/f/a.tar.gz">tgz</a><a href="mailto:me@x.test">m</a><a href="javascript:void(0)">js</a>
<a href="http://[bad">bad</a><a href="/café?q=é">utf-8</a><a href="rel/a-1">again</a>
<map><area href="/area-2"></map><a href="/x.html#frag">x</a><a href="?page=2">2</a></div>
<a href="/outside-3">out</a></body></html>""".encode()


@pytest.mark.parametrize("areas", [(), (".list",), ("div.list", "map")])
def test_listing_links_are_what_scrapys_link_extractor_finds(areas: tuple[str, ...]):
    response = HtmlResponse("http://x.test/opinion/", body=LINKS, encoding="utf-8")
    expected = [
        link.url for link in LinkExtractor(restrict_css=areas, unique=True).extract_links(response)
    ]
    assert listing_links(response, areas) == expected


@pytest.mark.parametrize("areas", [(), (".list",)])
def test_a_listing_read_for_links_is_freed_without_waiting_for_the_garbage_collector(areas):
    # response.selector made a cycle (response -> selector -> response): each listing page's
    # tree waited for a full collection, and a crawl's listing phase ended ~45 MB heavier
    # with the trees of the ~75 pages read last
    response = HtmlResponse("http://x.test/opinion/", body=LINKS, encoding="utf-8")
    gc.disable()
    try:
        assert listing_links(response, areas)
        freed = weakref.ref(response)
        del response
        assert freed() is None
    finally:
        gc.enable()


def test_one_resolver_serves_pages_with_other_bases_and_origins():
    # The crawl's resolver caches hrefs: a relative href must still resolve against each
    # page's own base, a root-relative one against each page's own origin.
    pages = [
        ("http://x.test/opinion/", LINKS),
        ("http://x.test/other/deeper/", LINKS.replace(b'<base href="http://x.test/base/">', b"")),
        ("https://y.test/opinion/", LINKS.replace(b"http://x.test/base/", b"https://y.test/b/")),
        ("http://x.test/opinion/?page=2", LINKS),
    ]
    shared, tiny = LinkResolver(), LinkResolver(max_entries=3)
    for url, body in pages * 2:
        response = HtmlResponse(url, body=body, encoding="utf-8")
        fresh = listing_links(response, (".list",))
        assert shared.links(response, (".list",)) == fresh
        assert tiny.links(response, (".list",)) == fresh
    assert len(tiny._resolved) <= 3


def test_a_listing_matches_each_link_against_the_profile_once(spider: OpinionSpider):
    # The source report's count and the routing used to match every link twice.
    url = "http://www.mini.test/opinion/"
    spider.listing_pages["mini"].add(url)
    profile = spider.profiles["mini"]
    matched: list[str] = []
    real = type(profile).is_article

    def counting(self, link: str) -> bool:
        matched.append(link)
        return real(self, link)

    response = HtmlResponse(url, body=LISTING, request=request_for(spider, url))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(type(profile), "is_article", counting)
        list(spider.parse_listing(response))
    links = list(spider.links.links(response, ()))
    articles = [link for link in links if real(profile, link)]
    # each link once, and each article link once more where it is followed (stripped first)
    assert len(matched) == len(links) + len(articles)


def test_pagination_repeated_on_every_listing_page_is_resolved_once(monkeypatch):
    # A site linking every listing page from every other made the listing work grow with
    # the square of its pages: each href must be resolved once per crawl, not once per page.
    import crawler.links

    calls: list[str] = []
    real = crawler.links._resolve

    def counting(base: str, href: str, encoding: str) -> str | None:
        calls.append(href)
        return real(base, href, encoding)

    monkeypatch.setattr(crawler.links, "_resolve", counting)
    pages = 60
    pagination = "".join(f'<a href="/opinion/?page={n}">{n}</a>' for n in range(pages))
    resolver = LinkResolver()
    for n in range(pages):
        body = f'<a href="/opinion/take-{n}">take</a><a href="more-{n}">more</a>{pagination}'
        response = HtmlResponse(f"http://x.test/opinion/?page={n}", body=body, encoding="utf-8")
        assert len(resolver.links(response)) == pages + 2
    # per page: its own article and its relative "more" link, plus each pagination href once
    assert len(calls) == 2 * pages + pages


def test_sitemap_and_feed_yield_only_articles(spider: OpinionSpider):
    sitemap = b"""<urlset><url><loc>http://www.mini.test/opinion/a-1</loc></url>
    <url><loc>http://www.mini.test/sport/b-2</loc></url>
    <url><loc>http://other.test/opinion/c-3</loc></url></urlset>"""
    url = "http://www.mini.test/sitemap.xml"
    response = XmlResponse(url, body=sitemap, request=request_for(spider, url))
    (article,) = spider.parse_sitemap(response)
    assert article.url == "http://www.mini.test/opinion/a-1"
    assert 404 in article.meta["handle_httpstatus_list"]
    assert list(spider.parse_sitemap(response)) == []  # never scheduled twice


def test_article_response_becomes_a_raw_page_item(spider: OpinionSpider):
    url = "http://www.mini.test/opinion/a-1"
    response = HtmlResponse(
        url,
        status=404,
        body=b"<html>gone</html>",
        headers={"Content-Type": "text/html"},
        request=request_for(spider, url),
    )
    (item,) = spider.parse_article(response)
    assert isinstance(item, PageItem)
    assert (item.url, item.site, item.status, item.content_type) == (url, "mini", 404, "text/html")
    assert item.fetched_at.tzinfo is not None


# Every generator method of the spider: a callback added later is checked too.
GENERATORS = sorted(n for n, f in vars(OpinionSpider).items() if inspect.isgeneratorfunction(f))


def test_the_spiders_callbacks_are_among_its_checked_generators():
    callbacks = {"parse_feed", "parse_sitemap", "parse_listing", "parse_article", "article_failed"}
    assert callbacks <= set(GENERATORS)


@pytest.mark.parametrize("name", GENERATORS)
def test_no_callback_is_a_generator_returning_a_value(name: str):
    # What Scrapy's per-response check would have warned about (turned off, see below):
    # a generator's return value is dropped.
    assert not misc.is_generator_with_return_value(getattr(OpinionSpider, name))


def test_a_crawl_does_not_parse_a_callbacks_source_at_every_response(
    spider: OpinionSpider, monkeypatch: pytest.MonkeyPatch
):
    checked: list[object] = []
    monkeypatch.setattr(misc, "is_generator_with_return_value", checked.append)
    crawl = SimpleNamespace(settings=get_project_settings())
    for _ in range(3):  # a bound method per request, as the crawl makes them
        misc.warn_on_generator_with_return_value(crawl, spider.parse_article)  # type: ignore[arg-type]
    assert checked == []
