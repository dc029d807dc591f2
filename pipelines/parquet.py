"""The last pipeline: stream article records into the partitioned Parquet dataset."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable
from typing import Any

import pyarrow as pa
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings
from scrapy.statscollectors import StatsCollector

from crawler.dataset.locking import shared_lock
from crawler.dataset.schema import ARTICLE_SCHEMA, PARTITION_FIELDS, ArticleRecord
from crawler.dataset.writer import DatasetWriter, return_freed_memory
from pipelines.drops import NotStored
from pipelines.storage import Reject, StorageFailure, reject_unwritable, rejecter

__all__ = ["ParquetPipeline", "writer_from_settings"]

logger = logging.getLogger(__name__)


def writer_from_settings(
    settings: BaseSettings,
    table: str,
    schema: pa.Schema,
    partition_by: Iterable[str],
    *,
    background: bool = False,
) -> DatasetWriter:
    """A dataset writer for `PARQUET_DIR/<table>`, its files named by run and worker."""
    return_freed_memory()
    return DatasetWriter(
        f"{settings['PARQUET_DIR']}/{table}",
        schema,
        partition_by,
        file_prefix=f"part-{settings['RUN_ID']}-{settings['WORKER_ID']}",
        flush_rows=settings.getint("PARQUET_FLUSH_ROWS"),
        flush_bytes=settings.getint("PARQUET_FLUSH_BYTES") or None,
        flush_seconds=settings.getfloat("PARQUET_FLUSH_SECONDS"),
        park_bounds=settings.getfloat("PARQUET_PARK_BOUNDS"),
        row_group_rows=settings.getint("PARQUET_ROW_GROUP_ROWS"),
        compression=settings["PARQUET_COMPRESSION"],
        background=background,
    )


class ParquetPipeline:
    """Appends each article record to the articles dataset.

    When the dataset cannot be written (disk full, directory gone or read-only, any error
    of a flush) the crawl is stopped with finish reason `storage_failed` and exits 1:
    fetching on would only lose more pages. Files already written stay complete; rows not
    written are counted in `storage/unwritten_rows`, taken back out of the new/revision
    counts, and their pages are fetched again by the next run. A single row that cannot be
    converted is filed as an `unwritable_row` reject while the rest of its batch lands.
    """

    def __init__(
        self,
        writer: DatasetWriter,
        stats: StatsCollector,
        root: str,
        failure: StorageFailure | None = None,
        reject: Reject = lambda item, exc: None,
    ) -> None:
        self.stats = stats
        self.writer = writer
        self.root = root
        self.failure = failure or StorageFailure(stats)
        self.reject = reject
        self.lock = contextlib.ExitStack()
        writer.on_unwritable = self._unwritable

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ParquetPipeline:
        settings = crawler.settings
        # Flushes in a thread: a first run's flush of ~100 partitions stopped the reactor, and
        # with it the extraction pool's supply, for ~0.5 s every few seconds.
        writer = writer_from_settings(settings, "articles", ARTICLE_SCHEMA, PARTITION_FIELDS,
                                      background=True)  # fmt: skip
        return cls(writer, crawler.stats, settings["PARQUET_DIR"],
                   StorageFailure.from_crawler(crawler), rejecter(crawler))  # fmt: skip

    def open_spider(self) -> None:
        # Compaction waits for (and blocks) writers: it must never swap files under a crawl.
        self.lock.enter_context(shared_lock(self.root))

    def process_item(self, item: ArticleRecord) -> ArticleRecord:
        if self.failure.error is not None:
            self._not_written(item.to_row())
            raise NotStored(f"dataset not writable: {self.failure.error}")
        self.stats.inc_value("articles/accepted")
        self.stats.inc_value(f"articles/site/{item.site}")
        try:
            self.writer.write(item.to_row())
        except Exception as exc:  # whatever a flush raises, the crawl must stop loudly
            self.failure.failed(self.writer.root, exc)
            raise NotStored(f"dataset not writable: {exc}") from exc
        return item

    def _unwritable(self, row: dict[str, Any], exc: Exception) -> None:
        self._not_written(row)
        self.stats.inc_value("storage/unwritable_rows")
        reject_unwritable(self.reject, row, exc)

    def _not_written(self, row: dict[str, Any]) -> None:
        """Take a row that never reached a file back out of the counts that claimed it."""
        kind = "new" if row.get("revision", 1) <= 1 else "revisions"
        for key in (f"articles/{kind}", "articles/accepted", f"articles/site/{row['site']}"):
            if self.stats.get_value(key, 0) > 0:
                self.stats.inc_value(key, -1)

    def close_spider(self) -> None:
        try:
            # After a failure only a flush under way ends: its rows land or are counted.
            self.writer.close(write_buffered=self.failure.error is None)
        except Exception as exc:
            self.failure.failed(self.writer.root, exc)
        finally:
            self.lock.close()
            for row in self.writer.pending():
                self._not_written(row)
            self.stats.set_value("storage/unwritten_rows", self.writer.buffered)
            self.stats.set_value("articles/rows_written", self.writer.rows_written)
            self.stats.set_value("articles/files_written", len(self.writer.files_written))
        logger.info("articles: %d rows in %s", self.writer.rows_written, self.writer.root)
