"""Source statuses: each feed, sitemap and listing page fetched or failed, and what it listed."""

from __future__ import annotations

import logging
import statistics
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector

from crawler.dataset.runs import read_manifests
from crawler.distributed.config import redis_url

__all__ = ["SourceMonitor", "SourceStatus", "report_source", "source_read", "sources_section"]

logger = logging.getLogger(__name__)

# Sent by the spider for every source it read or failed to read.
source_read = object()

HTML_STARTS = (b"<!doctype html", b"<html")


@dataclass(slots=True)
class SourceStatus:
    """One source of one run: fetched or failed (why), entries listed, article URLs accepted."""

    url: str
    site: str
    kind: str  # feed | sitemap | listing
    status: str = "fetched"  # fetched | failed
    http_status: int | None = None
    entries: int = 0
    accepted: int = 0
    error: str | None = None
    configured: bool = False  # named in the profile (not a sub-sitemap or a further page)


def report_source(crawler: Crawler, kind: str, site: str, url: str, *,
                  response: Response | None = None, entries: int = 0, accepted: int = 0,
                  error: str | None = None) -> None:  # fmt: skip
    """The spider's one call per source: a response read, or an error instead of one."""
    crawler.signals.send_catch_log(source_read, kind=kind, site=site, url=url,
                                   response=response, entries=entries, accepted=accepted,
                                   error=error)  # fmt: skip


def _not_a_source(kind: str, response: Response | None, entries: int) -> str | None:
    # A feed or sitemap URL that now serves a web page (a redesign's "not found" page, a
    # login wall) still answers 200: without this check the site just goes quiet.
    if response is None or entries or kind == "listing":
        return None
    if response.body.lstrip()[:14].lower().startswith(HTML_STARTS):
        ctype = (response.headers.get("Content-Type") or b"").decode("latin-1") or "?"
        return f"not a {kind}: an HTML page ({ctype})"
    return None


class SourceMonitor:
    """Collects source statuses; at idle stops a run whose every source failed; alerts at close."""

    def __init__(self, stats: StatsCollector, root: str, window: int, min_articles: int,
                 fail_code: int, shared: bool = False) -> None:  # fmt: skip
        self.stats = stats
        # a worker of a shared crawl reads the sources the frontier hands it, maybe none of
        # a site's: its silence about a site says nothing
        self.shared = shared
        self.root = root
        self.window = window
        self.min_articles = min_articles
        self.fail_code = fail_code
        self.sources: dict[str, SourceStatus] = {}
        self.configured: dict[str, set[str]] = {}
        self.report: dict[str, Any] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SourceMonitor:
        s = crawler.settings
        monitor = cls(crawler.stats, s["PARQUET_DIR"], s.getint("DRIFT_WINDOW"),
                      s.getint("DRIFT_MIN_PAGES"), s.getint("DRIFT_EXIT_CODE"),
                      bool(redis_url(s)))  # fmt: skip
        crawler.signals.connect(monitor.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(monitor.source_read, signal=source_read)
        crawler.signals.connect(monitor.spider_idle, signal=signals.spider_idle)
        return monitor

    def spider_opened(self, spider: Any) -> None:
        for name, profile in getattr(spider, "profiles", {}).items():
            self.configured[name] = {*profile.feeds, *profile.sitemaps, *profile.start_urls}

    def source_read(self, kind: str, site: str, url: str, response: Response | None = None,
                    entries: int = 0, accepted: int = 0, error: str | None = None,
                    **_: Any) -> None:  # fmt: skip
        error = error or _not_a_source(kind, response, entries)
        status = SourceStatus(
            url, site, kind, "failed" if error else "fetched",
            response.status if response is not None else None, entries, accepted, error,
            url in self.configured.get(site, ()),
        )  # fmt: skip
        self.sources[url] = status
        self.stats.inc_value(f"sources/{status.status}/{site}")
        if error:
            logger.warning("source failed: %s %s (%s): %s", site, kind, url, error)

    def spider_idle(self) -> None:
        if self.configured and all(self._all_failed(site) for site in self.configured):
            logger.error("every source of every site failed: nothing could be discovered")
            raise CloseSpider("sources_failed")

    def _all_failed(self, site: str) -> bool:
        named = self.configured.get(site, set())
        found = [self.sources.get(url) for url in named]
        return bool(named) and all(s is not None and s.status == "failed" for s in found)

    def finish(self, reason: str = "finished") -> dict[str, Any]:
        """The manifest's `sources` section: statuses per site and the alerts, once."""
        if self.report is not None:
            return self.report
        history = self._history()
        sites: dict[str, Any] = {}
        alerts: list[dict[str, Any]] = []
        by_site: dict[str, list[SourceStatus]] = defaultdict(list)
        for status in self.sources.values():
            by_site[status.site].append(status)
        for site in sorted(set(self.configured) | set(by_site)):
            statuses = by_site.get(site, [])
            if self.shared and not statuses:
                continue  # recorded as 0, the next runs' usual count would sink (see _site_alerts)
            accepted = sum(s.accepted for s in statuses)
            before = _usual_accepted(history, site, self.window)
            sites[site] = {"accepted": accepted, "accepted_before": before,
                           "failed": sum(s.status == "failed" for s in statuses),
                           "sources": [asdict(s) for s in statuses]}  # fmt: skip
            if reason in ("finished", "sources_failed"):
                alerts += self._site_alerts(site, statuses, accepted, before)
        for alert in alerts:
            logger.warning("source alert: %s", alert["message"])
        code = self.fail_code if alerts else 0
        self.stats.set_value("sources/alerts", len(alerts))
        self.stats.set_value("sources/exit_code", code)
        self.report = {"sites": sites, "alerts": alerts, "exit_code": code}
        return self.report

    def _site_alerts(self, site: str, statuses: list[SourceStatus], accepted: int,
                     before: float | None) -> list[dict[str, Any]]:  # fmt: skip
        failed = [s for s in statuses if s.status == "failed" and s.configured]
        messages = []
        if self._all_failed(site):
            messages.append(f"{site}: all {len(failed)} sources failed")
        else:
            messages += [f"{site}: {s.kind} {s.url} failed: {s.error}" for s in failed]
        if accepted == 0 and before is not None and before >= self.min_articles:
            messages.append(f"{site}: sources listed no article URLs ({before:g} in previous runs)")
        return [{"site": site, "message": m} for m in messages]

    def _history(self) -> list[dict[str, Any]]:
        try:
            return read_manifests(self.root)
        except (OSError, ValueError) as exc:
            logger.warning("source history not read: %s", exc)
            return []


def _usual_accepted(manifests: list[dict[str, Any]], site: str, window: int) -> float | None:
    """Median article URLs the site's sources listed in its last finished runs."""
    found = []
    for manifest in manifests:
        if manifest.get("finish_reason", "finished") != "finished":
            continue
        entry = ((manifest.get("sources") or {}).get("sites") or {}).get(site)
        if entry is not None:
            found.append(entry.get("accepted", 0))
    recent = found[-window:]
    return float(statistics.median(recent)) if recent else None


def sources_section(crawler: Crawler, reason: str) -> dict[str, Any] | None:
    """The run manifest's `sources` entry."""
    monitor = crawler.get_extension(SourceMonitor)
    return monitor.finish(reason) if monitor else None
