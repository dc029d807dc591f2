"""The last pipeline: stream article records into the partitioned Parquet dataset."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterable

import pyarrow as pa
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings
from scrapy.statscollectors import StatsCollector

from crawler.dataset.locking import shared_lock
from crawler.dataset.schema import ARTICLE_SCHEMA, PARTITION_FIELDS, ArticleRecord
from crawler.dataset.writer import DatasetWriter
from pipelines.drops import NotStored

__all__ = ["ParquetPipeline", "writer_from_settings"]

logger = logging.getLogger(__name__)


def writer_from_settings(
    settings: BaseSettings, table: str, schema: pa.Schema, partition_by: Iterable[str]
) -> DatasetWriter:
    """A dataset writer for `PARQUET_DIR/<table>`, its files named by run and worker."""
    return DatasetWriter(
        f"{settings['PARQUET_DIR']}/{table}",
        schema,
        partition_by,
        file_prefix=f"part-{settings['RUN_ID']}-{settings['WORKER_ID']}",
        flush_rows=settings.getint("PARQUET_FLUSH_ROWS"),
        flush_seconds=settings.getfloat("PARQUET_FLUSH_SECONDS"),
        row_group_rows=settings.getint("PARQUET_ROW_GROUP_ROWS"),
        compression=settings["PARQUET_COMPRESSION"],
    )


class ParquetPipeline:
    """Appends each article record to the articles dataset.

    When the dataset cannot be written (disk full, directory gone or read-only) the
    crawl is stopped with finish reason `storage_failed`: fetching on would only lose
    more pages. Files already written stay complete; the buffered rows are counted
    in `storage/unwritten_rows` and their pages are fetched again by the next run.
    """

    def __init__(
        self,
        writer: DatasetWriter,
        stats: StatsCollector,
        root: str,
        stop_crawl: Callable[[str], object] = lambda reason: None,
    ) -> None:
        self.stats = stats
        self.writer = writer
        self.root = root
        self.stop_crawl = stop_crawl
        self.failure: OSError | None = None
        self.lock = contextlib.ExitStack()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ParquetPipeline:
        settings = crawler.settings
        writer = writer_from_settings(settings, "articles", ARTICLE_SCHEMA, PARTITION_FIELDS)

        def stop_crawl(reason: str) -> object:
            assert crawler.engine is not None
            return asyncio.ensure_future(crawler.engine.close_spider_async(reason=reason))

        return cls(writer, crawler.stats, settings["PARQUET_DIR"], stop_crawl)

    def open_spider(self) -> None:
        # Compaction waits for (and blocks) writers: it must never swap files under a crawl.
        self.lock.enter_context(shared_lock(self.root))

    def process_item(self, item: ArticleRecord) -> ArticleRecord:
        if self.failure is not None:
            raise NotStored(f"dataset not writable: {self.failure}")
        try:
            self.writer.write(item.to_row())
        except OSError as exc:
            self._failed(exc)
            raise NotStored(f"dataset not writable: {exc}") from exc
        self.stats.inc_value("articles/accepted")
        self.stats.inc_value(f"articles/site/{item.site}")
        return item

    def _failed(self, exc: OSError) -> None:
        self.failure = exc
        logger.error("cannot write the dataset under %s: %s; stopping the crawl", self.root, exc)
        self.stats.set_value("storage/error", f"{type(exc).__name__}: {exc}")
        self.stop_crawl("storage_failed")

    def close_spider(self) -> None:
        try:
            if self.failure is None:
                self.writer.close()
        except OSError as exc:
            self._failed(exc)
        finally:
            self.lock.close()
            self.stats.set_value("storage/unwritten_rows", self.writer.buffered)
            self.stats.set_value("articles/rows_written", self.writer.rows_written)
            self.stats.set_value("articles/files_written", len(self.writer.files_written))
        logger.info("articles: %d rows in %s", self.writer.rows_written, self.writer.root)
