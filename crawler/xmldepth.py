"""Over-deep XML made parseable: elements nested past a depth dropped, in one expat pass.

libxml2 (lxml) stops a document at 256 levels, so a feed or sitemap with one absurdly deep
element lost every entry after it. expat has no depth limit and keeps no tree: it streams
the document back out without what lies deeper than `max_depth`, for lxml to parse.
"""

from __future__ import annotations

import contextlib
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

__all__ = ["prune_depth"]


def prune_depth(data: bytes, max_depth: int) -> bytes:
    """The document without the elements (and text) nested deeper than `max_depth`."""
    out: list[str] = []
    depth = 0
    parser = expat.ParserCreate()  # no namespace processing: prefixes and xmlns stay as written
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal depth
        depth += 1
        if depth <= max_depth:
            attrs = "".join(f" {key}={quoteattr(value)}" for key, value in attributes.items())
            out.append(f"<{name}{attrs}>")

    def end(name: str) -> None:
        nonlocal depth
        if depth <= max_depth:
            out.append(f"</{name}>")
        depth -= 1

    def text(data: str) -> None:
        if depth <= max_depth:
            out.append(escape(data))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    # On an error keep what came before it: lxml's recovery closes the open elements.
    with contextlib.suppress(expat.ExpatError):
        parser.Parse(data, True)
    return "".join(out).encode("utf-8")
