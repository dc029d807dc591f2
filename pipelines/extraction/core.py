"""The one extraction path: page bytes in, an ArticleRecord or a named Rejection out."""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass

import trafilatura
from lxml.html import HtmlElement

from crawler.dataset.schema import ArticleRecord, RejectReason, Removed

from .blocks import text_blocks
from .canonical import canonical_url
from .closing import trim_link_lines
from .coverage import missed_text
from .dates import DatePolicy
from .decode import decode, sniff
from .discarded import strip_discarded
from .edges import same_words, trim_bio, trim_edges
from .evidence import check_against_article_body
from .fallback import uncut_blocks
from .gaps import fill_gaps
from .hashing import content_hash
from .hidden import strip_hidden
from .inert import strip_inert
from .language import decide_language
from .layout import simplify_layout
from .markup import name_values, strip_markup
from .metadata import Metadata, read_metadata
from .notfound import is_not_found
from .page import ExtractRules, Page, Rejection, compiled_patterns, compiled_selectors
from .parse import parse_html, parse_utf8
from .pruned import SHORT_SHARE, unprune
from .scope import article_container, as_document, paragraph_chars, paragraph_texts
from .standfirst import restore_standfirst
from .textfilter import GENERIC_RULES, TextRule, filter_blocks, is_paywall_notice
from .unicode import valid_unicode
from .widgets import strip_widgets

__all__ = ["EXTRACTOR_VERSION", "Draft", "draft_blocks", "extract", "finish"]

EXTRACTOR_VERSION = f"opinion-extract/0.1 trafilatura/{trafilatura.__version__}"
FAST_MIN_PARAGRAPH_CHARS = 1000
MIN_WORDS = 20  # the no-article floor; the real minimum is the validate step's policy
_WORD = re.compile(r"\w+")
_DEFAULT_RULES = ExtractRules()


def extract(page: Page, rules: ExtractRules = _DEFAULT_RULES) -> ArticleRecord | Rejection:
    """Extract the article of a fetched page; never raises, and every string is valid Unicode."""
    try:
        return valid_unicode(_extract(page, rules))
    except Exception as exc:  # the contract: any input yields a record or a named rejection
        detail = f"{type(exc).__name__}: {exc}"[:500]
        return valid_unicode(Rejection(RejectReason.EXTRACTION_FAILED, detail))


@dataclass(frozen=True, slots=True)
class Draft:
    """A page's metadata and candidate text blocks, before boilerplate removal by text."""

    meta: Metadata
    blocks: list[str]
    removed: list[Removed]
    link_lines: frozenset[str] = frozenset()  # paragraphs that are one link (closing.py)


def _extract(page: Page, rules: ExtractRules) -> ArticleRecord | Rejection:
    draft = draft_blocks(page, rules)
    if isinstance(draft, Rejection):
        return draft
    result = finish(page, rules, draft)
    if isinstance(result, Rejection) and result.reason == RejectReason.NO_ARTICLE:
        second = finish(page, rules, Draft(draft.meta, uncut_blocks(page, draft.meta), []))
        return second if isinstance(second, ArticleRecord) else result
    return result


def draft_blocks(page: Page, rules: ExtractRules) -> Draft | Rejection:
    """Steps 1-4: check, decode, parse, read metadata, strip markup, find the main blocks."""
    if not page.body or page.body.isspace():  # strip() would copy the page
        return Rejection(RejectReason.EMPTY_PAGE, f"{len(page.body)} bytes of whitespace")
    if len(page.body) > rules.max_bytes:
        return Rejection(RejectReason.TOO_LARGE, f"{len(page.body)} bytes > {rules.max_bytes}")
    rejection = sniff(page.body, page.content_type)
    if rejection:
        return rejection
    decoded = decode(page.body, page.content_type)
    if isinstance(decoded, Rejection):
        return decoded
    tree = parse_utf8(decoded.utf8) if decoded.utf8 is not None else parse_html(decoded.text)
    if tree is None:
        return Rejection(RejectReason.NO_ARTICLE, "no HTML tree could be built")
    meta = read_metadata(tree, DatePolicy(rules.timezone, page.fetched_at))
    simplify_layout(tree)  # before strip_inert: an aside with an icon is no pull quote
    strip_inert(tree)
    removed = strip_hidden(tree)
    container = _article_container(tree)
    region = tree if container is None else container  # see scope.py
    names = name_values(region)  # one walk for both steps; removals only make it stale
    link_lines: set[str] = set()
    removed += strip_markup(region, compiled_selectors(rules.strip_selectors), names, link_lines)
    removed += strip_widgets(region, names)
    strip_discarded(region)  # after the steps above, which read them
    main = _main_blocks(tree, container, page.url)
    blocks = check_against_article_body(main, meta.article_body)
    if blocks == main:  # the page's own text, not the articleBody that replaced it
        blocks = restore_standfirst(tree, fill_gaps(region, blocks), meta.description)
    blocks, edges = trim_edges(blocks, meta)
    notes = [Removed("date", note) for note in meta.date_notes]  # why a date is null
    return Draft(meta, blocks, [*removed, *edges, *notes], frozenset(link_lines))


