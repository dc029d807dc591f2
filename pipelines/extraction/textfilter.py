"""Boilerplate removal by text: appeal, sign-up, paywall, disclaimer and credit blocks anywhere."""
# ruff: noqa: RUF001 -- Cyrillic letters and typographic dashes in patterns are meant

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence
from itertools import islice

from crawler.dataset.schema import Removed

from .closing import closing_labels
from .repeats import repeated_blocks
from .textrule import Screen, string_automaton
from .textrules import GENERIC_RULES, TextRule

__all__ = [
    "GENERIC_RULES", "TextRule", "filter_blocks", "has_box_stem", "is_paywall_notice",
    "kind_of_block", "kind_of_text",
]  # fmt: skip


_WORD = re.compile(r"\w+")
# A phrase inside quotation marks is being discussed, not addressed to the reader. Every
# alternative starts with its quotation mark (the apostrophe's look-behind comes after it) so
# that the regex engine skips to those characters: five times faster than a look-behind first.
_QUOTED = re.compile(
    r"«[^»]{1,200}»|“[^”]{1,200}”|‘[^’]{1,200}’|\"[^\"]{1,200}\"|'(?<!\w')[^']{1,200}'(?!\w)"
)
# A block this short is dominated by any phrase it holds; a longer one needs a phrase per
# _WORDS_PER_HIT words, so a paragraph that merely mentions paywalls or donations stays.
_SHORT = 20
_TEASER_WORDS = 15
_LABEL_WORDS = 6
_BODY_WORDS = 10  # a kept piece this long after a label is body text that the label heads
_COMMENT_WORDS = 80
_COMMENT_HEADER = re.compile(r"\d+\s*\S+\s+(назад|ago)\b", re.IGNORECASE)
_BOX_KINDS = frozenset(("appeal", "newsletter", "paywall"))
# Word stems without which no appeal, sign-up or paywall phrase matches: a cheap first look.
_BOX_STEMS = (
    "donat",
    "support",
    "contribut",
    "member",
    "subscri",
    "newsletter",
    "inbox",
    "sign up",
    "e-mail",
    "email",
    "gift",
    "fund",
    "readers",
    "give",
    "unlimited",
    "access",
    "trial",
    "поддерж",
    "денег",
    "сумм",
    "ваш",
    "спасибо",
    "пожертв",
    "подпис",
    "рассылк",
    "почт",
    "помо",
    "don",
    "abonn",
    "spend",
    "abo",
    "unterstütz",
)

# One pass over a text for all of them: a substring test per stem was ~2.5x slower.
_STEM_SCREEN = string_automaton(_BOX_STEMS)
_WORDS_PER_HIT = 25
# A notice, appeal or sign-up call addresses the reader ("you", "your", "please", an opening
# imperative) or points at the page ("this article"); a body sentence about paywalls or
# newsletters talks about them in the third person.
_PROSE_WORDS = 8
_ADDRESSED = re.compile(
    r"\b(you|your|yours|you'?re|you'?ve|please|we|us|our|вы|вас|вам|ваш\w*|мы|нас|наш\w*"
    r"|sie|ihr\w*|wir|uns\w*|vous|votre|vos|nous|notre|nos)\b"
    r"|\b(this|the rest of (this|the)) (article|story|content|piece|post|column|page)\b"
    r"|(этот|этого) материал|(эта|этой|эту) стать"
    r"|^(subscribe|sign|log|register|join|get|support|donate|give|become|help|try|start|read"
    r"|unlock|continue|create|enter|click|tap|upgrade|claim|save|see|don'?t|never|stay"
    r"|подпишитесь|подпишись|поддержите|поддержи|помогите|помоги|оформите|оформи)\b",
)
_PAYWALL_RULES = tuple(r for r in GENERIC_RULES if r.kind == "paywall")


def filter_blocks(
    blocks: Sequence[str],
    profile: Sequence[re.Pattern[str]],
    rules: Sequence[TextRule] = GENERIC_RULES,
) -> tuple[list[str], list[Removed]]:
    """Split blocks into kept ones and removed boilerplate, the profile's patterns first.

    A block is judged whole, then line by line: legacy pages put a whole box, or a whole
    article, into one paragraph broken by <br>.
    """
    pieces: list[tuple[int, str, str | None]] = []  # (block index, block or line, kind)
    lead_in: str | None = None  # the kind a removed label gives the piece after it
    for index, block in enumerate(blocks):
        kind = _piece_kind(block, profile, rules, lead_in)
        lead_in = _lead_in(block, kind)
        if kind or "\n" not in block:  # a one-line block was just judged as its only line
            pieces.append((index, block, kind))
            continue
        for line in block.split("\n"):
            kind = _piece_kind(line, profile, rules, lead_in)
            lead_in = _lead_in(line, kind)
            pieces.append((index, line, kind))
    pieces = _with_box_labels(pieces)
    kept_lines: dict[int, list[str]] = {}
    for index, text, kind in pieces:
        if kind is None:
            kept_lines.setdefault(index, []).append(text)
    kept = ["\n".join(lines) for _, lines in sorted(kept_lines.items())]
    removed = [Removed(kind, text[:500]) for _, text, kind in pieces if kind]
    repeats = repeated_blocks(kept)
    if repeats:
        removed += [Removed("repeat", kept[i][:500]) for i in sorted(repeats)]
        kept = [block for i, block in enumerate(kept) if i not in repeats]
    dangling = closing_labels(kept)
    if dangling:
        removed += [Removed("navigation", label[:500]) for label in kept[-dangling:]]
        kept = kept[:-dangling]
    return kept, removed


