"""Run identifiers: sortable by start time and unique across processes."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

__all__ = ["new_run_id"]


def new_run_id(now: datetime | None = None) -> str:
    """A new id such as `20261125T084100Z-3f9a1c`."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{secrets.token_hex(3)}"
