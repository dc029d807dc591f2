"""Decoded page text to an lxml tree: trafilatura's parser settings, a cheaper element lookup.

lxml.html's parser asks a Python method which class each element proxy gets (forms and
inputs have their own), and every walk over a tree creates proxies: on a real article page
that callback was ~6% of the whole extraction. Neither our layer nor trafilatura uses the
form classes, so every element becomes a plain `HtmlElement` through lxml's C-level default
lookup. Repairs and the parse order are trafilatura's `load_html` for text input, so the tree
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
_INVALID_XML_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_DOCTYPE_WITH_SLASH = re.compile(r"^< ?! ?DOCTYPE[^>]*/[^<>]*>", re.IGNORECASE)
_SELF_CLOSING_HTML = re.compile(r"(<html.*?)\s*/>", re.IGNORECASE)
_HEAD_LINES = 4
_INVALID_XML_BYTES = bytes((*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)))
_NONCHARACTERS = ("\ufffe".encode(), "\uffff".encode())
_DOCTYPE_WITH_SLASH_BYTES = re.compile(_DOCTYPE_WITH_SLASH.pattern.encode(), re.IGNORECASE)
_SELF_CLOSING_HTML_BYTES = re.compile(_SELF_CLOSING_HTML.pattern.encode(), re.IGNORECASE)


def parse_html(text: str) -> HtmlElement | None:
    """The document tree of decoded HTML, or None when the text is not HTML at all."""
    beginning = text[:50].lower()
    text = _repaired(text, beginning)
    tree: HtmlElement | None = None
    try:
        tree = fromstring(text, parser=_PARSER)
        retry = True
    except ValueError:  # a str that declares its encoding (<?xml encoding=...?>): parse bytes
        tree, retry = _from_bytes(text), False
    except Exception:  # libxml2 gives up on some inputs: the bytes parse is the second try
        retry = True
    if retry and (tree is None or len(tree) < 1):
        tree = _from_bytes(text)
    # a document with no <html> that parses into a single block is no page
    if tree is not None and "html" not in beginning and len(tree) < 2:
        return None
    return tree


def parse_utf8(body: bytes) -> HtmlElement | None:
    """`parse_html` of valid UTF-8 page bytes (no BOM), without making a str first.

    The same repairs, applied to the bytes; about 0.8 ms less per real page.
    """
    beginning = body[:200].decode("utf-8", "ignore")[:50].lower()
    body = _repaired_bytes(body, beginning)
    try:
        tree: HtmlElement | None = fromstring(body, parser=_PARSER)
    except Exception:
        tree = None
    if tree is not None and "html" not in beginning and len(tree) < 2:
        return None
    return tree


def new_document() -> HtmlElement:
    """An empty <html><body> document whose elements are made like parsed ones."""
    document: HtmlElement = _PARSER.makeelement("html")
    document.append(_PARSER.makeelement("body"))
    return document


def _repaired(text: str, beginning: str) -> str:
    text = _INVALID_XML_CHARS.sub("", text)
    if "doctype" in beginning:
        first, _, rest = text.partition("\n")
        text = _DOCTYPE_WITH_SLASH.sub("", first, count=1) + "\n" + rest
    for line in text[:4096].splitlines()[:_HEAD_LINES]:
        if "<html" in line and line.endswith("/>"):
            return _SELF_CLOSING_HTML.sub(r"\1>", text, count=1)
    return text


def _repaired_bytes(body: bytes, beginning: str) -> bytes:
    body = body.translate(None, _INVALID_XML_BYTES)
    for noncharacter in _NONCHARACTERS:
        if noncharacter in body:
            body = body.replace(noncharacter, b"")
    if "doctype" in beginning:
        first, _, rest = body.partition(b"\n")
        body = _DOCTYPE_WITH_SLASH_BYTES.sub(b"", first, count=1) + b"\n" + rest
    head = body[:4096].decode("utf-8", "ignore")
    for line in head.splitlines()[:_HEAD_LINES]:
        if "<html" in line and line.endswith("/>"):
            return _SELF_CLOSING_HTML_BYTES.sub(rb"\1>", body, count=1)
    return body


def _from_bytes(text: str) -> HtmlElement | None:
    try:
        tree: HtmlElement = fromstring(text.encode("utf-8", "surrogatepass"), parser=_PARSER)
    except Exception:
        return None
    return tree
