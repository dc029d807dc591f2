"""What the storing pipelines do when a dataset cannot be written: stop loudly, or isolate a row."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from crawler.dataset.schema import RejectReason
from crawler.monitor.outcome import FAILED_STAT, STORAGE_FAILED
from pipelines.drops import Rejected, rejected

__all__ = ["StorageFailure", "reject_unwritable", "rejecter"]

logger = logging.getLogger(__name__)

Reject = Callable[[Any, Rejected], object]


class StorageFailure:
    """Stops the crawl the first time a dataset cannot be written, and records why."""

    def __init__(
        self, stats: StatsCollector, stop_crawl: Callable[[str], object] = lambda reason: None
    ) -> None:
        self.stats = stats
        self.stop_crawl = stop_crawl
        self.error: Exception | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorageFailure:
        def stop_crawl(reason: str) -> object:
            if crawler.engine is None or crawler.engine.spider is None:
                return None  # already closing: the stat below still fails the run
            return asyncio.ensure_future(crawler.engine.close_spider_async(reason=reason))

        return cls(crawler.stats, stop_crawl)

    def failed(self, root: object, exc: Exception) -> None:
        """Log, record and stop: fetching on would only lose more pages."""
        if self.error is None:
            self.error = exc
            logger.error("cannot write the dataset under %s: %s: %s; stopping the crawl",
                         root, type(exc).__name__, exc)  # fmt: skip
            if self.stats.get_value(FAILED_STAT) is None:
                self.stats.set_value(FAILED_STAT, f"{type(exc).__name__}: {exc}")
            self.stop_crawl(STORAGE_FAILED)


def rejecter(crawler: Crawler) -> Reject:
    """Files an item as rejected, exactly as if a pipeline had dropped it."""

    def reject(item: Any, exc: Rejected) -> object:
        return crawler.signals.send_catch_log(signals.item_dropped, item=item, response=None,
                                              exception=exc, spider=crawler.spider)  # fmt: skip

    return reject


def reject_unwritable(reject: Reject, row: dict[str, Any], exc: Exception) -> None:
    """File a row the dataset writer could not convert as an `unwritable_row` reject."""
    logger.error("row of %s cannot be written (%s: %s): filed as a reject, the rest of its "
                 "batch is stored", row.get("url"), type(exc).__name__, exc)  # fmt: skip
    page = SimpleNamespace(url=row.get("url") or "", site=row.get("site") or "",
                           http_status=row.get("http_status") or row.get("status") or 0,
                           fetched_at=row.get("fetched_at"))  # fmt: skip
    reject(page, rejected(RejectReason.UNWRITABLE_ROW, f"{type(exc).__name__}: {exc}"))
