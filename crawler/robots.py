"""robots.txt as RFC 9309 says: 5xx means disallow all, 4xx allow all; Crawl-delay honoured."""

from __future__ import annotations

import logging

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import Response
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached

__all__ = ["RobotsPolicyMiddleware", "robots_body"]

logger = logging.getLogger(__name__)

DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"


def robots_body(status: int, body: bytes) -> bytes:
    """The rules a robots.txt response stands for (RFC 9309 §2.3.1.3-4)."""
    if 500 <= status <= 599:
        return DISALLOW_ALL  # unreachable: assume complete disallow
    if 400 <= status <= 499:
        return b""  # unavailable: no rules
    return body


class RobotsPolicyMiddleware(RobotsTxtMiddleware):
    """Scrapy's RobotsTxtMiddleware, which parses any answer's body as rules and ignores
    `Crawl-delay`: here a 5xx robots.txt forbids the whole host for the run, a 4xx allows
    it, and a host's Crawl-delay (up to ROBOTSTXT_CRAWL_DELAY_MAX) becomes its slot's delay."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.max_delay = crawler.settings.getfloat("ROBOTSTXT_CRAWL_DELAY_MAX")
        self.delays: dict[str, float] = {}  # netloc -> seconds between requests

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        body = robots_body(response.status, response.body)
        if 500 <= response.status <= 599:
            self._stats.inc_value("robotstxt/unreachable_disallow_all")
            logger.warning(
                "robots.txt of %s answered %d: the whole host is disallowed for this run",
                netloc,
                response.status,
            )
        await super()._parse_robots(response.replace(body=body), netloc, request)
        delay = self._crawl_delay(self._parsers.get(netloc))
        if delay:
            self.delays[netloc] = min(delay, self.max_delay)
            logger.info("robots.txt of %s asks Crawl-delay %.1fs: honoured", netloc, delay)

    def _crawl_delay(self, parser: object) -> float | None:
        crawl_delay = getattr(parser, "crawl_delay", None)
        if not isinstance(parser, RobotParser) or crawl_delay is None:
            return None
        agent = self._robotstxt_useragent or self._default_useragent
        try:
            delay = crawl_delay(agent)
        except (TypeError, ValueError):  # a malformed Crawl-delay line
            return None
        return float(delay) if delay and delay > 0 else None

    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        super().process_request_2(rp, request)
        delay = self.delays.get(urlparse_cached(request).netloc)
        if delay:
            self._slow_down(request, delay)

    def _slow_down(self, request: Request, delay: float) -> None:
        """Give the request's download slot at least `delay` seconds, without jitter."""
        downloader = self.crawler.engine.downloader  # type: ignore[union-attr]
        key = downloader.get_slot_key(request)
        wanted = downloader.per_slot_settings.setdefault(key, {})
        if wanted.get("delay", 0.0) < delay:
            wanted.update(delay=delay, jitter=0.0)
        slot = downloader.slots.get(key)
        if slot is not None and slot.delay < delay:
            slot.delay, slot.jitter = delay, 0.0
        # AutoThrottle would pull the delay back down to DOWNLOAD_DELAY.
        request.meta["autothrottle_dont_adjust_delay"] = True
