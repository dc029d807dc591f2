"""Site memory, the pure part: which blocks of a page a site's repeated boilerplate accounts for."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import xxhash

from crawler.dataset.memory import MemoryThresholds, is_repeated
from crawler.dataset.schema import ArticleRecord, Removed

from .hashing import content_hash
from .textfilter import kind_of_text

__all__ = [
    "Judge",
    "MemoryThresholds",
    "Stripped",
    "block_key",
    "clean_record",
    "clean_row",
    "is_repeated",
    "observed_pieces",
    "paragraphs",
    "strip_repeated",
]

_WORD = re.compile(r"\w+")
REPEATED = "repeated"
DEFAULT_THRESHOLDS = MemoryThresholds()


def block_key(text: str) -> str:
    """The identity of a block across pages: case, spacing, Unicode forms and numbers ignored."""
    # Bytes: deleting digits and splitting at spaces there costs a tenth of a regex.
    folded = unicodedata.normalize("NFKC", text).lower().encode("utf-8")
    return xxhash.xxh64_hexdigest(b" ".join(folded.translate(None, b"0123456789").split()))


def long_enough(text: str, t: MemoryThresholds) -> bool:
    """Whether a block is long enough for the memory to judge at all (words: split at spaces)."""
    # Extracted blocks have their spaces collapsed: counting them is the cheap word count.
    return len(text) >= t.min_chars and text.count(" ") + 1 >= t.min_words


def paragraphs(text: str) -> list[str]:
    """A stored text's blocks (the extractor joins blocks with a blank line)."""
    return [p for p in text.split("\n\n") if p.strip()]


def observed_pieces(
    blocks: Sequence[str], t: MemoryThresholds, keys: Mapping[str, str] | None = None
) -> Iterator[tuple[str, str]]:
    """(key, text) of every block and, for <br>-broken blocks, every line long enough to judge.

    `keys` maps texts whose keys are already computed.
    """
    known = keys or {}
    for block in blocks:
        if long_enough(block, t):
            yield known.get(block) or block_key(block), block
        if "\n" in block:
            for line in block.split("\n"):
                if long_enough(line, t):
                    yield known.get(line) or block_key(line), line


@dataclass(frozen=True, slots=True)
class Stripped:
    """A text after the memory: kept blocks, removed ones, and whether the guard held back."""

    kept: list[str]
    removed: list[Removed]
    guarded: bool = False
    removed_words: int = 0  # as the record's word_count counts them


def strip_repeated(
    blocks: Sequence[str],
    is_boilerplate: Callable[[str], bool],
    pinned: Collection[str] = (),
    t: MemoryThresholds = DEFAULT_THRESHOLDS,
    keys: Mapping[str, str] | None = None,
) -> Stripped:
    """Remove the blocks (or <br> lines) the site memory knows as boilerplate, wherever they sit.

    `is_boilerplate` answers for a block key; `pinned` holds keys the profile declares body;
    `keys` maps texts whose keys are already computed. A removed block is labelled with the
    text rules' kind when they know it, else `repeated`.
    """
    judge = Judge(is_boilerplate, pinned, t)
    words = 0
    kept: list[str] = []
    removed: list[Removed] = []
    for block in blocks:
        if _drops(block, judge, keys):
            removed.append(Removed(_kind(block), block[:500]))
            words += len(_WORD.findall(block))
            continue
        if "\n" not in block:  # judged as a whole just now: most blocks end here
            kept.append(block)
            continue
        left = []
        for line in block.split("\n"):
            if _drops(line, judge, keys):
                removed.append(Removed(_kind(line), line[:500]))
                words += len(_WORD.findall(line))
            else:
                left.append(line)
        if left:
            kept.append("\n".join(left))
    if not removed:
        return Stripped(list(blocks), [])
    if sum(len(b.split()) for b in kept) < t.min_kept_words:
        return Stripped(list(blocks), [], guarded=True)
    return Stripped(kept, removed, removed_words=words)


@dataclass(frozen=True, slots=True)
class Judge:
    """What cleaning a text with a site memory needs: its verdict, the pins, the thresholds."""

    is_boilerplate: Callable[[str], bool]
    pinned: Collection[str] = ()
    thresholds: MemoryThresholds = DEFAULT_THRESHOLDS

    def strip(self, text: str, keys: Mapping[str, str] | None = None) -> Stripped:
        """The memory's verdict on a stored or extracted text (`keys`: block keys known)."""
        return strip_repeated(
            paragraphs(text), self.is_boilerplate, self.pinned, self.thresholds, keys
        )


def clean_record(
    record: ArticleRecord, judge: Judge, keys: Mapping[str, str] | None = None
) -> tuple[ArticleRecord, Stripped]:
    """The record with the site's known boilerplate moved from its text to `removed`."""
    stripped = judge.strip(record.text, keys)
    if not stripped.removed:
        return record, stripped
    text = "\n\n".join(stripped.kept)
    return replace(
        record, text=text, word_count=record.word_count - stripped.removed_words,
        content_hash=content_hash(text),
        removed=[*record.removed, *stripped.removed],
    ), stripped  # fmt: skip


def clean_row(row: dict[str, Any], judge: Judge) -> dict[str, Any] | None:
    """A stored row cleaned the same way; None when the memory removes nothing from it."""
    stripped = judge.strip(row["text"] or "")
    if not stripped.removed:
        return None
    text = "\n\n".join(stripped.kept)
    removed = [
        *(row["removed"] or []),
        *({"kind": r.kind, "text": r.text} for r in stripped.removed),
    ]
    return {**row, "text": text, "word_count": row["word_count"] - stripped.removed_words,
            "content_hash": content_hash(text), "removed": removed}  # fmt: skip


def _drops(text: str, judge: Judge, keys: Mapping[str, str] | None) -> bool:
    key = keys.get(text) if keys else None
    if key is None:
        if not long_enough(text, judge.thresholds):
            return False
        key = block_key(text)
    return key not in judge.pinned and judge.is_boilerplate(key)


@functools.lru_cache(maxsize=4096)
def _kind(text: str) -> str:
    """The text rules' kind of a removed block, else `repeated` (the same blocks recur)."""
    return kind_of_text(text) or REPEATED
