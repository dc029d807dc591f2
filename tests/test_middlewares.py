"""Downloader middlewares: the proxy choice per host, Retry-After parsing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from scrapy import Request
from scrapy.downloadermiddlewares.httpproxy import HttpProxyMiddleware

from crawler.middlewares import PerHostProxyMiddleware, retry_after_seconds

URLS = [
    "http://news.example.test/opinion/a",
    "http://news.example.test/opinion/b",
    "https://secure.example.test/opinion/c",
    "http://internal.corp.test/page",
    "ftp://files.example.test/x",
]


@pytest.fixture
def proxy_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "ftp_proxy", "no_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("http_proxy", "http://user:secret@proxy.local:3128")
    monkeypatch.setenv("https_proxy", "http://proxy.local:3129")
    monkeypatch.setenv("ftp_proxy", "http://proxy.local:3130")
    monkeypatch.setenv("no_proxy", "corp.test")


def _outcome(request: Request) -> tuple:
    return (
        request.meta.get("proxy"),
        request.meta.get("_scheme_proxy"),
        request.headers.get(b"Proxy-Authorization"),
    )


@pytest.mark.usefixtures("proxy_env")
def test_same_proxy_choice_as_scrapys_middleware() -> None:
    ours, scrapys = PerHostProxyMiddleware(), HttpProxyMiddleware()
    for url in [*URLS, *URLS]:
        mine, theirs = Request(url), Request(url)
        ours.process_request(mine)
        scrapys.process_request(theirs)
        assert _outcome(mine) == _outcome(theirs), url
    direct = Request(URLS[3])
    ours.process_request(direct)
    assert direct.meta.get("proxy") is None  # a no_proxy host goes direct


@pytest.mark.usefixtures("proxy_env")
def test_no_proxy_is_asked_once_per_host() -> None:
    asked: list[str] = []

    def bypass(host: str) -> bool:
        asked.append(host)
        return host.endswith("corp.test")

    middleware = PerHostProxyMiddleware(bypass=bypass)
    for url in URLS * 3:
        middleware.process_request(Request(url))
    assert sorted(asked) == ["internal.corp.test", "news.example.test", "secure.example.test"]


@pytest.mark.usefixtures("proxy_env")
def test_an_explicit_proxy_in_meta_wins() -> None:
    request = Request(URLS[0], meta={"proxy": "http://other.local:8080"})
    PerHostProxyMiddleware().process_request(request)
    assert request.meta["proxy"] == "http://other.local:8080"
    assert b"Proxy-Authorization" not in request.headers


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (b"120", 120.0),
        ("  7 ", 7.0),
        ("Wed, 25 Nov 2026 12:01:00 GMT", 60.0),
        ("Wed, 25 Nov 2026 11:00:00 GMT", 0.0),  # in the past: retry now
        ("soon", None),
        (None, None),
    ],
)
def test_retry_after_seconds(value: bytes | str | None, seconds: float | None) -> None:
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    assert retry_after_seconds(value, now=now) == seconds
