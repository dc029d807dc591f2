"""scrapy-redis's scheduler, adapted to the Scrapy we pin and to a Redis that may go away."""

from __future__ import annotations

from typing import Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy_redis.scheduler import Scheduler

from crawler.distributed.outage import HEALTH, RedisError
from crawler.scheduler import Backlog, HoldsBack

__all__ = ["RedisScheduler"]


class RedisScheduler(HoldsBack, Scheduler):
    """The shared request queue of scrapy-redis 0.9.1, without a `spider` argument to stats.

    scrapy-redis passes `spider=` to the stats collector on every request, which Scrapy
    deprecates since 2.14 (one warning per request). While Redis does not answer, the queue
    looks empty and a request that cannot be queued is counted (`shared/requests_lost`)
    instead of a traceback per call; the worker extension stops the worker when the
    outage lasts DISTRIBUTED_FRONTIER_TIMEOUT seconds, and a re-run finds those pages again.
    A worker whose backlog is full takes nothing from the shared queue (`HoldsBack`).
    """

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        scheduler = super().from_crawler(crawler)
        scheduler.backlog = Backlog.from_crawler(crawler)
        return scheduler  # type: ignore[no-any-return]

    def enqueue_request(self, request: Request) -> bool:
        try:
            if not request.dont_filter and self.df.request_seen(request):
                self.df.log(request, self.spider)
                return False
            self.queue.push(request)
        except RedisError as exc:
            HEALTH.failed("queueing a request", exc)
            if self.stats:
                self.stats.inc_value("shared/requests_lost")
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        if self._holding_back():
            return None
        try:
            request = self.queue.pop(self.idle_before_close)
        except RedisError as exc:
            HEALTH.failed("taking a request", exc)
            return None
        if request and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request  # type: ignore[no-any-return]

    def __len__(self) -> int:
        return HEALTH.call("queue length", lambda: len(self.queue), 0)
