"""The `opinion` spider: finds a site's opinion articles and fetches them, nothing more."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import scrapy
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.settings import BaseSettings
from twisted.python.failure import Failure

from crawler.discovery import feed_links, sitemap_entries
from crawler.items import PageItem
from crawler.profile import SiteProfile, load_profiles, select_profiles
from crawler.runid import new_run_id

__all__ = ["OpinionSpider"]

# Every non-redirect error status reaches the callback (after retries), so it can
# become a named reject instead of vanishing in HttpErrorMiddleware.
ERROR_STATUSES = [s for s in range(400, 600)]
MAX_SITEMAP_DEPTH = 3


class OpinionSpider(scrapy.Spider):
    """Crawl the opinion articles of one, several or all enabled site profiles."""

    name = "opinion"

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        settings.setdefault("RUN_ID", new_run_id())
        # Per-site politeness: every request carries its profile name as download slot.
        profiles = load_profiles(Path(settings["SITE_PROFILES_DIR"]))
        slots = dict(settings.getdict("DOWNLOAD_SLOTS"))
        for profile in profiles.values():
            slot = {}
            if profile.download_delay is not None:
                slot["delay"] = profile.download_delay
            if profile.concurrency is not None:
                slot["concurrency"] = profile.concurrency
            slots.setdefault(profile.name, slot)
        settings.set("DOWNLOAD_SLOTS", slots, priority="spider")

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> OpinionSpider:
        source = Path(crawler.settings["SITE_PROFILES_DIR"])
        profiles = select_profiles(load_profiles(source), kwargs.get("site"), source)
        spider = super().from_crawler(crawler, *args, profiles=profiles, **kwargs)
        return spider

    def __init__(self, profiles: list[SiteProfile], site: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.profiles = {p.name: p for p in profiles}
        self.allowed_domains = sorted({d for p in profiles for d in p.domains})
        self.listing_pages: dict[str, set[str]] = {p.name: set() for p in profiles}
        self.link_extractors = {
            p.name: LinkExtractor(restrict_css=p.listing_areas or (), unique=True) for p in profiles
        }

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for profile in self.profiles.values():
            self.logger.info("crawling site %s (%s)", profile.name, profile.source)
            for url in profile.feeds:
                yield self._source(url, profile, self.parse_feed)
            for url in profile.sitemaps:
                yield self._source(url, profile, self.parse_sitemap, depth=0)
            for url in profile.start_urls:
                self.listing_pages[profile.name].add(url)
                yield self._source(url, profile, self.parse_listing)

    def _source(self, url: str, profile: SiteProfile, callback: Any, **meta: Any) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.source_failed,
            meta={"site": profile.name, "download_slot": profile.name, **meta},
        )

    def _article(self, url: str, profile: SiteProfile) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse_article,
            errback=self.article_failed,
            meta={
                "site": profile.name,
                "download_slot": profile.name,
                "handle_httpstatus_list": ERROR_STATUSES,
            },
        )

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        profile = self.profiles[response.meta["site"]]
        for url in feed_links(response.body, base_url=response.url):
            yield from self._follow_article(url, profile, "feed")

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        profile = self.profiles[response.meta["site"]]
        depth = response.meta["depth"]
        max_size = self.settings.getint("DOWNLOAD_MAXSIZE")
        for kind, url in sitemap_entries(response.body, response.url, max_size=max_size):
            if kind == "sitemap" and depth < MAX_SITEMAP_DEPTH and profile.on_domain(url):
                yield self._source(url, profile, self.parse_sitemap, depth=depth + 1)
            elif kind == "url":
                yield from self._follow_article(url, profile, "sitemap")

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        profile = self.profiles[response.meta["site"]]
        if not isinstance(response, TextResponse):
            self.logger.warning("listing %s is not HTML, skipped", response.url)
            return
        for link in self.link_extractors[profile.name].extract_links(response):
            if profile.is_article(link.url):
                yield from self._follow_article(link.url, profile, "listing")
            elif profile.is_listing(link.url) and self._new_listing(link.url, profile):
                yield self._source(link.url, profile, self.parse_listing)

    def _new_listing(self, url: str, profile: SiteProfile) -> bool:
        # Pagination links repeat on every page: count each listing page once.
        seen = self.listing_pages[profile.name]
        if url in seen or len(seen) >= profile.max_listing_pages:
            return False
        seen.add(url)
        return True

    def _follow_article(self, url: str, profile: SiteProfile, via: str) -> Iterator[scrapy.Request]:
        url = url.split("#", 1)[0]
        if profile.is_article(url):
            self.crawler.stats.inc_value(f"discovery/{profile.name}/{via}")
            yield self._article(url, profile)

    def parse_article(self, response: Response) -> Iterator[PageItem]:
        content_type = response.headers.get("Content-Type")
        yield PageItem(
            url=response.url,
            site=response.meta["site"],
            status=response.status,
            body=response.body,
            fetched_at=datetime.now(UTC),
            content_type=content_type.decode("latin-1") if content_type else None,
            requested_url=response.request.url if response.request else None,
        )

    def article_failed(self, failure: Failure) -> Iterator[PageItem]:
        request = failure.request  # type: ignore[attr-defined]
        kind = "blocked" if failure.check(IgnoreRequest) else "download"
        yield PageItem(
            url=request.url,
            site=request.meta["site"],
            status=0,
            body=b"",
            fetched_at=datetime.now(UTC),
            error=f"{kind}: {type(failure.value).__name__}: {failure.getErrorMessage()}",
        )

    def source_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        self.crawler.stats.inc_value(f"sources/failed/{request.meta['site']}")
        self.logger.warning(
            "source %s failed: %s: %s",
            request.url,
            type(failure.value).__name__,
            failure.getErrorMessage(),
        )
