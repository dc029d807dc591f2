"""Byline and date lines found in the page text, for pages whose markup declares neither."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from itertools import islice
from typing import Any

from lxml.etree import iterwalk
from lxml.html import HtmlElement

from .dates import UTC_POLICY, DatePolicy, parser_languages

__all__ = ["text_byline", "text_date", "text_dates"]

_MAX_NODES = 3000  # the header of a page: bylines and dates sit before the body
_BATCH_NODES = 200  # walk events whose text is split into lines at once
_BLOCK_TAGS = frozenset(
    (
        "p",
        "div",
        "td",
        "th",
        "tr",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "section",
        "article",
        "time",
        "table",
        "ul",
        "ol",
        "nav",
    )
)
# Subtrees no reader sees as the page's header text: navigation (a mega-menu is hundreds of
# short lines, often before the headline: most of the walk on such pages), hidden panels,
# templates, drawings and code.
_UNSEEN_TAGS = frozenset(("nav", "template", "svg", "script", "style"))
_SKIP = "skip"
_BYLINE = re.compile(r"^(by|автор[ыа]?|von|par|por|text|текст)\s*:?\s+(\w.{1,80})$", re.I)
_MONTHS = (
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|янв|фев|мар|апр|ма[йя]|июн|июл|авг|сен"
    r"|окт|ноя|дек"
)
_DATE_LINE = re.compile(
    rf"(\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}\.\d{{1,2}}\.\d{{4}}|\b\d{{1,2}}\s+({_MONTHS})\w*\.?,?\s+"
    rf"\d{{4}}|\b({_MONTHS})\w*\.?\s+\d{{1,2}},?\s+\d{{4}})[^()]{{0,30}}",
    re.I,
)

# "updated", "обновлено" ... right before a date: that date is the modification time
_CUES = r"updated|last modified|modified|обновлено|изменено|aktualisiert|mis à jour"
_UPDATE_CUE = re.compile(rf"\b({_CUES})(\s+on|\s+am|\s+le|\s*:)?$", re.I)
_CUE_INSIDE = re.compile(rf"\b({_CUES})\b", re.I)
_UPDATE_LINES = 3  # an "updated" line sits on or just below the date line


def text_byline(tree: HtmlElement) -> list[str]:
    """The first "By …" / "Автор: …" line of the page, as a raw author string."""
    for chunk in _chunks(tree):
        match = _BYLINE.match(chunk)
        if match and len(chunk.split()) <= 12:
            return [match.group(2)]
    return []


def text_date(
    tree: HtmlElement, language: str | None = None, dates: DatePolicy = UTC_POLICY
) -> datetime | None:
    """The first date written out in a short line of the page header."""
    return text_dates(tree, language, dates)[0]


def text_dates(
    tree: HtmlElement, language: str | None = None, dates: DatePolicy = UTC_POLICY
) -> tuple[datetime | None, datetime | None]:
    """The header's first written date and its "updated" date (on that line or just after)."""
    # English too: many pages write their dates in English whatever their language
    languages = parser_languages([language, "en"])
    found: list[datetime | None] = [None, None]  # published, modified
    lines_left = _UPDATE_LINES
    for chunk in _chunks(tree):
        if found[0] is not None and (found[1] is not None or (lines_left := lines_left - 1) < 0):
            break
        if len(chunk) > 120:
            continue
        for prefix, written in _dates_in(chunk):
            slot = 1 if _UPDATE_CUE.search(prefix.rstrip(" ,(|-·")) else 0
            if found[slot] is None:
                found[slot] = dates.read(written.strip(" ,|(-·"), languages=languages).value
    return found[0], found[1]


def _dates_in(line: str) -> Iterator[tuple[str, str]]:
    """(text before, date text) of each date of a line; a date ends where an update cue starts."""
    position = 0
    while match := _DATE_LINE.search(line, position):
        written = match.group(0)
        if cue := _CUE_INSIDE.search(written, 1):
            written = written[: cue.start()]
        yield line[: match.start()], written
        position = match.start() + max(len(written), 1)


def _chunks(tree: HtmlElement) -> Iterator[str]:
    """Short lines of the page text in order; a <br> or a block element ends a line.

    Lines come a batch of nodes at a time: a byline or date near the top ends the walk there,
    and each batch's text is split into lines in one go (per node, that was most of the cost).
    """
    body = tree.find("body")
    events = islice(_events(tree if body is None else body), _MAX_NODES)
    line = ""  # the text of the line still open at the end of a batch
    while batch := list(islice(events, _BATCH_NODES)):
        *lines, line = (line + "".join(_pieces(batch))).split("\n")
        for text in lines:
            yield from _short(text)
    yield from _short(line)


def _events(root: HtmlElement) -> Iterator[tuple[str, Any]]:
    """The walk's start and end events; an unseen element's start comes as a skip event, and
    its descendants do not come at all."""
    walk = iterwalk(root, events=("start", "end"))
    for event, node in walk:
        if event == "start" and (node.tag in _UNSEEN_TAGS or _hidden(node)):
            walk.skip_subtree()  # its end event still comes: its tail is read
            yield _SKIP, node
        else:
            yield event, node


def _hidden(node: Any) -> bool:
    return isinstance(node.tag, str) and node.get("hidden") is not None


def _pieces(events: list[tuple[str, Any]]) -> Iterator[str]:
    """The text of walk events; a <br> or a block element starts with a line break."""
    for event, node in events:
        if event == "end":
            if node.tail:
                yield node.tail
        elif event == _SKIP:
            if node.tag in _BLOCK_TAGS:
                yield "\n"  # a block ends the line even unseen; an inline one leaves no trace
        elif node.tag == "br" or node.tag in _BLOCK_TAGS:
            yield "\n"
            if node.text:
                yield node.text
        elif node.text and isinstance(node.tag, str):
            yield node.text


def _short(line: str) -> Iterator[str]:
    if len(line) < 4 or line.isspace():  # most lines: a block's indentation
        return
    chunk = " ".join(line.split())
    if 4 <= len(chunk) <= 200:
        yield chunk
