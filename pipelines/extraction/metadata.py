"""Article metadata from JSON-LD, OpenGraph and the page markup, in a documented order of trust.

Order per field (first non-empty wins):
  title        JSON-LD headline > og:title > <h1> > <title> (the part of "Site - Section -
               Headline" that the page shows on its own, else with the site suffix trimmed)
  description  JSON-LD description > og:description > meta description
  authors      JSON-LD author > meta author > article:author (not a URL) > byline markup
  tags         JSON-LD keywords > article:tag > meta keywords
  section      the profile's label (in core) > JSON-LD articleSection > article:section
  dates        see pagedates.py (JSON-LD > meta > <time datetime> > header text > htmldate)
  language     <html lang> > og:locale > content-language meta > JSON-LD inLanguage
"""
# ruff: noqa: RUF001 -- typographic dashes in title separators are meant

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lxml.etree import XPath
from lxml.html import HtmlElement

from .authors import clean_authors
from .dates import UTC_POLICY, DatePolicy
from .jsonld import article_object, as_strings, names
from .pagedates import page_dates
from .textmeta import text_byline

__all__ = ["Metadata", "read_metadata", "trim_section"]

# Attributes first, then their elements: a predicate on every element costs far more. The
# class test is a pre-screen (any case of "author"/"byline"); _is_byline decides.
_BYLINE_XPATH = (
    ".//@rel[.='author']/..|.//@itemprop[.='author']/.."
    "|.//@class[contains(., 'uthor') or contains(., 'UTHOR') or contains(., 'yline')"
    " or contains(., 'YLINE')]/.."
)
_HEAD_TAGS = ("meta", "link", "script")
# the text pieces of an element at least so long, picked in C (a page has thousands)
_TEXTS_OF_LENGTH = XPath("descendant::text()[string-length() >= $shortest]", smart_strings=False)
_PREFIX_SEPARATORS = re.compile(r"\s+[|–—»-]\s+")
_CLASS_TOKENS = re.compile(r"[^a-z0-9]+")
_NOT_BYLINE = frozenset(("bio", "avatar", "image", "img", "photo", "description", "about", "box"))
_TITLE_SEPARATORS = re.compile(r"\s+(?:[|–—:·•»-]|::)\s+")
_AFFIX_SEPARATORS = re.compile(r"\s+[|–—·•»-]\s+")
_LABEL_COLON = re.compile(r"^([^\W\d][\w -]{0,30}):\s+(?=\S)")
_AFFIX_WORDS = 3
_WORDS = re.compile(r"\w+")
# Section labels that sites put before or after a headline in <title> and og:title.
_SECTION_LABELS = frozenset(
    (
        "opinion", "opinions", "editorial", "editorials", "comment", "commentary", "column",
        "columns", "columnists", "op ed", "analysis", "letters", "letter", "guest essay",
        "perspective", "perspectives", "viewpoint", "viewpoints", "voices", "essay", "review",
        "our view", "the big idea", "мнение", "мнения", "колонка", "колонки", "комментарий",
        "редакционная статья", "аналитика", "meinung", "kommentar", "kolumne", "leitartikel",
        "opinión", "tribune", "éditorial", "chronique", "opinione", "editoriale",
    )
)  # fmt: skip


@dataclass(slots=True)
class Metadata:
    """What the page says about the article, before any text is extracted."""

    title: str | None = None
    description: str | None = None
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    section: str | None = None
    published_at: datetime | None = None
    modified_at: datetime | None = None
    language: str | None = None
    canonical: list[str] = field(default_factory=list)
    site_name: str | None = None
    free: bool | None = None  # JSON-LD isAccessibleForFree
    article_body: str | None = None
    date_notes: list[str] = field(default_factory=list)  # declared dates the policy refused
    headline: str | None = None  # the page's first <h1> as shown, whatever the title says


