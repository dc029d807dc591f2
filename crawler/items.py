"""The raw page item a spider yields: what was fetched, not what it means."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["PageItem"]


@dataclass(slots=True)
class PageItem:
    """One fetched (or failed) article URL, before extraction."""

    url: str
    site: str
    status: int
    body: bytes
    fetched_at: datetime
    content_type: str | None = None
    requested_url: str | None = None
    error: str | None = None  # set when the download itself failed (no response)
    error_reason: str | None = None  # the RejectReason for that failure
    etag: str | None = None
    last_modified: str | None = None

    def __repr__(self) -> str:
        # Logged on drops and errors: never dump the body.
        return f"PageItem(url={self.url!r}, site={self.site!r}, status={self.status})"
