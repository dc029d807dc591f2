"""Section check, "load more" pagination, sitemap child selection, host map, settled rejects."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse

from crawler.dataset.schema import RejectReason
from crawler.discovery import Link
from crawler.items import PageItem
from crawler.pagination import MORE_INDEX, next_more_page
from crawler.profile import MorePages, SiteProfile, profile_for_url
from crawler.rehost import HostMapMiddleware, rehost
from crawler.sections import in_sections, page_sections
from crawler.sitemap_children import child_date, follow_child
from crawler.urlpattern import UrlPattern
from pipelines.drops import Rejected
from pipelines.section import SectionPipeline


def profile(**fields) -> SiteProfile:
    base = dict(name="site", domains=("example.org",), article_allow=(UrlPattern("/a/"),))
    return SiteProfile(**{**base, **fields})


def page(head: str = "", body: str = "<p>text</p>") -> bytes:
    return f"<html><head>{head}</head><body>{body}</body></html>".encode()


def ld(data: dict) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


CRUMBS = {
    "@type": "BreadcrumbList",
    "itemListElement": [
        {"@type": "ListItem", "position": 1, "name": "Home", "item": "https://x.org/"},
        {"@type": "ListItem", "position": 2, "name": "Op-Ed", "item": "https://x.org/opinion"},
        {"@type": "ListItem", "position": 3, "name": "The piece", "item": "https://x.org/a/1"},
    ],
}


def test_page_sections_from_json_ld_meta_breadcrumb_and_selector():
    assert page_sections(page(ld({"@type": "NewsArticle", "articleSection": "News"}))) == ["news"]
    assert page_sections(page('<meta property="article:section" content=" Opinion ">')) == [
        "opinion"
    ]
    assert page_sections(page(ld({"@graph": [CRUMBS]}))) == ["op-ed", "opinion"]
    marked = page(body='<span class="kicker">Comment</span><p>x</p>')
    assert page_sections(marked, "span.kicker") == ["comment"]
    assert page_sections(page("<script type='application/ld+json'>{broken</script>")) == []
    assert in_sections(["news", "opinion"], ["Opinion"])
    assert not in_sections(["news"], ["opinion"])


def item(body: bytes, site: str = "site", status: int = 200) -> PageItem:
    return PageItem("https://example.org/a/1", site, status, body, datetime.now(UTC))


def test_section_pipeline_rejects_pages_of_another_section():
    pipeline = SectionPipeline({"site": profile(sections=("opinion",))})
    news = item(page(ld({"@type": "NewsArticle", "articleSection": "News"})))
    with pytest.raises(Rejected) as info:
        pipeline.process_item(news)
    assert info.value.reason == RejectReason.WRONG_SECTION == "wrong_section"
    opinion = item(page('<meta property="article:section" content="Opinion">'))
    assert pipeline.process_item(opinion) is opinion
    unknown = item(page())
    assert pipeline.process_item(unknown) is unknown  # the page names no section: kept
    failed = item(b"", status=404)
    assert pipeline.process_item(failed) is failed  # extraction names the HTTP error


def test_section_pipeline_ignores_profiles_without_sections():
    pipeline = SectionPipeline({"site": profile()})
    news = item(page(ld({"articleSection": "News"})))
    assert pipeline.process_item(news) is news


def test_more_pages_follow_the_template_while_pages_list_articles():
    more = MorePages("https://example.org/opinion/{offset}", first=19, step=18, max_pages=3)
    site = profile(more_pages=more)
    assert next_more_page(site, {}, 5) == ("https://example.org/opinion/19", 0)
    assert next_more_page(site, {MORE_INDEX: 0}, 4) == ("https://example.org/opinion/37", 1)
    assert next_more_page(site, {MORE_INDEX: 1}, 0) is None  # empty answer: the end
    assert next_more_page(site, {MORE_INDEX: 2}, 9) is None  # max_pages reached
    assert next_more_page(profile(), {}, 5) is None


NOW = datetime(2025, 6, 10, 12, tzinfo=UTC)


def test_child_sitemaps_by_pattern_lastmod_or_date_in_name():
    daily = profile(sitemap_max_age_days=3.0)
    assert follow_child(Link("https://x.org/article-new/09-06-2025.xml"), daily, 0, NOW)
    assert not follow_child(Link("https://x.org/article-new/01-06-2025.xml"), daily, 0, NOW)
    assert not follow_child(Link("https://x.org/article-archive/2004/03.xml"), daily, 0, NOW)
    assert follow_child(
        Link("https://x.org/s.xml", datetime(2025, 6, 9, tzinfo=UTC)), daily, 0, NOW
    )
    assert not follow_child(Link("https://x.org/s-17.xml"), daily, 0, NOW)  # undated
    pattern = profile(sitemap_follow=(UrlPattern("/opinion-"),))
    assert follow_child(Link("https://x.org/opinion-2001.xml"), pattern, 0, NOW)
    assert not follow_child(Link("https://x.org/news-2025.xml"), pattern, 0, NOW)
    # Neither a profile rule nor a setting: every child, as before.
    assert follow_child(Link("https://x.org/s-17.xml"), profile(), 0, NOW)
    assert not follow_child(Link("https://x.org/s-17.xml"), profile(), 7, NOW)
    assert child_date(Link("https://x.org/sitemap-2025-05.xml")) == datetime(
        2025, 5, 31, 23, 59, 59, tzinfo=UTC
    )


def test_profile_for_url_prefers_the_most_specific_domain():
    broad = profile(name="broad", domains=("example.org",))
    blog = profile(name="blog", domains=("blog.example.org",))
    assert profile_for_url([broad, blog], "https://blog.example.org/a/1") is blog
    assert profile_for_url([broad, blog], "https://www.example.org/a/1") is broad
    assert profile_for_url([broad, blog], "https://example.com/a/1") is None


def test_host_map_downloads_elsewhere_and_answers_under_the_real_url():
    middleware = HostMapMiddleware({"https://www.example.org": "http://127.0.0.1:8123"})
    request = Request("https://www.example.org/opinion/19?x=1")
    middleware.process_request(request)
    assert request.url == "http://127.0.0.1:8123/opinion/19?x=1"
    response = HtmlResponse(request.url, body=b"<html></html>", request=request)
    answered = middleware.process_response(request, response)
    assert answered.url == request.url == "https://www.example.org/opinion/19?x=1"
    other = Request("https://elsewhere.org/")
    middleware.process_request(other)
    assert other.url == "https://elsewhere.org/"
    assert rehost("https://www.example.org/a", {}) == "https://www.example.org/a"


def test_settled_rejects_are_read_back(tmp_path: Path):
    from crawler.dataset.known import url_key
    from crawler.dataset.schema import PARTITION_FIELDS, REJECT_SCHEMA, RejectRecord
    from crawler.dataset.settled import settled_urls
    from crawler.dataset.writer import DatasetWriter

    writer = DatasetWriter(tmp_path / "rejects", REJECT_SCHEMA, PARTITION_FIELDS, "p")
    now = datetime.now(UTC)
    for record in (
        RejectRecord("https://x.org/a/1", "site", "wrong_section", "news", 200, now, "r1"),
        RejectRecord("https://x.org/a/2", "site", "http_error", "HTTP 500", 500, now, "r1"),
        RejectRecord("https://x.org/a/3", "other", "wrong_section", "news", 200, now, "r1"),
    ):
        writer.write(record.to_row())
    writer.close()
    assert settled_urls(tmp_path, ["site"]) == {url_key("https://x.org/a/1")}
    assert settled_urls(tmp_path / "missing", ["site"]) == set()


TWO_SITES = {
    "alpha": """
