"""Article text that trafilatura prunes for a class or id it takes for a widget.

trafilatura drops every element whose class or id holds one of its boilerplate tokens
("embed", "expand", "slide", "meta", "share" ...), unless that would leave under a seventh of
the text. A page builder's embed box holding a table, or broken markup (`</div</div>`) that
nests the rest of the article inside such a box, loses half of the body that way, and its
full cascade does not bring it back. Our own markup steps have already removed the widgets
they recognize, so when the main text is short, such an element holding a large share of
the page's paragraphs loses its class and id and the finder reads the page again.
"""

from __future__ import annotations

from lxml.etree import XPath
from lxml.html import HtmlElement
from trafilatura import xpaths

from .scope import paragraph_chars

__all__ = ["PRUNED_BOX_SHARE", "SHORT_SHARE", "unprune"]

# Main text under this share of the page's paragraph text is worth a second look; measured
# on the development set: 7 pages looked at again, 2 of them gained 0.1 and 0.5 F1, none lost.
SHORT_SHARE = 0.6
PRUNED_BOX_SHARE = 0.3  # of the page's paragraph text, held by one pruned element
_PRUNING: list[XPath] = list(getattr(xpaths, "OVERALL_DISCARD_XPATH", []))


def unprune(document: HtmlElement, page_chars: int) -> bool:
    """Drop the class and id of each element trafilatura would prune that holds
    PRUNED_BOX_SHARE of the page's `page_chars` paragraph characters; whether any did."""
    boxes = [
        node
        for expression in _PRUNING
        for node in expression(document)
        if paragraph_chars(node) >= PRUNED_BOX_SHARE * page_chars
    ]
    for node in boxes:
        for name in ("class", "id"):
            node.attrib.pop(name, None)
    return bool(boxes)
