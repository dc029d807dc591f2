"""Third pipeline: one row per article revision, against this run and the stored dataset."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

import xxhash
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from crawler.dataset.identity import normalize_url
from crawler.dataset.known import KnownArticles, url_key
from crawler.dataset.schema import ArticleRecord, RejectReason
from pipelines.drops import Unchanged, rejected

__all__ = ["DedupePipeline"]

logger = logging.getLogger(__name__)


class DedupePipeline:
    """Settles each record's identity, numbers revisions and drops what adds nothing.

    A declared canonical URL other than the fetched one is kept only when it cannot take
    another page's place: if that URL was stored (this run or before) with different text,
    or is itself scheduled in this run (and did not redirect here), the record falls back
    to its fetched URL's identity.
    An identity already stored in this run is a `duplicate` reject. A re-fetched article
    whose content hash equals the stored one is dropped as `Unchanged`; a different hash
    becomes the next revision. Only 8-byte digests are kept per URL.
    """

    def __init__(
        self,
        stats: StatsCollector | None = None,
        crawler: Crawler | None = None,
        scheduled: Any = None,
        redirected: set[int] | None = None,
    ):
        self.stats = stats
        self.crawler = crawler
        self.known = KnownArticles()
        self.scheduled = scheduled  # the spider's article claims: URLs fetched this run
        self.redirected = redirected if redirected is not None else set()  # their url_keys
        self.seen: dict[int, int] = {}  # identity key -> content hash digest

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        return cls(crawler.stats, crawler)

    def open_spider(self) -> None:
        # The spider read the dataset's known articles at start: share, don't read twice.
        spider = self.crawler.spider if self.crawler else None
        self.known = getattr(getattr(spider, "policy", None), "known", self.known)
        self.scheduled = getattr(spider, "scheduled", self.scheduled)
        self.redirected = getattr(spider, "redirected", self.redirected)

    def process_item(self, item: ArticleRecord) -> ArticleRecord:
        item = self._settle_identity(item)
        key = url_key(item.canonical_url)
        if key in self.seen:
            raise rejected(
                RejectReason.DUPLICATE,
                f"canonical URL {item.canonical_url} already stored this run",
            )
        self.seen[key] = _digest(item.content_hash)
        stored = self.known.get(item.canonical_url) or self.known.get(item.url)
        if stored is None:
            claimed = self.known.claimed(item.canonical_url)
            if claimed is not None and claimed.content_hash == item.content_hash:
                self._count("articles/unchanged")
                raise Unchanged(f"{item.url}: text already stored under its canonical URL")
            self._count("articles/new")
            return item
        if stored.content_hash == item.content_hash:
            self._count("articles/unchanged")
            raise Unchanged(f"{item.url}: text unchanged since revision {stored.revision}")
        self._count("articles/revisions")
        return replace(item, revision=stored.revision + 1)

    def _settle_identity(self, item: ArticleRecord) -> ArticleRecord:
        """The record, with its fetched URL as identity when its declared canonical can't hold."""
        own = normalize_url(item.url)
        if item.canonical_url == own:
            return item
        seen = self.seen.get(url_key(item.canonical_url))
        stored = self.known.get(item.canonical_url)
        if seen is not None:
            conflict = seen != _digest(item.content_hash)
        elif stored is not None:
            conflict = stored.content_hash != item.content_hash
        else:  # the declared page is fetched this run, unless it redirected to this one
            conflict = (
                self.scheduled is not None
                and item.canonical_url in self.scheduled
                and url_key(item.canonical_url) not in self.redirected
            )
        if not conflict:
            return item
        self._count("identity/canonical_ignored")
        logger.info(
            "%s declares %s as its canonical URL, a different article: kept as itself",
            item.url,
            item.canonical_url,
        )
        return replace(item, canonical_url=own)

    def _count(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)


def _digest(content_hash: str) -> int:
    return xxhash.xxh64_intdigest(content_hash.encode("utf-8"))
