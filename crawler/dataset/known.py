"""What the dataset already holds, per article: the source of truth for incremental runs."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import xxhash

from crawler.dataset.identity import normalize_url
from crawler.dataset.scan import scan_rows

__all__ = ["KnownArticle", "KnownArticles", "url_key"]

logger = logging.getLogger(__name__)

COLUMNS = [
    "url", "canonical_url", "content_hash", "revision", "fetched_at",
    "published_at", "modified_at", "etag", "last_modified",
]  # fmt: skip


# A discovered URL is looked up in the claims and the known articles one after another.
@lru_cache(maxsize=1024)
def url_key(url: str) -> int:
    """An 8-byte key for a URL, equal for URLs that normalize alike."""
    return xxhash.xxh64_intdigest(normalize_url(url).encode("utf-8"))


@dataclass(frozen=True, slots=True)
class KnownArticle:
    """The latest stored revision of one article."""

    content_hash: str
    revision: int
    fetched_at: datetime | None
    published_at: datetime | None
    modified_at: datetime | None
    etag: str | None
    last_modified: str | None

    @property
    def changed_at(self) -> datetime | None:
        """When the site says this version was last changed."""
        return self.modified_at or self.published_at


class KnownArticles:
    """Latest stored revision per article, found by the URL it was fetched from.

    A row whose identity (canonical URL) differs from its fetched URL only *claims* that
    identity: `get` does not answer for it, so a page that once declared another article's
    URL as its canonical can never make the crawl skip that article (`claimed` tells dedupe).
    """

    def __init__(self) -> None:
        self._by_key: dict[int, KnownArticle] = {}
        self._claims: dict[int, KnownArticle] = {}  # aliases are rare: a small map

    def __len__(self) -> int:
        return len({id(v) for v in self._by_key.values()})

    def get(self, url: str) -> KnownArticle | None:
        """The stored article fetched from this URL (or one that normalizes alike), if any."""
        return self._by_key.get(url_key(url))

    def claimed(self, url: str) -> KnownArticle | None:
        """A stored article fetched elsewhere that declared this URL as its canonical."""
        return self._claims.get(url_key(url))

    def remember_row(self, url: str, canonical_url: str, article: KnownArticle) -> None:
        """Record a stored row under its fetched URL, and its canonical URL as a claim."""
        self.remember((url,), article)
        key = url_key(canonical_url)
        if key != url_key(url):
            current = self._claims.get(key)
            if current is None or current.revision <= article.revision:
                self._claims[key] = article

    def remember(self, urls: Iterable[str], article: KnownArticle) -> None:
        """Record (or supersede) what is stored for an article's URLs."""
        for url in urls:
            key = url_key(url)
            current = self._by_key.get(key)
            if current is None or current.revision <= article.revision:
                self._by_key[key] = article

    @classmethod
    def from_dataset(cls, root: Path | str, sites: Iterable[str]) -> KnownArticles:
        """Read only the needed columns of the given sites' partitions."""
        known = cls()
        for row in scan_rows(root, "articles", sites, COLUMNS):
            article = KnownArticle(
                content_hash=row["content_hash"],
                revision=row["revision"],
                fetched_at=row["fetched_at"],
                published_at=row["published_at"],
                modified_at=row["modified_at"],
                etag=row["etag"],
                last_modified=row["last_modified"],
            )
            known.remember_row(row["url"], row["canonical_url"], article)
        logger.info("dataset %s already holds %d articles for these sites", root, len(known))
        return known
