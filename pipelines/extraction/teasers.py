"""Teaser grids: three or more sibling cards, each a linked headline with a short excerpt.

Related-story rails, "read this next" strips and category listings repeat one card markup per
story. Body sections never do: their headings are not links to other pages. The search starts
from the few headings that are links, so a page without such a grid costs one XPath query.
"""

from __future__ import annotations

from lxml.etree import XPath
from lxml.html import HtmlElement

__all__ = ["teaser_grids"]

# a link to another page: "#section" anchors make a table of contents, not a teaser
_LINK = "a[@href and not(starts-with(@href, '#'))]"
# one pass over the headings (a union of six paths walked the tree six times: 3x slower)
_LINKED_HEADINGS = XPath(f"(.//h2|.//h3|.//h4)[.//{_LINK} or ancestor::{_LINK}]")
_HEADINGS = ("h2", "h3", "h4")
_HEADING_LINK = XPath(f".//{_LINK}|ancestor::{_LINK}")
_MIN_CARDS = 3
_CARD_WORDS = 90  # a headline, a date, a category and a sentence or two of excerpt
_MAX_CLIMB = 5  # levels from a heading up to its card
_NEVER = frozenset(("html", "body", "main", "article"))
_GRID_SHARE = 0.8  # of the container's words inside its cards: no body text around them
_PAGE_SHARE = 0.3  # a listing page is mostly its cards (at 0.5 one devset listing lost them)


def teaser_grids(tree: HtmlElement) -> list[HtmlElement]:
    """The outermost containers whose same-looking children are all teaser cards."""
    headings = _LINKED_HEADINGS(tree)
    if len(headings) < _MIN_CARDS:
        return []
    grids: dict[HtmlElement, None] = {}
    checked: set[HtmlElement] = set()
    for heading in headings:
        grid = _grid_of(heading, checked)
        if grid is not None:
            grids[grid] = None
    outer = [g for g in grids if not any(a in grids for a in g.iterancestors())]
    if not outer:
        return []
    # a listing page is its cards: they go only when the page has more text than they hold
    # (the whole page's, when `tree` is the article element the page's text sits in)
    page_chars = len(tree.getroottree().getroot().text_content())
    return [g for g in outer if len(g.text_content()) < _PAGE_SHARE * page_chars]


def _grid_of(heading: HtmlElement, checked: set[HtmlElement]) -> HtmlElement | None:
    """The container of the heading's card when it holds enough cards that look alike."""
    card = heading.getparent()  # a card holds more than its headline
    for _ in range(_MAX_CLIMB):
        parent = card.getparent() if card is not None else None
        if card is None or parent is None or parent.tag in _NEVER or card.tag in _HEADINGS:
            return None
        alike = [c for c in parent if c.tag == card.tag and c.get("class") == card.get("class")]
        if len(alike) >= _MIN_CARDS:
            if parent in checked:
                return None
            checked.add(parent)
            return parent if _is_grid(parent, alike) else None
        card = parent
    return None


def _is_grid(parent: HtmlElement, cards: list[HtmlElement]) -> bool:
    """Every card is a teaser, and the cards hold nearly all of the container's text."""
    if not all(_is_card(c) for c in cards):
        return False
    inside = sum(len(c.text_content().split()) for c in cards)
    return inside >= _GRID_SHARE * len(parent.text_content().split())


def _is_card(node: HtmlElement) -> bool:
    """A short element whose heading is a link (or sits inside one)."""
    if len(node.text_content().split()) > _CARD_WORDS:
        return False
    return any(_HEADING_LINK(heading) for heading in node.iter(*_HEADINGS))
