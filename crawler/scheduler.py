"""The crawl's schedulers hand out no request while the crawl holds more pages than it can use.

Scrapy bounds the responses it holds in bytes (`SCRAPER_SLOT_MAX_ACTIVE_SIZE`, 5 MB), not in
pages. A page waits for the extraction pool far longer than it takes to download, so with
small pages a crawl downloaded hundreds ahead of its pool: a whole 700-article site while the
pool's processes were starting. In a shared crawl that worker took every request from the
Redis queue, leaving none for the others, and a worker killed with them left them all as a
gap for the re-run. Counting pages in hand bounds that whatever their size.
"""

from __future__ import annotations

from typing import Any, Self

from scrapy import Request
from scrapy.core.scheduler import Scheduler
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

__all__ = ["Backlog", "LocalScheduler", "backlog_limit"]


def backlog_limit(settings: BaseSettings) -> int:
    """`SCRAPE_MAX_PENDING`, or by default a full downloader and twice the pool's pages."""
    from pipelines.extract import pool_in_flight

    limit = settings.getint("SCRAPE_MAX_PENDING")
    if limit <= 0:
        limit = settings.getint("CONCURRENT_REQUESTS") + 2 * pool_in_flight(settings)
    return max(1, limit)


class Backlog:
    """Requests the crawl has in hand: downloading, or downloaded and not yet through the
    spider's callback and the item pipelines."""

    def __init__(self, crawler: Crawler, limit: int) -> None:
        self.crawler = crawler
        self.limit = limit

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Backlog:
        return cls(crawler, backlog_limit(crawler.settings))

    def size(self) -> int:
        engine = self.crawler.engine
        slot = engine.scraper.slot if engine is not None else None
        if engine is None or slot is None:
            return 0
        return len(engine.downloader.active) + len(slot.queue) + len(slot.active)

    def full(self) -> bool:
        size = self.size()
        if self.crawler.stats is not None:
            self.crawler.stats.max_value("scheduler/in_hand_max", size)
        return size >= self.limit


class HoldsBack:
    """Mixin for a Scrapy scheduler: no request while the backlog is full.

    The engine asks again when a response is done with (and on its 5 s heartbeat), so a held
    request waits in the queue, where a shared crawl's other workers can still take it.
    """

    backlog: Backlog | None = None
    stats: Any

    def _holding_back(self) -> bool:
        if self.backlog is None or not self.backlog.full():
            return False
        if self.stats is not None:
            self.stats.inc_value("scheduler/held_back")
        return True


class LocalScheduler(HoldsBack, Scheduler):
    """Scrapy's scheduler (memory or JOBDIR queues) with the backlog bound."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        scheduler = super().from_crawler(crawler)
        scheduler.backlog = Backlog.from_crawler(crawler)
        return scheduler

    def next_request(self) -> Request | None:
        if self._holding_back():
            return None
        return super().next_request()
