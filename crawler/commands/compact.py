"""`scrapy compact`: merge a dataset's small files, optionally keeping latest revisions only."""

from __future__ import annotations

import argparse

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.commands import add_dataset_option, dataset_root
from crawler.dataset.locking import DatasetBusy
from crawler.monitor.progress import Progress, terminal

__all__ = ["Command"]


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "[-o DIR] [--site NAME|all] [--latest-only]"

    def short_desc(self) -> str:
        return "Rewrite a site's article partitions into fewer, larger files (atomically)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        add_dataset_option(parser)
        parser.add_argument("--site", default="all", help="site name, or all (default)")
        parser.add_argument("--latest-only", action="store_true",
                            help="keep only the latest revision of each article")  # fmt: skip

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        # Here, not at the top: Scrapy imports every command for `scrapy crawl` too.
        from crawler.dataset.compaction import compact_site

        assert self.settings is not None
        root = dataset_root(opts, self.settings)
        sites = sorted(p.name.removeprefix("site=") for p in (root / "articles").glob("site=*"))
        if opts.site != "all":
            if opts.site not in sites:
                raise UsageError(f"no articles for site {opts.site!r} under {root}")
            sites = [opts.site]
        for site in sites:
            progress = Progress(f"compact {site}", terminal(), 2.0)
            try:
                result = compact_site(root, site, opts.latest_only, tick=progress.update)
            except DatasetBusy as exc:
                print(f"not compacted: {exc}; run it when no crawl is writing")
                self.exitcode = 1
                return
            progress.finish()
            print(f"{site}: {result.rows_before} rows in {result.files_before} files -> "
                  f"{result.rows_after} rows in {result.files_after} files")  # fmt: skip
            if result.quarantined:
                print(f"{site}: {result.quarantined} files that are not the dataset's moved to "
                      f"{root / 'articles' / '.quarantine'}")  # fmt: skip
