"""Sources fail one entry at a time; reject reasons and robots.txt answers mean what they say."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse, Response
from scrapy.spidermiddlewares.httperror import HttpError

from crawler.discovery import feed_links, sitemap_entries
from crawler.failures import failure_reason, response_reason
from crawler.incremental import parse_refresh
from crawler.robots import DISALLOW_ALL, robots_body
from crawler.xmldepth import prune_depth

FEED = "http://news.test/feeds/opinion.xml"


def links(data: bytes, base: str = FEED) -> tuple[list[str], list[str]]:
    problems: list[str] = []
    return [link.url for link in feed_links(data, base, problems=problems)], problems


def test_atom_xml_base_on_feed_and_entry_resolves_relative_links() -> None:
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom" xml:base="/opinion/">
      <entry xml:base="2026/"><link href="river-tax"/></entry>
      <entry><link rel="alternate" href="tram-fares"/></entry>
      <entry><link href="http://news.test/other/abs"/></entry></feed>"""
    found, problems = links(atom)
    assert found == [
        "http://news.test/opinion/2026/river-tax",
        "http://news.test/opinion/tram-fares",
        "http://news.test/other/abs",
    ]
    assert problems == []


def test_rss_relative_links_resolve_against_the_feed_url() -> None:
    rss = b"<rss><channel><item><link>../opinion/bridge</link></item></channel></rss>"
    assert links(rss)[0] == ["http://news.test/opinion/bridge"]


def test_a_feed_nested_thousands_deep_keeps_its_other_items() -> None:
    rss = (
        b"<rss><channel><item><link>http://news.test/a</link></item>"
        + b"<junk>" * 5000
        + b"</junk>" * 5000
        + b"<item><link>http://news.test/b</link></item></channel></rss>"
    )
    found, problems = links(rss)
    assert found == ["http://news.test/a", "http://news.test/b"]
    assert problems == ["too_deep"]


def test_an_html_page_behind_a_feed_url_is_a_named_problem() -> None:
    page = b"<!doctype html><html><head><title>Opinion</title></head><body><p>x</p></body></html>"
    assert links(page) == ([], ["not_a_feed"])
    xhtml = b"<html xmlns='http://www.w3.org/1999/xhtml'><body><p>x</p></body></html>"
    assert links(xhtml) == ([], ["not_a_feed"])


def test_items_without_links_are_counted_and_the_rest_kept() -> None:
    rss = b"<rss><channel><item><title>x</title></item><item><link>/a</link></item></channel></rss>"
    assert links(rss) == (["http://news.test/a"], ["bad_entry"])


def test_sitemap_problems_are_named() -> None:
    base = "http://news.test/sitemap.xml"
    problems: list[str] = []
    xml = b"<urlset><url><loc>javascript:alert(1)</loc></url>"
    xml += b"<url><loc>/opinion/x</loc></url></urlset>"
    found = list(sitemap_entries(xml, base, problems=problems))
    assert [link.url for _, link in found] == ["http://news.test/opinion/x"]
    assert problems == ["bad_entry"]
    for data, problem in ((b"\x1f\x8bnot gzip", "bad_gzip"), (b"<rss/>", "not_a_sitemap")):
        problems = []
        assert list(sitemap_entries(data, base, problems=problems)) == []
        assert problems == [problem]


def test_prune_depth_drops_only_the_deep_part_and_keeps_attributes() -> None:
    doc = b'<a x="1&amp;2"><b>t&lt;</b><c><d><e>deep</e></d></c></a>'
    assert prune_depth(doc, 3) == b'<a x="1&amp;2"><b>t&lt;</b><c><d></d></c></a>'


def response(status: int, location: str | None = None) -> Response:
    headers = {"Location": location} if location is not None else {}
    return HtmlResponse("http://news.test/opinion/x", status=status, headers=headers)


@pytest.mark.parametrize(
    ("status", "location", "reason"),
    [
        (999, None, "nonstandard_status"),
        (302, None, "redirect_without_location"),
        (301, "ftp://news.test/file.txt", "unsupported_redirect"),
        (302, "file:///etc/passwd", "unsupported_redirect"),
        (302, "javascript:alert(1)", "unsupported_redirect"),
        (404, None, "http_error"),
    ],
)
def test_each_unusable_answer_has_its_own_reason(status, location, reason) -> None:
    answer = response(status, location)
    assert response_reason(answer)[0] == reason
    assert failure_reason(HttpError(answer, "Ignoring non-200 response")) == reason


def test_only_robots_txt_is_blocked() -> None:
    from scrapy.exceptions import IgnoreRequest

    assert failure_reason(IgnoreRequest("Forbidden by robots.txt")) == "blocked"
    assert failure_reason(IgnoreRequest("something else")) != "blocked"


def test_redirect_detail_never_shows_credentials() -> None:
    detail = response_reason(response(302, "ftp://user:secret@news.test/f"))[1]
    assert "secret" not in detail and "ftp://news.test/f" in detail


def test_robots_txt_status_rules_follow_rfc_9309() -> None:
    assert robots_body(503, b"User-agent: *\nAllow: /") == DISALLOW_ALL
    assert robots_body(500, b"") == DISALLOW_ALL
    assert robots_body(404, b"<html>Disallow: /</html>") == b""
    assert robots_body(200, b"Disallow: /x") == b"Disallow: /x"


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e12", "-1", "soon"])
def test_refresh_rejects_what_is_no_number_of_days(value: str) -> None:
    with pytest.raises(ValueError, match="refresh must be"):
        parse_refresh(value)


def test_a_bad_refresh_is_a_usage_error_not_a_traceback(tmp_path) -> None:
    import subprocess
    import sys

    from tests.crawling import REPO

    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "opinion", "-a", "refresh=nan",
         "-s", f"PARQUET_DIR={tmp_path}"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2
    assert "refresh must be" in result.stderr and "Traceback" not in result.stderr
