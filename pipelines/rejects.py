"""Named rejections: one DropItem subclass per reason, and the extension that stores them."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, ClassVar

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from crawler.schema import PARTITION_FIELDS, REJECT_SCHEMA, RejectReason, RejectRecord
from pipelines.parquet_writer import DatasetWriter

__all__ = ["REJECTIONS", "NotStored", "Rejected", "RejectsWriter", "Unchanged", "rejected"]

logger = logging.getLogger(__name__)


class Rejected(DropItem):
    """An item that will not become an article; `reason` is from RejectReason."""

    reason: ClassVar[str] = ""

    def __init__(self, detail: str) -> None:
        super().__init__(f"{self.reason}: {detail}")
        self.detail = detail


class NotStored(DropItem):
    """An item deliberately not stored that is no reject of the page (counted, not written)."""


class Unchanged(NotStored):
    """A re-fetched article whose text is what the dataset already holds: no new row."""


def _class_name(reason: str) -> str:
    return "".join(part.title() for part in reason.split("_"))


# One subclass per reason, so Scrapy counts each in `item_dropped_reasons_count/<Name>`.
REJECTIONS: dict[str, type[Rejected]] = {
    reason: type(_class_name(reason), (Rejected,), {"reason": reason, "__module__": __name__})
    for reason in RejectReason.all()
}


def rejected(reason: str, detail: str) -> Rejected:
    """The exception to raise for a named reason."""
    return REJECTIONS[reason](detail)


def reject_record(item: Any, exc: Rejected, run_id: str) -> RejectRecord:
    """The rejects-dataset row for a dropped page item or article record."""
    status = getattr(item, "status", None)
    return RejectRecord(
        url=getattr(item, "url", ""),
        site=getattr(item, "site", ""),
        reason=exc.reason,
        detail=exc.detail[:2000],
        http_status=status if status is not None else getattr(item, "http_status", 0),
        fetched_at=getattr(item, "fetched_at", None),
        run_id=run_id,
    )


class RejectsWriter:
    """Writes every rejected item to the rejects dataset and counts it by reason and site."""

    def __init__(self, writer: DatasetWriter, stats: StatsCollector, run_id: str) -> None:
        self.stats = stats
        self.writer = writer
        self.run_id = run_id

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RejectsWriter:
        from pipelines.parquet import writer_from_settings

        settings = crawler.settings
        writer = writer_from_settings(settings, "rejects", REJECT_SCHEMA, PARTITION_FIELDS)
        extension = cls(writer, crawler.stats, settings["RUN_ID"])
        crawler.signals.connect(extension.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def item_dropped(self, item: Any, exception: BaseException, **_: Any) -> None:
        if isinstance(exception, NotStored):
            return  # not a reject of the page: counted where it is raised
        if not isinstance(exception, Rejected):
            logger.warning("item dropped without a named reason: %r (%s)", item, exception)
            return
        record = reject_record(item, exception, self.run_id)
        self.stats.inc_value(f"rejects/{record.reason}")
        self.stats.inc_value(f"rejects/site/{record.site}/{record.reason}")
        try:
            self.writer.write(record.to_row())
        except OSError as exc:
            self.stats.inc_value("rejects/unwritten")
            logger.error("cannot write the rejects dataset: %s", exc)

    def spider_closed(self) -> None:
        try:
            self.writer.close()
        except OSError as exc:
            logger.error(
                "cannot write the rejects dataset: %s (%d rows)", exc, self.writer.buffered
            )
        self.stats.set_value("rejects/rows_written", self.writer.rows_written)
        logger.info("rejects: %d rows in %s", self.writer.rows_written, Path(self.writer.root))