def read_metadata(tree: HtmlElement, dates: DatePolicy = UTC_POLICY) -> Metadata:
    """All metadata of a parsed page; call before any node is removed from the tree."""
    head = _head_elements(tree)
    ld = article_object(head["script"])
    meta = _meta_index(head["meta"])
    site = _first(_ld_names(ld.get("publisher")), meta["og:site_name"], meta["application-name"])
    language = _language(tree, ld, meta)
    dated = page_dates(tree, ld, meta, language, dates)
    # the first <h1> in page order (in C, stopping there: a union XPath sorted every <h1>)
    first_h1 = next(tree.iter("h1"), None)
    h1 = [] if first_h1 is None else [_node_text(first_h1)]
    return Metadata(
        title=_title(tree, ld, meta, site, h1),
        headline=_first(h1),
        description=_first(
            as_strings(ld.get("description")),
            meta["og:description"],
            meta["description"],
            meta["twitter:description"],
        ),
        authors=_authors(tree, ld, meta, site),
        tags=_tags(ld, meta),
        section=_first(as_strings(ld.get("articleSection")), meta["article:section"]),
        published_at=dated.published,
        modified_at=dated.modified,
        date_notes=dated.notes,
        language=language,
        canonical=[*_canonical_links(head["link"]), *meta["og:url"]],
        site_name=site,
        free=_free(ld.get("isAccessibleForFree")),
        article_body=_first(as_strings(ld.get("articleBody"))),
    )


def _head_elements(tree: HtmlElement) -> dict[str, list[HtmlElement]]:
    """The page's <meta>, <link> and <script> elements in page order, found in one walk
    (they sit in <head> mostly, but may be anywhere: a walk each cost three)."""
    found: dict[str, list[HtmlElement]] = {tag: [] for tag in _HEAD_TAGS}
    for node in tree.iter(*_HEAD_TAGS):
        if node is not tree or node.tag == "meta":  # .//link, .//script: not the root itself
            found[node.tag].append(node)
    return found


def _canonical_links(links: list[HtmlElement]) -> list[str]:
    """The href of each <link rel="canonical">, in page order."""
    hrefs = (link.get("href") for link in links if link.get("rel") == "canonical")
    return [href for href in hrefs if href is not None]


def _meta_index(metas: list[HtmlElement]) -> defaultdict[str, list[str]]:
    """meta name/property/itemprop/http-equiv (lowercase) -> contents, in page order."""
    index: defaultdict[str, list[str]] = defaultdict(list)
    for node in metas:
        key = node.get("property") or node.get("name") or node.get("itemprop")
        key = key or node.get("http-equiv")
        content = node.get("content")
        if key and content and content.strip():
            index[key.strip().lower()].append(content)
    return index


def _clean(value: str) -> str:
    return " ".join(html.unescape(value).split())


def _first(*sources: list[str]) -> str | None:
    for source in sources:
        for value in source:
            cleaned = _clean(value)
            if cleaned:
                return cleaned
    return None


def _ld_names(value: Any) -> list[str]:
    return names(value, skip_organizations=False)


def _title(
    tree: HtmlElement,
    ld: dict[str, Any],
    meta: dict[str, list[str]],
    site: str | None,
    h1: list[str],
) -> str | None:
    best = _first(as_strings(ld.get("headline")), meta["og:title"], h1)
    if best:
        return _trim_section(_trim_suffix(best, site, force=False), h1)
    for node in tree.iterfind(".//title"):
        found = _headline_part(tree, _node_text(node)) or _trim_suffix(_node_text(node), site, True)
        return _trim_section(_trim_suffix(found, site, force=False), h1)
    return None


def trim_section(title: str) -> str:
    """A headline without a section label before or after it ("Opinion | ...")."""
    return _trim_section(title, [])


def _trim_section(title: str, h1: list[str]) -> str:
    """Drop a section label before or after the headline ("Opinion | ...", "... | Editorial"):
    a short part that names a section, or that the page's <h1> shows the headline without.
    A "Label: " prefix goes only when it names a section and the <h1> shows the headline
    without it."""
    shown = {_casefold_words(h) for h in h1}
    if _casefold_words(title) in shown:
        return title  # the page shows the label as part of its headline ("Opinion: ...")
    colon = _LABEL_COLON.match(title)
    label = _casefold_words(colon.group(1)) if colon else ""
    if colon and label in _SECTION_LABELS and _casefold_words(title[colon.end() :]) in shown:
        return title[colon.end() :]
    parts = _AFFIX_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    for rest, label in ((parts[1:], parts[0]), (parts[:-1], parts[-1])):
        headline = _join_parts(title, rest)
        if len(label.split()) > _AFFIX_WORDS or not headline:
            continue
        if _casefold_words(label) in _SECTION_LABELS or _casefold_words(headline) in shown:
            return _trim_section(headline, h1)
    return title