def _with_box_labels(
    pieces: list[tuple[int, str, str | None]],
) -> list[tuple[int, str, str | None]]:
    """Short labels next to a removed appeal, sign-up or paywall text belong to its box."""
    marked = list(pieces)
    for at, (index, text, kind) in enumerate(pieces):
        if kind is not None or _has_more_words(text, _LABEL_WORDS):
            continue
        if text.rstrip()[-1:] in ".!?":  # a sentence (or a pull quote), not a box's label
            continue
        if _heads_body(pieces, at):
            continue  # a sub-heading of the text that follows, even right after a box
        around = [pieces[i][2] for i in (at - 1, at + 1) if 0 <= i < len(pieces)]
        box = next((k for k in around if k in _BOX_KINDS), None)
        if box:
            marked[at] = (index, text, box)
    return marked


def _heads_body(pieces: list[tuple[int, str, str | None]], at: int) -> bool:
    """Whether the piece after `at` is a kept paragraph (so the label at `at` heads it)."""
    if at + 1 >= len(pieces):
        return False
    _, text, kind = pieces[at + 1]
    return kind is None and _has_more_words(text, _BODY_WORDS - 1)


def _lead_in(piece: str, kind: str | None) -> str | None:
    """The kind of the piece that a removed label introduces: a "Read also:" label's link
    title, or a comment's text after its "Name, 2 hours ago" header."""
    if kind == "related" and (piece.rstrip().endswith(":") or len(piece.split()) <= 4):
        return "related"
    if kind == "comments" and len(piece.split()) <= _LABEL_WORDS and _COMMENT_HEADER.search(piece):
        return "comments"
    return None


def _piece_kind(
    piece: str, profile: Sequence[re.Pattern[str]], rules: Sequence[TextRule], lead_in: str | None
) -> str | None:
    """The boilerplate kind of a block or line, given the label just before it."""
    limit = _COMMENT_WORDS if lead_in == "comments" else _TEASER_WORDS
    if lead_in and len(_WORD.findall(piece)) <= limit:
        return lead_in
    return _profile_kind(piece, profile) or _generic_kind(piece, rules)


def kind_of_text(text: str, rules: Sequence[TextRule] = GENERIC_RULES) -> str | None:
    """Appeal, sign-up or paywall, when such phrases occur in a box known to be boilerplate."""
    lowered = text.lower()
    if not has_box_stem(lowered):
        return None
    hits: Counter[str] = Counter()
    for rule in rules:
        if rule.kind in _BOX_KINDS:
            hits[rule.kind] += rule.count(lowered)
    best = hits.most_common(1)
    return best[0][0] if best and best[0][1] else None


def has_box_stem(text: str) -> bool:
    """Whether the text holds a word stem without which no appeal, sign-up or paywall phrase
    matches: a cheap first look."""
    return next(_STEM_SCREEN.iter(text.lower()), None) is not None


def kind_of_block(text: str) -> str | None:
    """The boilerplate kind of a block judged on its own (short, or dense with phrases)."""
    return _generic_kind(text, GENERIC_RULES)


# A site's removed blocks (menus, footers, its appeals) come back page after page: ~3 in 4
# calls on demo pages repeat one (0.22 -> 0.08 ms per page). 256 texts of ~500 characters.
@functools.lru_cache(maxsize=256)
def is_paywall_notice(text: str) -> bool:
    """Whether a block of text reads like a paywall or truncation notice."""
    return _generic_kind(text, _PAYWALL_RULES) == "paywall"


def _profile_kind(block: str, profile: Sequence[re.Pattern[str]]) -> str | None:
    return "profile" if any(p.search(block) for p in profile) else None


def _generic_kind(block: str, rules: Sequence[TextRule]) -> str | None:
    """The kind whose phrases dominate the block: short, or dense with that kind's phrases."""
    block = _QUOTED.sub(" ", block.lower())
    screen = _screen(rules)
    present = screen.present(block)
    if not present and _has_more_words(block, screen.unscreened_words):
        return None  # most body paragraphs: no rule can match
    words = len(_WORD.findall(block))
    hits: dict[str, int] = {}
    for rule in screen.candidates(present):
        if words <= rule.max_words:
            found = rule.count(block, present)
            if found:
                hits[rule.kind] = hits.get(rule.kind, 0) + found
    total = sum(hits.values())
    if hits.get("placeholder"):  # a template's dummy text is never body text, however long
        return "placeholder"
    if total and (words <= _SHORT or total * _WORDS_PER_HIT >= words):
        kind = min(hits, key=lambda kind: (-hits[kind], screen.kind_order[kind]))
        return None if kind in _BOX_KINDS and _is_prose_about(block, words, hits[kind]) else kind
    return None


def _has_more_words(block: str, limit: int) -> bool:
    """Whether the block has over `limit` words, reading no further than needed."""
    if limit < 0:
        return True
    return next(islice(_WORD.finditer(block), limit, None), None) is not None


def _is_prose_about(block: str, words: int, hits: int) -> bool:
    """A sentence that mentions subscriptions or appeals once, in passing, not to the reader:
    long enough to be prose, ending like a sentence, with no first or second person and no
    imperative opening. (A notice in the third person, "The Gazette is funded by readers who
    chip in", piles up several phrases.)"""
    if hits > 1 or words < _PROSE_WORDS or block.rstrip()[-1:] not in ".…?":
        return False
    return not _ADDRESSED.search(block)


_SCREENS: dict[int, tuple[Sequence[TextRule], Screen]] = {}


def _screen(rules: Sequence[TextRule]) -> Screen:
    """The screen of a rule set, built once (keyed by identity: hashing 60 rules per block
    would cost more than the screen saves)."""
    found = _SCREENS.get(id(rules))
    if found is None or found[0] is not rules:
        if len(_SCREENS) > 32:
            _SCREENS.clear()
        found = _SCREENS[id(rules)] = (rules, Screen(rules))
    return found[1]
