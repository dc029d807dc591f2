"""Names of a shared crawl's Redis keys, and the worker id a process gets by default."""

from __future__ import annotations

import os
import re
import socket
from dataclasses import dataclass

__all__ = ["CrawlKeys", "default_worker_id"]

_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")


def default_worker_id() -> str:
    """`<host>-<pid>`: unique per process on a machine, readable in file names."""
    host = re.sub(r"[^A-Za-z0-9-]+", "-", socket.gethostname().split(".")[0]).strip("-")
    return f"{host or 'host'}-{os.getpid()}"


@dataclass(frozen=True, slots=True)
class CrawlKeys:
    """Every key of one shared crawl lives under `opinion:<crawl>:`."""

    crawl: str

    def __post_init__(self) -> None:
        # scrapy-redis %-formats its key settings, and ':' would blur our namespacing.
        if not _NAME.match(self.crawl):
            raise ValueError(f"REDIS_CRAWL must match {_NAME.pattern}, got {self.crawl!r}")

    @property
    def prefix(self) -> str:
        """The namespace of this crawl."""
        return f"opinion:{self.crawl}:"

    @property
    def requests(self) -> str:
        """scrapy-redis's request queue (a sorted set by priority)."""
        return f"{self.prefix}requests"

    @property
    def dupefilter(self) -> str:
        """scrapy-redis's fingerprints of requests that are not `dont_filter`."""
        return f"{self.prefix}dupefilter"

    @property
    def known(self) -> str:
        """Hash: url_key -> the latest stored revision, seeded from the dataset."""
        return f"{self.prefix}known"

    @property
    def round(self) -> str:
        """Hash describing the current (or last) round of this crawl."""
        return f"{self.prefix}round"

    @property
    def lock(self) -> str:
        """Serializes workers joining and leaving, so one round is seeded once."""
        return f"{self.prefix}lock"

    def claims(self, name: str) -> str:
        """Set of url_keys claimed under `name` (articles, sources, listings:<site> ...)."""
        return f"{self.prefix}claims:{name}"

    def worker(self, worker_id: str) -> str:
        """Hash of a live worker's stats; expires when the worker stops refreshing it."""
        return f"{self.prefix}worker:{worker_id}"

    def finished(self, worker_id: str) -> str:
        """Hash of a finished worker's final stats."""
        return f"{self.prefix}finished:{worker_id}"

    def pattern(self, kind: str) -> str:
        """SCAN pattern for `claims`, `worker` or `finished` keys."""
        return f"{self.prefix}{kind}:*"