name = "alpha"
domains = ["alpha.org"]
start_urls = ["https://www.alpha.org/opinion"]
sitemaps = ["https://www.alpha.org/sitemap.xml"]
[articles]
allow = ['^https://www\\.alpha\\.org/\\d{4}/[a-z-]+-a\\d+$']
[listings]
restrict_css = ["section.list"]
[pagination]
template = "https://www.alpha.org/opinion/{offset}"
first = 19
step = 18
max_pages = 3
[sitemap_index]
max_age_days = 3
""",
    "beta": """
name = "beta"
domains = ["beta.org"]
feeds = ["https://www.beta.org/rss"]
[articles]
allow = ['^https://www\\.beta\\.org/opinion/']
""",
}


@pytest.fixture
def spider(tmp_path: Path):
    from scrapy.utils.test import get_crawler

    from crawler.spiders.opinion import OpinionSpider

    for name, text in TWO_SITES.items():
        (tmp_path / f"{name}.toml").write_text(text, encoding="utf-8")
    crawler = get_crawler(OpinionSpider, {"SITE_PROFILES_DIR": str(tmp_path), "PARQUET_DIR": ""})
    return OpinionSpider.from_crawler(crawler, site="alpha,beta")


def test_a_redirect_into_another_sites_domain_is_filed_under_that_site(spider):
    asked = Request("https://www.alpha.org/2024/moved-a1", meta={"site": "alpha"})
    landed = HtmlResponse("https://www.beta.org/opinion/moved", body=b"<html></html>",
                          request=asked)  # fmt: skip
    (page,) = spider.parse_article(landed)
    assert page.site == "beta"
    stayed = HtmlResponse("https://www.alpha.org/2024/x-a2", body=b"<html></html>", request=asked)
    assert next(iter(spider.parse_article(stayed))).site == "alpha"


def test_listing_reads_its_area_then_more_pages_until_empty(spider):
    body = (
        b"<html><body><section class='list'><a href='/2024/one-a1'>1</a></section>"
        b"<aside><a href='/2024/sidebar-news-a9'>news</a></aside></body></html>"
    )
    start = Request("https://www.alpha.org/opinion", meta={"site": "alpha"})
    out = list(spider.parse_listing(HtmlResponse(start.url, body=body, request=start)))
    urls = [r.url for r in out]
    assert urls == ["https://www.alpha.org/2024/one-a1", "https://www.alpha.org/opinion/19"]
    more = Request(urls[1], meta={"site": "alpha", MORE_INDEX: 0})
    fragment = b"<div><a href='/2024/two-a2'>2</a></div>"
    urls = [
        r.url for r in spider.parse_listing(HtmlResponse(more.url, body=fragment, request=more))
    ]
    assert urls == ["https://www.alpha.org/2024/two-a2", "https://www.alpha.org/opinion/37"]
    last = Request("https://www.alpha.org/opinion/37", meta={"site": "alpha", MORE_INDEX: 1})
    assert list(spider.parse_listing(HtmlResponse(last.url, body=b"\n", request=last))) == []


def test_sitemap_index_children_outside_the_age_are_not_requested(spider):
    from scrapy.http import XmlResponse

    today = datetime.now(UTC).strftime("%Y-%m-%d")
    index = (
        "<sitemapindex>"
        f"<sitemap><loc>https://www.alpha.org/s/{today}.xml</loc></sitemap>"
        "<sitemap><loc>https://www.alpha.org/s/2004-03-01.xml</loc></sitemap>"
        "</sitemapindex>"
    ).encode()
    asked = Request("https://www.alpha.org/sitemap.xml", meta={"site": "alpha", "sitemap_depth": 0})
    urls = [r.url for r in spider.parse_sitemap(XmlResponse(asked.url, body=index, request=asked))]
    assert urls == [f"https://www.alpha.org/s/{today}.xml"]


def test_settled_urls_are_not_requested_again(spider):
    from crawler.dataset.known import url_key
    from crawler.discovery import Link

    spider.settled = {url_key("https://www.alpha.org/2024/news-a9")}
    alpha = spider.profiles["alpha"]
    assert (
        list(spider._follow_article(Link("https://www.alpha.org/2024/news-a9"), alpha, "x")) == []
    )
    assert (
        len(list(spider._follow_article(Link("https://www.alpha.org/2024/op-a8"), alpha, "x"))) == 1
    )
