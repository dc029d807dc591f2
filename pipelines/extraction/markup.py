"""Boilerplate removal by markup: generic class/id/role tokens and the profile's selectors."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from itertools import pairwise
from typing import Any

import ahocorasick
from lxml.cssselect import CSSSelector
from lxml.etree import XPath
from lxml.html import HtmlElement

from crawler.dataset.schema import Removed

from .linkblocks import linked_blocks
from .nodetext import spaced_text
from .teasers import teaser_grids
from .textfilter import kind_of_text
from .textrule import string_automaton

__all__ = [
    "PHRASE_KINDS", "TOKEN_KINDS", "forget_kinds", "kind_of", "name_values", "strip_markup",
]  # fmt: skip

# Whole tokens of class/id/role values (split on - _ space and camelCase) -> removed kind.
# Each entry was measured on the development set; see evaluate.py --ablate.
TOKEN_KINDS: dict[str, str] = {
    **dict.fromkeys(
        (
            "donate",
            "donation",
            "donations",
            "contribute",
            "contribution",
            "contributions",
            "membership",
            "supportus",
        ),
        "appeal",
    ),
    **dict.fromkeys(
        ("newsletter", "newsletters", "subscribe", "subscription", "signup", "optin"), "newsletter"
    ),
    **dict.fromkeys(("paywall", "regwall"), "paywall"),
    **dict.fromkeys(("related", "recommended", "recirculation", "recirc"), "related"),
    **dict.fromkeys(("share", "sharing", "sharebar", "social"), "share"),
    **dict.fromkeys(("comments", "disqus"), "comments"),
    **dict.fromkeys(("cookie", "cookies", "consent", "gdpr"), "cookie"),
    **dict.fromkeys(
        (
            "ad",
            "ads",
            "advert",
            "advertisement",
            "adslot",
            "sponsored",
            "promo",
            "outbrain",
            "taboola",
        ),
        "ad",
    ),
    **dict.fromkeys(("breadcrumb", "breadcrumbs", "navbar", "navigation"), "navigation"),
    **dict.fromkeys(("bio", "biography"), "bio"),  # author boxes: "author-bio", "authorBio"
    **dict.fromkeys(("disclaimer", "copyright"), "disclaimer"),  # legal lines and boxes
}
PHRASE_KINDS: dict[tuple[str, str], str] = {
    ("support", "us"): "appeal",
    ("sign", "up"): "newsletter",
    ("more", "stories"): "related",
    # the embed classes social platforms give a quoted post: someone else's text, not the article
    ("twitter", "tweet"): "embed",
    ("instagram", "media"): "embed",
    ("tiktok", "embed"): "embed",
    ("bluesky", "embed"): "embed",
}
# An element holding this share of the page's paragraph text is the article, whatever its class.
_ARTICLE_SHARE = 0.5
_SMALL = 200  # paragraph characters of a box that is evidently no body text
_LEAD_WORDS = 25  # the first paragraph this long is the article's lead
_PAYWALL_WORDS = re.compile(r"subscri|sign in|log in|register|premium|abonn|подпис", re.I)
_PAYWALL_MAX_WORDS = 150
_TEXT_BLOCKS = frozenset(
    (
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "blockquote",
        "ul",
        "ol",
        "table",
        "pre",
        "figure",
    )
)
# The id of a heading or paragraph is usually a slug of its own text ("what-share-of-...").
_RANK = {"class": 0, "id": 1, "role": 2}  # the first attribute naming a kind decides
_NAME_VALUES = XPath(".//*/@class|.//*/@id|.//*/@role")
_MAX_REFINED = 1000  # characters: appeal and sign-up boxes are short; menus need no second look
_REFINABLE = frozenset(("ad", "related", "share", "navigation"))
_NEVER = frozenset(("html", "body", "head"))
_CAMEL = re.compile(r"([a-z])([A-Z])")
# camelCase words only ("adSlot", "ShareBar"); hashed class names ("n1AuAdJlVL") stay whole
_CAMEL_WORD = re.compile(r"^[A-Za-z][a-z]+(?:[A-Z][a-z]{2,})+$")
_SPLIT = re.compile(r"[^A-Za-z0-9]+")
_CAMEL_PART = re.compile(r"[A-Z]?[a-z]+")


def _word_screen() -> tuple[frozenset[str], ahocorasick.Automaton]:
    """The words a kind can be named by, and an automaton that finds them in one pass."""
    words = frozenset((*TOKEN_KINDS, *(first for first, _ in PHRASE_KINDS)))
    return words, string_automaton(words)


_WORDS, _WORD_AUTOMATON = _word_screen()
_MAX_RECORDED = 500


_KINDS_CACHED = 50_000  # distinct class/id/role values remembered; then the cache starts over
_kinds: dict[str, str | None] = {}


def kind_of(attribute: str) -> str | None:
    """The boilerplate kind a class/id/role value names by a whole token, or None."""
    kind = _kinds.get(attribute, "")
    if kind != "":
        return kind
    kind = _named_kind(attribute) if _may_name(attribute) else None
    if len(_kinds) >= _KINDS_CACHED:  # sites mint ids per article: the values never end
        _kinds.clear()
    # str(): an attribute value from lxml's XPath keeps its whole document alive
    _kinds[str(attribute)] = kind
    return kind


def _may_name(attribute: str) -> bool:
    """Whether any word of the value, split every possible way, is a kind's word: a superset
    of `_named_kind`'s tokens at a fraction of its cost (most values of a page name nothing,
    and three in four hold no kind's word even as a substring: one pass of an automaton)."""
    lowered = attribute.lower()
    if next(_WORD_AUTOMATON.iter(lowered), None) is None:
        return False
    if not _WORDS.isdisjoint(_SPLIT.split(lowered)):
        return True
    return not _WORDS.isdisjoint(part.lower() for part in _CAMEL_PART.findall(attribute))


