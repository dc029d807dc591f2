"""Compaction: rewrite a site's partitions into few large files, swapped in atomically."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import logging
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from crawler.dataset.files import table_files
from crawler.dataset.loader import latest_per_article, migrate
from crawler.dataset.locking import exclusive_lock
from crawler.dataset.runid import new_run_id
from crawler.dataset.schema import ARTICLE_SCHEMA, UTC_TS, dictionary_columns
from crawler.dataset.writer import atomic_file

__all__ = [
    "CompactionResult", "compact_site", "exchange_paths", "quarantine", "remove_stale_staging",
]  # fmt: skip

logger = logging.getLogger(__name__)

RENAME_EXCHANGE = 2  # linux/fs.h
BATCH_ROWS = 2048  # rows per scanner batch
ROW_GROUP_ROWS = 10_000  # rows buffered per row group written: ~40 MB of article text
STAGING_PREFIXES = (".compact-", ".reextract-")
QUARANTINE = ".quarantine"  # hidden: no reader ever takes it for data


@dataclass(frozen=True, slots=True)
class CompactionResult:
    """What a compaction read and wrote for one site."""

    site: str
    rows_before: int
    rows_after: int
    files_before: int
    files_after: int
    quarantined: int = 0  # files that were not the dataset's, moved to articles/.quarantine


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


def _winners(files: list[Path]) -> pa.Array:
    """The revision key of each article's latest row, read two columns a file at a time."""
    urls: list[str] = []
    fetched: list[object] = []
    for path in files:
        # ParquetFile, not read_table(): the latter kept ~20 KB per file read (pyarrow 26).
        with pq.ParquetFile(path) as parquet:
            keys = parquet.read(columns=["canonical_url", "fetched_at"])
        urls += keys.column(0).to_pylist()
        fetched += keys.column(1).to_pylist()
    table = pa.table({"canonical_url": pa.array(urls, pa.string()),
                      "fetched_at": pa.array(fetched, UTC_TS)})  # fmt: skip
    return _revision_key(latest_per_article(table))


def _batches(files: Iterable[Path]) -> Iterator[pa.Table]:
    """The files' rows in batches of BATCH_ROWS at most, migrated to the current schema.

    Files are opened one at a time and closed before the next: pyarrow's dataset keeps
    each fragment's footer once read, which over ~50k small files cost gigabytes.
    """
    for path in files:
        with pq.ParquetFile(path) as parquet:
            for batch in parquet.iter_batches(batch_size=BATCH_ROWS):
                if batch.num_rows:
                    yield migrate(pa.Table.from_batches([batch]))


class _MonthFile:
    """One compacted month's file, written in row groups and opened on its first row."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.stack = contextlib.ExitStack()
        self.out: pq.ParquetWriter | None = None
        self.rows = 0

    def write(self, tables: list[pa.Table]) -> None:
        group = pa.concat_tables(tables)
        tables.clear()
        if not group.num_rows:
            return
        if self.out is None:
            sink = self.stack.enter_context(atomic_file(self.path))
            dictionary = dictionary_columns(ARTICLE_SCHEMA)
            self.out = self.stack.enter_context(
                pq.ParquetWriter(
                    sink, ARTICLE_SCHEMA, compression="zstd", use_dictionary=dictionary
                )
            )
        self.out.write_table(group, row_group_size=group.num_rows)
        self.rows += group.num_rows


def _write_month(batches: Iterable[pa.Table], path: Path, winners: pa.Array | None) -> int:
    """Stream a month's rows into one file, ROW_GROUP_ROWS rows buffered at most; rows written."""
    month = _MonthFile(path)
    pending: list[pa.Table] = []
    with month.stack:
        for table in batches:
            if winners is not None:
                table = table.filter(pc.is_in(_revision_key(table), value_set=winners))
            pending.append(table)
            if sum(t.num_rows for t in pending) >= ROW_GROUP_ROWS:
                month.write(pending)
        if pending:
            month.write(pending)
    return month.rows


def _rewrite(
    files: list[Path],
    target: Path,
    latest_only: bool,
    run_id: str,
    tick: Callable[[int], object] | None = None,
) -> int:
    """Write the site's rows, one month at a time, streamed: memory does not grow with files."""
    winners = _winners(files) if latest_only else None
    months: dict[Path, list[Path]] = {}
    for path in files:
        months.setdefault(path.parent, []).append(path)
    rows = 0
    for month_dir in sorted(months):
        name = f"part-{run_id}-compact.parquet"
        path = target / month_dir.parent.name / month_dir.name / name
        rows += _write_month(_batches(months[month_dir]), path, winners)
        if tick is not None:
            tick(rows)
    return rows


def remove_stale_staging(root: Path) -> list[Path]:
    """Delete what killed compactions and re-extractions left; call with the exclusive lock.

    A staging directory holds either unfinished new files (the live partition was never
    touched) or, after the exchange, the superseded old ones: never the only copy of a row.
    """
    stale = [p for table in ("articles", "rejects") for prefix in STAGING_PREFIXES
             for p in (root / table).glob(f"{prefix}*") if p.is_dir()]  # fmt: skip
    for path in stale:
        logger.warning("removing %s, left by an interrupted compaction or re-extraction", path)
        shutil.rmtree(path, ignore_errors=True)
    return stale


def quarantine(root: Path, table: str, skipped: list[tuple[Path, str]], run_id: str) -> Path:
    """Move foreign and unreadable files aside (never delete them) into a hidden directory."""
    directory = root / table
    target = directory / QUARANTINE / run_id
    for path, problem in skipped:
        moved = target / path.relative_to(directory)
        moved.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, moved)
        logger.warning("moved %s aside to %s: %s", path, moved, problem)
    return target


def compact_site(
    root: Path | str,
    site: str,
    latest_only: bool = False,
    tick: Callable[[int], object] | None = None,
) -> CompactionResult:
    """Rewrite `articles/site=<site>`; refused while a crawl holds the dataset.

    Under the exclusive lock it first removes stale staging directories and moves files
    that are not the dataset's into `articles/.quarantine/`. Files of older schema versions
    are rewritten in the current one. `tick(rows_written)` is called after each month.
    """
    root = Path(root)
    articles = root / "articles"
    live = articles / f"site={site}"
    if not live.is_dir():
        raise FileNotFoundError(f"no partition {live}")
    run_id = new_run_id()
    staging = articles / f".compact-{run_id}"
    with exclusive_lock(root):
        remove_stale_staging(root)
        files = table_files(articles, ARTICLE_SCHEMA, [site], warn=False)
        if files.skipped:
            quarantine(root, "articles", files.skipped, run_id)
        files_before = len(files.readable)
        rows_before = sum(files.rows.values())
        months = len({path.parent for path in files.readable})
        if files_before <= months and not latest_only:
            return CompactionResult(site, rows_before, rows_before, files_before, files_before,
                                    len(files.skipped))  # fmt: skip
        rows_after = _rewrite(files.readable, staging, latest_only, run_id, tick)
        new_site = staging / f"site={site}"
        new_site.mkdir(parents=True, exist_ok=True)
        exchange_paths(new_site, live)
        # `new_site` now holds the old files, and any hidden temporary file a killed
        # writer left behind; readers already see only the new ones.
        shutil.rmtree(staging)
    files_after = len(list(live.rglob("*.parquet")))
    logger.info("compacted %s: %d rows in %d files -> %d rows in %d files",
                site, rows_before, files_before, rows_after, files_after)  # fmt: skip
    return CompactionResult(site, rows_before, rows_after, files_before, files_after,
                            len(files.skipped))  # fmt: skip
