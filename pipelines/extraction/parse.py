"""Decoded page text to an lxml tree: trafilatura's parser settings, a cheaper element lookup.

lxml.html's parser asks a Python method which class each element proxy gets (forms and
inputs have their own), and every walk over a tree creates proxies: on a real article page
that callback was ~6% of the whole extraction. Neither our layer nor trafilatura uses the
form classes, so every element becomes a plain `HtmlElement` through lxml's C-level default
lookup. The repairs are trafilatura's `load_html`'s, applied to the UTF-8 bytes, so the tree
is the one trafilatura would have built.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import (
    HtmlComment,
    HtmlElement,
    HtmlEntity,
    HtmlProcessingInstruction,
    fromstring,
)

__all__ = ["new_document", "parse_html", "parse_utf8"]

_PARSER = etree.HTMLParser(
    collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True,
    remove_pis=True,
)  # fmt: skip
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity
    )
)
# libxml2 rejects these in text; a doctype with a slash and a self-closing <html/> break it
_INVALID_XML_BYTES = bytes((*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)))
_NONCHARACTERS = ("\ufffe".encode(), "\uffff".encode())
_NONCHARACTER_LEAD = b"\xef"
_DOCTYPE_WITH_SLASH = re.compile(rb"^< ?! ?DOCTYPE[^>]*/[^<>]*>", re.IGNORECASE)
_SELF_CLOSING_HTML = re.compile(rb"(<html.*?)\s*/>", re.IGNORECASE)
_HEAD_LINES = 4


def parse_html(text: str) -> HtmlElement | None:
    """The document tree of decoded HTML, or None when the text is not HTML at all.

    Parsed as UTF-8 bytes: libxml2 works in UTF-8 (a str it converts back), and trafilatura
    falls back to the bytes itself for a str that declares an encoding.
    """
    return parse_utf8(text.encode("utf-8", "surrogatepass"))


def parse_utf8(body: bytes) -> HtmlElement | None:
    """`parse_html` of valid UTF-8 page bytes (no BOM), without making a str first."""
    beginning = body[:200].decode("utf-8", "ignore")[:50].lower()
    body = _repaired(body, beginning)
    try:
        tree: HtmlElement | None = fromstring(body, parser=_PARSER)
    except Exception:
        tree = None
    # a document with no <html> that parses into a single block is no page
    if tree is not None and "html" not in beginning and len(tree) < 2:
        return None
    return tree


def new_document() -> HtmlElement:
    """An empty <html><body> document whose elements are made like parsed ones."""
    document: HtmlElement = _PARSER.makeelement("html")
    document.append(_PARSER.makeelement("body"))
    return document


def _repaired(body: bytes, beginning: str) -> bytes:
    body = body.translate(None, _INVALID_XML_BYTES)
    # both start with a byte rare in pages, found by memchr: a search for each took longer
    if _NONCHARACTER_LEAD in body:
        for noncharacter in _NONCHARACTERS:
            if noncharacter in body:
                body = body.replace(noncharacter, b"")
    line_end = body.find(b"\n")
    # a copy of the page only when its doctype needs the repair (or it is one line)
    if "doctype" in beginning and (line_end < 0 or _DOCTYPE_WITH_SLASH.match(body, 0, line_end)):
        first, _, rest = body.partition(b"\n")
        body = _DOCTYPE_WITH_SLASH.sub(b"", first, count=1) + b"\n" + rest
    head = body[:4096].decode("utf-8", "ignore")
    for line in head.splitlines()[:_HEAD_LINES]:
        if "<html" in line and line.endswith("/>"):
            return _SELF_CLOSING_HTML.sub(rb"\1>", body, count=1)
    return body
