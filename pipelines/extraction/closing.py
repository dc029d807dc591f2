"""Labels left dangling at the end of the text: a box's heading, a button whose box went, a
line that is nothing but a link."""
# ruff: noqa: RUF001 -- typographic quotes and dashes are meant

from __future__ import annotations

import re
from collections.abc import Sequence, Set

from crawler.dataset.schema import Removed

__all__ = ["closing_labels", "trim_link_lines"]

_WORD = re.compile(r"\w+")
_LABEL_WORDS = 3  # "Proudly supporting", "Request a demo", "More in this section"
# A sentence, a quotation, a list's lead-in or a sign-off ("Best wishes," / "Andrew") ends
# otherwise, and a signature opens with a dash ("— JS").
_NOT_LABEL_END = frozenset('.!?:;…"”’)»,')
_SIGNATURE_OPENING = frozenset("-–—")
# A paragraph that is one link, among the last blocks: "Read next: ...", an event to attend,
# the app to download, other stories. Measured on the development set: 11 pages changed, 9
# better (a leaked promotion among them), 2 worse (lists of headlines that the truth keeps).
_LINK_LINE_TAIL = 3
_LINK_LINE_WORDS = 3  # shorter: an author's initials or a one-word label


def closing_labels(blocks: Sequence[str]) -> int:
    """How many blocks at the end are short labels with no text after them to head."""
    count = 0
    while len(blocks) - count > 1:
        block = blocks[-1 - count].strip()
        before = blocks[-2 - count].rstrip()
        words = len(_WORD.findall(block))
        if not 0 < words <= _LABEL_WORDS or block[-1:] in _NOT_LABEL_END:
            break
        if block[:1] in _SIGNATURE_OPENING or before[-1:] == ",":
            break
        count += 1
    return count


def trim_link_lines(blocks: Sequence[str], link_lines: Set[str]) -> tuple[list[str], list[Removed]]:
    """Drop the last blocks that are the whole text of a paragraph holding a single link."""
    start = max(len(blocks) - _LINK_LINE_TAIL, 1)
    lines = {
        i for i in range(start, len(blocks))
        if " ".join(blocks[i].split()) in link_lines
        and len(_WORD.findall(blocks[i])) >= _LINK_LINE_WORDS
    }  # fmt: skip
    kept = [b for i, b in enumerate(blocks) if i not in lines]
    return kept, [Removed("related", blocks[i][:500]) for i in sorted(lines)]
