"""Progress lines for long work: pages done, rate and errors, at most one line per interval."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TextIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector
from scrapy.utils.asyncio import call_later, create_looping_call

from crawler.dataset.schema import RejectReason

__all__ = ["Progress", "ProgressLog", "crawl_counters", "terminal"]

logger = logging.getLogger(__name__)

FIRST_LINE_AFTER = 2.0  # seconds after the spider opens


def terminal(stream: TextIO = sys.stderr) -> Callable[[str], None]:
    """Emit to a terminal as one line rewritten in place, or as plain lines to a pipe or file."""
    live = stream.isatty()

    def emit(line: str, final: bool = False) -> None:
        if live:
            stream.write(f"\r\033[K{line}" + ("\n" if final else ""))
        else:
            stream.write(line + "\n")
        stream.flush()

    return emit


class Progress:
    """Counts work and reports it through `emit`, never more often than every `interval` s."""

    def __init__(
        self,
        label: str,
        emit: Callable[..., None],
        interval: float = 5.0,
        total: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.label = label
        self.emit = emit
        self.interval = interval
        self.total = total
        self.clock = clock
        self.started = self.last_at = clock()
        self.last_done = self.done = 0
        self.counters: dict[str, int] = {}

    def update(self, done: int, **counters: int) -> None:
        """Record the state; report it if an interval has passed since the last line."""
        self.done, self.counters = done, counters
        if self.clock() - self.last_at >= self.interval:
            self.emit(self.line(done, counters))

    def finish(self) -> None:
        """Always report the last recorded state."""
        self.emit(self.line(self.done, self.counters), final=True)

    def line(self, done: int, counters: dict[str, int]) -> str:
        now = self.clock()
        recent = (done - self.last_done) / max(now - self.last_at, 1e-9)
        self.last_at, self.last_done = now, done
        of = f"/{self.total}" if self.total is not None else ""
        extra = "".join(f", {value} {name}" for name, value in counters.items())
        elapsed = timedelta(seconds=round(now - self.started))
        return f"{self.label}: {done}{of} pages, {recent:.1f}/s{extra}, elapsed {elapsed}"


def crawl_counters(stats: dict[str, Any]) -> tuple[int, dict[str, int]]:
    """Pages fetched and the counters worth a glance, from a crawl's stats."""
    rejects = sum(stats.get(f"rejects/{r}", 0) for r in RejectReason.all())
    errors = stats.get("downloader/exception_count", 0) + stats.get("log_count/ERROR", 0)
    queued = stats.get("scheduler/enqueued", 0) - stats.get("scheduler/dequeued", 0)
    counters = {
        "articles": stats.get("articles/accepted", 0),
        "rejects": rejects,
        "errors": errors,
        "queued": max(queued, 0),
    }
    return stats.get("response_received_count", 0), counters


class ProgressLog:
    """A start line, a progress line every PROGRESS_INTERVAL seconds, a summary line at close."""

    def __init__(self, stats: StatsCollector, interval: float, dataset: str = "") -> None:
        self.stats = stats
        self.progress = Progress("progress", self._log, interval)
        self.dataset = dataset
        self.task: Any = None
        self.first: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressLog:
        interval = crawler.settings.getfloat("PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured("PROGRESS_INTERVAL is 0")
        extension = cls(crawler.stats, interval, crawler.settings["PARQUET_DIR"])
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Any = None) -> None:
        logger.info(start_line(spider, self.stats, self.dataset))
        # Elapsed and rates count from here: start-up (imports, reading the dataset) is no crawl.
        self.progress.started = self.progress.last_at = self.progress.clock()
        self.task = create_looping_call(self.tick)
        # The first line comes early: a person watching should see the crawl move at once.
        self.first = call_later(min(FIRST_LINE_AFTER, self.progress.interval), self._start_loop)

    def _start_loop(self) -> None:
        self.tick()
        self.task.start(self.progress.interval, now=False)

    def tick(self) -> None:
        done, counters = crawl_counters(self.stats.get_stats())
        self.progress.emit(self.progress.line(done, counters))

    def spider_closed(self, reason: str = "finished") -> None:
        if self.first is not None:
            self.first.cancel()
        if self.task is not None and self.task.running:
            self.task.stop()
        self.progress.done, self.progress.counters = crawl_counters(self.stats.get_stats())
        self.progress.finish()
        logger.info(summary_line(self.stats.get_stats(), reason))

    def _log(self, line: str, final: bool = False) -> None:
        logger.info(line)


def start_line(spider: Any, stats: StatsCollector, dataset: str) -> str:
    """`crawl <run>: sites a, b into DIR (N articles already stored)`."""
    sites = ", ".join(sorted(getattr(spider, "profiles", {}))) or "?"
    known = getattr(getattr(spider, "policy", None), "known", None)
    try:
        stored = len(known) if known is not None else 0
    except Exception:  # a shared crawl's count lives in Redis, which may be unreachable
        stored = 0
    stats.set_value("known/articles", stored)
    run_id = getattr(getattr(spider, "settings", None), "get", lambda _: "?")("RUN_ID")
    return f"crawl {run_id}: sites {sites} into {dataset} ({stored} articles already stored)"


def summary_line(stats: dict[str, Any], reason: str) -> str:
    """The run in one line: outcome, exit status, what it stored, fetched again or skipped."""
    rejects = sum(stats.get(f"rejects/{r}", 0) for r in RejectReason.all())
    parts = [
        f"{stats.get('articles/new', 0)} new articles",
        f"{stats.get('articles/revisions', 0)} revised",
        f"{stats.get('articles/unchanged', 0)} unchanged",
        f"{stats.get('incremental/not_modified', 0)} not modified (304)",
        f"{stats.get('incremental/skip', 0)} already stored, not fetched",
        f"{rejects} rejects ({stats.get('incremental/retry', 0)} retried, "
        f"{stats.get('incremental/wait', 0)} not due)",
    ]
    alerts = stats.get("drift/alerts", 0) + stats.get("sources/alerts", 0)
    code = stats.get("exit_code", "?")
    return f"{reason} (exit {code}, {alerts} alerts): " + ", ".join(parts)
