"""Labels left dangling at the end of the text: a box's heading or a button whose box went."""
# ruff: noqa: RUF001 -- typographic quotes and dashes are meant

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["closing_labels"]

_WORD = re.compile(r"\w+")
_LABEL_WORDS = 3  # "Proudly supporting", "Request a demo", "More in this section"
# A sentence, a quotation, a list's lead-in or a sign-off ("Best wishes," / "Andrew") ends
# otherwise, and a signature opens with a dash ("— JS").
_NOT_LABEL_END = frozenset('.!?:;…"”’)»,')
_SIGNATURE_OPENING = frozenset("-–—")


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
