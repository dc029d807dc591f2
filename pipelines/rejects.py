"""The rejects dataset: every page dropped with a named reason, written and counted."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from crawler.dataset.schema import PARTITION_FIELDS, REJECT_SCHEMA
from crawler.dataset.writer import DatasetWriter
from pipelines.drops import NotStored, Rejected, reject_record
from pipelines.extraction.unicode import valid_unicode
from pipelines.parquet import writer_from_settings
from pipelines.storage import StorageFailure

__all__ = ["RejectsWriter"]

logger = logging.getLogger(__name__)


class RejectsWriter:
    """Writes every rejected item to the rejects dataset and counts it by reason and site.

    A rejects flush that fails stops the crawl like a failing articles flush does.
    """

    def __init__(
        self,
        writer: DatasetWriter,
        stats: StatsCollector,
        run_id: str,
        failure: StorageFailure | None = None,
    ) -> None:
        self.stats = stats
        self.writer = writer
        self.run_id = run_id
        self.failure = failure or StorageFailure(stats)
        writer.on_unwritable = self._unwritable

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RejectsWriter:
        settings = crawler.settings
        writer = writer_from_settings(settings, "rejects", REJECT_SCHEMA, PARTITION_FIELDS)
        extension = cls(writer, crawler.stats, settings["RUN_ID"],
                        StorageFailure.from_crawler(crawler))  # fmt: skip
        crawler.signals.connect(extension.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def item_dropped(self, item: Any, exception: BaseException, **_: Any) -> None:
        if isinstance(exception, NotStored):
            return  # not a reject of the page: counted where it is raised
        if not isinstance(exception, Rejected):
            logger.warning("item dropped without a named reason: %r (%s)", item, exception)
            return
        record = valid_unicode(reject_record(item, exception, self.run_id))
        self.stats.inc_value(f"rejects/{record.reason}")
        self.stats.inc_value(f"rejects/site/{record.site}/{record.reason}")
        if self.failure.error is not None:
            self.stats.inc_value("rejects/unwritten")
            return
        try:
            self.writer.write(record.to_row())
        except Exception as exc:  # whatever a flush raises, the crawl must stop loudly
            self.failure.failed(self.writer.root, exc)

    def _unwritable(self, row: dict[str, Any], exc: Exception) -> None:
        self.stats.inc_value("rejects/unwritten")
        logger.error("reject of %s cannot be written: %s: %s", row.get("url"),
                     type(exc).__name__, exc)  # fmt: skip

    def spider_closed(self) -> None:
        try:
            if self.failure.error is None:
                self.writer.close()
        except Exception as exc:
            self.failure.failed(self.writer.root, exc)
        if self.writer.buffered:
            self.stats.inc_value("rejects/unwritten", self.writer.buffered)
        self.stats.set_value("rejects/rows_written", self.writer.rows_written)
        logger.info("rejects: %d rows in %s", self.writer.rows_written, Path(self.writer.root))
