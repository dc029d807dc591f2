"""Headline, byline and date lines that trafilatura leaves at the edges of the body."""
# ruff: noqa: RUF001 -- Cyrillic letters and typographic dashes in patterns are meant

from __future__ import annotations

import re
from collections.abc import Sequence

from crawler.dataset.schema import Removed

from .metadata import Metadata, trim_section

__all__ = ["same_words", "trim_bio", "trim_edges"]

_LEAD = 4  # blocks inspected at the start
_TAIL = 2  # and at the end
_WORD = re.compile(r"\w+")
_BYLINE = re.compile(r"^(by|von|par|por|door|автор[ы]?:?|текст:?)\s+\w", re.IGNORECASE)
_DATE_WORDS = re.compile(
    r"\b(published|updated|last|posted|modified|on|at|am|pm|utc|gmt|[ecmp][sd]t|bst|cet|cest|msk"
    r"|mon|tue|wed|thu|fri|sat|sun|[a-z]+day|jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov"
    r"|dec|january|february|march|april|june|july|august|september|october|november|december"
    r"|опубликовано|обновлено|обновлен[оа]?|в|янв\w*|фев\w*|мар\w*|апр\w*|ма[йя]|июн\w*|июл\w*"
    r"|авг\w*|сен\w*|окт\w*|ноя\w*|дек\w*|\d+(st|nd|rd|th)?|min|mins|read|minutes?|ago|hours?"
    r"|publié|publiée|mis|à|jour|le|du|janvier|février|mars|avril|mai|juin|juillet|août"
    r"|septembre|octobre|novembre|décembre|veröffentlicht|aktualisiert|am|um|uhr|stand"
    r"|januar|februar|märz|juni|juli|oktober|dezember|publicado|actualizado|el|de|a|las"
    r"|pubblicato|aggiornato|il|alle|\d+h\d*)\b",
    re.IGNORECASE,
)
_LABEL_WORDS = 5  # a kicker, section label or byline fragment next to the header lines
_JUMP_LINK = re.compile(
    r"(?:jump|skip|go) to (?:the )?(?:list|recipe|content|main content|reviews?|comparison"
    r"|results?|top picks?|our picks?|summary|faqs?|section)\b[^\w\n]*",
    re.IGNORECASE,
)
_TITLE_SEPARATOR = re.compile(r"\s+[|–—·-]\s+|\s*::\s*")
_MIN_HEADLINE_WORDS = 4
_SUFFIX_WORDS = 6  # a site or section name after a headline's separator
_BIO_WORDS = 60
_LONG_BIO_WORDS = 120  # a bio that opens with the person's name and trade runs longer
# "Jane Roe is a ...", "Jane Roe has been ...", "Jane specializes in ..."
_NAMED_PERSON = re.compile(
    r"(?:[A-ZА-ЯЁ][\w.'’-]+ ){0,3}[A-ZА-ЯЁ][\w.'’-]+,? "
    r"(?:(?:is|was|has been|specializes|writes|covers)\b|[—–] )"
)
_PROFESSION = re.compile(
    r"\b(?:writer|journalist|editor|author|reporter|contributor|columnist|correspondent|blogger"
    r"|content creator|professor|researcher|lecturer|fellow|специализируется|журналист"
    r"|редактор|колумнист|обозреватель|корреспондент|писатель)\b",
    re.IGNORECASE,
)
_PUBLISHER_TAIL = 4
_PUBLISHER = re.compile(
    r"(?:[A-Z][\w.&'’-]+ (?:(?:for|of|the|and|&) )?){1,5}(?:is|was) (?:a|an|the) (?:[\w-]+ ){0,4}"
    r"(?:non-?profit|nonpartisan|organi[sz]ation|newsroom|publication|initiative|publisher)\b"
)
_BIO_VERB = re.compile(
    r"\s*(,|\(|is |was |writes |teaches |works |has been |serves |—|– |-)"
    r"|\s*(является|работает|—|–)"
)


def trim_edges(blocks: Sequence[str], meta: Metadata) -> tuple[list[str], list[Removed]]:
    """Drop title, byline and date lines among the first and last blocks, with the short
    labels (kickers, "By", a columnist's role) that sit next to them in the header."""
    kept = _split_edges(blocks)
    removed: list[Removed] = []
    # The standfirst stays in the text (it is the article's first paragraph, and `description`
    # holds it too), but it marks the header: a kicker beside it is a label to drop.
    standfirst = {i for i in range(_lead(kept)) if same_words(kept[i], meta.description)}
    marks = [_is_edge(kept[i], meta, lead=True) or i in standfirst for i in range(_lead(kept))]
    lead = [i for i in _with_labels(kept, marks) if i not in standfirst]
    tail_start = max(len(kept) - _TAIL, _lead(kept))
    tail = [i for i in range(tail_start, len(kept)) if _is_edge(kept[i], meta, lead=False)]
    for index in sorted({*lead, *tail}, reverse=True):
        removed.append(Removed("byline", kept.pop(index)[:500]))
    return kept, [*removed[::-1], *_strip_jump_links(kept)]


def _strip_jump_links(kept: list[str]) -> list[Removed]:
    """Cut the in-page jump links ("Jump to recipe", "Skip to the list ⤵") that open the first
    lines, alone or run into the paragraph that follows them."""
    removed = []
    for index in range(_lead(kept)):
        jump = _JUMP_LINK.match(kept[index])
        if jump:
            removed.append(Removed("navigation", jump.group().strip()))
            kept[index] = kept[index][jump.end() :]
    kept[:] = [block for block in kept if block.strip()]
    return removed


