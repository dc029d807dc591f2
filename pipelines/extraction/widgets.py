"""Sign-up forms, appeal widgets and image captions, found by their controls and images."""

from __future__ import annotations

import re
from typing import Any

from lxml.html import HtmlElement

from crawler.dataset.schema import Removed

from .appealbox import AppealJudge, appeal_box
from .markup import name_values
from .nodetext import spaced_text
from .textfilter import has_box_stem, kind_of_block, kind_of_text

__all__ = ["strip_widgets"]

_BOX_WORDS = 120  # a widget is short: its box grows only while it stays this small
_LONG_PARAGRAPH = 30
_ASIDE_WORDS = 150
_CAPTION_WORDS = 30
_COUNTED_WORDS = max(_BOX_WORDS, _LONG_PARAGRAPH, _ASIDE_WORDS, _CAPTION_WORDS)
_CONTROLS = ("button", "select", "input")
_SEED_CONTROLS = ("button", "label", "option")
_LABEL_CHARS = 60
_NOT_SEED_INPUTS = frozenset(("hidden", "search", "password", "checkbox"))
# Parts of compound class/id names that name an appeal box ("article__support-box",
# "donateWidget"); only a seed: the box goes when its text asks (appealbox.py).
# Matched against the lowercased value: re.IGNORECASE made this search 4x slower, and it runs
# on every class and id of the page.
_APPEAL_PARTS = re.compile(r"donat|contribut|support|fundrais|member|appeal|pledge|patron")
_WIDGET_KINDS = frozenset(("appeal", "newsletter"))
_NOT_BOX = frozenset(("html", "body", "main", "article"))
_CAPTION_BOXES = frozenset(("div", "td", "span"))
_WRAPPERS = frozenset(("a", "picture", "span", "noscript"))
_TEXT_TAGS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table")


def strip_widgets(tree: HtmlElement, names: list[Any] | None = None) -> list[Removed]:
    """Remove e-mail sign-up boxes, appeal widgets and image caption boxes; return what went.

    `names`: the tree's `name_values` (possibly read before earlier removals), when the caller
    already has them.
    """
    removed: list[Removed] = []
    words = _WordCounts()
    names = name_values(tree) if names is None else names
    found = [*_appeal_boxes(tree, names), *_signups(tree, words), *_control_boxes(tree, words)]
    found += _captions(tree, words)
    for node, kind in found:
        if node.getparent() is not None and _attached(node, tree):
            text = spaced_text(node, limit=500)
            node.drop_tree()
            if text:
                removed.append(Removed(kind, text[:500]))
    return removed


def _appeal_boxes(tree: HtmlElement, names: list[Any]) -> list[tuple[HtmlElement, str]]:
    """Whole appeal boxes grown from their controls and from elements named as appeals."""
    judge = AppealJudge(kind_of_text, kind_of_block)
    # cheap screens: a control labelled as an appeal or sign-up, an element named as an appeal
    # whose text holds an appeal word; most pages have neither, and nothing else is judged
    seeds = [c for c in tree.iter(*_SEED_CONTROLS) if _asks(c)]
    seeds += [f for f in tree.iter("input", "select") if f.get("type") not in _NOT_SEED_INPUTS]
    seeds += [n for n in _named_appeals(tree, names) if has_box_stem(n.text_content())]
    seeds += [a for a in tree.iter("a") if _link_asks(a)]
    boxes: dict[HtmlElement, None] = {}
    for seed in seeds:
        box = appeal_box(seed, judge)
        if box is not None:
            boxes[box] = None
    outermost = [b for b in boxes if not any(a in boxes for a in b.iterancestors())]
    return [(box, _widget_kind(_text(box))) for box in outermost]


def _asks(control: HtmlElement) -> bool:
    """A control whose label asks for money or a sign-up ("Donate", "Monthly", "Remind me")."""
    label = _text(control) or control.get("value") or ""
    return 0 < len(label) < _LABEL_CHARS and kind_of_block(label) in _WIDGET_KINDS


def _link_asks(link: HtmlElement) -> bool:
    """A link styled as a button whose label asks ("Jetzt unterstützen", "Donate now"): it
    stands alone, not inside a sentence (a screen on word stems first: most links fail it)."""
    label = link.text_content()
    if not 0 < len(label) < _LABEL_CHARS or not has_box_stem(label):
        return False
    parent = link.getparent()
    if parent is not None and parent.tag == "p" and len(parent.text_content()) > len(label) + 2:
        return False
    return kind_of_block(" ".join(label.split())) in _WIDGET_KINDS


