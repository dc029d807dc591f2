"""scrapy-redis's scheduler, adapted to the Scrapy we pin."""

from __future__ import annotations

from scrapy import Request
from scrapy_redis.scheduler import Scheduler

__all__ = ["RedisScheduler"]


class RedisScheduler(Scheduler):
    """The shared request queue of scrapy-redis 0.9.1, without a `spider` argument to stats.

    scrapy-redis passes `spider=` to the stats collector on every request, which Scrapy
    deprecates since 2.14 (one warning per request); everything else works unchanged.
    """

    def enqueue_request(self, request: Request) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self) -> Request | None:
        request = self.queue.pop(self.idle_before_close)
        if request and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request  # type: ignore[no-any-return]