def trim_bio(blocks: Sequence[str], authors: Sequence[str]) -> tuple[list[str], list[Removed]]:
    """Drop a closing line that introduces the author, among the last blocks of the body
    (run after boilerplate removal: share bars and policies often follow it)."""
    kept = list(blocks)
    start = max(len(kept) - _TAIL, 1)
    bios = [i for i in range(start, len(kept)) if _is_bio(kept[i], authors)]
    # a note about the publisher sits among the closing calls to act, not always last
    start = max(len(kept) - _PUBLISHER_TAIL, 1)
    bios += [i for i in range(start, len(kept)) if i not in bios and _about_publisher(kept[i])]
    return [b for i, b in enumerate(kept) if i not in bios], [
        Removed("bio", kept[i][:500]) for i in bios
    ]


def _about_publisher(block: str) -> bool:
    """A closing note that presents the publisher: "The Valley Trust is a nonprofit ..."."""
    return len(_WORD.findall(block)) <= _LONG_BIO_WORDS and bool(_PUBLISHER.match(block))


def _is_bio(block: str, authors: Sequence[str]) -> bool:
    """A closing line that introduces the author: "Jane Roe is a ...", "Jane Roe, a ..."."""
    words = len(_WORD.findall(block))
    if words > _LONG_BIO_WORDS:
        return False
    # a byline the page never declared: a name, then what the person does for a living
    if _NAMED_PERSON.match(block.lstrip("*_— ")) and _PROFESSION.search(block):
        return True
    if words > _BIO_WORDS:
        return False
    opening = block.lstrip("*_— ").casefold()
    for name in authors:
        folded = name.casefold()
        if folded and opening.startswith(folded) and _BIO_VERB.match(opening[len(folded) :]):
            return True
    return False


def _lead(kept: Sequence[str]) -> int:
    return min(_LEAD, len(kept))


def _with_labels(kept: Sequence[str], edges: list[bool]) -> list[int]:
    """Lead indexes of header lines: the edges, plus labels before or between them."""
    for i in reversed(range(len(edges) - 1)):
        if not edges[i] and edges[i + 1] and _is_label(kept[i]):
            edges[i] = True
    for i in range(1, len(edges) - 1):
        if not edges[i] and edges[i - 1] and edges[i + 1] and _is_label(kept[i]):
            edges[i] = True
    return [i for i, edge in enumerate(edges) if edge]


def _is_label(line: str) -> bool:
    words = len(_WORD.findall(line))
    return 0 < words <= _LABEL_WORDS and line.rstrip()[-1:] not in ".!?:;"


def _split_edges(blocks: Sequence[str]) -> list[str]:
    """The blocks, with multi-line blocks at the edges split into their lines."""
    if len(blocks) <= _LEAD + _TAIL:
        return [line for block in blocks for line in block.split("\n")]
    lead = [line for block in blocks[:_LEAD] for line in block.split("\n")]
    tail = [line for block in blocks[-_TAIL:] for line in block.split("\n")]
    return [*lead, *blocks[_LEAD:-_TAIL], *tail]


def _is_edge(block: str, meta: Metadata, lead: bool) -> bool:
    tokens = [t.lower() for t in _WORD.findall(block)]
    if not tokens:
        return False
    if lead and (same_words(block, meta.title) or same_words(trim_section(block), meta.title)):
        return True
    if lead and any(same_words(block, part) for part in _headline_parts(meta.title)):
        return True
    if lead and _is_suffixed_headline(block, meta.title):
        return True
    if lead and same_words(block, meta.headline):  # an SEO title differs from the <h1>
        return True
    if len(tokens) > 12:
        return False
    if _BYLINE.match(block) and len(tokens) <= 8:
        return True
    if any(block.strip() == name for name in meta.authors):
        return True
    return any(c.isdigit() for c in block) and not _DATE_WORDS.sub("", block).strip(" ,.:|/-–—·")


def _is_suffixed_headline(block: str, title: str | None) -> bool:
    """The headline shown with a site or section name after it ("Headline | Site news"),
    when the title is the headline alone or carries another suffix."""
    parts = _TITLE_SEPARATOR.split(block)
    if len(parts) < 2 or len(_WORD.findall(" ".join(parts[1:]))) > _SUFFIX_WORDS:
        return False
    headline = _TITLE_SEPARATOR.split(title or "")[0]
    return len(_WORD.findall(headline)) >= _MIN_HEADLINE_WORDS and same_words(parts[0], headline)


def _headline_parts(title: str | None) -> list[str]:
    """The headline of a "Headline - Site name" title, when long enough to be shown alone."""
    parts = _TITLE_SEPARATOR.split(title or "")
    if len(parts) < 2 or len(_WORD.findall(parts[0])) < _MIN_HEADLINE_WORDS:
        return []
    return [parts[0]]


def same_words(block: str, known: str | None) -> bool:
    """Whether a block says exactly `known` (a title, a description), case and punctuation aside."""
    return bool(known) and _tokens(block) == _tokens(known)


def _tokens(text: str | None) -> list[str]:
    return [t.lower() for t in _WORD.findall(text or "")]
