"""Generalizing a set of article URLs into one profile regex (for `scrapy profile new`)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

__all__ = ["UrlShape", "article_shapes", "segment_regex"]

_PAGING_KEYS = {"page", "p", "offset", "start", "paged"}
_MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}
# From narrowest to widest: the first class every value of a position matches is used.
_CLASSES = (
    (r"\d{4}", re.compile(r"\d{4}")),
    (r"\d{2}", re.compile(r"\d{2}")),
    (r"\d{1,2}", re.compile(r"\d{1,2}")),
    (r"\d+", re.compile(r"\d+")),
    (r"[a-z]{3}", re.compile(r"[a-z]{3}")),
    (r"[a-z0-9-]+-\d+", re.compile(r"[a-z0-9-]+-\d+")),
    (r"[a-z0-9-]+-[a-z]\d+", re.compile(r"[a-z0-9-]+-[a-z]\d+")),
    (r"[a-z0-9-]+", re.compile(r"[a-z0-9-]+")),
    (r"[^/?#]+", re.compile(r"[^/?#]+")),
)


def segment_regex(values: list[str], names_one: bool = False) -> str:
    """The literal when all values agree, else the narrowest class matching them all.

    `names_one`: the position names the article (last segment, query value), so an all-digit
    value is an id of any length, not a day or a month.
    """
    # Dates are never literal: the samples' one month is not the next article's.
    dated = all(v.isdigit() or v in _MONTHS for v in values)
    if len(set(values)) == 1 and not _slug_like(values[0]) and not names_one and not dated:
        return re.escape(values[0])
    if names_one and all(v.isdigit() for v in values):
        return r"\d+"
    stems, suffixes = zip(*(_split_extension(v) for v in values), strict=True)
    if len(set(suffixes)) == 1 and suffixes[0]:
        return segment_regex(list(stems), names_one) + re.escape(suffixes[0])
    if all(v in _MONTHS for v in values):
        return r"[a-z]{3}"
    return next(name for name, pattern in _CLASSES if all(pattern.fullmatch(v) for v in values))


def _split_extension(value: str) -> tuple[str, str]:
    stem, dot, extension = value.rpartition(".")
    return (stem, "." + extension) if dot and stem and extension.isalpha() else (value, "")


def _slug_like(value: str) -> bool:
    """A segment that names one article (a slug with words, or an id), not a section."""
    stem = _split_extension(value)[0]
    return stem.count("-") >= 2 or stem.isdigit() or bool(re.search(r"-\d+$", stem))


@dataclass(frozen=True)
class UrlShape:
    """Article URLs of one form: the same host, segment count, slash and query keys."""

    host: str
    scheme: str
    segments: int
    slash: bool
    query_keys: tuple[str, ...]
    urls: tuple[str, ...]

    def regex(self) -> str:
        """A profile `articles.allow` regex for this form."""
        paths = [[s for s in urlsplit(u).path.split("/") if s] for u in self.urls]
        last = self.segments - 1
        parts = [segment_regex([p[i] for p in paths], i == last and not self.query_keys)
                 for i in range(self.segments)]  # fmt: skip
        regex = f"^{self.scheme}://{re.escape(self.host)}/" + "/".join(parts)
        regex += "/" if self.slash else ""
        if self.query_keys:
            queries = [dict(parse_qsl(urlsplit(u).query)) for u in self.urls]
            pairs = [f"{re.escape(k)}={segment_regex([q[k] for q in queries], True)}"
                     for k in self.query_keys]  # fmt: skip
            regex += r"\?" + "&".join(pairs)
        return regex + "$"

    @property
    def names_an_article(self) -> bool:
        """True when the last path segment (or a query value) is slug- or id-like."""
        last = [[s for s in urlsplit(u).path.split("/") if s][-1] for u in self.urls]
        queries = [v for u in self.urls for _, v in parse_qsl(urlsplit(u).query)]
        ids = bool(queries) and all(q.isdigit() for q in queries)
        return ids or all(_slug_like(v) for v in last)

    @property
    def literal_segments(self) -> list[str]:
        """Path segments every URL of the form shares (a section name, if any)."""
        paths = [[s for s in urlsplit(u).path.split("/") if s] for u in self.urls]
        return [paths[0][i] for i in range(self.segments)
                if segment_regex([p[i] for p in paths]) == re.escape(paths[0][i])]  # fmt: skip


def article_shapes(urls: list[str], min_urls: int = 3) -> list[UrlShape]:
    """URL forms with at least `min_urls` members that name single articles, largest first."""
    groups: dict[tuple[str, str, int, bool, tuple[str, ...], bool], list[str]] = defaultdict(list)
    for url in dict.fromkeys(urls):
        parts = urlsplit(url)
        segments = [s for s in parts.path.split("/") if s]
        if not segments or not parts.hostname:
            continue
        query = parse_qsl(parts.query)
        if any(k.lower() in _PAGING_KEYS for k, _ in query):
            continue  # a listing page, not an article
        keys = tuple(sorted(k for k, _ in query))
        # Section pages share a slug page's segment count: only slug-like ends group together.
        named = _slug_like(segments[-1]) or any(v.isdigit() for _, v in query)
        key = (parts.hostname, parts.scheme, len(segments), parts.path.endswith("/"), keys, named)
        groups[key].append(url)
    shapes = [UrlShape(*key[:5], tuple(members)) for key, members in groups.items()]
    useful = [s for s in shapes if len(s.urls) >= min_urls and s.names_an_article]
    return sorted(useful, key=lambda s: -len(s.urls))
