"""How a run ended: the finish reasons and stats that make it a failed run."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["FAILED_REASONS", "FAILED_STAT", "STORAGE_FAILED", "finish_reason"]

STORAGE_FAILED = "storage_failed"
FAILED_REASONS = {STORAGE_FAILED}
# Set once any dataset write failed: the manifest and the exit code read it, also when the
# failure came in the final flush, after Scrapy had already decided the finish reason.
FAILED_STAT = "storage/error"


def finish_reason(stats: Mapping[str, Any], reason: str | None) -> str | None:
    """The run's true finish reason: `storage_failed` whenever a dataset write failed."""
    return STORAGE_FAILED if stats.get(FAILED_STAT) else reason
