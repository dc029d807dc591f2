"""The exit status of every command, in one table (README: "Exit codes")."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

from crawler.monitor.outcome import finish_reason

__all__ = ["FINISH_REASON_CODES", "ExitCode", "run_exit_code"]


class ExitCode(enum.IntEnum):
    """What a scheduler or cron sees when a command ends."""

    OK = 0
    FAILED = 1  # could not start, crashed or was interrupted (Ctrl-C, SIGTERM)
    USAGE = 2  # usage or configuration error: one line on stderr, nothing fetched
    ALERT = 3  # ran, but raised an alert: quality drift or a broken source (DRIFT_EXIT_CODE)
    STORAGE_FAILED = 4  # the dataset could not be written
    SOURCES_FAILED = 5  # every source of every site failed: nothing could be discovered
    FRONTIER_LOST = 6  # the shared Redis frontier was lost (REDIS_URL crawls)


# A finish reason that is not `finished` and not listed here (`closespider_timeout` ...)
# is a limit the user set: the run did what it was asked to.
FINISH_REASON_CODES: Mapping[str, ExitCode] = {
    "storage_failed": ExitCode.STORAGE_FAILED,
    "sources_failed": ExitCode.SOURCES_FAILED,
    "frontier_lost": ExitCode.FRONTIER_LOST,
    "shared_round_reset": ExitCode.FRONTIER_LOST,
    "worker_id_in_use": ExitCode.USAGE,
    "shutdown": ExitCode.FAILED,
    "start_error": ExitCode.FAILED,
    "cancelled": ExitCode.FAILED,
}


def run_exit_code(stats: Mapping[str, Any]) -> int:
    """A crawl's exit status from its stats: the finish reason first, then its alerts."""
    # A write that failed in the final flush, after Scrapy decided the reason, still fails.
    reason = finish_reason(stats, stats.get("finish_reason")) or "finished"
    if reason in FINISH_REASON_CODES:
        return int(FINISH_REASON_CODES[reason])
    return max(int(stats.get(f"{check}/exit_code", 0) or 0) for check in ("drift", "sources"))
