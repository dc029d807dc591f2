"""Reading a profile's sources once, as the crawl would: feeds, sitemaps, listings, more pages."""

from __future__ import annotations

from dataclasses import dataclass, field

from scrapy.http import HtmlResponse

from crawler.discovery import feed_links, sitemap_entries
from crawler.links import listing_links
from crawler.pagination import next_more_page
from crawler.profile import SiteProfile
from crawler.profiling.fetch import Fetched, Fetcher
from crawler.sitemap_children import follow_child

__all__ = ["SourceReport", "read_sources"]

MAX_CHILD_SITEMAPS = 5  # children read per index: enough to judge the profile, not a crawl


@dataclass
class SourceReport:
    """What one source gave: its answer, how many entries, which the profile accepts."""

    kind: str
    url: str
    status: int
    error: str = ""
    entries: int = 0
    accepted: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def failed(self) -> bool:
        """No usable answer, or one with no entries at all."""
        return bool(self.error) or not 200 <= self.status < 300 or self.entries == 0


def read_sources(profile: SiteProfile, fetcher: Fetcher, max_age_days: float) -> list[SourceReport]:
    """Every source of the profile, read once (index sitemaps: a few followed children)."""
    reports = [_feed(url, profile, fetcher) for url in profile.feeds]
    for url in profile.sitemaps:
        reports.extend(_sitemap(url, profile, fetcher, max_age_days))
    for url in profile.start_urls:
        reports.extend(_listing(url, profile, fetcher))
    return reports


def _report(kind: str, fetched: Fetched) -> SourceReport:
    return SourceReport(kind, fetched.url, fetched.status, fetched.error)


def _accept(report: SourceReport, urls: list[str], profile: SiteProfile) -> SourceReport:
    report.entries = len(urls)
    report.accepted = [u for u in dict.fromkeys(urls) if profile.is_article(u)]
    return report


def _feed(url: str, profile: SiteProfile, fetcher: Fetcher) -> SourceReport:
    fetched = fetcher.get(url)
    report = _report("feed", fetched)
    if not fetched.ok:
        return report
    return _accept(report, [link.url for link in feed_links(fetched.body, url)], profile)


def _sitemap(
    url: str, profile: SiteProfile, fetcher: Fetcher, max_age_days: float, depth: int = 0
) -> list[SourceReport]:
    fetched = fetcher.get(url)
    report = _report("sitemap" if depth == 0 else "child sitemap", fetched)
    if not fetched.ok:
        return [report]
    entries = list(sitemap_entries(fetched.body, url, max_size=fetcher.max_bytes))
    children = [link for kind, link in entries if kind == "sitemap"]
    _accept(report, [link.url for kind, link in entries if kind == "url"], profile)
    if not children:
        return [report]
    followed = [c for c in children if follow_child(c, profile, max_age_days)]
    report.entries = len(entries)
    report.note = f"index: {len(children)} children, {len(followed)} followed by the profile"
    reports = [report]
    if depth < 2:
        for child in followed[:MAX_CHILD_SITEMAPS]:
            reports.extend(_sitemap(child.url, profile, fetcher, max_age_days, depth + 1))
    return reports


def _listing(url: str, profile: SiteProfile, fetcher: Fetcher) -> list[SourceReport]:
    fetched = fetcher.get(url)
    report = _report("listing", fetched)
    if not fetched.ok:
        return [report]
    response = HtmlResponse(url, body=fetched.body, headers={"Content-Type": fetched.content_type})
    _accept(report, listing_links(response, profile.listing_areas), profile)
    more = next_more_page(profile, {}, len(report.accepted))
    reports = [report]
    if more is not None:
        fetched = fetcher.get(more[0])
        page = _report("more page", fetched)
        if fetched.ok:
            body = HtmlResponse(more[0], body=fetched.body, encoding="utf-8")
            _accept(page, listing_links(body), profile)
        reports.append(page)
    return reports
