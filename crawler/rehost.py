"""SITE_HOST_MAP: download a site's URLs from another origin (a local replica, a mirror)."""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

__all__ = ["HostMapMiddleware", "rehost"]

_ORIGINAL = "rehosted_from"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def rehost(url: str, host_map: dict[str, str]) -> str:
    """The URL to download for `url`: its origin replaced when the map names it."""
    target = host_map.get(_origin(url))
    if target is None:
        return url
    return target.rstrip("/") + url[len(_origin(url)) :]


class HostMapMiddleware:
    """Sends requests for mapped origins elsewhere, and hands responses back under the real URL.

    It sits next to the downloader, so every other component (profile patterns, domain
    checks, robots.txt, redirects, the dataset) sees only the site's real URLs: the same
    crawl runs against the live site or, in tests, against a replica on 127.0.0.1 serving
    https sites over plain http.
    """

    def __init__(self, host_map: dict[str, str]) -> None:
        self.host_map = {k.rstrip("/").lower(): v for k, v in host_map.items()}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HostMapMiddleware:
        host_map = crawler.settings.getdict("SITE_HOST_MAP")
        if not host_map:
            raise NotConfigured("SITE_HOST_MAP is empty")
        return cls(host_map)

    def process_request(self, request: Request) -> None:
        target = rehost(request.url, self.host_map)
        if target != request.url:
            request.meta[_ORIGINAL] = request.url
            # Requests are immutable to users; the downloader reads the URL after us.
            request._set_url(target)

    def process_response(self, request: Request, response: Response) -> Response:
        original = request.meta.pop(_ORIGINAL, None)
        if original is None:
            return response
        request._set_url(original)
        return response.replace(url=original)

    def process_exception(self, request: Request, exception: BaseException) -> None:
        original = request.meta.pop(_ORIGINAL, None)
        if original is not None:
            request._set_url(original)
