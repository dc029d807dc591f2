"""Text the page hides from readers: the `hidden` attribute and inline `display:none`.

`aria-hidden="true"` alone is no such sign: it hides decorative text from screen readers while
sighted readers see it (measured: removing it cost body text on several development pages)."""

from __future__ import annotations

import re

from lxml.etree import XPath
from lxml.html import HtmlElement

from crawler.dataset.schema import Removed

from .nodetext import spaced_text

__all__ = ["strip_hidden"]

# Attributes first, then their elements: a predicate on every element costs 25 times more.
_HIDDEN_XPATH = XPath(".//@style[contains(., 'none') or contains(., 'hidden')]/..|.//@hidden/..")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# Pages hide body text too, for a script to reveal (accordions, "read more", lazy sections):
# a hidden element holding a paragraph this long stays, unless it is a dialog.
_LONG_PARAGRAPH = 25
# The paragraphs and items that may be that long, found in C: n words take 2n - 1 characters
# once XPath has collapsed the spaces (a hidden mega-menu is hundreds of short items).
_MAYBE_LONG = XPath(
    "descendant-or-self::*[self::p or self::li]"
    f"[string-length(normalize-space()) >= {2 * _LONG_PARAGRAPH - 1}]"
)
# React's streamed server rendering parks finished sections in <div hidden id="S:1"> and a
# script moves them into place: shown text, not hidden.
_STREAMED = re.compile(r"^[SP]:\w+$")
_NEVER = frozenset(("html", "body", "head", "input", "template", "noscript"))
_DIALOG_ROLES = frozenset(("dialog", "alertdialog"))
_MAX_RECORDED = 500


def strip_hidden(tree: HtmlElement) -> list[Removed]:
    """Remove the elements a browser would not show; return their texts."""
    hidden = [node for node in _HIDDEN_XPATH(tree) if _is_hidden(node)]
    if not hidden:
        return []
    removed: list[Removed] = []
    for node in hidden:
        if node.getparent() is None or not _attached(node, tree):
            continue
        if not _is_dialog(node) and any(
            len(p.text_content().split()) >= _LONG_PARAGRAPH for p in _MAYBE_LONG(node)
        ):
            continue
        text = spaced_text(node, limit=_MAX_RECORDED)
        node.drop_tree()
        if text:
            removed.append(Removed("hidden", text[:_MAX_RECORDED]))
    return removed


def _is_hidden(node: HtmlElement) -> bool:
    if node.tag in _NEVER or not isinstance(node.tag, str):
        return False
    if node.get("hidden") is not None:
        return not _STREAMED.match(node.get("id") or "")
    return bool(_HIDDEN_STYLE.search(node.get("style") or ""))


def _is_dialog(node: HtmlElement) -> bool:
    """A modal a script opens over the page (a sign-up, republishing terms, a login): never
    the article's text revealed in place, however long its paragraphs."""
    return (
        node.tag == "dialog"
        or node.get("role") in _DIALOG_ROLES
        or node.get("aria-modal") == "true"
    )


def _attached(node: HtmlElement, root: HtmlElement) -> bool:
    return any(ancestor is root for ancestor in node.iterancestors())
