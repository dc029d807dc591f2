"""The worker extension: joins the shared crawl, publishes its stats, closes when all are done."""

from __future__ import annotations

import logging
import os
import socket
import time
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DontCloseSpider, NotConfigured
from scrapy.utils.asyncio import create_looping_call
from scrapy.utils.defer import deferred_from_coro

from crawler.dataset.schema import RejectReason
from crawler.distributed.config import redis_url

if TYPE_CHECKING:  # Redis is imported only when the crawl is shared
    from crawler.distributed.outage import FrontierHealth
    from crawler.distributed.round import SharedCrawl

__all__ = ["SharedCrawlWorker"]

logger = logging.getLogger(__name__)

VANISHED = "the shared crawl's state vanished from Redis (restarted empty?)"


class SharedCrawlWorker:
    """Makes one `scrapy crawl` process a worker of the shared crawl (REDIS_URL set).

    Every `interval` seconds it refreshes its stats hash in Redis (which expires after
    DISTRIBUTED_WORKER_TTL, so a killed worker drops out by itself) and looks at the shared
    queue again. An idle worker stays open while requests wait in the queue
    or another worker is busy (it may still discover requests), and for `grace` seconds
    after joining, so that workers starting together all get a share.
    """

    def __init__(self, crawler: Crawler, crawl: SharedCrawl, interval: float, grace: float,
                 dataset: str | None, lost_after: float = 5.0) -> None:  # fmt: skip
        from crawler.distributed.outage import HEALTH, RedisError

        self.crawler = crawler
        self.stats = crawler.stats
        self.crawl = crawl
        self.interval = interval
        self.grace = grace
        self.dataset = dataset
        self.run_id = crawler.settings["RUN_ID"]
        self.started_at = datetime.now(UTC).isoformat(timespec="seconds")
        self.started = time.monotonic()
        self.loop: Any = None
        self.lost_after = lost_after
        self.health: FrontierHealth = HEALTH
        self.redis_errors: tuple[type[Exception], ...] = (RedisError,)
        self.stopping = ""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedCrawlWorker:
        settings = crawler.settings
        if not redis_url(settings):
            raise NotConfigured("REDIS_URL is not set: a local crawl")
        from crawler.distributed.round import SharedCrawl
        from crawler.distributed.shared import connect, crawl_keys

        crawl = SharedCrawl(
            connect(settings), crawl_keys(settings), settings["WORKER_ID"],
            ttl=settings.getfloat("DISTRIBUTED_WORKER_TTL"),
            join_timeout=settings.getfloat("DISTRIBUTED_JOIN_TIMEOUT"),
        )  # fmt: skip
        dataset = settings["PARQUET_DIR"]
        extension = cls(crawler, crawl, settings.getfloat("DISTRIBUTED_HEARTBEAT_SECONDS"),
                        settings.getfloat("DISTRIBUTED_IDLE_SECONDS"), dataset,
                        settings.getfloat("DISTRIBUTED_FRONTIER_TIMEOUT", 5.0))  # fmt: skip
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        # Runs before the spider's start() is read: the round is reset and seeded (or
        # joined) before this worker claims or queues anything.
        from crawler.distributed.round import WorkerIdInUse
        from crawler.distributed.shared import seed_known

        sites = sorted(getattr(spider, "profiles", {}))
        seed = None
        if self.dataset is not None:
            seed = partial(seed_known, self.crawl.server, self.crawl.keys, self.dataset, sites)
        try:
            self.crawl.join(sites, seed)
        except WorkerIdInUse as exc:
            logger.error("%s: give each worker its own WORKER_ID (or leave it unset)", exc)
            raise CloseSpider("worker_id_in_use") from exc
        self.started = time.monotonic()
        self.loop = create_looping_call(self.tick)
        self.loop.start(self.interval, now=False)

    def tick(self) -> None:
        engine = self.crawler.engine
        try:
            idle = engine.spider_is_idle()
            current = self.crawl.publish(self._stats("idle" if idle else "busy"))
        except RuntimeError:  # the engine is closing the spider
            return
        except self.redis_errors as exc:
            self.health.failed("heartbeat", exc)
            if self.health.silent_for() >= self.lost_after:
                self._stop("frontier_lost", f"Redis unreachable for {self.lost_after:g} s")
            return
        self.health.ok()
        if not current:
            # The round's hash is gone: Redis restarted empty (or was flushed). The queue
            # and the claims went with it; carrying on would end the round as `finished`.
            self._stop("frontier_lost", VANISHED)
        elif current != self.crawl.round_id:
            self._stop("shared_round_reset", "round reset by another worker (this one was "
                       "taken for dead)")  # fmt: skip
        else:
            # Also when not idle: the engine counts the shared queue's requests as its own
            # pending ones, so a worker with nothing in hand while others fill the queue is
            # "busy" to Scrapy, and would wait for its 5 s heartbeat to take any of them.
            _wake(engine)

    def _stop(self, reason: str, why: str) -> None:
        if self.stopping:
            return
        self.stopping = reason
        logger.error("%s: stopping this worker (%s); re-run the crawl to recover", why, reason)
        self.loop.stop()
        deferred_from_coro(self.crawler.engine.close_spider_async(reason=reason))

    def spider_idle(self) -> None:
        if self.stopping:
            return
        try:
            self._stay_while_others_work()
        except self.redis_errors as exc:
            self.health.failed("idle check", exc)
            raise DontCloseSpider from None  # the heartbeat decides whether Redis is lost

    def _stay_while_others_work(self) -> None:
        if self.crawl.queue_length():
            raise DontCloseSpider
        if not self.crawl.round_exists():
            # Redis restarted empty: an empty queue here means nothing, not "all done".
            self.stopping = "frontier_lost"
            logger.error("%s: stopping this worker (frontier_lost); re-run the crawl to recover",
                         VANISHED)  # fmt: skip
            raise CloseSpider("frontier_lost")
        others = self.crawl.live_workers()
        others.pop(self.crawl.worker_id, None)
        if any(w.get("state") != "idle" for w in others.values()):
            raise DontCloseSpider
        # Just started: the round's first requests may all be in other workers' hands.
        if time.monotonic() - self.started < self.grace:
            raise DontCloseSpider

    def spider_closed(self, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if not self.crawl.round_id:
            return
        try:
            self.crawl.leave({**self._stats("finished"), "finish_reason": reason})
        except self.redis_errors as exc:
            logger.warning("could not leave the shared crawl's round in Redis: %s", exc)

    def _stats(self, state: str) -> dict[str, str | int | float]:
        stats = self.stats.get_stats()
        responses = stats.get("downloader/response_count", 0)
        elapsed = max(time.monotonic() - self.started, 1e-6)
        return {
            "state": state,
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "run_id": self.run_id,
            "started_at": self.started_at,
            "requests": stats.get("downloader/request_count", 0),
            "responses": responses,
            "article_requests": sum(
                stats.get(f"incremental/{d}", 0) for d in ("new", "changed", "refresh")
            ),
            "skipped_known": stats.get("incremental/skip", 0),
            "articles": stats.get("articles/accepted", 0),
            "rejects": sum(stats.get(f"rejects/{r}", 0) for r in RejectReason.all()),
            "pages_per_second": round(responses / elapsed, 2),
        }


def _wake(engine: Any) -> None:
    # Scrapy asks the scheduler again only when a download ends or every 5 seconds; a worker
    # with nothing in hand would leave new requests in Redis that long, and see late that the
    # crawl is done. There is no public call for "look at the scheduler now".
    slot = getattr(engine, "_slot", None)
    if slot is not None:
        slot.nextcall.schedule()
