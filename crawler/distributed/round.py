"""One round of a shared crawl: who starts it (and seeds it), who is in it, who ends it."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from redis import Redis

from crawler.dataset.runid import new_run_id
from crawler.distributed.keys import CrawlKeys

__all__ = ["Fields", "SharedCrawl", "WorkerIdInUse"]

Fields = Mapping[str, str | int | float]  # a worker's stats, as stored in its Redis hash

logger = logging.getLogger(__name__)

LEAVE_LOCK_WAIT = 10.0  # seconds a closing worker waits for the round's lock
FINISHED_TTL = 7 * 24 * 3600  # final stats of a worker stay visible to `scrapy crawlstate`


class WorkerIdInUse(RuntimeError):
    """Another live worker of this crawl has the same WORKER_ID."""


def _text(value: bytes | str | None) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else (value or "")


def _texts(mapping: Mapping[Any, Any]) -> dict[str, str]:
    return {_text(k): _text(v) for k, v in mapping.items()}


class SharedCrawl:
    """A worker's view of one crawl in Redis.

    A round starts when a worker joins and finds no live worker: it resets the queue and
    claims left by an earlier round and seeds the known articles from the dataset, all
    under a lock, so workers starting together seed it once. It ends when the last live
    worker leaves. A worker is live while its stats hash has not expired.
    """

    def __init__(self, server: Redis, keys: CrawlKeys, worker_id: str, ttl: float,
                 join_timeout: float = 300.0) -> None:  # fmt: skip
        self.server = server
        self.keys = keys
        self.worker_id = worker_id
        self.ttl = max(1, round(ttl))
        self.join_timeout = join_timeout
        self.round_id = ""

    def _lock(self, blocking_timeout: float | None = None) -> Any:
        # Seeding a large dataset may take minutes: the lock outlives it, and expires if the
        # seeding worker dies so that the next one starts the round again.
        wait = self.join_timeout + 30 if blocking_timeout is None else blocking_timeout
        return self.server.lock(self.keys.lock, timeout=self.join_timeout,
                                blocking_timeout=wait)  # fmt: skip

    def live_workers(self) -> dict[str, dict[str, str]]:
        """Stats of every worker whose hash has not expired, by worker id."""
        keys = list(self.server.scan_iter(match=self.keys.pattern("worker"), count=1000))
        pipe = self.server.pipeline(transaction=False)
        for key in keys:
            pipe.hgetall(key)
        found = {}
        for key, fields in zip(keys, pipe.execute(), strict=True):
            if fields:
                found[_text(key).rsplit(":", 1)[1]] = _texts(fields)
        return found

    def join(self, sites: list[str], seed: Callable[[], int] | None) -> bool:
        """Enter the current round, or start one; True if this worker started it."""
        with self._lock():
            live = self.live_workers()
            if self.worker_id in live:
                raise WorkerIdInUse(f"WORKER_ID {self.worker_id} is used by a live worker")
            started = not live
            if started:
                self._start_round(sites, seed)
            else:
                self.round_id = _text(self.server.hget(self.keys.round, "id"))
                theirs = _text(self.server.hget(self.keys.round, "sites"))
                if theirs != ",".join(sites):
                    logger.warning(
                        "joining a crawl of sites %s with sites %s: the round's sources and "
                        "known articles are its own", theirs, sites,
                    )  # fmt: skip
            self.publish({"state": "starting"})
        logger.info("%s round %s of shared crawl %r as worker %s",
                    "started" if started else "joined", self.round_id, self.keys.crawl,
                    self.worker_id)  # fmt: skip
        return started

    def _start_round(self, sites: list[str], seed: Callable[[], int] | None) -> None:
        # Whatever an earlier round left (a queue, claims of requests that a killed worker
        # never finished) is dropped: the new round re-reads the sources, and the dataset
        # says what is already stored.
        self._delete_round_data()
        self.round_id = new_run_id()
        self.server.delete(
            self.keys.round, *self.server.scan_iter(match=self.keys.pattern("finished"))
        )
        known = seed() if seed is not None else 0
        self.server.hset(self.keys.round, mapping={
            "id": self.round_id, "status": "running", "started_at": _now(),
            "started_by": self.worker_id, "sites": ",".join(sites), "known_articles": known,
        })  # fmt: skip

    def _delete_round_data(self) -> None:
        claims = list(self.server.scan_iter(match=self.keys.pattern("claims"), count=1000))
        self.server.delete(self.keys.requests, self.keys.dupefilter, self.keys.known, *claims)

    def publish(self, stats: Fields) -> str:
        """Refresh this worker's stats hash and its expiry; returns the current round id."""
        pipe = self.server.pipeline(transaction=False)
        key = self.keys.worker(self.worker_id)
        fields: dict[Any, Any] = {"round": self.round_id, "updated_at": _now(), **stats}
        pipe.hset(key, mapping=fields)
        pipe.expire(key, self.ttl)
        pipe.hget(self.keys.round, "id")
        return _text(pipe.execute()[-1])

    def round_exists(self) -> bool:
        """False when the round's hash vanished (Redis restarted empty, or was flushed)."""
        return bool(self.server.exists(self.keys.round))

    def queue_length(self) -> int:
        """Requests waiting in the shared queue."""
        return int(self.server.zcard(self.keys.requests))

    def leave(self, stats: Fields) -> bool:
        """Leave the round, keeping final stats; the last worker out ends it. True if last."""
        # Bounded: a worker closing must not wait minutes for a lock (a seeding round holds
        # it long); without it this worker's stats are still kept and the round ends later.
        with self._lock(blocking_timeout=LEAVE_LOCK_WAIT):
            pipe = self.server.pipeline(transaction=False)
            pipe.delete(self.keys.worker(self.worker_id))
            finished = self.keys.finished(self.worker_id)
            fields: dict[Any, Any] = {"round": self.round_id, "finished_at": _now(), **stats}
            pipe.hset(finished, mapping=fields)
            pipe.expire(finished, FINISHED_TTL)
            pipe.execute()
            ours = _text(self.server.hget(self.keys.round, "id")) == self.round_id
            if self.live_workers() or not ours:
                return False
            self._end_round()
        return True

    def _end_round(self) -> None:
        left = self.queue_length()
        summary = self.claim_counts()
        self._delete_round_data()
        self.server.hset(self.keys.round, mapping={
            "status": "finished" if not left else f"interrupted ({left} requests dropped)",
            "finished_at": _now(), **{f"claimed:{k}": v for k, v in summary.items()},
        })  # fmt: skip
        logger.info("last worker out: round %s of %r ended", self.round_id, self.keys.crawl)

    def claim_counts(self) -> dict[str, int]:
        """Size of every claim set, by name."""
        keys = sorted(self.server.scan_iter(match=self.keys.pattern("claims"), count=1000))
        pipe = self.server.pipeline(transaction=False)
        for key in keys:
            pipe.scard(key)
        prefix = self.keys.claims("")
        return {_text(k).removeprefix(prefix): int(n)
                for k, n in zip(keys, pipe.execute(), strict=True)}  # fmt: skip

    def snapshot(self) -> dict[str, Any]:
        """Everything `scrapy crawlstate` shows."""
        finished_keys = sorted(self.server.scan_iter(match=self.keys.pattern("finished")))
        pipe = self.server.pipeline(transaction=False)
        for key in finished_keys:
            pipe.hgetall(key)
        finished = {_text(k).rsplit(":", 1)[1]: _texts(v)
                    for k, v in zip(finished_keys, pipe.execute(), strict=True)}  # fmt: skip
        return {
            "crawl": self.keys.crawl,
            "round": _texts(self.server.hgetall(self.keys.round)),
            "queue": self.queue_length(),
            "claims": self.claim_counts(),
            "known_urls": int(self.server.hlen(self.keys.known)),
            "dupefilter": int(self.server.scard(self.keys.dupefilter)),
            "workers": self.live_workers(),
            "finished": finished,
        }


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
