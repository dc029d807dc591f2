"""First pipeline: turn a fetched page into an article record, or a named rejection."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings
from scrapy.statscollectors import StatsCollector

from crawler.dataset.schema import ArticleRecord, RejectReason
from crawler.items import PageItem
from crawler.profile import SiteProfile, load_profiles
from pipelines.drops import rejected
from pipelines.extract_pool import ExtractionPool, extract_page
from pipelines.extraction import ExtractRules, IdentityRules, Page, Rejection

__all__ = ["ExtractPipeline", "pool_in_flight", "rules_for", "runs_a_pool"]

logger = logging.getLogger(__name__)


def rules_for(profile: SiteProfile | None, max_bytes: int) -> ExtractRules:
    """The extraction rules a site profile implies."""
    if profile is None:
        return ExtractRules(max_bytes=max_bytes)
    return ExtractRules(
        strip_selectors=profile.strip_selectors,
        strip_patterns=profile.strip_patterns,
        section=profile.section,
        language=profile.language,
        max_bytes=max_bytes,
        timezone=profile.timezone,
        identity=IdentityRules(
            article_patterns=tuple(p.pattern for p in profile.article_allow),
            article_deny=tuple(p.pattern for p in profile.article_deny),
            listing_patterns=tuple(p.pattern for p in profile.listing_allow),
            listing_urls=(*profile.start_urls, *profile.feeds, *profile.sitemaps),
        ),
    )


def runs_a_pool(settings: BaseSettings) -> bool:
    """Whether a crawl with these settings extracts in worker processes."""
    pipelines = settings.getwithbase("ITEM_PIPELINES")
    enabled = pipelines.get(f"{__name__}.{ExtractPipeline.__name__}") is not None
    return enabled and settings.getint("EXTRACT_WORKERS") > 0


def pool_in_flight(settings: BaseSettings) -> int:
    """Pages queued in or waiting for the extraction pool at most; 0 without a pool."""
    workers = settings.getint("EXTRACT_WORKERS")
    if workers <= 0:
        return 0
    return settings.getint("EXTRACT_MAX_IN_FLIGHT") or 4 * workers


class ExtractPipeline:
    """Runs the pure extractor on each page item; failed downloads become rejects here.

    With a pool (EXTRACT_WORKERS > 0, the default) extraction runs in worker processes
    and is awaited, so the reactor keeps downloading; with EXTRACT_WORKERS=0 it runs
    inline, which is simpler to debug but stalls the crawl while a page parses.
    """

    def __init__(
        self,
        rules: dict[str, ExtractRules],
        default: ExtractRules,
        run_id: str,
        pool: ExtractionPool | None = None,
        stats: StatsCollector | None = None,
    ) -> None:
        self.rules = rules
        self.default = default
        self.run_id = run_id
        self.pool = pool
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        settings = crawler.settings
        max_bytes = settings.getint("EXTRACT_MAX_BYTES")
        profiles = load_profiles(Path(settings["SITE_PROFILES_DIR"]))
        rules = {name: rules_for(p, max_bytes) for name, p in profiles.items()}
        workers = settings.getint("EXTRACT_WORKERS") or 0
        pool = None
        if workers > 0:
            pool = ExtractionPool(
                workers=workers,
                timeout=settings.getfloat("EXTRACT_TIMEOUT"),
                max_in_flight=pool_in_flight(settings),
            )
        return cls(rules, rules_for(None, max_bytes), settings["RUN_ID"], pool, crawler.stats)

    async def process_item(self, item: PageItem) -> ArticleRecord:
        page = self._page(item)
        rules = self.rules.get(item.site, self.default)
        result = await self.pool.run(page, rules) if self.pool else extract_page(page, rules)
        if isinstance(result, Rejection):
            raise rejected(result.reason, result.detail)
        return replace(result, etag=item.etag, last_modified=item.last_modified)

    def _page(self, item: PageItem) -> Page:
        if item.error:
            raise rejected(item.error_reason or RejectReason.DOWNLOAD_ERROR, item.error)
        if not 200 <= item.status < 300:
            raise rejected(RejectReason.HTTP_ERROR, f"HTTP {item.status}")
        return Page(
            url=item.url,
            body=item.body,
            content_type=item.content_type,
            status=item.status,
            fetched_at=item.fetched_at,
            site=item.site,
            run_id=self.run_id,
        )

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.close()
            if self.pool.workers_replaced and self.stats is not None:
                self.stats.set_value("extract/workers_replaced", self.pool.workers_replaced)
