"""Quality drift: each run's per-site extraction indicators, compared with the previous runs."""

from __future__ import annotations

import logging
import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector

from crawler.dataset.runs import read_manifests
from crawler.dataset.schema import ArticleRecord
from pipelines.drops import Rejected

__all__ = [
    "METRICS", "DriftMonitor", "SiteTally", "Thresholds", "baseline", "compare", "drift_section",
    "site_history",
]  # fmt: skip

logger = logging.getLogger(__name__)

RATES = ("empty_body_rate", "appeal_share", "paywalled_share", "reject_rate")
METRICS = ("empty_body_rate", "median_words", "appeal_share", "paywalled_share", "reject_rate")
# Reasons meaning "the page came back, but no usable body text came out of it".
EMPTY_REASONS = frozenset({"empty_page", "no_article", "too_short"})
# A rate must also move this many standard errors: small samples swing by chance.
MIN_Z = 4.0


@dataclass(frozen=True, slots=True)
class Thresholds:
    """When a change counts as drift (the DRIFT_* settings)."""

    window: int = 5
    min_pages: int = 20
    max_rate_change: float = 0.2
    max_words_change: float = 0.4


@dataclass(slots=True)
class SiteTally:
    """What one run saw of one site: every page item that reached a verdict."""

    pages: int = 0
    rejects: int = 0
    empty: int = 0
    appeals: int = 0
    paywalled: int = 0
    words: list[int] = field(default_factory=list)

    def add_article(self, words: int, paywalled: bool, kinds: set[str]) -> None:
        self.pages += 1
        self.words.append(words)
        self.paywalled += paywalled
        self.appeals += "appeal" in kinds

    def add_reject(self, reason: str) -> None:
        self.pages += 1
        self.rejects += 1
        self.empty += reason in EMPTY_REASONS

    def metrics(self) -> dict[str, Any]:
        """The indicators, with the sample sizes they rest on; None where nothing was seen."""
        articles = len(self.words)
        return {
            "pages": self.pages,
            "articles": articles,
            "empty_body_rate": _share(self.empty, self.pages),
            "median_words": float(statistics.median(self.words)) if self.words else None,
            "appeal_share": _share(self.appeals, articles),
            "paywalled_share": _share(self.paywalled, articles),
            "reject_rate": _share(self.rejects, self.pages),
        }


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def site_history(manifests: list[dict[str, Any]], site: str, t: Thresholds) -> list[dict]:
    """The site's metrics in the last `window` runs that saw at least `min_pages` of it."""
    found = []
    # An interrupted run saw a biased part of the site: no baseline for later runs.
    for manifest in (m for m in manifests if m.get("finish_reason", "finished") == "finished"):
        metrics = ((manifest.get("drift") or {}).get("sites") or {}).get(site, {}).get("metrics")
        if metrics and metrics.get("pages", 0) >= t.min_pages:
            found.append(metrics)
    return found[-t.window :]


def baseline(history: list[dict[str, Any]]) -> dict[str, float] | None:
    """The median of each metric over earlier runs: robust to one odd run."""
    if not history:
        return None
    base = {}
    for name in METRICS:
        values = [h[name] for h in history if h.get(name) is not None]
        if values:
            base[name] = round(float(statistics.median(values)), 4)
    return base


def compare(site: str, current: dict[str, Any], base: dict[str, float] | None,
            t: Thresholds) -> list[dict[str, Any]]:  # fmt: skip
    """The metrics of this run that moved beyond the thresholds, as alert records."""
    if not base or current["pages"] < t.min_pages:
        return []
    alerts = []
    for name in METRICS:
        value, before = current.get(name), base.get(name)
        if value is None or before is None:
            continue
        n = current["articles"] if name in ("appeal_share", "paywalled_share") else current["pages"]
        if name in RATES and _rate_drifted(value, before, n, t):
            change = f"{value - before:+.2f}"
        elif name == "median_words" and before and abs(value / before - 1) >= t.max_words_change:
            change = f"{value / before - 1:+.0%}"
        else:
            continue
        message = f"{site}: {name} {value:g} vs {before:g} in previous runs ({change})"
        alerts.append({"site": site, "metric": name, "value": value, "baseline": before,
                       "change": change, "message": message})  # fmt: skip
    return alerts


def _rate_drifted(value: float, before: float, n: int, t: Thresholds) -> bool:
    if n < t.min_pages or abs(value - before) < t.max_rate_change:
        return False
    p = min(max(before, 1 / n), 1 - 1 / n)  # a 0 % baseline still has some spread
    return abs(value - before) / math.sqrt(p * (1 - p) / n) >= MIN_Z


