"""Sub-headings and lists the main-text finder skipped between two of its own body paragraphs."""

from __future__ import annotations

from collections.abc import Sequence

from lxml.html import HtmlElement

__all__ = ["fill_gaps"]

_PARAGRAPH_WORDS = 8  # a matched neighbour must be a real paragraph, not a label
_GAP_TAGS = frozenset(("h2", "h3", "h4", "h5", "h6", "ul", "ol"))
_ANCHOR_TAGS = frozenset(("p", "blockquote"))  # extracted blocks a gap may sit between
_MAX_GAP = 3  # skipped elements in a row; a longer run is a box, not a lost sub-heading
# Elements stepped over between two extracted paragraphs when the finder took all their text.
# (a short paragraph too: the finder keeps it as a block too short to anchor a gap)
_BOX_TAGS = frozenset(("div", "table", "aside", "section", "figure", "form", "blockquote", "p"))
_MAX_ITEM_WORDS = 80


def fill_gaps(tree: HtmlElement, blocks: Sequence[str]) -> list[str]:
    """The blocks, with skipped headings and lists put back where they sit in the page.

    Only elements that are siblings of two consecutive extracted paragraphs count: legacy
    pages without an article container lose exactly those.
    """
    index = {b: i for i, b in enumerate(blocks) if len(b.split()) >= _PARAGRAPH_WORDS}
    if len(index) < 2:
        return list(blocks)
    inserts: dict[int, list[str]] = {}
    seen: set[HtmlElement] = set()
    for node in tree.iter("p"):
        parent = node.getparent()
        if parent is None or parent in seen or _text(node) not in index:
            continue
        seen.add(parent)
        _scan(parent, blocks, index, inserts)
    if not inserts:
        return list(blocks)
    filled: list[str] = []
    for i, block in enumerate(blocks):
        filled.append(block)
        filled.extend(inserts.get(i, ()))
    return filled


def _scan(
    parent: HtmlElement, blocks: Sequence[str], index: dict[str, int], inserts: dict[int, list[str]]
) -> None:
    """Record the gap elements between consecutive extracted paragraphs of one parent.

    A box between them (an appeal table, a figure) is stepped over when every block the
    finder took from between the two paragraphs is its text: the gap after such a box is
    put back just before the next paragraph.
    """
    last: int | None = None
    gap: list[HtmlElement] = []
    boxes: list[str] = []
    before = 0  # boxes met before the gap's first element
    for child in parent:
        if not isinstance(child.tag, str):
            continue
        position = index.get(_text(child)) if child.tag in _ANCHOR_TAGS else None
        if position is not None:
            between = blocks[last + 1 : position] if last is not None else ()
            at = _insert_at(last, position, before, len(boxes))
            small = bool(gap) and len(gap) <= _MAX_GAP
            if small and at is not None and _only_boxes_between(between, boxes, last, position):
                inserts.setdefault(at, []).extend(t for g in gap for t in _gap_blocks(g))
            last, gap, boxes, before = position, [], [], 0
        elif child.tag in _GAP_TAGS and _text(child):
            before = before if gap else len(boxes)
            gap.append(child)
        elif child.tag in _BOX_TAGS and last is not None:
            boxes.append(_text(child))
        else:
            last, gap, boxes, before = None, [], [], 0


def _insert_at(last: int | None, position: int, before: int, boxes: int) -> int | None:
    """Where the gap goes back: after the boxes that preceded it, before those that followed
    it; nowhere when boxes sat on both sides."""
    if last is None:
        return None
    if before == boxes:
        return position - 1
    return last if before == 0 else None


def _only_boxes_between(
    between: Sequence[str], boxes: list[str], last: int | None, position: int
) -> bool:
    """Whether the blocks between two paragraphs all come from the stepped-over boxes."""
    if last is None or position <= last:
        return False
    text = " ".join(boxes)
    return all(" ".join(b.split()) in text for b in between)


def _gap_blocks(node: HtmlElement) -> list[str]:
    if node.tag in ("ul", "ol"):
        items = [_text(li) for li in node.iterchildren("li")]
        if not items or any(len(t.split()) > _MAX_ITEM_WORDS for t in items):
            return []
        return [t for t in items if t]
    return [_text(node)]


def _text(node: HtmlElement) -> str:
    return " ".join(node.text_content().split())