def _named_kind(attribute: str) -> str | None:
    pieces = [p for p in _SPLIT.split(attribute) if p]
    tokens = [
        t.lower()
        for p in pieces
        for t in (_CAMEL.sub(r"\1 \2", p).split() if _CAMEL_WORD.match(p) else [p])
    ]
    kind = next((TOKEN_KINDS[t] for t in tokens if t in TOKEN_KINDS), None)
    if kind is None:
        kind = next((PHRASE_KINDS[p] for p in pairwise(tokens) if p in PHRASE_KINDS), None)
    return kind


def forget_kinds() -> None:
    """Empty the cache of judged attribute values and rebuild the word screen (after
    TOKEN_KINDS or PHRASE_KINDS changed)."""
    global _WORDS, _WORD_AUTOMATON
    _kinds.clear()
    _WORDS, _WORD_AUTOMATON = _word_screen()


def name_values(tree: HtmlElement) -> list[Any]:
    """Every class, id and role value of the tree, each knowing its element (`getparent()`)
    and attribute (`attrname`): lxml's "smart" strings, one walk shared by the steps that
    judge names."""
    values: list[Any] = _NAME_VALUES(tree)
    return values


def strip_markup(
    tree: HtmlElement,
    selectors: Iterable[CSSSelector],
    names: list[Any] | None = None,
    link_lines: set[str] | None = None,
) -> list[Removed]:
    """Remove the profile's selectors, then generic boilerplate elements; return what went.

    `names`: the tree's `name_values`, when the caller already has them. `link_lines`, when
    given, gets the text of each paragraph that is a single link (closing.py judges them).
    """
    removed: list[Removed] = []
    profiled = False
    for selector in selectors:
        for node in selector(tree):
            _drop(node, "profile", removed)
            profiled = True
    if profiled or names is None:  # names inside what the profile took must not count
        names = name_values(tree)
    candidates = _candidates(tree, names)
    for node, kind in _outside_article(tree, candidates):
        if _attached(node, tree):
            _drop(node, kind, removed)
    lists, pitches = linked_blocks(tree, link_lines)
    for pitch in pitches:  # the button first: it is found from the paragraph
        for node in (pitch.getnext(), pitch):
            if node is not None and _attached(node, tree):
                _drop(node, "ad", removed)
    for node in [*lists, *teaser_grids(tree)]:
        _drop(node, "related", removed)
    return removed


