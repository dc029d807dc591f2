"""The last pipeline: stream article records into the partitioned Parquet dataset."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable

import pyarrow as pa
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings
from scrapy.statscollectors import StatsCollector

from crawler.schema import ARTICLE_SCHEMA, PARTITION_FIELDS, ArticleRecord
from pipelines.locking import shared_lock
from pipelines.parquet_writer import DatasetWriter

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
    """Appends each article record to the articles dataset."""

    def __init__(self, writer: DatasetWriter, stats: StatsCollector, root: str) -> None:
        self.stats = stats
        self.writer = writer
        self.root = root
        self.lock = contextlib.ExitStack()

    def open_spider(self) -> None:
        # Compaction waits for (and blocks) writers: it must never swap files under a crawl.
        self.lock.enter_context(shared_lock(self.root))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ParquetPipeline:
        settings = crawler.settings
        writer = writer_from_settings(settings, "articles", ARTICLE_SCHEMA, PARTITION_FIELDS)
        return cls(writer, crawler.stats, settings["PARQUET_DIR"])

    def process_item(self, item: ArticleRecord) -> ArticleRecord:
        self.writer.write(item.to_row())
        self.stats.inc_value("articles/accepted")
        self.stats.inc_value(f"articles/site/{item.site}")
        return item

    def close_spider(self) -> None:
        try:
            self.writer.close()
        finally:
            self.lock.close()
        self.stats.set_value("articles/rows_written", self.writer.rows_written)
        self.stats.set_value("articles/files_written", len(self.writer.files_written))
        logger.info("articles: %d rows in %s", self.writer.rows_written, self.writer.root)
