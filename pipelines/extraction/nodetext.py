"""An element's text as a reader sees it: pieces of separate elements keep a space between."""

from __future__ import annotations

from lxml.etree import XPath
from lxml.html import HtmlElement

__all__ = ["clean_text", "spaced_text"]

_SOFT_HYPHEN = "\u00ad"
# The same pieces as itertext() (element texts and tails inside the subtree, no comment's or
# instruction's own text), listed in C: itertext yields them one by one at ~0.2 us each, most
# of the cost on a removed menu of a few hundred links.
_TEXTS = XPath("descendant-or-self::text()", smart_strings=False)


def spaced_text(node: HtmlElement, limit: int | None = None) -> str:
    """The text of the element, a space between the texts of its descendants, whitespace
    collapsed: links and buttons stacked without spaces ("Share this columnFacebookEmail")
    stay separate words.

    With a `limit`, a text longer than that may come cut (still longer than the limit): a
    removed mega-menu is recorded by its first few hundred characters, not read whole.
    """
    pieces: list[str] = _TEXTS(node)
    if limit is None or sum(map(len, pieces)) + len(pieces) <= 2 * limit:
        return clean_text(" ".join(pieces))
    read, check_at = 0, 2 * limit
    for count, piece in enumerate(pieces, 1):
        read += len(piece) + 1
        if read > check_at:
            text = clean_text(" ".join(pieces[:count]))
            if len(text) > limit:
                return text
            check_at = 2 * read
    return clean_text(" ".join(pieces))


def clean_text(text: str) -> str:
    """Whitespace collapsed and soft hyphens (invisible hyphenation hints: "Brenn\xadpunkt")
    removed, so that words read and match whole."""
    if _SOFT_HYPHEN in text:
        text = text.replace(_SOFT_HYPHEN, "")
    return " ".join(text.split())
