"""Evaluation: score `extract` (and optionally plain trafilatura) on a truth.jsonl dataset.

`scrapy evaluate DATASET_DIR` is the user-facing command and calls `evaluate()`; this module's
own command line is the same run plus the rule ablations, for extractor development:

    python -m pipelines.extraction.evaluation DATASET_DIR [--out PREDICTIONS.jsonl] [--worst N]
        [--baseline] [--limit N] [--lowercase] [--ablate] [--ablate-markup]

Metric (scoring.py): word 4-shingles of case-sensitive Unicode \\w+ tokens, per-page P/R, mean P
over pages with a prediction and mean R over pages with a truth, F1 their harmonic mean; an
empty prediction scores R = 0. `--lowercase` folds case. Truth rows without a `body` are run
but not scored. `--ablate` measures each generic text rule (and `--ablate-markup` each markup
kind) by switching it off.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .evalset import Dataset, EvaluateError, Sample, load
from .runs import (
    Extractor,
    Run,
    plain_trafilatura,
    predict,
    run_interleaved,
    summarize_run,
    trafilatura_without_comments,
)
from .scoring import DocScore, Summary, score_doc

__all__ = ["EvaluateError", "Options", "add_options", "evaluate", "main"]

SHOWN_SKIPS = 20  # a dataset broken throughout needs a few examples, not every line


@dataclass(frozen=True, slots=True)
class Options:
    """One evaluation's settings, shared by `scrapy evaluate` and this module's CLI."""

    dataset: Path
    out: Path | None = None
    worst: int = 0
    baseline: bool = False
    limit: int | None = None
    lowercase: bool = False

    @classmethod
    def from_args(cls, dataset: str | Path, args: argparse.Namespace) -> Options:
        """The options parsed by a parser that `add_options` set up."""
        out = Path(args.out) if args.out else None
        return cls(Path(dataset), out, args.worst, args.baseline, args.limit, args.lowercase)


def format_summary(label: str, s: Summary) -> str:
    """One line of the report."""
    snippets = f" with={s.found:.3f} leak={s.leaked or 0:.3f}" if s.found is not None else ""
    return (
        f"  {label:<15} docs={s.docs:<4} P={s.precision:.3f} R={s.recall:.3f} "
        f"F1={s.f1:.3f} empty={s.empty}{snippets}"
    )


def groups(samples: Sequence[Sample]) -> dict[str, list[Sample]]:
    """All pages, then by source (when rows name one), then English pages."""
    found: dict[str, list[Sample]] = defaultdict(list)
    for s in samples:
        found["all"].append(s)
        if s.row.get("source"):
            found[str(s.row["source"])].append(s)
        if s.row.get("lang") == "en":
            found["en"].append(s)
    return found


def report(samples: Sequence[Sample], runs: Sequence[Run], lowercase: bool) -> None:
    """Each run's summary per group, side by side."""
    for label, members in groups(samples).items():
        print(f"{label}:")
        for result in runs:
            print(format_summary(result.name, summarize_run(members, result.texts, lowercase)))


def speed(pages: int, runs: Sequence[Run]) -> None:
    """Each run's extraction CPU time and rate, and the time ratio of ours to each baseline."""
    for result in runs:
        rate = pages / result.seconds if result.seconds else float("inf")
        print(f"{result.name}: {result.seconds:.1f} s, {rate:.1f} pages/s (CPU time, warmed up)")
    for other in runs[1:]:
        if other.seconds:
            ratio = runs[0].seconds / other.seconds
            print(f"time ratio {runs[0].name}/{other.name}: {ratio:.2f}")


def worst(samples: Sequence[Sample], result: Run, count: int, lowercase: bool) -> None:
    """The scored pages with the lowest F1, with their URL and any rejection reason."""
    scored: list[tuple[DocScore, Sample]] = [
        (score_doc(result.predictions[s.id].body, s.truth or "", lowercase), s) for s in samples
    ]
    print(f"worst {min(count, len(scored))} ({result.name}):")
    for score, s in sorted(scored, key=lambda x: (x[0].f1, x[1].id))[:count]:
        rejected = result.predictions[s.id].rejected
        why = f" [rejected: {rejected}]" if rejected else ""
        scores = f"f1={score.f1:.3f} p={score.precision:.3f} r={score.recall:.3f}"
        print(f"  {scores}  {s.id}  {s.url}{why}")


