"""The crawl state of a single process: URL claims in memory, known articles from the dataset."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from scrapy.settings import BaseSettings

from crawler.dataset.known import KnownArticles, url_key
from crawler.dataset.retries import KnownRejects, RetrySchedule

__all__ = ["LocalClaims", "LocalState", "rejects_from_settings"]


class LocalClaims:
    """URLs marked in this process, by their 8-byte url_key."""

    def __init__(self) -> None:
        self._keys: set[int] = set()

    def __contains__(self, url: object) -> bool:
        return isinstance(url, str) and url_key(url) in self._keys

    def __len__(self) -> int:
        return len(self._keys)

    def add(self, url: str) -> bool:
        """Mark `url`; True if nobody had marked it before."""
        key = url_key(url)
        if key in self._keys:
            return False
        self._keys.add(key)
        return True


class LocalState:
    """Claims per name and the known articles, for one crawl process."""

    def __init__(self, known: KnownArticles | None = None,
                 rejects: KnownRejects | None = None) -> None:  # fmt: skip
        self.known = known if known is not None else KnownArticles()
        self.rejects = rejects if rejects is not None else KnownRejects()
        self._claims: dict[str, LocalClaims] = {}

    def claims(self, name: str) -> LocalClaims:
        """The claim set called `name`."""
        return self._claims.setdefault(name, LocalClaims())

    @classmethod
    def from_settings(cls, settings: BaseSettings, sites: Iterable[str]) -> LocalState:
        """Known articles read from the dataset (also when not incremental: revisions need them)."""
        root = settings.get("PARQUET_DIR")
        if not root:
            return cls()
        sites = list(sites)
        return cls(KnownArticles.from_dataset(root, sites), rejects_from_settings(settings, sites))


def rejects_from_settings(settings: BaseSettings, sites: Iterable[str]) -> KnownRejects:
    """The dataset's rejects of `sites`, with the REJECT_RETRY_* schedule."""
    schedule = RetrySchedule(
        timedelta(days=settings.getfloat("REJECT_RETRY_DAYS", 1.0)),
        timedelta(days=settings.getfloat("REJECT_RETRY_MAX_DAYS", 32.0)),
    )
    root = settings.get("PARQUET_DIR")
    return KnownRejects.from_dataset(root, sites, schedule) if root else KnownRejects(schedule)