class DriftMonitor:
    """Tallies each site's pages during a crawl; at close, compares with earlier runs."""

    def __init__(self, root: str, run_id: str, thresholds: Thresholds, fail_code: int,
                 stats: StatsCollector | None = None) -> None:  # fmt: skip
        self.root = root
        self.run_id = run_id
        self.thresholds = thresholds
        self.fail_code = fail_code
        self.stats = stats
        self.tallies: dict[str, SiteTally] = defaultdict(SiteTally)
        # Pages the dataset knew at the start (stored articles re-checked, rejects retried)
        # are not new evidence: drift is measured over first fetches only (README).
        self.seen_before: Callable[..., bool] = lambda *urls: False
        self.rechecked: Counter[str] = Counter()
        self.report: dict[str, Any] | None = None
        self.reason = "finished"

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DriftMonitor:
        s = crawler.settings
        if not s.getbool("DRIFT_ENABLED"):
            raise NotConfigured("DRIFT_ENABLED is off")
        thresholds = Thresholds(
            s.getint("DRIFT_WINDOW"), s.getint("DRIFT_MIN_PAGES"),
            s.getfloat("DRIFT_MAX_RATE_CHANGE"), s.getfloat("DRIFT_MAX_WORDS_CHANGE"),
        )  # fmt: skip
        monitor = cls(s["PARQUET_DIR"], s["RUN_ID"], thresholds, s.getint("DRIFT_EXIT_CODE"),
                      crawler.stats)  # fmt: skip
        crawler.signals.connect(monitor.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(monitor.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(monitor.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(monitor.spider_closed, signal=signals.spider_closed)
        return monitor

    def spider_opened(self, spider: Any) -> None:
        policy = getattr(spider, "policy", None)
        if policy is not None:
            self.seen_before = policy.seen_before

    def item_scraped(self, item: Any, **_: Any) -> None:
        if isinstance(item, ArticleRecord) and self._first_fetch(item):
            self._article(item)

    def item_dropped(self, item: Any, exception: BaseException, **_: Any) -> None:
        if not isinstance(exception, Rejected) or not self._first_fetch(item):
            return  # an unchanged re-fetch is a stored article: seen before
        self.tallies[getattr(item, "site", "") or "?"].add_reject(exception.reason)

    def _first_fetch(self, item: Any) -> bool:
        urls = (getattr(item, name, None) for name in ("url", "requested_url", "canonical_url"))
        if self.seen_before(*urls):
            self.rechecked[getattr(item, "site", "") or "?"] += 1
            return False
        return True

    def _article(self, item: ArticleRecord) -> None:
        kinds = {r.kind for r in item.removed}
        self.tallies[item.site].add_article(item.word_count, item.paywalled, kinds)

    def spider_closed(self, reason: str = "finished") -> None:
        self.reason = reason
        self.finish()

    def finish(self) -> dict[str, Any]:
        """Compute, log and count this run's drift once; the manifest's `drift` section."""
        if self.report is not None:
            return self.report
        earlier = [m for m in self._history() if m.get("run_id") != self.run_id]
        sites, alerts = {}, []
        for site in sorted(set(self.tallies) | set(self.rechecked)):
            current = self.tallies[site].metrics()
            history = site_history(earlier, site, self.thresholds)
            base = baseline(history)
            sites[site] = {"metrics": current, "baseline": base, "baseline_runs": len(history),
                           "rechecked": self.rechecked[site]}  # fmt: skip
            if self.reason == "finished":  # a shutdown or error stop is no redesign
                alerts += compare(site, current, base, self.thresholds)
        for alert in alerts:
            logger.warning("quality drift: %s", alert["message"])
        # New repeated blocks (pipelines/memory.py) are stripped already: reported, not failed.
        new = (self.stats.get_value("memory/new_boilerplate") if self.stats else None) or {}
        for site, texts in sorted(new.items()):
            logger.warning("new repeated block on %s (stripped): %s", site, "; ".join(texts))
        code = self.fail_code if alerts else 0
        if self.stats is not None:
            self.stats.set_value("drift/alerts", len(alerts))
            self.stats.set_value("drift/exit_code", code)
        self.report = {"thresholds": asdict(self.thresholds), "sites": sites,
                       "alerts": alerts, "exit_code": code, "new_boilerplate": new}  # fmt: skip
        return self.report

    def _history(self) -> list[dict[str, Any]]:
        # A broken earlier manifest must not cost this run its own manifest.
        try:
            return read_manifests(self.root)
        except (OSError, ValueError) as exc:
            logger.warning("quality drift not checked: cannot read earlier runs: %s", exc)
            return []


def drift_section(crawler: Crawler) -> dict[str, Any] | None:
    """The run manifest's `drift` entry (None when the monitor is off)."""
    monitor = crawler.get_extension(DriftMonitor)
    return monitor.finish() if monitor else None
