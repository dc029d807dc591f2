"""Which discovered articles a run fetches again: the recrawl policy (no Scrapy)."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from crawler.dataset.known import KnownArticle, KnownArticles
from crawler.dataset.retries import KnownRejects

__all__ = ["MAX_REFRESH_DAYS", "Decision", "RecrawlPolicy", "conditional_headers", "parse_refresh"]


MAX_REFRESH_DAYS = 36_500  # a century: beyond it, `all` says what is meant


class Decision(enum.Enum):
    """What to do with a discovered article URL."""

    NEW = "new"  # not in the dataset: fetch
    CHANGED = "changed"  # the feed or sitemap says it changed since we stored it
    REFRESH = "refresh"  # the user asked to re-check it (`-a refresh=...`)
    SKIP = "skip"  # stored and, as far as we can tell, unchanged
    RETRY = "retry"  # rejected before, and due for another attempt
    WAIT = "wait"  # rejected before for good reason: not due yet (crawler/dataset/retries.py)

    @property
    def fetches(self) -> bool:
        """True when the URL is requested."""
        return self not in (Decision.SKIP, Decision.WAIT)


def parse_refresh(value: str | None) -> timedelta | None:
    """`-a refresh=`: `all` (every stored article), N (published in the last N days), or none."""
    if value is None or value.strip().lower() in ("", "none", "0", "no", "false"):
        return None
    if value.strip().lower() == "all":
        return timedelta.max
    try:
        days = float(value)
    except ValueError:
        raise ValueError(
            f"refresh must be 'all', a number of days or 'none', got {value!r}"
        ) from None
    if not math.isfinite(days) or not 0 <= days <= MAX_REFRESH_DAYS:
        raise ValueError(
            f"refresh must be 'all' or a number of days from 0 to {MAX_REFRESH_DAYS}, got {value!r}"
        )
    return timedelta(days=days)


@dataclass(frozen=True, slots=True)
class RecrawlPolicy:
    """Decides, from the dataset's view of an article, whether to request it again."""

    known: KnownArticles
    refresh: timedelta | None = None
    now: datetime | None = None
    rejects: KnownRejects | None = None
    retry_all_rejects: bool = False

    def decide(
        self, url: str, source_changed_at: datetime | None
    ) -> tuple[Decision, KnownArticle | None]:
        """The decision for a URL found in a source that dates it `source_changed_at`."""
        stored = self.known.get(url)
        if stored is None:
            return self._unstored(url), None
        if source_changed_at is not None and _newer(source_changed_at, stored):
            return Decision.CHANGED, stored
        if self._wants_refresh(stored):
            return Decision.REFRESH, stored
        return Decision.SKIP, stored

    def _unstored(self, url: str) -> Decision:
        if self.rejects is None or url not in self.rejects:
            return Decision.NEW
        if self.retry_all_rejects or self.now is None or self.rejects.due(url, self.now):
            return Decision.RETRY
        return Decision.WAIT

    def seen_before(self, *urls: str | None) -> bool:
        """True when the dataset held an article or a reject for any of these URLs at start."""
        return any(
            url and (self.known.get(url) is not None or (self.rejects and url in self.rejects))
            for url in urls
        )

    def _wants_refresh(self, stored: KnownArticle) -> bool:
        if self.refresh is None:
            return False
        if self.refresh == timedelta.max or stored.published_at is None or self.now is None:
            return True
        return stored.published_at >= self.now - self.refresh


def _newer(source_changed_at: datetime, stored: KnownArticle) -> bool:
    changed_at = stored.changed_at
    if changed_at is None:
        # No date on the stored page: trust the source only if it moved past our fetch.
        return stored.fetched_at is not None and source_changed_at > stored.fetched_at
    # Sitemaps often give dates only: compare at the precision the source used.
    if source_changed_at.time() == datetime.min.time():
        return source_changed_at.date() > changed_at.date()
    return source_changed_at > changed_at


def conditional_headers(stored: KnownArticle | None) -> dict[str, str]:
    """If-None-Match / If-Modified-Since for a stored article, so an unchanged page costs a 304."""
    if stored is None:
        return {}
    headers = {}
    if stored.etag:
        headers["If-None-Match"] = stored.etag
    if stored.last_modified:
        headers["If-Modified-Since"] = stored.last_modified
    return headers
