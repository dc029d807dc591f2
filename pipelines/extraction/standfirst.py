"""The standfirst the main-text finder left out: the page shows it above the body."""

from __future__ import annotations

import re
from collections.abc import Sequence

from lxml.html import HtmlElement

from .edges import same_words

__all__ = ["restore_standfirst"]

_WORD = re.compile(r"\w+")
_MIN_WORDS = 6  # a shorter description is a label or a site slogan, not a standfirst ...
_MIN_MARKED_WORDS = 3  # ... unless the element showing it is marked as one
_STANDFIRST_CLASS = re.compile(
    r"standfirst|\bdek\b|lede|\blead\b|summary|subtitle|subhead|intro|excerpt|teaser|strapline",
    re.I,
)
_PREFIX = 24  # characters compared before a full comparison: most elements fail here
_NOT_STANDFIRST = frozenset(("figure", "figcaption", "a", "li", "blockquote"))


def restore_standfirst(
    tree: HtmlElement, blocks: Sequence[str], description: str | None
) -> list[str]:
    """The blocks, led by the description when the page shows it as its own paragraph
    before the body and the text does not hold it yet.

    The description alone is not enough: many pages keep a summary in their metadata that
    readers never see, and a caption often repeats it (hence no figure, link or list item).
    """
    words = _words(description)
    if not blocks or len(words) < _MIN_MARKED_WORDS or _holds(blocks, words):
        return list(blocks)
    wanted = " ".join(description.split())[:_PREFIX]  # type: ignore[union-attr]
    body_start = " ".join(blocks[0].split())[:_PREFIX]
    for node in tree.iter("p", "div", "h2"):
        own = " ".join((node.text or "").split())
        if body_start and own.startswith(body_start):
            break  # the body begins: a summary further down is someone else's
        if own.startswith(wanted) and _is_standfirst(node, description, len(words)):
            return [str(description).strip(), *blocks]
    return list(blocks)


def _is_standfirst(node: HtmlElement, description: str | None, words: int) -> bool:
    """The element says the description, is shown, and is long enough or marked as one."""
    if not same_words(node.text_content(), description) or not _shown(node):
        return False
    return words >= _MIN_WORDS or bool(_STANDFIRST_CLASS.search(node.get("class") or ""))


def _shown(node: HtmlElement) -> bool:
    return not any(a.tag in _NOT_STANDFIRST for a in node.iterancestors())


def _holds(blocks: Sequence[str], words: list[str]) -> bool:
    needle = f" {' '.join(words)} "
    return any(needle in f" {' '.join(_words(b))} " for b in blocks[:3])


def _words(text: str | None) -> list[str]:
    return [w.lower() for w in _WORD.findall(text or "")]