def write_predictions(path: Path, samples: Sequence[Sample], result: Run) -> None:
    """One JSON line per page, in truth order: what `score.py` and the analysts read."""
    with open(path, "w", encoding="utf-8") as out:
        for s in samples:
            out.write(json.dumps(result.predictions[s.id].to_json(s.id), ensure_ascii=False))
            out.write("\n")
    print(f"predictions: {path} ({len(samples)} pages)")


def describe(dataset: Dataset, scored: int) -> None:
    """What was read: pages, unscored pages, and each skipped truth line (the first few)."""
    print(f"pages read: {len(dataset.samples)}, scored: {scored}")
    unscored = len(dataset.samples) - scored
    if unscored:
        print(f"pages unscored (no body in truth.jsonl, predictions only): {unscored}")
    if dataset.skipped:
        print(f"truth lines skipped: {len(dataset.skipped)}")
    for reason in dataset.skipped[:SHOWN_SKIPS]:
        print(f"  {reason}")
    if len(dataset.skipped) > SHOWN_SKIPS:
        print(f"  ... and {len(dataset.skipped) - SHOWN_SKIPS} more")


def evaluate(options: Options) -> int:
    """Extract every page, print scores, rates and the worst pages, write predictions; exit code.

    Raises EvaluateError before any work when the dataset or the output directory is missing.
    """
    if options.out and not options.out.parent.is_dir():
        raise EvaluateError(f"no directory {options.out.parent} for {options.out.name}")
    dataset = load(options.dataset, options.limit)
    scored = [s for s in dataset.samples if s.truth is not None]
    describe(dataset, len(scored))
    if not dataset.samples:
        print("no page to evaluate")
        return 1
    extractors: list[tuple[str, Extractor]] = [("ours", predict)]
    if options.baseline:
        # defaults (the speed yardstick), then comments off (the fair quality yardstick)
        extractors.append(("trafilatura", plain_trafilatura))
        extractors.append(("traf-nocomments", trafilatura_without_comments))
    runs = run_interleaved(extractors, dataset.samples)
    if scored:
        report(scored, runs, options.lowercase)
    speed(len(dataset.samples), runs)
    for result in runs if options.worst and scored else []:
        worst(scored, result, options.worst, options.lowercase)
    if options.out:
        write_predictions(options.out, dataset.samples, runs[0])
    return 0


def count(value: str) -> int:
    """An argparse type: a whole number, 0 or more."""
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative")
    return number


def add_options(parser: argparse.ArgumentParser) -> None:
    """The options of an evaluation, defined once for `scrapy evaluate` and this module."""
    parser.add_argument("--out", metavar="PREDICTIONS.jsonl", default=None,
                        help="write one JSON line per page: id, body, title, removed")  # fmt: skip
    parser.add_argument("--worst", type=count, default=0, metavar="N",
                        help="list the N pages with the lowest F1")  # fmt: skip
    parser.add_argument("--baseline", action="store_true",
                        help="also run trafilatura: defaults, no comments")  # fmt: skip
    parser.add_argument("--limit", type=count, default=None, metavar="N",
                        help="only the first N pages")  # fmt: skip
    parser.add_argument("--lowercase", action="store_true", help="fold case before scoring")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", type=Path)
    add_options(parser)
    parser.add_argument("--ablate", action="store_true", help="measure each text rule")
    parser.add_argument("--ablate-markup", action="store_true", help="measure each markup kind")
    args = parser.parse_args(argv)
    options = Options.from_args(args.dataset, args)
    try:
        if args.ablate or args.ablate_markup:
            return ablate(options, args.ablate, args.ablate_markup)
        return evaluate(options)
    except EvaluateError as exc:
        parser.error(str(exc))  # exits 2, like Scrapy's UsageError


def ablate(options: Options, text: bool, markup: bool) -> int:
    """The rule ablations over the scored pages of the dataset."""
    from .ablation import ablate_markup, ablate_text  # evaluation-only code

    samples = [s for s in load(options.dataset, options.limit).samples if s.truth is not None]
    if text:
        ablate_text(samples)
    if markup:
        ablate_markup(samples)
    return 0


if __name__ == "__main__":
    sys.exit(main())
