"""Whether the main-text finder's fast result missed article text that its full cascade finds.

trafilatura's fast mode skips the comparison with readability and justext that guards its own
pruning. It can miss in two ways: the whole container (the result holds a small share of the
page's paragraph text), or a box inside the article that a class name made it prune (an FAQ
accordion with a class such as `expandable`, a card grid): the text before and after the box
is there, so the share looks fine while half of the body is gone.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["FAST_GAP_SHARE", "FAST_SHARE", "missed_text", "skipped_inside"]

FAST_SHARE = 0.3  # see core._main_blocks
# Paragraph text absent between the result's first and last paragraph, of the page's: more than
# half of the article gone from the middle. Measured on the development set: the one page at or
# above it gains 0.46 F1 from the full cascade; the next highest (0.49) is unchanged by it.
FAST_GAP_SHARE = 0.5


def missed_text(blocks: Sequence[str], paragraphs: Sequence[str], page_chars: int) -> bool:
    """Whether a fast result missed the article's container or a large box inside it."""
    chars = sum(map(len, blocks))
    if chars < FAST_SHARE * page_chars:
        return True
    # a result longer than the page's paragraphs has seldom lost half of them: half the pages
    # skip the paragraph-by-paragraph look
    return chars < page_chars and skipped_inside(blocks, paragraphs) >= FAST_GAP_SHARE * page_chars


def skipped_inside(blocks: Sequence[str], paragraphs: Sequence[str]) -> int:
    """Characters of the page's paragraphs (in document order) that the blocks lack, counted
    between the first and the last paragraph they hold. Whitespace is ignored: a <br> is a
    line break in the blocks and nothing in the paragraph's text."""
    found = "".join("".join(blocks).split())
    squeezed = ["".join(p.split()) for p in paragraphs]
    present = [bool(p) and p in found for p in squeezed]  # an empty <p> is in every text
    try:
        first = present.index(True)
    except ValueError:
        return 0
    last = len(present) - 1 - present[::-1].index(True)
    return sum(len(paragraphs[i]) for i in range(first, last + 1) if not present[i])
