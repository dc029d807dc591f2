"""Elements that never show text, removed before any step walks the tree.

Icons drawn in inline SVG, scripts and styles are a large share of a real page's elements
(thousands of <path> nodes on some), and every later step and trafilatura's own passes walk
them. trafilatura discards all of them too, so its text stays the same; JSON-LD scripts stay,
because trafilatura's rescue reads an `articleBody` from them.
"""

from __future__ import annotations

from lxml.etree import strip_elements
from lxml.html import HtmlElement

__all__ = ["INERT_TAGS", "strip_inert"]

# No <template>: a declarative shadow root (`<template shadowrootmode>`) is shown.
INERT_TAGS = ("svg", "style", "canvas", "video", "audio", "map")
_JSON_LD = "application/ld+json"


def strip_inert(tree: HtmlElement) -> None:
    """Remove inline SVG, styles, media players, image maps and non-JSON-LD scripts."""
    scripts = [s for s in tree.iter("script") if (s.get("type") or "").strip().lower() != _JSON_LD]
    for script in scripts:
        script.drop_tree()  # keeps the tail: the text after a script is page text
    strip_elements(tree, *INERT_TAGS, with_tail=False)
