"""`scrapy evaluate`: score the extraction on a dataset of pages with their expected text."""

from __future__ import annotations

import argparse

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

__all__ = ["Command"]


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return (
            "DATASET_DIR [--out PREDICTIONS.jsonl] [--worst N] [--baseline] [--limit N]"
            " [--lowercase]"
        )

    def short_desc(self) -> str:
        return "Score the extraction on pages/<id>.html.gz + truth.jsonl: P, R, F1, pages/s"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        from pipelines.extraction.evaluation.cli import add_options

        super().add_options(parser)
        add_options(parser)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give one DATASET_DIR")
        # Here, not at the top: Scrapy imports every command for `scrapy crawl` too.
        from pipelines.extraction.evaluation.cli import EvaluateError, Options, evaluate

        try:
            self.exitcode = evaluate(Options.from_args(args[0], opts))
        except EvaluateError as exc:
            raise UsageError(str(exc)) from exc
