"""Compaction: rewrite a site's partitions into few large files, swapped in atomically."""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from crawler.dataset.loader import latest_per_article, open_dataset
from crawler.dataset.locking import exclusive_lock
from crawler.dataset.runid import new_run_id
from crawler.dataset.schema import ARTICLE_SCHEMA, PARTITION_FIELDS
from crawler.dataset.writer import DatasetWriter

__all__ = ["CompactionResult", "compact_site", "exchange_paths"]

logger = logging.getLogger(__name__)

RENAME_EXCHANGE = 2  # linux/fs.h


@dataclass(frozen=True, slots=True)
class CompactionResult:
    """What a compaction read and wrote for one site."""

    site: str
    rows_before: int
    rows_after: int
    files_before: int
    files_after: int


def exchange_paths(a: Path, b: Path) -> None:
    """Swap two directories in one atomic step (Linux renameat2 RENAME_EXCHANGE)."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    at_fdcwd = -100
    result = libc.renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), RENAME_EXCHANGE)
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"renameat2 exchange failed: {os.strerror(errno)}", str(a))


def _revision_key(table: pa.Table) -> pa.Array:
    fetched = pc.cast(table.column("fetched_at"), pa.string())
    return pc.binary_join_element_wise(table.column("canonical_url"), fetched, "|")


def _winners(dataset: ds.Dataset, site: str) -> pa.Array:
    keys = dataset.to_table(
        columns=["canonical_url", "fetched_at"], filter=ds.field("site") == site
    )
    return _revision_key(latest_per_article(keys))


def _rewrite(
    dataset: ds.Dataset,
    site: str,
    target: Path,
    latest_only: bool,
    run_id: str,
    tick: Callable[[int], object] | None = None,
) -> int:
    winners = _winners(dataset, site) if latest_only else None
    writer = DatasetWriter(target, ARTICLE_SCHEMA, PARTITION_FIELDS, f"part-{run_id}-compact",
                           flush_rows=10**9, flush_seconds=float("inf"))  # fmt: skip
    months = dataset.to_table(columns=["month"], filter=ds.field("site") == site)
    for month in sorted(set(months.column("month").to_pylist())):
        expr = (ds.field("site") == site) & (ds.field("month") == month)
        table = dataset.to_table(filter=expr)
        if winners is not None:
            table = table.filter(pc.is_in(_revision_key(table), value_set=winners))
        # One partition at a time: memory is bounded by the largest month, not the site.
        for row in table.to_pylist():
            writer.write(row)
        writer.flush()
        if tick is not None:
            tick(writer.rows_written)
    return writer.rows_written


def compact_site(
    root: Path | str,
    site: str,
    latest_only: bool = False,
    tick: Callable[[int], object] | None = None,
) -> CompactionResult:
    """Rewrite `articles/site=<site>`; refused while a crawl holds the dataset.

    `tick(rows_written)` is called after each month partition, for progress display.
    """
    root = Path(root)
    articles = root / "articles"
    live = articles / f"site={site}"
    if not live.is_dir():
        raise FileNotFoundError(f"no partition {live}")
    run_id = new_run_id()
    staging = articles / f".compact-{run_id}"
    with exclusive_lock(root):
        dataset = open_dataset(root, "articles")
        files_before = len(list(live.rglob("*.parquet")))
        rows_before = dataset.count_rows(filter=ds.field("site") == site)
        months = len(list(live.glob("month=*")))
        if files_before <= months and not latest_only:
            return CompactionResult(site, rows_before, rows_before, files_before, files_before)
        rows_after = _rewrite(dataset, site, staging, latest_only, run_id, tick)
        new_site = staging / f"site={site}"
        exchange_paths(new_site, live)
        # `new_site` now holds the old files, and any hidden temporary file a killed
        # writer left behind; readers already see only the new ones.
        shutil.rmtree(staging)
    files_after = len(list(live.rglob("*.parquet")))
    logger.info("compacted %s: %d rows in %d files -> %d rows in %d files",
                site, rows_before, files_before, rows_after, files_after)  # fmt: skip
    return CompactionResult(site, rows_before, rows_after, files_before, files_after)
