"""Word 4-shingle precision/recall of extracted text against ground truth, and snippet rates.

The conventions of the usual article-extraction benchmark: case-sensitive Unicode `\\w+`
tokens, multiset shingles, mean precision over pages with a prediction, mean recall over
pages with a truth, F1 their harmonic mean.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "DocScore",
    "N",
    "Summary",
    "score_doc",
    "shingles",
    "snippet_hits",
    "summarize",
    "tokens",
]

_WORD = re.compile(r"\w+")
N = 4


def tokens(text: str | None, lowercase: bool = False) -> list[str]:
    """Unicode word tokens, lowercased only when asked."""
    found = _WORD.findall(text or "")
    return [t.lower() for t in found] if lowercase else found


def shingles(toks: Sequence[str]) -> Counter[tuple[str, ...]]:
    """The multiset of word 4-grams (the whole text as one gram when shorter)."""
    if len(toks) < N:
        return Counter([tuple(toks)]) if toks else Counter()
    return Counter(tuple(toks[i : i + N]) for i in range(len(toks) - N + 1))


@dataclass(frozen=True, slots=True)
class DocScore:
    """One page's precision and recall, and whether prediction and truth had any words."""

    precision: float
    recall: float
    has_pred: bool
    has_truth: bool

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class Summary:
    """Mean precision and recall over pages, their harmonic mean, and snippet rates."""

    docs: int
    precision: float
    recall: float
    empty: int
    found: float | None = None  # share of must-contain snippets present
    leaked: float | None = None  # share of must-not-contain snippets present

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_doc(pred: str | None, truth: str | None, lowercase: bool = False) -> DocScore:
    """Multiset shingle overlap; an empty prediction scores P = R = 0 unless truth is empty."""
    p_sh, t_sh = shingles(tokens(pred, lowercase)), shingles(tokens(truth, lowercase))
    n_pred, n_truth = sum(p_sh.values()), sum(t_sh.values())
    if not n_pred and not n_truth:
        return DocScore(1.0, 1.0, False, False)
    shared = sum((p_sh & t_sh).values())
    return DocScore(
        shared / n_pred if n_pred else 0.0,
        shared / n_truth if n_truth else 0.0,
        n_pred > 0,
        n_truth > 0,
    )


def snippet_hits(pred: str, snippets: Iterable[str], lowercase: bool = False) -> tuple[int, int]:
    """How many of the snippets occur as contiguous token runs in the prediction, of how many."""
    haystack = f" {' '.join(tokens(pred, lowercase))} "
    needles = [" ".join(tokens(s, lowercase)) for s in snippets]
    needles = [n for n in needles if n]
    return sum(f" {n} " in haystack for n in needles), len(needles)


def summarize(
    scores: Sequence[DocScore],
    with_hits: tuple[int, int] = (0, 0),
    without_hits: tuple[int, int] = (0, 0),
) -> Summary:
    """Means over pages (pages with an empty truth leave recall's mean), plus snippet shares."""
    with_truth = [s for s in scores if s.has_truth]
    predicted = [s for s in scores if s.has_pred]  # an empty prediction has no precision
    return Summary(
        docs=len(scores),
        precision=sum(s.precision for s in predicted) / len(predicted) if predicted else 0.0,
        recall=sum(s.recall for s in with_truth) / len(with_truth) if with_truth else 0.0,
        empty=sum(1 for s in scores if not s.has_pred),
        found=with_hits[0] / with_hits[1] if with_hits[1] else None,
        leaked=without_hits[0] / without_hits[1] if without_hits[1] else None,
    )
