"""An element's text as a reader sees it: pieces of separate elements keep a space between."""

from __future__ import annotations

from lxml.html import HtmlElement

__all__ = ["clean_text", "spaced_text"]

_SOFT_HYPHEN = "\u00ad"


def spaced_text(node: HtmlElement) -> str:
    """The text of the element, a space between the texts of its descendants, whitespace
    collapsed: links and buttons stacked without spaces ("Share this columnFacebookEmail")
    stay separate words."""
    return clean_text(" ".join(node.itertext()))


def clean_text(text: str) -> str:
    """Whitespace collapsed and soft hyphens (invisible hyphenation hints: "Brenn\xadpunkt")
    removed, so that words read and match whole."""
    if _SOFT_HYPHEN in text:
        text = text.replace(_SOFT_HYPHEN, "")
    return " ".join(text.split())
