"""Source problems (feeds, sitemaps): each a named, counted warning, never a silent loss."""

from __future__ import annotations

import logging
from collections import Counter

from scrapy.statscollectors import StatsCollector

__all__ = ["report_problems"]

logger = logging.getLogger(__name__)


def report_problems(stats: StatsCollector | None, url: str, problems: list[str]) -> None:
    """One stat `sources/<problem>` increment per occurrence, one log line per problem."""
    for problem, count in Counter(problems).items():
        if stats is not None:
            stats.inc_value(f"sources/{problem}", count)
        logger.warning("source %s: %s%s", url, problem, f" ({count} times)" if count > 1 else "")
