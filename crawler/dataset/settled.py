"""Pages a run need not fetch again: rejected for a reason that re-fetching cannot change."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from crawler.dataset.known import url_key
from crawler.dataset.scan import scan_rows
from crawler.dataset.schema import RejectReason

__all__ = ["SETTLED_REASONS", "settled_urls"]

# A news article stays news: once its own page said so, nightly runs skip it.
SETTLED_REASONS = (RejectReason.WRONG_SECTION,)


def settled_urls(root: Path | str, sites: Iterable[str]) -> set[int]:
    """url_keys of the sites' pages rejected for a settled reason in earlier runs."""
    rows = scan_rows(root, "rejects", sites, ["url", "reason"])
    return {url_key(row["url"]) for row in rows if row["reason"] in SETTLED_REASONS and row["url"]}