def _join_parts(title: str, rest: list[str]) -> str:
    """The span of `title` from the first to the last of the `rest` parts."""
    start = title.find(rest[0])
    end = title.rfind(rest[-1]) + len(rest[-1])
    return title[start:end].strip() if 0 <= start < end else ""


def _casefold_words(text: str) -> str:
    return " ".join(_WORDS.findall(text.casefold()))


def _headline_part(tree: HtmlElement, title: str) -> str | None:
    """The part of a "Site - Section - Headline" <title> that the page shows on its own."""
    parts = [p.strip() for p in _TITLE_SEPARATORS.split(title) if len(p.split()) >= 3]
    if len(parts) < 1 or not _TITLE_SEPARATORS.search(title):
        return None
    body = tree.find("body")
    shortest = min(map(len, parts))  # spacing collapsed, a text is no longer than before
    texts = _TEXTS_OF_LENGTH(body if body is not None else tree, shortest=shortest)
    shown = {" ".join(t.split()) for t in texts}
    return next((p for p in sorted(parts, key=len, reverse=True) if p in shown), None)


def _trim_suffix(title: str, site: str | None, force: bool) -> str:
    """Drop a "Site - Section -" prefix and a " | Site" suffix (naming the site, or forced)."""
    title = _trim_prefix(title, site)
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    last = parts[-1].strip()
    same_site = bool(site) and last.casefold() == (site or "").casefold()
    if same_site or (force and len(last.split()) <= 4 and len(last) < len(title) / 2):
        return title[: title.rfind(last)].rstrip(" |–—:·•»-")
    return title


def _trim_prefix(title: str, site: str | None) -> str:
    """Drop leading "Site - Section - " parts when the first one names the site."""
    parts = _PREFIX_SEPARATORS.split(title)
    if not site or len(parts) < 2 or parts[0].strip().casefold() != site.casefold():
        return title
    rest = parts[1:]
    while len(rest) > 1 and len(rest[0].split()) <= 2:
        rest = rest[1:]
    return title[title.rfind(rest[0]) :].strip()


def _node_text(node: HtmlElement) -> str:
    return " ".join(node.text_content().split())


def _authors(
    tree: HtmlElement, ld: dict[str, Any], meta: dict[str, list[str]], site: str | None
) -> list[str]:
    publishers = {site or "", *(_ld_names(ld.get("publisher")))}
    article_authors = [a for a in meta["article:author"] if not a.startswith(("http", "/"))]
    sources: tuple[Callable[[], list[str]], ...] = (
        lambda: names(ld.get("author")),
        lambda: meta["author"],
        lambda: article_authors,
        lambda: _bylines(tree),
        lambda: text_byline(tree),
    )
    for source in sources:  # lazily: the markup scans are the costly ones
        found = clean_authors(source(), publishers)
        if found:
            return found
    return []


def _bylines(tree: HtmlElement) -> list[str]:
    texts = [_node_text(n) for n in tree.xpath(_BYLINE_XPATH) if _is_byline(n)]
    return [t for t in texts if len(t) < 120][:4]


def _is_byline(node: HtmlElement) -> bool:
    """rel/itemprop author, or a class with a whole `byline`/`author` token that is no bio."""
    if node.get("rel") == "author" or node.get("itemprop") == "author":
        return True
    tokens = set(_CLASS_TOKENS.split((node.get("class") or "").lower()))
    return "byline" in tokens or ("author" in tokens and not tokens & _NOT_BYLINE)


def _tags(ld: dict[str, Any], meta: dict[str, list[str]]) -> list[str]:
    for source in (as_strings(ld.get("keywords")), meta["article:tag"], meta["keywords"]):
        tags: list[str] = []
        for value in source:
            for tag in _clean(value).split(","):
                if tag.strip() and tag.strip() not in tags:
                    tags.append(tag.strip())
        if tags:
            return tags
    return []


def _language(tree: HtmlElement, ld: dict[str, Any], meta: dict[str, list[str]]) -> str | None:
    declared = [
        tree.get("lang") or tree.get("xml:lang") or "",
        *meta["og:locale"],
        *meta["content-language"],
        *as_strings(ld.get("inLanguage")),
    ]
    for value in declared:
        code = re.split(r"[-_]", value.strip().lower())[0]
        if re.fullmatch(r"[a-z]{2}", code):
            return code
    return None


def _free(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None
