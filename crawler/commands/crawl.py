"""`scrapy crawl`, exiting non-zero when a run's quality drift check fails (for cron users)."""

from __future__ import annotations

import argparse

from scrapy import Spider
from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.crawler import Crawler
from scrapy.exceptions import UsageError

from crawler.incremental import parse_refresh
from crawler.monitor.drift import exit_code_of
from crawler.monitor.outcome import FAILED_REASONS, finish_reason

__all__ = ["FAILED_REASONS", "Command"]


class Command(ScrapyCrawlCommand):
    """Scrapy's own `crawl`; afterwards the exit status is DRIFT_EXIT_CODE if drift was found.

    Scrapy exits 1 when the crawl could not start, and so do we when it stopped because
    the dataset could not be written (`storage_failed`); a crawl that ran but crossed a DRIFT_*
    threshold exits with DRIFT_EXIT_CODE (3 by default), so cron's mail or a scheduler's
    failure hook fires on a site redesign, not only on a crash.
    """

    def short_desc(self) -> str:
        return "Run a spider of the current project, by name (exit 3 on quality drift)"

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        # A bad -a value is the user's typo: one usage line and exit 2, not a traceback.
        try:
            parse_refresh(opts.spargs.get("refresh"))
        except ValueError as exc:
            raise UsageError(str(exc), print_help=False) from None

    def _create_crawler(self, spidercls: type[Spider] | str) -> Crawler:
        crawler = super()._create_crawler(spidercls)
        self.crawlers.append(crawler)
        return crawler

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        self.crawlers: list[Crawler] = []
        super().run(args, opts)
        if not self.exitcode:
            self.exitcode = max((_exit_code(c) for c in self.crawlers), default=0)


def _exit_code(crawler: Crawler) -> int:
    # A crawl stopped because the dataset could not be written failed, whatever drift says.
    stats = crawler.stats.get_stats()
    if finish_reason(stats, stats.get("finish_reason")) in FAILED_REASONS:
        return 1
    return exit_code_of(crawler)
