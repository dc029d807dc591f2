"""Scale-out: crawl processes that share one Redis frontier, or (by default) a local one.

`REDIS_URL` (or the `OPINION_REDIS_URL` environment variable) is the one switch. Without it
nothing here imports Redis: the spider gets in-memory claims and the dataset's known articles.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from scrapy.settings import BaseSettings

from crawler.dataset.known import KnownArticles
from crawler.dataset.retries import KnownRejects
from crawler.distributed.config import redis_url, update_settings
from crawler.distributed.local import LocalClaims, LocalState

__all__ = [
    "ClaimSet", "CrawlState", "LocalClaims", "LocalState", "open_state", "redis_url",
    "update_settings",
]  # fmt: skip


class ClaimSet(Protocol):
    """URLs marked once per crawl: `add` answers whether this caller was the first."""

    def __contains__(self, url: object) -> bool: ...

    def __len__(self) -> int: ...

    def add(self, url: str) -> bool: ...


class CrawlState(Protocol):
    """What a crawl shares between its processes: URL claims and the known articles."""

    known: KnownArticles
    rejects: KnownRejects

    def claims(self, name: str) -> ClaimSet: ...


def open_state(settings: BaseSettings, sites: Iterable[str]) -> CrawlState:
    """The shared state when REDIS_URL is set, else this process's own."""
    if not redis_url(settings):
        return LocalState.from_settings(settings, sites)
    from crawler.distributed.local import rejects_from_settings
    from crawler.distributed.shared import SharedState

    state = SharedState.from_settings(settings)
    # Each worker reads the retry schedule itself: the rejects table is small.
    state.rejects = rejects_from_settings(settings, sites)
    return state
