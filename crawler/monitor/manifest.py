"""The run manifest: one JSON file per run with its settings, counts and exit status."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from crawler.dataset.schema import RejectReason
from crawler.dataset.writer import atomic_write_bytes
from crawler.monitor.drift import drift_section
from crawler.monitor.exitcodes import run_exit_code
from crawler.monitor.outcome import finish_reason
from crawler.monitor.sources import sources_section

__all__ = ["RunManifest"]

logger = logging.getLogger(__name__)

RESERVE_BYTES = 256 * 1024

# Settings that change what a run collects or how politely; recorded for reproducibility.
RECORDED_SETTINGS = (
    "PARQUET_DIR", "WORKER_ID", "SITE_PROFILES_DIR", "USER_AGENT", "ROBOTSTXT_OBEY",
    "CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN", "DOWNLOAD_DELAY",
    "AUTOTHROTTLE_ENABLED", "DOWNLOAD_TIMEOUT", "DOWNLOAD_MAXSIZE", "RETRY_TIMES",
    "PARQUET_FLUSH_ROWS", "PARQUET_FLUSH_BYTES", "PARQUET_COMPRESSION", "EXTRACT_MAX_BYTES",
    "VALIDATE_MIN_WORDS", "VALIDATE_LANGUAGES", "JOBDIR",
)  # fmt: skip


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


class RunManifest:
    """Writes `PARQUET_DIR/runs/<run_id>.json` when the crawl closes."""

    def __init__(self, directory: Path, run_id: str, settings: dict[str, Any],
                 stats: StatsCollector,
                 drift: Callable[[], dict[str, Any] | None] | None = None,
                 sources: Callable[[str], dict[str, Any] | None] | None = None,
                 ) -> None:  # fmt: skip
        self.path = directory / f"{run_id}.json"
        self.run_id = run_id
        self.settings = settings
        self.stats = stats
        self.drift = drift
        self.sources = sources
        self.started_at = datetime.now(UTC)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunManifest:
        settings = crawler.settings
        recorded = {name: _jsonable(settings.get(name)) for name in RECORDED_SETTINGS}
        directory = Path(settings["PARQUET_DIR"]) / "runs"
        # Imported here: crawler.monitor.drift reads earlier manifests through this module.

        extension = cls(directory, settings["RUN_ID"], recorded, crawler.stats,
                        drift=lambda: drift_section(crawler),
                        sources=partial(sources_section, crawler))  # fmt: skip
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    @property
    def reserve(self) -> Path:
        return self.path.with_name(f".reserve-{self.run_id}")

    def spider_opened(self) -> None:
        # Room for this manifest, set aside now: a crawl that fills the disk must still
        # be able to record that it failed.
        self.reserve.parent.mkdir(parents=True, exist_ok=True)
        self.reserve.write_bytes(b"\0" * RESERVE_BYTES)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        # Sources and drift first: they set the alert stats the exit code is read from.
        sources = self.sources(reason) if self.sources else None
        drift = self.drift() if self.drift else None
        stats = self.stats.get_stats()
        self.stats.set_value("exit_code", run_exit_code({**stats, "finish_reason": reason}))
        stats = self.stats.get_stats()
        manifest = {
            "run_id": self.run_id,
            "started_at": self.started_at.isoformat(),
            "finished_at": datetime.now(UTC).isoformat(),
            # A write that failed in the final flush, after the reason was decided, still fails.
            "finish_reason": finish_reason(stats, reason),
            "exit_code": stats["exit_code"],
            "sites": sorted(getattr(spider, "profiles", {})),
            "settings": self.settings,
            "counts": _counts(stats),
            # Per-site quality indicators vs. earlier runs (monitor/drift.py); None when off.
            "drift": drift,
            # Every feed, sitemap and listing page: fetched or failed, what it listed.
            "sources": sources,
            "stats": _jsonable(stats),
        }
        data = json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8")
        self.reserve.unlink(missing_ok=True)
        try:
            atomic_write_bytes(self.path, data)
        except OSError as exc:
            logger.error("cannot write the run manifest %s (%s): %s", self.path, exc, data.decode())
            return
        logger.info("run manifest: %s", self.path)


def _counts(stats: dict[str, Any]) -> dict[str, Any]:
    sites = {k.removeprefix("articles/site/"): v for k, v in stats.items()
             if k.startswith("articles/site/")}  # fmt: skip
    reasons = {r: stats[f"rejects/{r}"] for r in RejectReason.all() if f"rejects/{r}" in stats}
    return {
        "requests": stats.get("downloader/request_count", 0),
        "responses": stats.get("downloader/response_count", 0),
        "article_requests": sum(
            stats.get(f"incremental/{d}", 0) for d in ("new", "changed", "refresh", "retry")
        ),
        "skipped_known": stats.get("incremental/skip", 0),
        "retried_rejects": stats.get("incremental/retry", 0),
        "rejects_not_due": stats.get("incremental/wait", 0),
        "already_stored": stats.get("known/articles", 0),
        "not_modified": stats.get("incremental/not_modified", 0),
        "new_articles": stats.get("articles/new", 0),
        "revisions": stats.get("articles/revisions", 0),
        "unchanged": stats.get("articles/unchanged", 0),
        "articles": stats.get("articles/rows_written", 0),
        "articles_by_site": sites,
        "rejects": stats.get("rejects/rows_written", 0),
        "rejects_by_reason": reasons,
    }
