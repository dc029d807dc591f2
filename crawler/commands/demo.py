"""`scrapy demo`: generate the bundled demo site, serve it locally, crawl it, summarize."""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.settings import SETTINGS_PRIORITIES

from crawler.commands.preflight import exit_on_config_error
from crawler.dataset.runid import new_run_id
from crawler.monitor.exitcodes import ExitCode, run_exit_code

__all__ = ["DEMO_PROFILES", "Command"]

DEMO_PROFILES = ("demo-ledger", "demo-courier", "demo-gazette")


class Command(ScrapyCommand):
    requires_project = True
    default_settings = {"LOG_LEVEL": "INFO"}

    def syntax(self) -> str:
        return "[-o DIR] [--pages N] [--seed S] [--weight W] [--site-dir DIR] [--site-texts]"

    def short_desc(self) -> str:
        return "Crawl the bundled demo site (served on 127.0.0.1) into a Parquet dataset"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        # The demo's generator and server are imported where they are used: Scrapy imports
        # every command module in every command, a crawl's process included (~2 MB).
        from crawler.demo.weight import WEIGHTS

        super().add_options(parser)
        parser.add_argument(
            "-o",
            "--output",
            default=None,
            metavar="DIR",
            help="dataset root (default: PARQUET_DIR, i.e. output/)",
        )
        parser.add_argument(
            "--pages",
            type=int,
            default=50,
            metavar="N",
            help="article URLs on the demo site (default: 50)",
        )
        parser.add_argument("--seed", type=int, default=1, help="generator seed (default: 1)")
        parser.add_argument(
            "--weight",
            choices=WEIGHTS,
            default="light",
            help="page weight: light (~10 KB, default) or real (100-250 KB, like real sites)",
        )
        parser.add_argument(
            "--site-texts",
            action="store_true",
            help="give each publisher house appeals, sign-ups, disclaimers and bios that no "
            "rule knows (learned by the site memory)",
        )
        parser.add_argument(
            "--site-dir",
            default=None,
            metavar="DIR",
            help="where to generate the site (default: a temporary directory)",
        )

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        if opts.pages < 1:
            raise UsageError("--pages must be at least 1")
        if opts.output:
            self.settings.set("PARQUET_DIR", opts.output, priority="cmdline")
        exit_on_config_error("demo", self.settings, {"site": ",".join(DEMO_PROFILES)})
        self.settings.set("RUN_ID", new_run_id(), priority="cmdline")
        # The demo server is local: no need to throttle or wait between requests.
        self.settings.set("AUTOTHROTTLE_ENABLED", False, priority="cmdline")
        self.settings.set("DOWNLOAD_DELAY", 0, priority="cmdline")
        # Keep the raw pages so that `scrapy reextract` can be tried on the demo data
        # (unless `-s RAW_ARCHIVE=False` was given).
        if (self.settings.getpriority("RAW_ARCHIVE") or 0) < SETTINGS_PRIORITIES["cmdline"]:
            self.settings.set("RAW_ARCHIVE", True, priority="cmdline")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None and self.crawler_process is not None
        from crawler.demo import generate, serve

        with tempfile.TemporaryDirectory(prefix="opinion-demo-") as tmp:
            site_dir = Path(opts.site_dir or tmp)
            generate(
                site_dir,
                pages=opts.pages,
                seed=opts.seed,
                weight=opts.weight,
                site_texts=opts.site_texts,
            )
            print(f"demo site: {opts.pages} article URLs generated in {site_dir}")
            with serve(site_dir) as server:
                # The demo hosts live under the reserved .test TLD: only our proxy reaches them.
                os.environ["http_proxy"] = server.proxy_url
                print(f"demo site served through {server.proxy_url}")
                crawler = self.crawler_process.create_crawler("opinion")
                self.crawler_process.crawl(crawler, site=",".join(DEMO_PROFILES))
                self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = int(ExitCode.FAILED)
            return
        from crawler.dataset.summary import summarize  # pyarrow.dataset: only at the end

        stats = crawler.stats.get_stats()
        self.exitcode = run_exit_code(stats)
        stored = stats.get("known/articles")
        print(summarize(self.settings["PARQUET_DIR"], self.settings["RUN_ID"], stored))
