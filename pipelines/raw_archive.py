"""First pipeline: keep each fetched page's raw bytes, content-addressed, beside the dataset."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector

from crawler.dataset.raw import RAW_SCHEMA, RawArchive, RawPage, body_digest
from crawler.dataset.schema import PARTITION_FIELDS
from crawler.dataset.writer import DatasetWriter, return_freed_memory
from crawler.items import PageItem
from pipelines.storage import StorageFailure

__all__ = ["RawArchivePipeline"]

logger = logging.getLogger(__name__)


class RawArchivePipeline:
    """Appends every page item to `PARQUET_DIR/raw` and passes it on unchanged.

    A body already archived for the site (same SHA-256) is stored once: later fetches of it
    are `revisit` rows without bytes. Files are written like the articles dataset's (hidden
    temporary, fsync, rename), so a crash loses at most the rows still buffered.
    """

    def __init__(
        self,
        writer: DatasetWriter,
        archive: RawArchive,
        run_id: str,
        stats: StatsCollector | None = None,
        crawler: Crawler | None = None,
        failure: StorageFailure | None = None,
    ) -> None:
        self.writer = writer
        self.archive = archive
        self.run_id = run_id
        self.stats = stats
        self.crawler = crawler
        self.failure = failure or (StorageFailure(stats) if stats else None)
        self.known: set[tuple[str, str]] = set()
        writer.on_unwritable = self._unwritable

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RawArchivePipeline:
        settings = crawler.settings
        if not settings.getbool("RAW_ARCHIVE"):
            raise NotConfigured("RAW_ARCHIVE is off")
        root = settings["PARQUET_DIR"]
        return_freed_memory()
        writer = DatasetWriter(
            f"{root}/raw", RAW_SCHEMA, PARTITION_FIELDS,
            file_prefix=f"part-{settings['RUN_ID']}-{settings['WORKER_ID']}",
            flush_rows=settings.getint("RAW_ARCHIVE_FLUSH_ROWS"),
            flush_bytes=settings.getint("RAW_ARCHIVE_FLUSH_BYTES") or None,
            flush_seconds=settings.getfloat("PARQUET_FLUSH_SECONDS"),
            row_group_rows=settings.getint("RAW_ARCHIVE_FLUSH_ROWS"),
            compression=settings["PARQUET_COMPRESSION"],
            background=True,  # compressing ~16 MB of pages must not stop the reactor
        )  # fmt: skip
        return cls(writer, RawArchive(root), settings["RUN_ID"], crawler.stats, crawler,
                   StorageFailure.from_crawler(crawler))  # fmt: skip

    def open_spider(self) -> None:
        spider = self.crawler.spider if self.crawler else None
        sites = list(getattr(spider, "profiles", {})) or self.archive.sites()
        self.known = self.archive.hashes(sites)

    def process_item(self, item: object) -> object:
        if not isinstance(item, PageItem):
            return item
        digest = body_digest(item.body)
        # Keyed per site: reextract resolves a revisit within the site's own files.
        key = (item.site, digest)
        revisit = key in self.known
        self.known.add(key)
        if self.failure is not None and self.failure.error is not None:
            self._count("raw/unwritten")
            return item  # the articles still get their chance; the run already failed
        try:
            self.writer.write(RawPage.from_item(item, self.run_id, revisit, digest).to_row())
        except Exception as exc:  # whatever a flush raises, the crawl must stop loudly
            self._storage_failed(exc)
        self._count("raw/pages")
        self._count("raw/revisits" if revisit else "raw/bytes", 1 if revisit else len(item.body))
        return item

    def _unwritable(self, row: dict[str, Any], exc: Exception) -> None:
        # Not a reject: the page itself may well be stored as an article.
        self._count("raw/unwritable_rows")
        logger.error("raw page %s cannot be archived: %s: %s", row.get("url"),
                     type(exc).__name__, exc)  # fmt: skip

    def _storage_failed(self, exc: Exception) -> None:
        if self.failure is None:
            raise exc
        self.failure.failed(self.writer.root, exc)

    def close_spider(self) -> None:
        try:
            self.writer.close(write_buffered=self.failure is None or self.failure.error is None)
        except Exception as exc:
            self._storage_failed(exc)
        if self.writer.buffered:
            self._count("raw/unwritten", self.writer.buffered)
        logger.info("raw archive: %d pages in %s", self.writer.rows_written, self.writer.root)

    def _count(self, key: str, n: int = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(key, n)
