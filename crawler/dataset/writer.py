"""A streaming, atomic writer of hive-partitioned Parquet datasets (no Scrapy)."""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import pyarrow as pa
import pyarrow.parquet as pq

from crawler.dataset.columns import table_from_rows
from crawler.dataset.schema import dictionary_columns

__all__ = [
    "DatasetWriter",
    "UnwritableRow",
    "atomic_file",
    "atomic_write_bytes",
    "return_freed_memory",
    "row_bytes",
]

logger = logging.getLogger(__name__)

# Called with a row that cannot become part of a file (and why); the rest of its batch lands.
UnwritableRow = Callable[[dict[str, Any], Exception], object]


def return_freed_memory() -> None:
    """Make Arrow allocate through malloc, which hands what a flush freed back to the system.

    Arrow's default pool (mimalloc) keeps freed memory for its next use: a crawl, whose
    flushes come far apart, held ~75 MB of it between them for nothing.
    """
    pa.set_memory_pool(pa.system_memory_pool())


def _log_unwritable(row: dict[str, Any], exc: Exception) -> None:
    logger.error("row %r cannot be written: %s: %s", row.get("url"), type(exc).__name__, exc)


PartitionKey = tuple[str, ...]

# A first crawl spreads its articles over many months, and writing every month at every flush
# made files of a row or two, each costing ~1-2 ms of CPU to create and write however few rows
# it holds: 1,640 files for 3,595 rows in a crawl of the development set's real pages. Its
# thinnest partitions now wait for more rows, within this share of a bound: 1,320 files
# there, while on the demo site, whose rows fall into a few months, the count stayed the same
# (a simulation of both crawls' rows: half a bound kept saved 26% there but cost 11% here).
KEPT_SHARE = 0.3


@dataclass(slots=True)
class _Batch:
    """The rows of one flush, taken out of the buffer, and what writing them did."""

    rows: dict[PartitionKey, list[dict[str, Any]]]  # emptied as each partition's file lands
    files: dict[PartitionKey, Path]  # named when taken, so a thread never counts files
    since: dict[PartitionKey, float]  # when each partition's oldest row arrived
    written: list[Path] = field(default_factory=list)
    rows_written: int = 0
    unwritable: list[tuple[dict[str, Any], Exception]] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(len(rows) for rows in self.rows.values())


