"""Meta refresh redirects still happen; a page without one is never decoded to find out."""

from __future__ import annotations

from unittest import mock

import pytest
from scrapy import Request
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse, TextResponse
from scrapy.utils.test import get_crawler

from crawler.metarefresh import LazyMetaRefreshMiddleware

URL = "http://www.example.test/opinion/old-name"
REFRESH = '<meta http-equiv="refresh" content="0; url=/opinion/new-name">'


def middleware() -> LazyMetaRefreshMiddleware:
    return LazyMetaRefreshMiddleware.from_crawler(get_crawler(settings_dict={}))


def page(head: str, body_text: str = "", encoding: str = "utf-8") -> HtmlResponse:
    html = f"<html><head>{head}</head><body>{body_text}</body></html>"
    return HtmlResponse(URL, body=html.encode(encoding), encoding=encoding)


@pytest.mark.parametrize("encoding", ["utf-8", "windows-1251", "utf-16-le", "utf-16"])
def test_a_meta_refresh_redirects_as_with_scrapys_middleware(encoding):
    scrapys = MetaRefreshMiddleware.from_crawler(get_crawler(settings_dict={}))
    response = page(REFRESH, "Привет", encoding)
    result = middleware().process_response(Request(URL), response)
    assert isinstance(result, Request)
    assert result.url == scrapys.process_response(Request(URL), response).url
    assert result.url.startswith("http://www.example.test/opinion/new-name")


def test_a_page_without_refresh_is_passed_on_without_decoding_it():
    response = page("<title>A column</title>", "<p>Long article text.</p>" * 8000)
    decoded = mock.PropertyMock(side_effect=AssertionError("the body was decoded"))
    with mock.patch.object(TextResponse, "text", decoded):
        assert middleware().process_response(Request(URL), response) is response


def test_the_word_refresh_elsewhere_in_the_head_only_costs_the_usual_check():
    response = page("<script>refreshAds()</script>", "<p>Text.</p>")
    assert middleware().process_response(Request(URL), response) is response


def test_the_crawl_uses_it_instead_of_scrapys():
    from scrapy.utils.project import get_project_settings

    chain = get_project_settings().getdict("DOWNLOADER_MIDDLEWARES")
    assert chain["scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware"] is None
    assert chain["crawler.metarefresh.LazyMetaRefreshMiddleware"] == 580
