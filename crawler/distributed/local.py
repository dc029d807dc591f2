"""The crawl state of a single process: URL claims in memory, known articles from the dataset."""

from __future__ import annotations

from collections.abc import Iterable

from scrapy.settings import BaseSettings

from crawler.dataset.known import KnownArticles, url_key

__all__ = ["LocalClaims", "LocalState"]


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

    def __init__(self, known: KnownArticles | None = None) -> None:
        self.known = known if known is not None else KnownArticles()
        self._claims: dict[str, LocalClaims] = {}

    def claims(self, name: str) -> LocalClaims:
        """The claim set called `name`."""
        return self._claims.setdefault(name, LocalClaims())

    @classmethod
    def from_settings(cls, settings: BaseSettings, sites: Iterable[str]) -> LocalState:
        """Known articles read from the dataset (also when not incremental: revisions need them)."""
        root = settings.get("PARQUET_DIR")
        return cls(KnownArticles.from_dataset(root, sites)) if root else cls()
