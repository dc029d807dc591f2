"""Pages a run need not fetch again: rejected for a reason that re-fetching cannot change."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from crawler.dataset.known import url_key
from crawler.dataset.schema import RejectReason

__all__ = ["SETTLED_REASONS", "settled_urls"]

# A news article stays news: once its own page said so, nightly runs skip it.
SETTLED_REASONS = (RejectReason.WRONG_SECTION,)


def settled_urls(root: Path | str, sites: Iterable[str]) -> set[int]:
    """url_keys of the sites' pages rejected for a settled reason in earlier runs."""
    if not (Path(root) / "rejects").is_dir():
        return set()  # a first run: no need for pyarrow.dataset, which imports pandas
    import pyarrow.dataset as ds

    from crawler.dataset.loader import open_dataset

    names = list(sites)
    dataset = open_dataset(root, "rejects", names)  # only these sites' files are checked
    condition = ds.field("site").isin(names) & ds.field("reason").isin(list(SETTLED_REASONS))
    table = dataset.to_table(columns=["url"], filter=condition)
    return {url_key(url) for url in table.column("url").to_pylist() if url}
