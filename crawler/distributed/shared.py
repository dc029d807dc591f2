"""Crawl state in Redis: URL claims (SADD) and the known articles (a hash seeded once)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from redis import Redis
from scrapy.settings import BaseSettings
from scrapy_redis.connection import get_redis_from_settings

from crawler.dataset.known import KnownArticle, KnownArticles, url_key
from crawler.dataset.retries import KnownRejects
from crawler.distributed.keys import CrawlKeys
from crawler.distributed.outage import HEALTH

__all__ = [
    "RedisClaims",
    "RedisKnownArticles",
    "SharedState",
    "connect",
    "crawl_keys",
    "seed_known",
]

SEED_BATCH = 5000


def connect(settings: BaseSettings) -> Redis:
    """A client for REDIS_URL, configured like scrapy-redis's own (REDIS_PARAMS ...)."""
    return get_redis_from_settings(settings)  # type: ignore[no-any-return]


def crawl_keys(settings: BaseSettings) -> CrawlKeys:
    """The keys of the crawl named by REDIS_CRAWL."""
    return CrawlKeys(settings.get("REDIS_CRAWL") or "opinion")


def _member(url: str) -> str:
    return f"{url_key(url):016x}"


class RedisClaims:
    """A Redis set of url_keys; SADD decides which worker marked a URL first."""

    def __init__(self, server: Redis, key: str) -> None:
        self.server = server
        self.key = key
        # Claims are never withdrawn within a round: what we saw claimed stays claimed.
        self._claimed: set[str] = set()

    def __contains__(self, url: object) -> bool:
        if not isinstance(url, str):
            return False
        member = _member(url)
        if member in self._claimed:
            return True
        if HEALTH.call(
            "claim lookup", lambda: bool(self.server.sismember(self.key, member)), False
        ):
            self._claimed.add(member)
            return True
        return False

    def __len__(self) -> int:
        return int(HEALTH.call("claim count", lambda: self.server.scard(self.key), 0))

    def add(self, url: str) -> bool:
        """Mark `url`; True only for the one caller, in any process, that marked it first.

        While Redis does not answer, this process takes the claim: a page stored twice is
        absorbed by `load()`, a page dropped would be lost.
        """
        member = _member(url)
        if member in self._claimed:
            return False
        added = HEALTH.call("claim", lambda: bool(self.server.sadd(self.key, member)), True)
        self._claimed.add(member)
        return added


def _encode(article: KnownArticle) -> str:
    def iso(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return json.dumps([
        article.content_hash, article.revision, iso(article.fetched_at),
        iso(article.published_at), iso(article.modified_at), article.etag, article.last_modified,
    ])  # fmt: skip


def _decode(raw: bytes | str) -> KnownArticle:
    digest, revision, fetched, published, modified, etag, last_modified = json.loads(raw)

    def when(value: str | None) -> datetime | None:
        return datetime.fromisoformat(value) if value else None

    return KnownArticle(digest, revision, when(fetched), when(published), when(modified),
                        etag, last_modified)  # fmt: skip


class RedisKnownArticles(KnownArticles):
    """The known articles of a shared crawl, read from the hash the first worker seeded."""

    def __init__(self, server: Redis, keys: CrawlKeys) -> None:
        super().__init__()
        self.server = server
        self.keys = keys

    def __len__(self) -> int:
        count = HEALTH.call(
            "known count", lambda: self.server.hget(self.keys.round, "known_articles"), None
        )
        return int(count or 0)

    def get(self, url: str) -> KnownArticle | None:
        raw = HEALTH.call(
            "known lookup", lambda: self.server.hget(self.keys.known, _member(url)), None
        )
        return _decode(raw) if raw else None

    def remember(self, urls: Iterable[str], article: KnownArticle) -> None:
        raise TypeError("the shared known articles are seeded once, from the dataset")


class _Collector(KnownArticles):
    """`KnownArticles.from_dataset`'s reading, keeping each URL's latest revision for copying."""

    def __init__(self) -> None:
        super().__init__()
        self.latest: dict[str, KnownArticle] = {}

    def remember(self, urls: Iterable[str], article: KnownArticle) -> None:
        urls = list(urls)
        super().remember(urls, article)
        for url in urls:
            self.latest[_member(url)] = self.get(url)  # type: ignore[assignment]


def seed_known(server: Redis, keys: CrawlKeys, root: str, sites: Iterable[str]) -> int:
    """Copy the dataset's known articles of `sites` into Redis; returns how many articles."""
    collected = _Collector.from_dataset(root, sites)
    assert isinstance(collected, _Collector)
    server.delete(keys.known)
    items = [(member, _encode(article)) for member, article in collected.latest.items()]
    for start in range(0, len(items), SEED_BATCH):
        server.hset(keys.known, mapping=dict(items[start : start + SEED_BATCH]))
    return len(collected)


class SharedState:
    """Claims and known articles of the shared crawl named by REDIS_CRAWL."""

    def __init__(self, server: Redis, keys: CrawlKeys) -> None:
        self.server = server
        self.keys = keys
        self.known: KnownArticles = RedisKnownArticles(server, keys)
        self.rejects = KnownRejects()
        self._claims: dict[str, RedisClaims] = {}

    def claims(self, name: str) -> RedisClaims:
        """The shared claim set called `name`."""
        if name not in self._claims:
            self._claims[name] = RedisClaims(self.server, self.keys.claims(name))
        return self._claims[name]

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> SharedState:
        """Connected to REDIS_URL; the round itself is joined by the worker extension."""
        return cls(connect(settings), crawl_keys(settings))
