"""Which rejected pages a run fetches again: the retry schedule kept with the rejects (no Scrapy).

A page rejected for a reason that will not go away by itself (404/410, not HTML, no article
in it ...) is retried after doubling intervals: base, 2 x base, 4 x base ... up to a maximum,
counted from its last attempt. Other rejects (a 500, a timeout, a worker crash) are retried on
every run. The rejects dataset is the schedule: its rows are the attempts.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from crawler.dataset.known import url_key
from crawler.dataset.scan import scan_rows
from crawler.dataset.schema import RejectReason

__all__ = ["PERMANENT_REASONS", "KnownRejects", "RejectHistory", "RetrySchedule",
           "is_permanent", "parse_retry_rejects"]  # fmt: skip

logger = logging.getLogger(__name__)

PERMANENT_REASONS = frozenset({
    RejectReason.NOT_HTML, RejectReason.NO_ARTICLE, RejectReason.EMPTY_PAGE,
    RejectReason.TOO_SHORT, RejectReason.DUPLICATE,
})  # fmt: skip
PERMANENT_STATUSES = frozenset({404, 410})
# A nightly run that starts a few minutes earlier than yesterday's is still on time.
EARLY = 0.1


def is_permanent(reason: str, http_status: int | None) -> bool:
    """True for rejects that retrying soon would only repeat."""
    if reason == RejectReason.HTTP_ERROR:
        return http_status in PERMANENT_STATUSES
    return reason in PERMANENT_REASONS


def parse_retry_rejects(value: str | None) -> bool:
    """`-a retry_rejects=`: `due` (the schedule, default) or `all`; True means all."""
    choice = (value or "due").strip().lower()
    if choice not in ("due", "all"):
        raise ValueError(f"retry_rejects must be 'due' or 'all', got {value!r}")
    return choice == "all"


@dataclass(frozen=True, slots=True)
class RetrySchedule:
    """Doubling intervals between attempts at a permanently failing page."""

    base: timedelta = timedelta(days=1)
    maximum: timedelta = timedelta(days=32)

    def interval(self, attempts: int) -> timedelta:
        """The wait after `attempts` permanent rejections in a row."""
        doublings = min(max(attempts - 1, 0), 30)
        return min(self.base * (2**doublings), self.maximum)


@dataclass(slots=True)
class RejectHistory:
    """What the rejects dataset says about one URL."""

    attempts: int = 0  # permanent rejections
    last_at: datetime | None = None
    permanent: bool = False  # the latest rejection was permanent

    def add(self, reason: str, http_status: int | None, fetched_at: datetime | None) -> None:
        permanent = is_permanent(reason, http_status)
        self.attempts += permanent
        if fetched_at is not None and (self.last_at is None or fetched_at >= self.last_at):
            self.last_at, self.permanent = fetched_at, permanent


class KnownRejects:
    """URLs the dataset holds rejects for, and when each is due again."""

    def __init__(self, schedule: RetrySchedule | None = None) -> None:
        self.schedule = schedule or RetrySchedule()
        self._by_key: dict[int, RejectHistory] = {}

    def __len__(self) -> int:
        return len(self._by_key)

    def __contains__(self, url: object) -> bool:
        return isinstance(url, str) and url_key(url) in self._by_key

    def add(self, url: str, reason: str, http_status: int | None,
            fetched_at: datetime | None) -> None:  # fmt: skip
        """Record one reject row."""
        self._by_key.setdefault(url_key(url), RejectHistory()).add(reason, http_status, fetched_at)

    def due(self, url: str, now: datetime) -> bool:
        """True when the page should be fetched again now."""
        history = self._by_key.get(url_key(url))
        if history is None or not history.permanent or history.last_at is None:
            return True
        wait = self.schedule.interval(history.attempts)
        return now >= history.last_at + wait * (1 - EARLY)

    @classmethod
    def from_dataset(cls, root: Path | str, sites: Iterable[str],
                     schedule: RetrySchedule | None = None) -> KnownRejects:  # fmt: skip
        """Read the url, reason, status and date columns of the given sites' rejects."""
        rejects = cls(schedule)
        columns = ["url", "reason", "http_status", "fetched_at"]
        for row in scan_rows(root, "rejects", sites, columns):
            rejects.add(row["url"], row["reason"], row["http_status"], row["fetched_at"])
        logger.debug("dataset %s holds rejects for %d URLs of these sites", root, len(rejects))
        return rejects
