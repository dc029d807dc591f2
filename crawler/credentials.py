"""Credentials never travel: `user:password@` is stripped from every request and redirect."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response
from w3lib.url import safe_url_string

from crawler.dataset.identity import strip_credentials

__all__ = ["RedirectTargetMiddleware", "StripCredentialsMiddleware"]


class StripCredentialsMiddleware:
    """First downloader middleware: a URL with credentials is re-issued without them.

    Before any other middleware logs, filters or proxies the request, and for redirect
    targets too (a redirected request passes here again), so no server, proxy, log line or
    stored `url` sees the password.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StripCredentialsMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> Request | None:
        clean = strip_credentials(request.url)
        if clean == request.url:
            return None
        self.crawler.stats.inc_value("credentials/stripped")
        # A new request: Scrapy runs the whole chain again on it, without the password.
        return request.replace(url=clean)


class RedirectTargetMiddleware:
    """Cleans a redirect's `Location` before RedirectMiddleware reads (and logs) it.

    Credentials are stripped; a target that is not http(s) (`ftp:`, `file:`, `javascript:`)
    is not followed, so the 3xx reaches the spider and becomes an `unsupported_redirect`
    reject (Scrapy would raise a bare ValueError on `javascript:`). Placed after
    RedirectMiddleware, so responses reach this one first.
    """

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get("Location")
        if not location or not 300 <= response.status < 400:
            return response
        target = urljoin(request.url, safe_url_string(location.decode("latin-1").strip()))
        if urlsplit(target).scheme.lower() not in ("http", "https"):
            request.meta["dont_redirect"] = True
            return response
        clean = strip_credentials(target)
        if clean == target:
            return response
        headers = response.headers.copy()
        headers["Location"] = clean
        return response.replace(headers=headers)
