"""One row per canonical URL across every worker of a shared crawl."""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.dataset.schema import ArticleRecord, RejectReason
from crawler.distributed import ClaimSet
from crawler.distributed.config import redis_url
from pipelines.drops import rejected

__all__ = ["SharedDedupePipeline"]


class SharedDedupePipeline:
    """Claims each article's canonical URL in Redis before the dedupe pipeline numbers it.

    Two URLs of one article (an alias, a redirect) fetched by two workers would both pass
    each worker's own dedupe; the first to claim the canonical URL keeps it.
    """

    def __init__(self, claims: ClaimSet) -> None:
        self.claims = claims

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedDedupePipeline:
        if not redis_url(crawler.settings):
            raise NotConfigured("REDIS_URL is not set: DedupePipeline alone suffices")
        from crawler.distributed.shared import SharedState

        return cls(SharedState.from_settings(crawler.settings).claims("canonical"))

    def process_item(self, item: ArticleRecord) -> ArticleRecord:
        if not self.claims.add(item.canonical_url):
            raise rejected(
                RejectReason.DUPLICATE,
                f"canonical URL {item.canonical_url} already stored in this shared crawl",
            )
        return item
