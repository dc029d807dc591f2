"""Blocks made of links: link lists, teaser lines, paragraphs that are one link, a bold call
to action before a button. One XPath walk finds them all (evaluated in C: most paragraphs
hold neither several links nor a short label before one, nor a bold line before a button)."""

from __future__ import annotations

from lxml.etree import XPath
from lxml.html import HtmlElement

__all__ = ["linked_blocks"]

_MIN_LINKS = 2
# A teaser line: a short label ending in ":" or "|", then one link to another story ("Read
# also: ...", "Les også: ...", "ALSO READ | ..."), in any language. Measured on the
# development set: 6 pages changed, 4 better, 2 worse (a source line, a "read here" line).
_MAX_LABEL_CHARS = 40
_MAX_LABEL_WORDS = 5
_LABEL_ENDS = frozenset(":|")
_TEASER_WORDS = 3  # of the link: a headline, not "here"
# A button: the next element is one link with text, no image and nothing else.
_BUTTON_NEXT = (
    "following-sibling::*[1][not(self::p)][count(.//a) = 1][not(.//p|.//img)]"
    "[normalize-space(.//a) != '']"
    "[string-length(normalize-space()) = string-length(normalize-space(.//a))]"
)
# a paragraph inside a link is a teaser card's excerpt, not body text around the links;
# the same walk finds the paragraphs that are one link and nothing else, and the bold
# paragraphs right before a button
_LINKED_BLOCKS = XPath(
    f".//*[self::p or self::ul or self::ol][.//a and (count(.//a) >= {_MIN_LINKS} and "
    "not(.//p[not(ancestor::a)]) or self::p and count(.//a) = 1 and "
    "string-length(normalize-space()) - string-length(normalize-space(.//a)) <= "
    f"{_MAX_LABEL_CHARS})"
    f" or self::p[strong or b][{_BUTTON_NEXT}]]"
)
_PITCH_WORDS = 30  # a call to action is a line or two; a bold paragraph of prose is no pitch
_LINK_SHARE = 0.8  # share of a block's visible characters inside links


def linked_blocks(
    tree: HtmlElement, link_lines: set[str] | None
) -> tuple[list[HtmlElement], list[HtmlElement]]:
    """Paragraphs and lists that are nothing but several links (teasers, menus, tag clouds)
    or a label and one link (a teaser line), and calls to action: a short paragraph all in
    bold right before a button ("Stop guessing. Talk to our experts" / "Talk to us"). The
    text of each paragraph that is one link goes to `link_lines`."""
    found, pitches = [], []
    for node in _LINKED_BLOCKS(tree):  # in C: most paragraphs hold fewer than two links
        if _is_pitch(node):
            pitches.append(node)
            continue
        links = [a for a in node.iter("a") if a.text_content().strip()]
        if len(links) == 1 and link_lines is not None and _is_one_link(node):
            link_lines.add(" ".join(node.text_content().split()))
        if len(links) == 1 and _is_teaser_line(node, links[0]):
            found.append(node)
        if len(links) < _MIN_LINKS:
            continue
        text = len("".join(node.text_content().split()))
        linked = sum(len("".join(a.text_content().split())) for a in links)
        if text and linked >= _LINK_SHARE * text:
            found.append(node)
    return found, pitches


def _is_pitch(node: HtmlElement) -> bool:
    """A short paragraph whose whole text is bold (the XPath saw the button after it)."""
    if node.tag != "p" or node.find(".//a") is not None:
        return False
    text = node.text_content().split()
    bold = "".join(part.text_content() for part in node if part.tag in ("strong", "b"))
    return 0 < len(text) <= _PITCH_WORDS and "".join(text) == "".join(bold.split())


def _is_teaser_line(node: HtmlElement, link: HtmlElement) -> bool:
    """A paragraph that is a short label ending in ":" or "|" and then its one link."""
    if node.tag != "p" or sum(1 for _ in node.iter("a")) != 1:
        return False
    text, linked = " ".join(node.text_content().split()), " ".join(link.text_content().split())
    if len(linked.split()) < _TEASER_WORDS or not text.endswith(linked):
        return False
    label = text[: len(text) - len(linked)].strip()
    if not label or len(label.split()) > _MAX_LABEL_WORDS or label[-1] not in _LABEL_ENDS:
        return False
    # one label on one line: "Estimate: 1 week<br>Learn more: ..." is a card's fields
    return not _LABEL_ENDS.intersection(label[:-1]) and node.find(".//br") is None


def _is_one_link(node: HtmlElement) -> bool:
    """A paragraph whose whole text is its single link's."""
    if node.tag != "p" or sum(1 for _ in node.iter("a")) != 1:
        return False
    return "".join(node.text_content().split()) == "".join(
        next(node.iter("a")).text_content().split()
    )
