"""Text blocks of trafilatura's output tree: paragraphs, headings, list items, table rows."""

from __future__ import annotations

from lxml.etree import _Element

from .nodetext import clean_text

__all__ = ["text_blocks"]

_BLOCKS = frozenset(("p", "head", "item", "quote", "list", "table", "row", "code"))
_CONTAINERS = frozenset(("div", "body", "main", "article", "section", "doc"))


def text_blocks(body: _Element | None) -> list[str]:
    """One string per block in document order; line breaks inside a block are kept as \\n."""
    blocks: list[str] = []
    if body is not None:
        _collect(body, blocks)
    return [b for b in blocks if b]


def _collect(element: _Element, blocks: list[str]) -> None:
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "list":
            _collect_items(child, blocks)
        elif tag == "table":
            for row in child.iter("row"):
                cells = [_text(cell) for cell in row.iterchildren("cell")]
                blocks.append(" | ".join(c for c in cells if c))
        elif tag in _CONTAINERS:
            _collect(child, blocks)
        elif tag and tag != "graphic":
            blocks.append(_text(child))
        if child.tail and child.tail.strip():
            blocks.append(_clean(child.tail))


def _collect_items(element: _Element, blocks: list[str]) -> None:
    """One block per list item; a nested list's items follow their parent item."""
    for item in element.iterchildren("item"):
        blocks.append(_text(item, skip="list"))
        for nested in item.iterchildren("list"):
            _collect_items(nested, blocks)


def _text(element: _Element, skip: str | None = None) -> str:
    """The element's text with <lb/> as a newline, leaving out `skip` children."""
    parts: list[str] = []
    _walk(element, parts, skip, top=True)
    return "\n".join(_clean(line) for line in "".join(parts).split("\n") if line.strip())


def _walk(element: _Element, parts: list[str], skip: str | None, top: bool) -> None:
    nested_block = not top and element.tag in _BLOCKS
    if element.tag == "lb" or nested_block:
        parts.append("\n")
    if element.tag != "lb" and element.text:
        parts.append(element.text)
    for child in element:
        if child.tag == skip:
            continue
        _walk(child, parts, skip, top=False)
        if child.tail:
            parts.append(child.tail)
    if nested_block:
        parts.append("\n")


def _clean(text: str) -> str:
    return clean_text(text)
