"""Downloader middlewares: profile-domain enforcement and back-off that honours Retry-After."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit
from urllib.request import proxy_bypass

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.httpproxy import HttpProxyMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.response import response_status_message

__all__ = [
    "BackoffRetryMiddleware",
    "PerHostProxyMiddleware",
    "ProfileDomainsMiddleware",
    "retry_after_seconds",
]

logger = logging.getLogger(__name__)

BACKOFF_STATUSES = {429, 503}


class ProfileDomainsMiddleware:
    """Refuses every request, redirects included, that leaves the crawled profiles' domains.

    Scrapy's OffsiteMiddleware lets `dont_filter` requests through, and our article
    requests need `dont_filter` (see the spider), so the domain check lives here instead.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProfileDomainsMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        spider = self.crawler.spider
        profiles = getattr(spider, "profiles", {}).values()
        if any(profile.on_domain(request.url) for profile in profiles):
            return
        host = urlsplit(request.url).hostname
        self.crawler.stats.inc_value("offsite/filtered")
        raise IgnoreRequest(f"Filtered offsite request to {host!r}: {request.url}")


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """A Retry-After header (delta-seconds or HTTP-date) in seconds; None if absent or bad."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    """Retries like Scrapy's RetryMiddleware, but waits before retrying 429 and 503.

    The wait is the server's Retry-After when it gives one, else an exponential back-off
    (RETRY_BACKOFF_BASE * 2**attempt). A Retry-After above RETRY_AFTER_MAX seconds is not
    waited for: the page is given up (and rejected) rather than stalling the crawl.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler.settings)
        self.crawler = crawler
        self.base = crawler.settings.getfloat("RETRY_BACKOFF_BASE")
        self.max_wait = crawler.settings.getfloat("RETRY_AFTER_MAX")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        return cls(crawler)

    # Scrapy awaits a coroutine here; the parent's method is synchronous.
    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        if response.status not in BACKOFF_STATUSES or request.meta.get("dont_retry", False):
            return super().process_response(request, response)
        attempt = request.meta.get("retry_times", 0)
        wait = retry_after_seconds(response.headers.get("Retry-After"))
        if wait is None:
            wait = self.base * 2**attempt
        if wait > self.max_wait:
            logger.warning(
                "%s: Retry-After %.0fs exceeds RETRY_AFTER_MAX, giving up", request, wait
            )
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        self.crawler.stats.inc_value("retry/backoff_seconds", wait)  # type: ignore[arg-type]
        await asyncio.sleep(wait)
        return retry


class PerHostProxyMiddleware(HttpProxyMiddleware):
    """Scrapy's HttpProxyMiddleware, asking the environment's no_proxy about each host once.

    urllib's proxy_bypass reads and decodes the whole process environment on every call;
    with http_proxy set (a corporate proxy, or the demo site) that was the largest single
    cost of the crawl's main loop after Scrapy's HTTP client (~2% of its CPU). The
    environment does not change during a crawl, so the answer per host does not either.
    """

    def __init__(
        self, auth_encoding: str | None = "latin-1", bypass: Callable[[str], bool] | None = None
    ) -> None:
        super().__init__(auth_encoding)
        self._bypass = functools.lru_cache(maxsize=4096)(bypass or proxy_bypass)

    def process_request(self, request: Request, spider: object = None) -> None:
        if "proxy" in request.meta or not self.proxies:
            super().process_request(request)
            return None
        parsed = urlparse_cached(request)
        scheme = parsed.scheme
        # as in Scrapy: no_proxy only applies to http(s); other schemes use their proxy
        wanted = scheme not in {"http", "https"} or bool(
            parsed.hostname and not self._bypass(parsed.hostname)
        )
        if wanted and scheme in self.proxies:
            creds, proxy_url = self.proxies[scheme]
            self._set_proxy_and_creds(request, proxy_url, creds, scheme)
        else:
            self._set_proxy_and_creds(request, None, None, None)
        return None
