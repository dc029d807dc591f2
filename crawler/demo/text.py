"""Language-independent prose helpers: writers, article bodies, slugs and sentence splits."""

from __future__ import annotations

import random
import re
from typing import Protocol

from crawler.demo import prose_en, prose_ru
from crawler.demo.model import Block, Cast

_SLUG_DROP = re.compile(r"[^a-z0-9]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\u0410-\u042f\u0401\u00ab\u201c])")


class Writer(Protocol):
    """What the page builders need from a language's prose generator."""

    lang: str

    def sentence(self) -> str: ...
    def paragraph(self, sentences: int) -> str: ...
    def heading(self) -> str: ...
    def list_item(self) -> str: ...
    def headline(self, kind: str) -> str: ...
    def standfirst(self) -> str: ...
    def caption(self) -> str: ...
    def credit(self) -> str: ...
    def person(self) -> str: ...
    def place(self) -> str: ...


def make_cast(rng: random.Random, lang: str, topic: str, year: int) -> Cast:
    """The places and people of one article, in its language."""
    module = prose_ru if lang == "ru" else prose_en
    return module.make_cast(rng, topic, year)


def writer_for(rng: random.Random, cast: Cast) -> Writer:
    """A prose writer for the cast's language drawing from `rng`."""
    if cast.lang == "ru":
        return prose_ru.RussianWriter(rng, cast)
    return prose_en.EnglishWriter(rng, cast)


def full_name(rng: random.Random, lang: str) -> str:
    """An invented person's name in the given language."""
    return prose_ru.full_name(rng) if lang == "ru" else prose_en.full_name(rng)


def compose_body(writer: Writer, rng: random.Random, target_words: int) -> list[Block]:
    """Paragraphs up to about `target_words`, with optional sub-headings, a list and a quote."""
    blocks: list[Block] = []
    words = 0
    while words < target_words:
        text = writer.paragraph(rng.choice((1, 2, 3, 3, 4, 4, 5, 6)))
        blocks.append(Block("p", (text,)))
        words += len(text.split())
    extras: list[tuple[int, Block]] = []
    if len(blocks) >= 6 and rng.random() < 0.5:
        step = rng.randint(3, 5)
        extras += [(i, Block("h", (writer.heading(),))) for i in range(step, len(blocks), step)]
    if len(blocks) >= 4 and rng.random() < 0.35:
        items = tuple(writer.list_item() for _ in range(rng.randint(3, 5)))
        extras.append((rng.randint(2, len(blocks) - 1), Block("ul", items)))
    if len(blocks) >= 4 and rng.random() < 0.35:
        extras.append((rng.randint(1, len(blocks) - 1), Block("quote", (writer.sentence(),))))
    # Insert from the back so earlier positions stay valid.
    for index, block in sorted(extras, key=lambda item: item[0], reverse=True):
        blocks.insert(index, block)
    return _no_adjacent_headings(blocks)


def _no_adjacent_headings(blocks: list[Block]) -> list[Block]:
    """Drop a sub-heading that would directly follow another non-paragraph block."""
    kept: list[Block] = []
    for block in blocks:
        if block.kind == "h" and (not kept or kept[-1].kind != "p"):
            continue
        kept.append(block)
    while kept and kept[-1].kind == "h":
        kept.pop()
    return kept


def word_count(blocks: list[Block]) -> int:
    """Number of whitespace-separated words in the blocks."""
    return sum(len(text.split()) for block in blocks for text in block.texts)


def slugify(text: str, max_words: int = 8) -> str:
    """A lowercase ASCII slug of the first words of a headline."""
    words = _SLUG_DROP.sub(" ", text.lower()).split()
    return "-".join(words[:max_words]) or "article"


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences at end punctuation followed by a capital."""
    return [s for s in _SENTENCE_END.split(text) if s]
