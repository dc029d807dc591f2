"""JSON-LD articleBody as evidence: replace an extraction that evidently missed most of it."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

__all__ = ["check_against_article_body"]

_WORD = re.compile(r"\w+")
_MIN_WORDS = 150  # a shorter articleBody is often a teaser, not the article
_MIN_COVERAGE = 0.5  # share of the articleBody's word 4-grams the extraction must contain
_MIN_GAIN = 1.5  # and the articleBody must be this much longer to be preferred


def check_against_article_body(blocks: Sequence[str], article_body: str | None) -> list[str]:
    """The extracted blocks, or the articleBody's paragraphs when the extraction misses most."""
    if not article_body:
        return list(blocks)
    body_words = _words(article_body)
    ours = _words(" ".join(blocks))
    if len(body_words) < _MIN_WORDS or len(body_words) < _MIN_GAIN * len(ours):
        return list(blocks)
    theirs = _grams(body_words)
    coverage = len(theirs & _grams(ours)) / len(theirs)
    if coverage >= _MIN_COVERAGE:
        return list(blocks)
    text = html.unescape(re.sub(r"<[^>]+>", "\n", article_body))
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _grams(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + 4]) for i in range(max(1, len(words) - 3))}