def _candidates(tree: HtmlElement, names: list[Any]) -> list[tuple[HtmlElement, str, str]]:
    """Elements whose class, id or role names a boilerplate kind: (node, kind, attribute).

    Attribute values are judged as strings first: only the few that name a kind cost an
    element lookup, which on a large page is the expensive part.
    """
    best: dict[HtmlElement, tuple[int, str, str]] = {}
    for value in names:
        kind = kind_of(value)
        if not kind:
            continue
        node = value.getparent()
        rank = _RANK[value.attrname]
        if node.tag in _NEVER or (rank == _RANK["id"] and node.tag in _TEXT_BLOCKS):
            continue
        if node not in best or rank < best[node][0]:
            best[node] = (rank, kind, str(value))
    return [(node, kind, value) for node, (_, kind, value) in best.items()]


def _outside_article(
    tree: HtmlElement, candidates: list[tuple[HtmlElement, str, str]]
) -> list[tuple[HtmlElement, str]]:
    """Candidates minus those that hold article text.

    Some publishers mark every body paragraph with a class such as `paywall`: when one kind's
    elements together hold most of the paragraph text, only its text-free elements go.
    A paywall-marked element goes only when its text reads like a paywall notice. Comments
    are the exception: a long thread under an opinion piece holds more text than the piece,
    and a comments-named element that starts after the article's lead goes however long.
    """
    # each paragraph's text read once: candidates nest (a box, its list, a list item)
    lengths = {p: len(p.text_content()) for p in tree.iter("p")}
    total = sum(lengths.values())
    chars = [sum(lengths[p] for p in node.iter("p")) for node, _, _ in candidates]
    per_kind: Counter[str] = Counter()
    for (_, kind, _), count in zip(candidates, chars, strict=True):
        per_kind[kind] += count
    limit = _ARTICLE_SHARE * total
    after_lead = _AfterLead(tree)
    kept = []
    for (node, kind, _), count in zip(candidates, chars, strict=True):
        guarded = count >= limit or (per_kind[kind] >= limit and not _is_box(node, count))
        if guarded and not (kind == "comments" and after_lead(node)):
            continue
        if kind == "paywall" and not _is_paywall_box(node):
            continue
        kept.append((node, kind))
    return kept


class _AfterLead:
    """Whether an element starts after the page's lead (its first paragraph long enough to
    be body text) and does not hold it; the page is walked only when first asked."""

    def __init__(self, tree: HtmlElement) -> None:
        self._tree = tree
        self._lead: HtmlElement | None = None
        self._order: dict[HtmlElement, int] | None = None

    def __call__(self, node: HtmlElement) -> bool:
        if self._order is None:
            self._order = {element: i for i, element in enumerate(self._tree.iter())}
            self._lead = next(
                (p for p in self._tree.iter("p") if len(p.text_content().split()) >= _LEAD_WORDS),
                None,
            )
        lead = self._lead
        if lead is None or any(ancestor is node for ancestor in lead.iterancestors()):
            return False
        return self._order.get(lead, -1) < self._order.get(node, -1)


def _is_box(node: HtmlElement, paragraph_chars: int) -> bool:
    """A container with little paragraph text, not itself a paragraph, heading or list item."""
    return paragraph_chars <= _SMALL and node.tag not in _TEXT_BLOCKS


def _is_paywall_box(node: HtmlElement) -> bool:
    """A short element that speaks of subscribing or signing in, or an empty slot."""
    text = node.text_content()
    words = len(text.split())
    return words == 0 or (words <= _PAYWALL_MAX_WORDS and bool(_PAYWALL_WORDS.search(text)))


def _attached(node: HtmlElement, root: HtmlElement) -> bool:
    """Whether the node still hangs in the tree (an ancestor may have been removed)."""
    return any(ancestor is root for ancestor in node.iterancestors())


def _drop(node: HtmlElement, kind: str, removed: list[Removed]) -> None:
    """Detach the node, keeping its tail text, and record its text when it had any."""
    text = spaced_text(node, limit=_MAX_REFINED)  # longer: neither refined nor kept whole
    if node.getparent() is not None:
        node.drop_tree()
    if text:
        # a class name is a guess; a box whose text asks for money is an appeal, whatever its class
        refinable = kind in _REFINABLE and len(text) <= _MAX_REFINED
        refined = kind_of_text(text) if refinable else None
        if refinable and not refined and node.xpath(".//input[@type='email']"):
            refined = "newsletter"  # a promo box with an e-mail field is a sign-up form
        removed.append(Removed(refined or kind, text[:_MAX_RECORDED]))