def _widget_kind(text: str) -> str:
    kind = kind_of_text(text)
    return kind if kind in _WIDGET_KINDS else "appeal"


def _named_appeals(tree: HtmlElement, names: list[Any]) -> list[HtmlElement]:
    """Elements whose class or id names an appeal by one of its parts ("article__support-box")."""
    appeals = {value for value in set(names) if _APPEAL_PARTS.search(value.lower())}
    if not appeals:  # most pages: each distinct value was judged once
        return []
    named = (v.getparent() for v in names if v in appeals and v.attrname != "role")
    return [node for node in dict.fromkeys(named) if _attached(node, tree)]


def _signups(tree: HtmlElement, words: _WordCounts) -> list[tuple[HtmlElement, str]]:
    """The box around each e-mail field that is no login or comment form."""
    found = []
    for field in tree.xpath(".//input[@type='email']"):
        form = next(field.iterancestors("form"), None)
        if form is not None and form.xpath(".//textarea|.//input[@type='password']"):
            continue
        box = _box(field, words)
        # a registration wall asks for an e-mail too: left to the text filter, which flags it
        if words(box) <= _BOX_WORDS and kind_of_text(_text(box)) != "paywall":
            found.append((box, "newsletter"))
    return found


def _control_boxes(tree: HtmlElement, words: _WordCounts) -> list[tuple[HtmlElement, str]]:
    """Short boxes with buttons, and asides, whose text asks for money, a sign-up or a login."""
    found = []
    seen: set[HtmlElement] = set()
    boxes = [a for a in tree.iter("aside") if words(a) <= _ASIDE_WORDS]
    boxes += [_box(c, words) for c in tree.iter(*_CONTROLS)]
    for box in boxes:
        if box in seen or words(box) > _ASIDE_WORDS:
            continue
        seen.add(box)
        kind = kind_of_text(_text(box))
        if kind in _WIDGET_KINDS:  # a paywall notice is left to the text filter, which flags it
            found.append((box, kind))
    return found


def _captions(tree: HtmlElement, words: _WordCounts) -> list[tuple[HtmlElement, str]]:
    """A block holding an image and a line or two of text, but no paragraph: a caption box."""
    found = []
    for image in tree.iter("img"):
        box = image.getparent()
        while box is not None and box.tag in _WRAPPERS:
            box = box.getparent()
        if box is None or box.tag not in _CAPTION_BOXES or box.find(".//img") is None:
            continue
        if any(True for _ in box.iter(*_TEXT_TAGS)):
            continue
        if 0 < words(box) <= _CAPTION_WORDS:
            found.append((box, "credit"))
    return found


def _box(node: HtmlElement, words: _WordCounts) -> HtmlElement:
    """The largest ancestor of a control that still holds no more than a widget's text."""
    box = node
    for ancestor in node.iterancestors():
        if ancestor.tag in _NOT_BOX or words(ancestor) > _BOX_WORDS:
            break
        if any(_has_paragraph(sibling, words) for sibling in ancestor if sibling is not box):
            break  # body paragraphs (or a teaser's, around a paywall's button) are the article
        box = ancestor
    return box


def _text(node: HtmlElement) -> str:
    """The element's text with a space between its pieces: boxes stack one-line <div>s."""
    return spaced_text(node)


def _has_paragraph(node: HtmlElement, words: _WordCounts) -> bool:
    return any(words(p) >= _LONG_PARAGRAPH for p in node.iter("p"))


class _WordCounts:
    """Words of an element's text, counted once per element: controls share ancestors.

    Counted up to just past the largest limit they are compared with: a box grows until its
    ancestor is the article, whose text need not be read whole to know it is too long.
    """

    def __init__(self) -> None:
        self._counts: dict[HtmlElement, int] = {}

    def __call__(self, node: HtmlElement) -> int:
        count = self._counts.get(node)
        if count is None:
            count = self._counts[node] = _words_up_to(node, _COUNTED_WORDS)
        return count


def _words_up_to(node: HtmlElement, limit: int) -> int:
    """The words of the element's text, or some number over `limit` when it has more."""
    count = 0
    in_word = False  # the text so far ends inside a word, which the next piece may go on
    for piece in node.itertext():
        words = piece.split()
        if not words:
            in_word = in_word and not piece
            continue
        count += len(words) - (in_word and not piece[0].isspace())
        if count > limit:
            return count
        in_word = not piece[-1].isspace()
    return count


def _attached(node: HtmlElement, root: HtmlElement) -> bool:
    return any(ancestor is root for ancestor in node.iterancestors())
