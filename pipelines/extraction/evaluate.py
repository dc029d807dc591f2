"""Evaluation CLI: score `extract` (and optionally plain trafilatura) on a truth.jsonl dataset.

    python -m pipelines.extraction.evaluate DATASET_DIR [--worst N] [--baseline] [--limit N]
                                                        [--cased] [--ablate] [--ablate-markup]

Metric (scoring.py): word 4-shingles of lowercase Unicode \\w+ tokens, per-page P/R, mean P and
mean R over pages, F1 their harmonic mean; an empty prediction scores P = R = 0. `--cased` keeps
case, as the reference scorer does. `--ablate` measures each generic text rule (and
`--ablate-markup` each markup kind) by switching it off.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import trafilatura

from .core import extract
from .page import Page
from .scoring import DocScore, Summary, score_doc, snippet_hits, summarize

__all__ = ["Run", "Sample", "extract_text", "load", "main", "summarize_run"]

Extractor = Callable[[bytes, str], str]
CONTENT_TYPE = "text/html; charset=utf-8"  # the dataset stores every page as UTF-8


@dataclass(frozen=True, slots=True)
class Sample:
    """One truth row and its page bytes."""

    row: dict[str, Any]
    body: bytes

    @property
    def id(self) -> str:
        return str(self.row["id"])

    @property
    def url(self) -> str:
        return str(self.row.get("url") or "")


@dataclass(frozen=True, slots=True)
class Run:
    """One extractor's predictions over the dataset and the seconds they took."""

    name: str
    predictions: dict[str, str]
    seconds: float


def extract_text(html: bytes, url: str) -> str:
    """The article text `extract` finds in UTF-8 page bytes, or "" for a rejection."""
    result = extract(Page(url=url, body=html, content_type=CONTENT_TYPE))
    return getattr(result, "text", "")


def plain_trafilatura(html: bytes, url: str) -> str:
    """The baseline: trafilatura's defaults on the decoded page."""
    return trafilatura.extract(html.decode("utf-8", errors="replace"), url=url or None) or ""


def load(dataset: Path, limit: int | None = None) -> list[Sample]:
    """Truth rows with their page bytes, read before any timing starts."""
    samples = []
    with open(dataset / "truth.jsonl", encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            row = json.loads(line)
            page = dataset / "pages" / f"{row['id']}.html.gz"
            samples.append(Sample(row, gzip.decompress(page.read_bytes())))
            if limit and len(samples) >= limit:
                break
    return samples


def run(name: str, func: Extractor, samples: Sequence[Sample]) -> Run:
    """Predictions of one extractor, timed over the extractor calls only."""
    predictions: dict[str, str] = {}
    start = time.perf_counter()
    for sample in samples:
        predictions[sample.id] = func(sample.body, sample.url)
    return Run(name, predictions, time.perf_counter() - start)


def run_interleaved(named: Sequence[tuple[str, Extractor]], samples: Sequence[Sample]) -> list[Run]:
    """Predictions of several extractors, page by page in turn, each call timed on its own.

    Alternating keeps the time ratio fair when the machine's load changes during the run.
    """
    predictions: list[dict[str, str]] = [{} for _ in named]
    seconds = [0.0] * len(named)
    for sample in samples:
        for i, (_, func) in enumerate(named):
            start = time.perf_counter()
            predictions[i][sample.id] = func(sample.body, sample.url)
            seconds[i] += time.perf_counter() - start
    return [Run(name, predictions[i], seconds[i]) for i, (name, _) in enumerate(named)]


def summarize_run(samples: Sequence[Sample], predictions: dict[str, str], cased: bool) -> Summary:
    """Mean P/R/F1 and snippet shares of predictions over the given samples."""
    lower = not cased
    scores = [score_doc(predictions[s.id], str(s.row.get("body") or ""), lower) for s in samples]
    found, wanted, leaked, unwanted = 0, 0, 0, 0
    for s in samples:
        hit, total = snippet_hits(predictions[s.id], s.row.get("with_snippets") or [], lower)
        found, wanted = found + hit, wanted + total
        hit, total = snippet_hits(predictions[s.id], s.row.get("without_snippets") or [], lower)
        leaked, unwanted = leaked + hit, unwanted + total
    return summarize(scores, (found, wanted), (leaked, unwanted))


def format_summary(label: str, s: Summary) -> str:
    """One line of the report."""
    snippets = f" with={s.found:.3f} leak={s.leaked or 0:.3f}" if s.found is not None else ""
    return (
        f"  {label:<8} docs={s.docs:<4} P={s.precision:.3f} R={s.recall:.3f} "
        f"F1={s.f1:.3f} empty={s.empty}{snippets}"
    )


def groups(samples: Sequence[Sample]) -> dict[str, list[Sample]]:
    """All pages, then by source, then English pages."""
    found: dict[str, list[Sample]] = defaultdict(list)
    for s in samples:
        found["all"].append(s)
        found[str(s.row.get("source") or "?")].append(s)
        if s.row.get("lang") == "en":
            found["en"].append(s)
    return found


def report(samples: Sequence[Sample], runs: Sequence[Run], cased: bool) -> None:
    """Each run's summary per group, side by side, and the time ratio."""
    for label, members in groups(samples).items():
        print(f"{label}:")
        for result in runs:
            summary = summarize_run(members, result.predictions, cased)
            print(format_summary(result.name, summary))
    for result in runs:
        rate = len(samples) / result.seconds if result.seconds else float("inf")
        print(f"{result.name}: {result.seconds:.1f} s, {rate:.1f} docs/s")
    if len(runs) == 2 and runs[1].seconds:
        print(f"time ratio {runs[0].name}/{runs[1].name}: {runs[0].seconds / runs[1].seconds:.2f}")


def worst(samples: Sequence[Sample], result: Run, count: int) -> None:
    """The pages with the lowest F1."""
    scored: list[tuple[DocScore, str]] = [
        (score_doc(result.predictions[s.id], str(s.row.get("body") or "")), s.id) for s in samples
    ]
    print(f"worst {count} ({result.name}):")
    for s, doc_id in sorted(scored, key=lambda x: (x[0].f1, x[1]))[:count]:
        print(f"  f1={s.f1:.3f} p={s.precision:.3f} r={s.recall:.3f}  {doc_id}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--worst", type=int, default=0, metavar="N")
    parser.add_argument("--baseline", action="store_true", help="also run plain trafilatura")
    parser.add_argument("--limit", type=int, default=None, metavar="N")
    parser.add_argument("--cased", action="store_true", help="case-sensitive tokens")
    parser.add_argument("--ablate", action="store_true", help="measure each text rule")
    parser.add_argument("--ablate-markup", action="store_true", help="measure each markup kind")
    args = parser.parse_args(argv)
    samples = load(args.dataset, args.limit)
    if args.ablate or args.ablate_markup:
        from .ablation import ablate_markup, ablate_text  # evaluation-only code

        if args.ablate:
            ablate_text(samples)
        if args.ablate_markup:
            ablate_markup(samples)
        return 0
    if args.baseline:
        runs = run_interleaved(
            [("ours", extract_text), ("trafilatura", plain_trafilatura)], samples
        )
    else:
        runs = [run("ours", extract_text, samples)]
    report(samples, runs, args.cased)
    for result in runs if args.worst else []:
        worst(samples, result, args.worst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
