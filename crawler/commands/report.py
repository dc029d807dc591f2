"""`scrapy report`: write a self-contained HTML report with the dataset's plots."""

from __future__ import annotations

import argparse
import sys

from scrapy.commands import ScrapyCommand

from crawler.commands import add_dataset_option, dataset_root
from crawler.monitor.exitcodes import ExitCode

__all__ = ["Command"]


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "[-o DIR] [--out FILE] [--runs N]"

    def short_desc(self) -> str:
        return "Write an HTML report: articles per day, word counts, boilerplate, rejects, drift"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        add_dataset_option(parser)
        parser.add_argument("--out", default=None, metavar="FILE",
                            help="report file (default: DIR/report.html)")  # fmt: skip
        parser.add_argument("--runs", type=int, default=20, metavar="N",
                            help="runs shown in the drift plot (default: 20)")  # fmt: skip

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        root = dataset_root(opts, self.settings)
        if not (root / "articles").is_dir() and not (root / "runs").is_dir():
            print(f"scrapy report: error: no dataset under {root}", file=sys.stderr)
            self.exitcode = int(ExitCode.USAGE)
            return
        # Imported here: Scrapy imports every command module on each start, and matplotlib
        # added 0.6 s of CPU to every `scrapy crawl` before it fetched anything.
        from crawler.monitor.report import write_report

        path = write_report(root, opts.out or root / "report.html", last_runs=opts.runs)
        print(f"report: {path.resolve()} ({path.stat().st_size // 1024} KiB, self-contained)")
