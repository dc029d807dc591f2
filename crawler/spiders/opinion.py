"""The `opinion` spider: finds a site's opinion articles and fetches them, nothing more."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.url import strip_url
from twisted.python.failure import Failure

from crawler import distributed
from crawler.dataset.known import url_key
from crawler.dataset.retries import parse_retry_rejects
from crawler.dataset.runid import new_run_id
from crawler.dataset.settled import settled_urls
from crawler.discovery import Link, feed_links, sitemap_entries
from crawler.failures import failure_reason, failure_status, response_reason
from crawler.incremental import RecrawlPolicy, conditional_headers, parse_refresh
from crawler.items import PageItem
from crawler.links import LinkResolver
from crawler.monitor.sources import report_source
from crawler.pagination import MORE_INDEX, next_more_page
from crawler.profile import SiteProfile, load_profiles, profile_for_url, select_profiles
from crawler.sitemap_children import follow_child
from crawler.sources import report_problems
from pipelines.extraction.dates import DatePolicy

__all__ = ["OpinionSpider"]

# Every non-redirect error status reaches the callback (after retries), so it can
# become a named reject instead of vanishing in HttpErrorMiddleware.
# A 304 answers our conditional re-check of a stored article: nothing changed.
ARTICLE_STATUSES = [304, *range(400, 600)]
MAX_SITEMAP_DEPTH = 3


class OpinionSpider(scrapy.Spider):
    """Crawl the opinion articles of one, several or all enabled site profiles."""

    name = "opinion"

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        settings.setdefault("RUN_ID", new_run_id())
        if (settings.getpriority("USER_AGENT") or 0) <= SETTINGS_PRIORITIES["project"]:
            contact = settings["CRAWLER_CONTACT"]
            settings.set("USER_AGENT", f"opinion-scraper/0.1 (+{contact})", priority="spider")
        # A file:// dataset root, and REDIS_URL: the shared frontier (crawler.distributed).
        distributed.update_settings(settings)
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
        settings = crawler.settings
        source = Path(settings["SITE_PROFILES_DIR"])
        profiles = select_profiles(load_profiles(source), kwargs.get("site"), source)
        # This process's claims and the dataset's known articles, or the shared ones in Redis.
        state = distributed.open_state(settings, [p.name for p in profiles])
        refresh = parse_refresh(kwargs.pop("refresh", None))
        if not settings.getbool("INCREMENTAL"):
            refresh = timedelta.max  # re-check every stored article; unchanged text adds no row
        retry_all = (
            parse_retry_rejects(kwargs.pop("retry_rejects", None)) or refresh == timedelta.max
        )
        policy = RecrawlPolicy(state.known, refresh, datetime.now(UTC), state.rejects, retry_all)
        # Pages whose own section was wrong in an earlier run are not fetched again.
        settled = set()
        if settings.getbool("INCREMENTAL") and settings.get("PARQUET_DIR"):
            settled = settled_urls(settings["PARQUET_DIR"], [p.name for p in profiles])
        return super().from_crawler(
            crawler, *args, profiles=profiles, policy=policy, state=state, settled=settled,
            **kwargs,
        )  # fmt: skip

    def __init__(
        self,
        profiles: list[SiteProfile],
        policy: RecrawlPolicy | None = None,
        site: str | None = None,
        state: distributed.CrawlState | None = None,
        settled: set[int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.profiles = {p.name: p for p in profiles}
        self.settled = settled or set()
        state = state or distributed.LocalState()
        self.policy = policy or RecrawlPolicy(state.known)
        # Article requests bypass Scrapy's dupefilter (see _article): these claims keep them
        # unique, across all workers when the crawl is shared. So do sources and listings.
        self.scheduled = state.claims("articles")
        self.sources = state.claims("sources")
        self.skipped: set[int] = set()
        # Article URLs that redirected: the page behind them may name them as its canonical.
        self.redirected: set[int] = set()
        self.allowed_domains = sorted({d for p in profiles for d in p.domains})
        self.listing_pages = {p.name: state.claims(f"listings:{p.name}") for p in profiles}
        # Pagination may link every listing page from every other: routing each link again
        # (patterns, claims) made parse_listing's cost grow with the square of the pages.
        self.routed_listings: set[str] = set()
        self.links = LinkResolver()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for profile in self.profiles.values():
            self.logger.info("crawling site %s (%s)", profile.name, profile.source)
            for url in profile.feeds:
                if self.sources.add(url):
                    yield self._source(url, profile, self.parse_feed)
            for url in profile.sitemaps:
                if self.sources.add(url):
                    yield self._source(url, profile, self.parse_sitemap, sitemap_depth=0)
            for url in profile.start_urls:
                if self.listing_pages[profile.name].add(url):
                    yield self._source(url, profile, self.parse_listing)

    def _source(self, url: str, profile: SiteProfile, callback: Any, **meta: Any) -> scrapy.Request:
        # Sources are read on every start, also when resuming a JOBDIR crawl, so that
        # articles whose rows were lost in a crash are discovered again.
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.source_failed,
            dont_filter=True,
            meta={"site": profile.name, "download_slot": profile.name, **meta},
        )

    def _article(self, url: str, profile: SiteProfile, headers: dict[str, str]) -> scrapy.Request:
        # dont_filter: a persisted JOBDIR dupefilter would otherwise hide articles that were
        # fetched but never reached the dataset; the dataset and `self.scheduled` decide instead.
        return scrapy.Request(
            url,
            callback=self.parse_article,
            errback=self.article_failed,
            headers=headers,
            dont_filter=True,
            meta={
                "site": profile.name,
                "download_slot": profile.name,
                "handle_httpstatus_list": ARTICLE_STATUSES,
            },
        )

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        profile = self.profiles[response.meta["site"]]
        dates = DatePolicy(profile.timezone)
        problems: list[str] = []
        links = feed_links(response.body, response.url, dates, problems=problems)
        self._source_read(response, "feed", [link.url for link in links])
        for link in links:
            yield from self._follow_article(link, profile, "feed")
        report_problems(self.crawler.stats, response.url, problems)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        profile = self.profiles[response.meta["site"]]
        depth = response.meta["sitemap_depth"]
        max_size = self.settings.getint("DOWNLOAD_MAXSIZE")
        max_age = self.settings.getfloat("SITEMAP_MAX_AGE_DAYS")
        dates = DatePolicy(profile.timezone)
        problems: list[str] = []
        entries = list(
            sitemap_entries(response.body, response.url, max_size, dates, problems=problems)
        )
        self._source_read(response, "sitemap", [link.url for _, link in entries])
        for kind, link in entries:
            if kind == "url":
                yield from self._follow_article(link, profile, "sitemap")
            elif depth >= MAX_SITEMAP_DEPTH:
                problems.append("index_too_deep")
            elif not profile.on_domain(link.url):
                problems.append("offsite_sitemap")
            elif not follow_child(link, profile, max_age):
                self.crawler.stats.inc_value(f"sitemaps/children_skipped/{profile.name}")
            elif self.sources.add(link.url):  # each sitemap once per run, however often listed
                yield self._source(link.url, profile, self.parse_sitemap, sitemap_depth=depth + 1)
            else:
                problems.append("repeated_sitemap")
        report_problems(self.crawler.stats, response.url, problems)

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        profile = self.profiles[response.meta["site"]]
        if not isinstance(response, TextResponse):
            self._source_read(response, "listing", [], error="not an HTML page")
            return
        # "More" pages are bare lists of teasers: the start page's areas are not in them.
        areas = () if MORE_INDEX in response.meta else profile.listing_areas
        articles = 0
        urls = list(self.links.links(response, areas))
        # Matched once: the source report counts what the routing below follows.
        is_article = [profile.is_article(url) for url in urls]
        self._source_read(response, "listing", urls, accepted=sum(is_article))
        for url, article in zip(urls, is_article, strict=True):
            if url in self.routed_listings:
                continue
            if article:
                articles += 1
                yield from self._follow_article(Link(url), profile, "listing")
            elif profile.is_listing(url):
                self.routed_listings.add(url)
                if self._new_listing(url, profile):
                    yield self._source(url, profile, self.parse_listing)
        more = next_more_page(profile, response.meta, articles)
        if more is not None and self.listing_pages[profile.name].add(more[0]):
            yield self._source(more[0], profile, self.parse_listing, **{MORE_INDEX: more[1]})

    def _new_listing(self, url: str, profile: SiteProfile) -> bool:
        # Pagination links repeat on every page: count each listing page once.
        seen = self.listing_pages[profile.name]
        if url in seen or len(seen) >= profile.max_listing_pages:
            return False
        return seen.add(url)

    def _follow_article(
        self, link: Link, profile: SiteProfile, via: str
    ) -> Iterator[scrapy.Request]:
        # Credentials in a discovered URL would end up in logs and the dataset: drop them.
        url = strip_url(link.url, strip_credentials=True, strip_fragment=True)
        if not profile.is_article(url):
            return
        if url in self.scheduled:
            return
        stats = self.crawler.stats
        if self.settled and url_key(url) in self.settled:
            stats.inc_value("incremental/skip_settled")
            return
        stats.inc_value(f"discovery/{profile.name}/{via}")
        decision, stored = self.policy.decide(url, link.changed_at)
        if not decision.fetches:
            # Not marked scheduled: a later source may still date a change for this URL.
            if (key := url_key(url)) not in self.skipped:
                self.skipped.add(key)
                stats.inc_value(f"incremental/{decision.value}")
            return
        if not self.scheduled.add(url):
            return  # another worker of the shared crawl scheduled it meanwhile
        stats.inc_value(f"incremental/{decision.value}")
        yield self._article(url, profile, conditional_headers(stored))

    def parse_article(self, response: Response) -> Iterator[PageItem]:
        if response.status == 304:
            self.crawler.stats.inc_value("incremental/not_modified")
            return
        headers = response.headers
        self.redirected.update(url_key(u) for u in response.meta.get("redirect_urls", ()))
        yield PageItem(
            url=response.url,
            site=self._site_of(response),
            status=response.status,
            body=response.body,
            fetched_at=datetime.now(UTC),
            content_type=_header(headers, "Content-Type"),
            requested_url=response.request.url if response.request else None,
            etag=_header(headers, "ETag"),
            last_modified=_header(headers, "Last-Modified"),
        )

    def _site_of(self, response: Response) -> str:
        # A redirect into another crawled profile's domain is that site's article.
        site = response.meta["site"]
        if self.profiles[site].on_domain(response.url):
            return site
        other = profile_for_url(self.profiles.values(), response.url)
        return other.name if other is not None else site

    def article_failed(self, failure: Failure) -> Iterator[PageItem]:
        request = failure.request  # type: ignore[attr-defined]
        error = failure.value
        detail = f"{type(error).__name__}: {failure.getErrorMessage()}"
        if isinstance(error, HttpError):  # a status the spider does not take: say which
            detail = response_reason(error.response)[1]
        # After redirects, report the article URL we asked for; the detail names the target.
        yield PageItem(
            url=request.meta.get("redirect_urls", [request.url])[0],
            site=request.meta["site"],
            status=failure_status(error),
            body=b"",
            fetched_at=datetime.now(UTC),
            error=detail,
            error_reason=failure_reason(error),
        )

    def source_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        kind = {self.parse_feed: "feed", self.parse_sitemap: "sitemap"}.get(
            request.callback, "listing"
        )
        answer = getattr(failure.value, "response", None)
        error = (f"HTTP {answer.status}" if answer is not None
                 else f"{type(failure.value).__name__}: {failure.getErrorMessage()}")  # fmt: skip
        report_source(self.crawler, kind, request.meta["site"], request.url, error=error)

    def _source_read(self, response: Response, kind: str, urls: list[str],
                     accepted: int | None = None, **kw: Any) -> None:  # fmt: skip
        profile = self.profiles[response.meta["site"]]
        if accepted is None:
            accepted = sum(profile.is_article(url) for url in urls)
        url = response.meta.get("redirect_urls", [response.url])[0]
        report_source(self.crawler, kind, profile.name, url, response=response,
                      entries=len(urls), accepted=accepted, **kw)  # fmt: skip


def _header(headers: Any, name: str) -> str | None:
    value = headers.get(name)
    return value.decode("latin-1") if value else None
