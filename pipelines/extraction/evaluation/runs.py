"""Evaluation runs: what an extractor predicts for each page, timed, and the scores of a run."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import trafilatura

from crawler.dataset.schema import Removed

from ..core import extract
from ..page import Page, Rejection
from ..warmup import WARM_UP_PAGES, load_date_locales
from .evalset import Sample
from .scoring import Summary, score_doc, snippet_hits, summarize

__all__ = [
    "CONTENT_TYPE", "Extractor", "Prediction", "Run", "plain_trafilatura", "predict", "run",
    "run_interleaved", "summarize_run", "trafilatura_without_comments",
]  # fmt: skip

CONTENT_TYPE = "text/html; charset=utf-8"  # the dataset stores every page as UTF-8


@dataclass(frozen=True, slots=True)
class Prediction:
    """What an extractor made of one page; the baseline only ever fills `body`."""

    body: str
    title: str | None = None
    removed: tuple[Removed, ...] = ()
    rejected: str | None = None  # the rejection reason, when `extract` found no article

    def to_json(self, doc_id: str) -> dict[str, Any]:
        """The predictions-file row; `body` and `id` are what the reference scorer reads."""
        row: dict[str, Any] = {"id": doc_id, "body": self.body, "title": self.title}
        row["removed"] = [{"kind": r.kind, "text": r.text} for r in self.removed]
        if self.rejected is not None:
            row["rejected"] = self.rejected
        return row


Extractor = Callable[[bytes, str], Prediction]


@dataclass(frozen=True, slots=True)
class Run:
    """One extractor's predictions over the dataset and the seconds they took."""

    name: str
    predictions: dict[str, Prediction]
    seconds: float

    @property
    def texts(self) -> dict[str, str]:
        """The predicted text of each page, by id: what the scores are computed on."""
        return {doc_id: p.body for doc_id, p in self.predictions.items()}


def predict(html: bytes, url: str) -> Prediction:
    """What `extract` finds in UTF-8 page bytes; a rejection predicts an empty text."""
    result = extract(Page(url=url, body=html, content_type=CONTENT_TYPE))
    if isinstance(result, Rejection):
        return Prediction("", rejected=result.reason)
    return Prediction(result.text, result.title, tuple(result.removed))


def plain_trafilatura(html: bytes, url: str) -> Prediction:
    """The baseline: trafilatura's defaults on the decoded page."""
    text = trafilatura.extract(html.decode("utf-8", errors="replace"), url=url or None)
    return Prediction(text or "")


def trafilatura_without_comments(html: bytes, url: str) -> Prediction:
    """The fair baseline for an extractor that drops comments: trafilatura, comments off."""
    text = trafilatura.extract(
        html.decode("utf-8", errors="replace"), url=url or None, include_comments=False
    )
    return Prediction(text or "")


def run(name: str, func: Extractor, samples: Sequence[Sample]) -> Run:
    """Predictions of one extractor, timed over the extractor calls only."""
    predictions: dict[str, Prediction] = {}
    start = time.perf_counter()
    for sample in samples:
        predictions[sample.id] = func(sample.body, sample.url)
    return Run(name, predictions, time.perf_counter() - start)


def run_interleaved(named: Sequence[tuple[str, Extractor]], samples: Sequence[Sample]) -> list[Run]:
    """Predictions of several extractors, page by page in turn, each call timed on its own.

    Alternating keeps the time ratio fair when the machine's load changes during the run, and
    the time is the process's CPU time (`time.process_time`): other processes' load does not
    count, nor do pauses. Each extractor first runs on the built-in warm-up pages, untimed:
    models and tables it loads on first use are a cost per process, not per page (a crawl's
    workers load them before their first page).
    """
    for _, func in named:
        for page in WARM_UP_PAGES:
            func(page.body, page.url)
    load_date_locales()  # ours reads written dates on few pages: the locales load here
    predictions: list[dict[str, Prediction]] = [{} for _ in named]
    seconds = [0.0] * len(named)
    for sample in samples:
        for i, (_, func) in enumerate(named):
            start = time.process_time()
            predictions[i][sample.id] = func(sample.body, sample.url)
            seconds[i] += time.process_time() - start
    return [Run(name, predictions[i], seconds[i]) for i, (name, _) in enumerate(named)]


def summarize_run(
    samples: Sequence[Sample], texts: Mapping[str, str], lowercase: bool = False
) -> Summary:
    """Mean P/R/F1 and snippet shares of predicted texts over the given (scored) samples."""
    lower = lowercase
    scores = [score_doc(texts[s.id], s.truth or "", lower) for s in samples]
    found, wanted, leaked, unwanted = 0, 0, 0, 0
    for s in samples:
        hit, total = snippet_hits(texts[s.id], s.row.get("with_snippets") or [], lower)
        found, wanted = found + hit, wanted + total
        hit, total = snippet_hits(texts[s.id], s.row.get("without_snippets") or [], lower)
        leaked, unwanted = leaked + hit, unwanted + total
    return summarize(scores, (found, wanted), (leaked, unwanted))
