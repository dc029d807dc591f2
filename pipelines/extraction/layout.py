"""Legacy layout markup simplified, so the main-text finder sees paragraphs, not cells."""

from __future__ import annotations

from lxml.etree import strip_tags
from lxml.html import HtmlElement

__all__ = [
    "simplify_layout",
    "space_adjacent_controls",
    "unwrap_layout_tables",
    "unwrap_pull_quotes",
]

_CONTROL_TAGS = frozenset(("a", "button"))
_TABLE_PARTS = ("table", "thead", "tbody", "tfoot", "tr", "td", "th")
_MIN_PARAGRAPHS = 3  # data tables seldom hold several paragraphs; layout tables hold the page
_PULL_QUOTE_WORDS = 80
_MEDIA = ".//img|.//video|.//iframe|.//picture|.//svg|.//a"


def simplify_layout(tree: HtmlElement) -> None:
    """Drop <font>/<center> wrappers (keeping their text) and unwrap layout tables."""
    # a list or paragraph inside <font> is invalid nesting that the main-text finder then skips
    strip_tags(tree, "font", "center")
    unwrap_layout_tables(tree)
    unwrap_pull_quotes(tree)
    space_adjacent_controls(tree)


def space_adjacent_controls(tree: HtmlElement) -> None:
    """Put a space between links and buttons that touch: a share bar's "Facebook", "X",
    "Email" are separate words on screen, and would run together in the text. Two lowercase
    letters meeting are one word that the markup happens to split."""
    for node in tree.iter("a", "button"):
        if node.tail:
            continue
        following = node.getnext()
        if following is None or following.tag not in _CONTROL_TAGS:
            continue
        before, after = node.text_content()[-1:], following.text_content()[:1]
        if not (before.islower() and after.islower()):  # "o"+"f": a word split by markup
            node.tail = " "


def unwrap_pull_quotes(tree: HtmlElement) -> int:
    """Rename asides and figures that only hold a quotation to <div>; return how many.

    The main-text finder drops every aside and figure, and with them the pull quotes that
    repeat a line of the body: the article as printed has them.
    """
    quotes = [
        box
        for box in tree.iter("aside", "figure")
        if box.find(".//blockquote") is not None
        and not box.xpath(_MEDIA)
        and 0 < len(box.text_content().split()) <= _PULL_QUOTE_WORDS
    ]
    for box in quotes:
        box.tag = "div"
    return len(quotes)


def unwrap_layout_tables(tree: HtmlElement) -> int:
    """Rename the parts of every layout table to <div>; return how many tables changed.

    A table is a layout table when it holds another table, a top-level heading or a cell with
    several paragraphs: legacy pages put the whole article in one cell, where an extractor
    would render it as a single table row.
    """
    layout = [t for t in tree.iter("table") if _is_layout(t)]
    for table in layout:  # document order: an outer table is renamed before its inner ones
        parts = [p for p in table.iter(*_TABLE_PARTS[1:]) if _owner(p) is table]
        for part in [table, *parts]:
            part.tag = "div"
    return len(layout)


def _is_layout(table: HtmlElement) -> bool:
    if table.find(".//table") is not None or table.find(".//h1") is not None:
        return True
    if len(table.findall(".//p")) < _MIN_PARAGRAPHS:
        return False
    # the paragraphs of a layout table run on in one cell; a data table whose editor wraps each
    # cell's text in a <p> (block editors do) holds them one per cell
    return any(len(cell.findall(".//p")) >= _MIN_PARAGRAPHS for cell in table.iter("td", "th"))


def _owner(part: HtmlElement) -> HtmlElement | None:
    """The nearest table around a table part (before renaming), or None."""
    for ancestor in part.iterancestors():
        if ancestor.tag == "table":
            return ancestor
    return None
