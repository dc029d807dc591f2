"""Redis calls that may fail: the frontier's health as this worker sees it (one per process)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from redis.exceptions import RedisError

__all__ = ["FrontierHealth", "RedisError"]

logger = logging.getLogger(__name__)

T = TypeVar("T")


class FrontierHealth:
    """When Redis last answered, and a call wrapper that answers `default` while it does not.

    A call that fails is logged once per outage (not once per request: a crawl makes
    thousands); the worker extension decides when an outage has lasted too long.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.last_ok = clock()
        self.down_since: float | None = None
        self.failures = 0

    def ok(self) -> None:
        """Redis answered."""
        if self.down_since is not None:
            logger.warning("shared frontier (Redis) reachable again after %.1f s",
                           self.clock() - self.down_since)  # fmt: skip
        self.last_ok, self.down_since = self.clock(), None

    def failed(self, what: str, exc: BaseException) -> None:
        """A Redis call failed."""
        self.failures += 1
        if self.down_since is None:
            self.down_since = self.clock()
            logger.warning("shared frontier (Redis) unreachable: %s: %s", what, exc)

    def silent_for(self) -> float:
        """Seconds since Redis last answered."""
        return self.clock() - self.last_ok

    def call(self, what: str, call: Callable[[], T], default: T) -> T:
        """`call()`, or `default` when Redis does not answer."""
        try:
            result = call()
        except RedisError as exc:
            self.failed(what, exc)
            return default
        self.ok()
        return result


# One connection pool per process, so one view of its health: the scheduler, the claims and
# the worker extension all report to and read from this object.
HEALTH = FrontierHealth()
