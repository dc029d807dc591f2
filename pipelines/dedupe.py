"""Third pipeline: one row per article revision, against this run and the stored dataset."""

from __future__ import annotations

from dataclasses import replace

import xxhash
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from crawler.dataset.known import KnownArticles
from crawler.dataset.schema import ArticleRecord, RejectReason
from pipelines.drops import Unchanged, rejected

__all__ = ["DedupePipeline"]


class DedupePipeline:
    """Numbers revisions and drops what adds nothing.

    A canonical URL already stored in this run is a `duplicate` reject. A re-fetched
    article whose content hash equals the stored one is dropped as `Unchanged`; a
    different hash becomes the next revision. Only 8-byte digests are kept per URL.
    """

    def __init__(self, stats: StatsCollector | None = None, crawler: Crawler | None = None):
        self.stats = stats
        self.crawler = crawler
        self.known = KnownArticles()
        self.seen: set[int] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        return cls(crawler.stats, crawler)

    def open_spider(self) -> None:
        # The spider read the dataset's known articles at start: share, don't read twice.
        spider = self.crawler.spider if self.crawler else None
        self.known = getattr(getattr(spider, "policy", None), "known", self.known)

    def process_item(self, item: ArticleRecord) -> ArticleRecord:
        key = xxhash.xxh64_intdigest(item.canonical_url.encode("utf-8"))
        if key in self.seen:
            raise rejected(
                RejectReason.DUPLICATE,
                f"canonical URL {item.canonical_url} already stored this run",
            )
        self.seen.add(key)
        stored = self.known.get(item.canonical_url) or self.known.get(item.url)
        if stored is None:
            self._count("articles/new")
            return item
        if stored.content_hash == item.content_hash:
            self._count("articles/unchanged")
            raise Unchanged(f"{item.url}: text unchanged since revision {stored.revision}")
        self._count("articles/revisions")
        return replace(item, revision=stored.revision + 1)

    def _count(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)
