"""`scrapy crawl`: one-line usage errors, and an exit status that tells how the run went."""

from __future__ import annotations

import argparse

from scrapy import Spider
from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.crawler import Crawler

from crawler.commands.preflight import exit_on_config_error
from crawler.monitor.exitcodes import run_exit_code

__all__ = ["Command"]


class Command(ScrapyCrawlCommand):
    """Scrapy's own `crawl`, exiting with the code of README's exit-code table.

    Usage and configuration errors (unknown site, a broken profile, a bad `-a` value) are
    one line and exit 2 before anything starts; afterwards the finish reason decides
    (`storage_failed`, `sources_failed`, `frontier_lost` ...), then the alerts (drift or a
    broken source: DRIFT_EXIT_CODE), so cron's mail or a scheduler's failure hook fires.
    """

    def short_desc(self) -> str:
        return "Run a spider of the current project, by name (exit codes: see README)"

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        if args[:1] == ["opinion"]:
            exit_on_config_error("crawl", self.settings, opts.spargs)
        # Imported here: every scrapy command imports this module, only a crawl needs these.
        from pipelines.extract import runs_a_pool
        from pipelines.extract_pool import start_forkserver

        if runs_a_pool(self.settings):
            start_forkserver()  # its warm-up overlaps the crawl's own start from here on

    def _create_crawler(self, spidercls: type[Spider] | str) -> Crawler:
        crawler = super()._create_crawler(spidercls)
        self.crawlers.append(crawler)
        return crawler

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        self.crawlers: list[Crawler] = []
        super().run(args, opts)
        if not self.exitcode:
            self.exitcode = max((run_exit_code(c.stats.get_stats()) for c in self.crawlers),
                                default=0)  # fmt: skip
