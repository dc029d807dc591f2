"""Repeated text: a section or a long paragraph the page shows again, kept only once.

Pages render the same content more than once for different screens or tabs (a mobile and a
desktop copy of a contact box, the article repeated under an accordion, a summary paragraph
shown again above the body), and the main-text finder keeps every copy. A run of repeated
blocks, or one long repeated paragraph, is the page showing something twice; a short repeated
line (a "Pros"/"Cons" label, a list item such as "Free shipping") is ordinary writing and stays.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

__all__ = ["repeated_blocks"]

_WORD = re.compile(r"\w+")
_RUN_BLOCKS = 2  # consecutive repeated blocks that make a repeated section ...
_RUN_WORDS = 20  # ... when they hold this many words together
_PARAGRAPH_WORDS = 30  # a single repeated block this long is a repeated paragraph


def repeated_blocks(blocks: Sequence[str]) -> set[int]:
    """Indexes of blocks that repeat earlier ones as part of a repeated section or paragraph."""
    keys = _keys(blocks)
    first: dict[str, int] = {}
    repeat = []
    for index, key in enumerate(keys):
        repeat.append(bool(key) and first.setdefault(key, index) < index)
    dropped: set[int] = set()
    start = 0
    while start < len(blocks):
        if not repeat[start]:
            start += 1
            continue
        end = start
        while end < len(blocks) and repeat[end]:
            end += 1
        words = sum(len(keys[i].split()) for i in range(start, end))
        if (end - start >= _RUN_BLOCKS and words >= _RUN_WORDS) or words >= _PARAGRAPH_WORDS:
            dropped.update(range(start, end))
        start = end
    return dropped


def _keys(blocks: Sequence[str]) -> list[str]:
    """Each block's lowercase words joined by spaces; "" for a block whose first word no other
    block starts with (it repeats nothing, and listing its words cost most of the step)."""
    lowered = [block.lower() for block in blocks]
    firsts = [_WORD.search(text) for text in lowered]
    starts = Counter(first.group() for first in firsts if first)
    return [
        " ".join(_WORD.findall(text)) if first and starts[first.group()] > 1 else ""
        for text, first in zip(lowered, firsts, strict=True)
    ]
