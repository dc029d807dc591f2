"""`scrapy reextract`: rebuild the articles from the raw archive with today's extraction code."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.settings import BaseSettings

from crawler.commands import add_dataset_option, dataset_root
from crawler.dataset.locking import DatasetBusy
from crawler.dataset.memory import MemoryStore
from crawler.dataset.raw import RawArchive
from crawler.dataset.reextract_changes import SiteChanges, format_changes
from crawler.monitor.progress import Progress, terminal
from crawler.profile import load_profiles
from pipelines.extract import rules_for
from pipelines.memory import judges_for, thresholds_from
from pipelines.replay import Replayer
from pipelines.section import SectionPipeline
from pipelines.validate import ValidatePipeline

__all__ = ["Command", "replayer_from_settings"]

PROGRESS_SECONDS = 2.0


def replayer_from_settings(settings: BaseSettings, root: Path | None = None) -> Replayer:
    """Extraction, site memory and validation exactly as a crawl with these settings would
    run them (the memory stored under `root`, PARQUET_DIR by default)."""
    max_bytes = settings.getint("EXTRACT_MAX_BYTES")
    profiles = load_profiles(Path(settings["SITE_PROFILES_DIR"]))
    rules = {name: rules_for(p, max_bytes) for name, p in profiles.items()}
    languages = frozenset(settings.getlist("VALIDATE_LANGUAGES"))
    validate = ValidatePipeline(settings.getint("VALIDATE_MIN_WORDS"), languages)
    memory = {}
    if settings.getbool("SITE_MEMORY_ENABLED", True):
        store = MemoryStore(root or settings["PARQUET_DIR"], thresholds_from(settings))
        memory = judges_for(store, profiles, store.sites())
    return Replayer(rules, rules_for(None, max_bytes), validate, SectionPipeline(profiles), memory)


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "[-o DIR] [--site NAME|all] [--dry-run]"

    def short_desc(self) -> str:
        return "Rebuild the articles dataset from the raw archive (no network), report changes"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        add_dataset_option(parser)
        parser.add_argument("--site", default="all", help="site name, or all (default)")
        parser.add_argument("--dry-run", action="store_true",
                            help="report what would change; write nothing")  # fmt: skip

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        root = dataset_root(opts, self.settings)
        archive = RawArchive(root)
        sites = archive.sites()
        if opts.site != "all":
            if opts.site not in sites:
                raise UsageError(f"no raw pages for site {opts.site!r} under {root}/raw")
            sites = [opts.site]
        if not sites:
            print(f"no raw archive under {root}/raw: crawl with -s RAW_ARCHIVE=True first")
            self.exitcode = 1
            return
        replayer = replayer_from_settings(self.settings, root)
        try:
            batch_rows = self.settings.getint("REEXTRACT_BATCH_ROWS")
            results = asyncio.run(_all(root, sites, replayer, archive, opts.dry_run, batch_rows))
        except DatasetBusy as exc:
            print(f"not re-extracted: {exc}; run it when no crawl is writing")
            self.exitcode = 1
            return
        for changes in results:
            print(format_changes(changes))
        print(_total(results, opts.dry_run, root))


def _total(results: list[SiteChanges], dry_run: bool, root: Path) -> str:
    same = ("unchanged", "still_rejected")
    changed = sum(c.pages - sum(c.transitions.get(k, 0) for k in same) for c in results)
    pages = sum(c.pages for c in results)
    if dry_run:
        return f"{pages} pages re-extracted, {changed} rows would change (dry run: nothing written)"
    return f"{pages} pages re-extracted, {changed} rows changed; dataset {root}"


async def _all(
    root: Path, sites: list[str], replayer: Replayer, archive: RawArchive, dry_run: bool,
    batch_rows: int,
) -> list[SiteChanges]:  # fmt: skip
    # Here, not at the top: it imports pyarrow.dataset (and pandas), and Scrapy imports
    # every command for `scrapy crawl` too.
    from crawler.dataset.reextract import reextract_site

    results = []
    for site in sites:
        progress = Progress(f"reextract {site}", terminal(), PROGRESS_SECONDS, archive.count(site))
        tick = _ticker(progress)
        results.append(await reextract_site(root, site, replayer, dry_run=dry_run, tick=tick,
                                            batch_rows=batch_rows))  # fmt: skip
        progress.finish()
    return results


def _ticker(progress: Progress) -> Callable[[int, dict[str, int]], None]:
    return lambda done, counts: progress.update(done, **counts)