def finish(
    page: Page, rules: ExtractRules, draft: Draft, text_rules: Sequence[TextRule] = GENERIC_RULES
) -> ArticleRecord | Rejection:
    """Step 5 and the record: remove boilerplate by text, apply the no-article floor."""
    kept, dropped = filter_blocks(draft.blocks, compiled_patterns(rules.strip_patterns), text_rules)
    kept, lines = trim_link_lines(kept, draft.link_lines)
    kept, bio = trim_bio(kept, draft.meta.authors)
    text = "\n\n".join(kept)
    words = len(_WORD.findall(text))
    body_words = words - _standfirst_words(kept, draft.meta.description)
    if body_words < MIN_WORDS:  # a login wall shows the standfirst and nothing else
        return Rejection(RejectReason.NO_ARTICLE, f"{body_words} words of article text")
    if is_not_found(draft.meta.title, text, words):
        return Rejection(RejectReason.NO_ARTICLE, f"a 'page not found' page ({words} words)")
    removed = [*draft.removed, *dropped, *lines, *bio]
    return _record(page, rules, draft.meta, text, words, removed)


def _standfirst_words(blocks: Sequence[str], description: str | None) -> int:
    """The words of a first block that repeats the page's description."""
    if blocks and same_words(blocks[0], description):
        return len(_WORD.findall(blocks[0]))
    return 0


def _article_container(tree: HtmlElement) -> HtmlElement | None:
    """The article element holding the page's text, on pages with enough <p> text to tell."""
    page_chars = paragraph_chars(tree)
    if page_chars < FAST_MIN_PARAGRAPH_CHARS:
        return None
    return article_container(tree, page_chars)


def _main_blocks(tree: HtmlElement, container: HtmlElement | None, url: str) -> list[str]:
    """trafilatura's main text of the cleaned tree, one block per paragraph, heading or item.

    Its fast mode (no comparison with the readability and justext algorithms) gives the same
    text on most pages at half the cost. When that text holds under FAST_SHARE of the page's
    paragraph text it missed the container, and the full cascade runs; it also runs on pages
    with little <p> text (legacy <br> layouts), where that share says nothing. Measured on the
    development set (F1 of fast vs full by share): below 0.2 the full cascade gains 0.3-0.6 F1
    per page; from 0.2 to 0.6 it changed nothing on 25 pages but made one worse, so the
    threshold moved from 0.6 to 0.3, with a margin over pages just under 0.2 (full cascade on
    6% of pages instead of 10%). It also runs when the fast text lacks most of the paragraphs
    between its own first and last one: a box of body text pruned for its class (coverage.py).
    A text still short gets one more fast pass when trafilatura pruned a box holding much of
    the page's paragraphs (pruned.py).
    """
    paragraphs = paragraph_texts(tree)
    page_chars = sum(map(len, paragraphs))
    modes = (True, False) if page_chars >= FAST_MIN_PARAGRAPH_CHARS else (False,)
    if container is None and page_chars >= FAST_MIN_PARAGRAPH_CHARS:
        container = article_container(tree, page_chars)  # the removals may have made one
    with nullcontext(tree) if container is None else as_document(container) as scope:
        for fast in modes:
            blocks = _finder_blocks(scope, url, fast)
            if not fast or not missed_text(blocks, paragraphs, page_chars):
                break
        chars = sum(map(len, blocks))
        short = page_chars >= FAST_MIN_PARAGRAPH_CHARS and chars < SHORT_SHARE * page_chars
        if short and unprune(scope, page_chars):  # see pruned.py
            again = _finder_blocks(scope, url, fast=True)
            blocks = again if sum(map(len, again)) > chars else blocks
    return blocks


def _finder_blocks(scope: HtmlElement, url: str, fast: bool) -> list[str]:
    """trafilatura's main text of a document, one block per paragraph, heading or item."""
    # "txt", not the default "python": we read the body tree, and "python" also renders it
    # to text (~5% of trafilatura's time here); the body is the same tree either way
    document = trafilatura.bare_extraction(
        scope, url=url or None, include_comments=False, include_tables=True,
        with_metadata=False, fast=fast, output_format="txt",
    )  # fmt: skip
    return text_blocks(getattr(document, "body", None))


def _record(
    page: Page, rules: ExtractRules, meta: Metadata, text: str, words: int, removed: list[Removed]
) -> ArticleRecord:
    paywalled = meta.free is False or any(
        r.kind == "paywall" or is_paywall_notice(r.text) for r in removed
    )
    return ArticleRecord(
        url=page.url,
        canonical_url=canonical_url(page.url, meta.canonical, rules.identity),
        site=page.site,
        section=rules.section or meta.section,  # the profile's label wins: one vocabulary
        title=meta.title,
        description=meta.description,
        authors=meta.authors,
        tags=meta.tags,
        published_at=meta.published_at,
        modified_at=meta.modified_at,
        language=decide_language(meta.language, rules.language, text),
        text=text,
        word_count=words,
        paywalled=paywalled,
        removed=removed,
        content_hash=content_hash(text),
        fetched_at=page.fetched_at,
        http_status=page.status,
        run_id=page.run_id,
        extractor=EXTRACTOR_VERSION,
    )