class DatasetWriter:
    """Buffers rows and writes each flush as complete files, one per partition.

    Readers never see a partial file: each file is written under a hidden temporary
    name (ignored by pyarrow, pandas and `*.parquet` globs), fsynced, then renamed.
    A killed process loses only the rows still buffered: at most `flush_rows`, or about
    `flush_bytes` of their text and bytes (large rows fill the buffer's memory long before
    their count does), none older than `flush_seconds`. A row that cannot be converted to
    the schema (text that is no valid Unicode, a number out of range) is handed to
    `on_unwritable` and left out; the rest of its batch lands.

    When the rows or bytes bound is reached, a flush writes the partitions holding the most
    first, until what stays is at most KEPT_SHARE of each bound; the others wait for a later
    flush (or their `flush_seconds`, or `flush`/`close`).

    With `background=True` a flush writes its batch in a thread while `write` goes on
    buffering: the crawl's reactor no longer stops for it (~0.5 s per flush of a first run's
    ~100 partitions). Everything the caller sees still happens in its own thread, at its next
    `write`, `wait` or `close`: the rows counted, unwritable rows reported, and the error of
    a failed flush raised, its unwritten rows back in the buffer. One flush at a time; a
    second one due while the first is under way waits for it. A killed process then loses
    at most the batch under way and the rows buffered since.
    """

    def __init__(
        self,
        root: Path | str,
        schema: pa.Schema,
        partition_by: Iterable[str],
        file_prefix: str,
        *,
        flush_rows: int = 2000,
        flush_bytes: int | None = None,
        flush_seconds: float = 300.0,
        row_group_rows: int = 50_000,
        compression: str = "zstd",
        on_unwritable: UnwritableRow = _log_unwritable,
        background: bool = False,
    ) -> None:
        self.root = Path(root)
        self.schema = schema
        self.partition_by = tuple(partition_by)
        self.file_prefix = file_prefix
        self.flush_rows = max(1, flush_rows)
        self.flush_bytes = flush_bytes
        self.flush_seconds = flush_seconds
        self.row_group_rows = row_group_rows
        self.compression = compression
        self.on_unwritable = on_unwritable
        self.rows_written = 0
        self.rows_unwritable = 0
        self.files_written: list[Path] = []
        self._buffers: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        self._buffered = 0
        self._sizes: dict[tuple[str, ...], int] = defaultdict(int)  # approximate row bytes
        self._bytes = 0  # their sum
        self._since: dict[PartitionKey, float] = {}  # when each partition's oldest row came
        self._oldest: float | None = None  # the least of those
        self._sequence = 0
        self._executor = ThreadPoolExecutor(1, "parquet-flush") if background else None
        self._dictionary = dictionary_columns(schema)
        self._under_way: tuple[_Batch, Future[None]] | None = None

    @property
    def buffered(self) -> int:
        """Rows accepted but not yet on disk (those of a flush under way included)."""
        return self._buffered + (self._under_way[0].size if self._under_way else 0)

    @property
    def buffered_bytes(self) -> int:
        """The approximate size of the buffered rows (not those of a flush under way)."""
        return self._bytes

    def write(self, row: dict[str, Any]) -> None:
        """Accept one row (partition keys included); flush when a bound is reached."""
        key = tuple(str(row[name]) for name in self.partition_by)
        self._buffers[key].append(row)
        self._buffered += 1
        now = time.monotonic()
        if key not in self._since:
            self._since[key] = now
            if self._oldest is None:
                self._oldest = now
        if self.flush_bytes is not None:
            size = row_bytes(row)
            self._sizes[key] += size
            self._bytes += size
        if self._under_way is not None and self._under_way[1].done():
            self.wait()
        if not self._over_bound() and not self._stale(now):
            return
        if self._executor is None:
            self._flush(self._due())
            return
        self.wait()
        batch = self._take(self._due())
        self._under_way = (batch, self._executor.submit(self._write_batch, batch))

    def _over_bound(self) -> bool:
        return self._buffered >= self.flush_rows or (
            self.flush_bytes is not None and self._bytes >= self.flush_bytes
        )

    def _stale(self, now: float) -> bool:
        return self._oldest is not None and now - self._oldest >= self.flush_seconds

    def _due(self) -> list[PartitionKey]:
        """The partitions to write now: those whose oldest row waited `flush_seconds`, then,
        past a bound, the fullest until what stays is at most KEPT_SHARE of each bound."""
        now = time.monotonic()
        due = [key for key, since in self._since.items() if now - since >= self.flush_seconds]
        if not self._over_bound():
            return due
        rows = self._buffered - sum(len(self._buffers[key]) for key in due)
        size = self._bytes - sum(self._sizes.get(key, 0) for key in due)
        taken = set(due)

        def fullness(key: PartitionKey) -> int:
            return self._sizes[key] if self.flush_bytes is not None else len(self._buffers[key])

        rest = sorted((key for key in self._buffers if key not in taken),
                      key=lambda key: (-fullness(key), key))  # fmt: skip
        for key in rest:
            if rows <= self.flush_rows * KEPT_SHARE and (
                self.flush_bytes is None or size <= self.flush_bytes * KEPT_SHARE
            ):
                break
            due.append(key)
            rows -= len(self._buffers[key])
            size -= self._sizes.get(key, 0)
        return due

    def pending(self) -> Iterator[dict[str, Any]]:
        """The rows accepted but not yet on disk (those of a flush under way included)."""
        if self._under_way is not None:
            for rows in self._under_way[0].rows.values():
                yield from rows
        for rows in self._buffers.values():
            yield from rows

    def flush(self) -> list[Path]:
        """Write every buffered partition to its own new file (after a flush under way).

        Raises whatever the file system or pyarrow raised; the rows of partitions not
        written stay buffered (and `pending`).
        """
        self.wait()
        return self._flush(list(self._buffers))

    def _flush(self, keys: Iterable[PartitionKey]) -> list[Path]:
        """Write these partitions' rows in this thread."""
        batch = self._take(keys)
        error = None
        try:
            self._write_batch(batch)
        except Exception as exc:
            error = exc
        self._settle(batch, error)
        return batch.written

    def wait(self) -> None:
        """Let a flush under way end; count what it wrote, raise what it raised."""
        if self._under_way is None:
            return
        batch, future = self._under_way
        error = future.exception()
        self._under_way = None
        self._settle(batch, error)

    def _take(self, keys: Iterable[PartitionKey]) -> _Batch:
        """Move these partitions' rows into a batch, a new file named for each."""
        keys = sorted(keys)
        files = {}
        for key in keys:
            self._sequence += 1
            directory = self.root.joinpath(
                *(f"{n}={v}" for n, v in zip(self.partition_by, key, strict=False))
            )
            files[key] = directory / f"{self.file_prefix}-{self._sequence:06d}.parquet"
        batch = _Batch({key: self._buffers.pop(key) for key in keys}, files,
                       {key: self._since.pop(key) for key in keys})  # fmt: skip
        for key in keys:
            self._bytes -= self._sizes.pop(key, 0)
        self._buffered -= batch.size
        self._oldest = min(self._since.values(), default=None)
        return batch

    def _write_batch(self, batch: _Batch) -> None:
        """Write each partition's file; stops at the first error (in the caller's thread or not)."""
        for key in list(batch.rows):
            table = self._table(batch.rows[key], batch.unwritable)
            if table.num_rows:
                self._write_file(batch.files[key], table)
                batch.written.append(batch.files[key])
            batch.rows_written += table.num_rows
            # Freed as their file lands, not with the batch: a flush's peak memory is its rows.
            # (A new list, not a deletion: the caller's thread may be iterating the dict.)
            batch.rows[key] = []
            del table

    def _settle(self, batch: _Batch, error: BaseException | None) -> None:
        """Count a written batch, report its unwritable rows; rows not written go back."""
        self.rows_written += batch.rows_written
        self.files_written.extend(batch.written)
        self.rows_unwritable += len(batch.unwritable)
        for row, exc in batch.unwritable:
            self._report_unwritable(row, exc)
        reported = {id(row) for row, _ in batch.unwritable}
        for key, rows in batch.rows.items():
            rows = [row for row in rows if id(row) not in reported]
            if rows:  # a partition not written: its rows are forgotten only once on disk
                self._buffers[key][:0] = rows
                self._buffered += len(rows)
                self._since[key] = min(self._since.get(key, batch.since[key]), batch.since[key])
                self._oldest = min(self._since.values())
                if self.flush_bytes is not None:
                    size = sum(row_bytes(row) for row in rows)
                    self._sizes[key] += size
                    self._bytes += size
        if error is not None:
            raise error

    def _table(
        self, rows: list[dict[str, Any]], unwritable: list[tuple[dict[str, Any], Exception]]
    ) -> pa.Table:
        """The rows as one table; rows that cannot be converted are isolated, one by one."""
        try:
            return table_from_rows(rows, self.schema)
        except Exception:  # any conversion error is some row's fault
            pass
        tables = []
        for row in rows:
            try:
                tables.append(table_from_rows([row], self.schema))
            except Exception as exc:
                unwritable.append((row, exc))
        return pa.concat_tables(tables) if tables else self.schema.empty_table()

    def _report_unwritable(self, row: dict[str, Any], exc: Exception) -> None:
        try:
            self.on_unwritable(row, exc)
        except Exception:  # a failing report must not cost the rest of the batch
            logger.exception("cannot report an unwritable row of %s", self.root)

    def close(self, *, write_buffered: bool = True) -> None:
        """Flush what is left (or, after a failure, only let a flush under way end)."""
        try:
            if write_buffered:
                self.flush()
            else:
                self.wait()
        finally:
            if self._executor is not None:
                self._executor.shutdown()

    def _write_file(self, final: Path, table: pa.Table) -> None:
        with atomic_file(final) as sink:
            pq.write_table(
                table, sink, compression=self.compression, row_group_size=self.row_group_rows,
                use_dictionary=self._dictionary,
            )  # fmt: skip
        logger.debug("wrote %d rows to %s", table.num_rows, final)


def row_bytes(row: dict[str, Any]) -> int:
    """A row's size as the flush bound counts it: its strings' and bytes' lengths, 8 a value."""
    return sum(_value_bytes(value) for value in row.values())


def _value_bytes(value: Any) -> int:
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, dict):
        return sum(_value_bytes(item) for item in value.values())
    if isinstance(value, list | tuple):
        return sum(_value_bytes(item) for item in value)
    return 8


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """Open a hidden temporary file that replaces `path` only once fully written and synced."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "wb") as sink:
            yield sink
            sink.flush()
            os.fsync(sink.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_directory(path.parent)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so readers see the old or the new content, never half."""
    with atomic_file(path) as sink:
        sink.write(data)


def _fsync_directory(directory: Path) -> None:
    # The rename is durable only once the directory entry itself is on disk.
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
