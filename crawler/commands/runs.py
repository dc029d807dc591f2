"""`scrapy runs`: list the recent runs recorded in a dataset's manifests."""

from __future__ import annotations

import argparse
from datetime import datetime

from scrapy.commands import ScrapyCommand

from crawler.commands import add_dataset_option, dataset_root
from crawler.dataset.runs import read_manifests

__all__ = ["Command", "format_runs"]

COLUMNS = ("run_id", "finish", "exit", "secs", "sites", "requests", "new", "revised",
           "unchanged", "304", "skipped", "rejects", "alerts")  # fmt: skip


def _seconds(run: dict) -> str:
    try:
        started = datetime.fromisoformat(run["started_at"])
        return f"{(datetime.fromisoformat(run['finished_at']) - started).total_seconds():.1f}"
    except (KeyError, TypeError, ValueError):
        return "?"


def _alerts(run: dict) -> int:
    return sum(len((run.get(check) or {}).get("alerts") or []) for check in ("drift", "sources"))


def _row(run: dict) -> tuple[str, ...]:
    counts = run.get("counts") or {}
    return (
        str(run.get("run_id", "?")),
        str(run.get("finish_reason", "?")),
        str(run.get("exit_code", "?")),
        _seconds(run),
        ",".join(run.get("sites") or []) or "-",
        *(str(counts.get(name, 0)) for name in ("requests", "new_articles", "revisions",
                                                  "unchanged", "not_modified", "skipped_known",
                                                  "rejects")),
        str(_alerts(run)),
    )  # fmt: skip


def format_runs(runs: list[dict]) -> str:
    """A plain-text table of runs, oldest first."""
    rows = [COLUMNS, *(_row(r) for r in runs)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    return "\n".join(
        "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=False)).rstrip() for row in rows
    )


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "[-o DIR] [-n N]"

    def short_desc(self) -> str:
        return "List the most recent crawl runs of a dataset (from its run manifests)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        add_dataset_option(parser)
        parser.add_argument("-n", type=int, default=20, help="how many runs (default: 20)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        root = dataset_root(opts, self.settings)
        runs = read_manifests(root)[-opts.n :]
        print(format_runs(runs) if runs else f"no runs recorded under {root}/runs")
