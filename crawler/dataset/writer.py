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
from crawler.dataset.parking import Parked, ParkingFile
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
# it holds: 1,640 files for 3,595 rows in a crawl of the development set's real pages. At a
# flush due to a bound, a partition holding less than this share of the bound (its parked rows
# counted) is parked on local disk instead (parking.py) and written once it holds more, its
# rows wait `flush_seconds`, or the writer closes. A simulation of that crawl's rows and of a
# demo-site crawl's gave 410 and 126 files (1,323 and 162 with the thinnest 30% of a bound
# kept in memory, the policy before); at a fifth of the bound the demo's files halved again,
# but thin months there are rare and a file of 40 KB of text is no longer small.
THIN_SHARE = 0.1


@dataclass(slots=True)
class _Parked:
    """A partition's rows on the parking file: its batches, how many rows, their size, since."""

    batches: list[Parked]
    rows: int
    size: int
    since: float


_NOTHING_PARKED = _Parked([], 0, 0, float("inf"))


@dataclass(slots=True)
class _Batch:
    """The rows of one flush, taken out of the buffer, and what writing them did."""

    rows: dict[PartitionKey, list[dict[str, Any]]]  # emptied as each partition's file lands
    files: dict[PartitionKey, Path]  # named when taken, so a thread never counts files
    since: dict[PartitionKey, float]  # when each partition's oldest row arrived (parked too)
    # parked rows written with their partition; the parked state goes back if not written
    parked_in: dict[PartitionKey, _Parked] = field(default_factory=dict)
    park: dict[PartitionKey, list[dict[str, Any]]] = field(default_factory=dict)  # to park
    park_sizes: dict[PartitionKey, int] = field(default_factory=dict)  # their row bytes
    parked_out: dict[PartitionKey, Parked] = field(default_factory=dict)  # what parking made
    park_error: Exception | None = None
    written: list[Path] = field(default_factory=list)
    rows_written: int = 0
    unwritable: list[tuple[dict[str, Any], Exception]] = field(default_factory=list)

    @property
    def size(self) -> int:
        rows = sum(len(rows) for rows in (*self.rows.values(), *self.park.values()))
        parked = sum(p.rows for p in self.parked_out.values())
        return rows + parked + sum(p.rows for p in self.parked_in.values())


class DatasetWriter:
    """Buffers rows and writes each flush as complete files, one per partition.

    Readers never see a partial file: each file is written under a hidden temporary
    name (ignored by pyarrow, pandas and `*.parquet` globs), fsynced, then renamed.
    A killed process loses only the rows not yet written: those buffered (at most
    `flush_rows`, or about `flush_bytes` of their text and bytes: large rows fill the buffer's
    memory long before their count does) and those parked, none older than `flush_seconds`.
    A row that cannot be converted to the schema (text that is no valid Unicode, a number out
    of range) is handed to `on_unwritable` and left out; the rest of its batch lands.

    When the rows or bytes bound is reached, a flush writes every buffered partition holding
    at least THIN_SHARE of the bound (its parked rows counted) and, with `park_bounds`, parks
    the thinner ones in an unnamed temporary file in `root` (parking.py), out of memory: a
    parked partition is written with its next rows once it holds THIN_SHARE of the bound,
    when its oldest row waited `flush_seconds`, at `flush` and `close`, or, fullest first,
    when the parked rows exceed `park_bounds` times either bound.

    With `background=True` a flush writes its batch in a thread while `write` goes on
    buffering: the crawl's reactor no longer stops for it (~0.5 s per flush of a first run's
    ~100 partitions). Everything the caller sees still happens in its own thread, at its next
    `write`, `wait` or `close`: the rows counted, unwritable rows reported, and the error of
    a failed flush raised, its unwritten rows back in the buffer. One flush at a time; a
    second one due while the first is under way waits for it. A killed process then loses
    at most the batch under way and the rows buffered and parked since.
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
        park_bounds: float = 0.0,
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
        self.park_bounds = max(0.0, park_bounds)
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
        self._oldest: float | None = None  # the least of those (and of the parked ones)
        self._parking = ParkingFile(self.root)
        self._parked: dict[PartitionKey, _Parked] = {}
        self._parked_rows = 0
        self._parked_bytes = 0
        self._sequence = 0
        self._executor = ThreadPoolExecutor(1, "parquet-flush") if background else None
        self._dictionary = dictionary_columns(schema)
        self._under_way: tuple[_Batch, Future[None]] | None = None

    @property
    def buffered(self) -> int:
        """Rows accepted but not yet in the dataset: buffered, parked, or in a flush under way."""
        under_way = self._under_way[0].size if self._under_way else 0
        return self._buffered + self._parked_rows + under_way

    @property
    def buffered_bytes(self) -> int:
        """The approximate size of the rows buffered in memory (not parked or under way)."""
        return self._bytes

    @property
    def parked(self) -> int:
        """Rows parked on local disk until their partition is written."""
        return self._parked_rows

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
        size = row_bytes(row) if self._tracks_bytes else 0
        self._sizes[key] += size
        self._bytes += size
        if self._under_way is not None and self._under_way[1].done():
            self.wait()
        if not self._over_bound() and not self._stale(now):
            return
        if self._executor is None:
            self._flush(*self._due())
            return
        self.wait()
        batch = self._take(*self._due())
        self._under_way = (batch, self._executor.submit(self._write_batch, batch))

    def _over_bound(self) -> bool:
        return self._buffered >= self.flush_rows or (
            self.flush_bytes is not None and self._bytes >= self.flush_bytes
        )

    def _stale(self, now: float) -> bool:
        return self._oldest is not None and now - self._oldest >= self.flush_seconds

    def _due(self) -> tuple[list[PartitionKey], list[PartitionKey]]:
        """The partitions to write now and those to park: written are those whose oldest row
        waited `flush_seconds`, then, past a bound, those holding THIN_SHARE of it; the thinner
        ones are parked, unless the parked rows would exceed `park_bounds` times a bound."""
        now = time.monotonic()
        waited = (*self._since.items(), *((key, p.since) for key, p in self._parked.items()))
        write = {key for key, since in waited if now - since >= self.flush_seconds}
        if not self._over_bound():
            return sorted(write), []
        park = set()
        for key in self._buffers:
            if key in write:
                continue
            if self.park_bounds and self._share(key) < THIN_SHARE:
                park.add(key)
            else:
                write.add(key)
        rows, size = self._parked_rows, self._parked_bytes
        for key in write:
            if key in self._parked:
                rows -= self._parked[key].rows
                size -= self._parked[key].size
        for key in park:
            rows += len(self._buffers[key])
            size += self._sizes[key]
        # Past the parking bounds the fullest parked partitions are written, old or new.
        fullest = sorted((key for key in {*park, *self._parked} if key not in write),
                         key=lambda key: (-self._share(key), key))  # fmt: skip
        for key in fullest:
            if not self._over_parking_bounds(rows, size):
                break
            write.add(key)
            park.discard(key)
            rows -= len(self._buffers.get(key, ())) + self._parked_part(key).rows
            size -= self._sizes.get(key, 0) + self._parked_part(key).size
        return sorted(write), sorted(park)

    def _share(self, key: PartitionKey) -> float:
        """The partition's buffered and parked rows as a share of the bound (the fuller one)."""
        parked = self._parked_part(key)
        rows = (len(self._buffers.get(key, ())) + parked.rows) / self.flush_rows
        if self.flush_bytes is None:
            return rows
        return max(rows, (self._sizes.get(key, 0) + parked.size) / self.flush_bytes)

    def _parked_part(self, key: PartitionKey) -> _Parked:
        return self._parked.get(key) or _NOTHING_PARKED

    def _over_parking_bounds(self, rows: int, size: int) -> bool:
        return rows > self.park_bounds * self.flush_rows or (
            self.flush_bytes is not None and size > self.park_bounds * self.flush_bytes
        )

    def pending(self) -> Iterator[dict[str, Any]]:
        """The rows accepted but not yet in the dataset (a flush under way's included)."""
        if self._under_way is not None:
            batch = self._under_way[0]
            for rows in (*batch.rows.values(), *batch.park.values()):
                yield from rows
            # the flush thread may release a batch meanwhile: its rows are in a file then
            parts = [*(p for parked in batch.parked_in.values() for p in parked.batches),
                     *batch.parked_out.values()]  # fmt: skip
            for part in parts:
                yield from self._parking.read(part, missing_ok=True)
        for rows in self._buffers.values():
            yield from rows
        for parked in self._parked.values():
            for part in parked.batches:
                yield from self._parking.read(part)

    def flush(self) -> list[Path]:
        """Write every buffered and parked partition to its own new file (after a flush under
        way).

        Raises whatever the file system or pyarrow raised; the rows of partitions not
        written stay buffered (and `pending`).
        """
        self.wait()
        return self._flush([*self._buffers, *(k for k in self._parked if k not in self._buffers)])

    def _flush(self, keys: Iterable[PartitionKey], park: Iterable[PartitionKey] = ()) -> list[Path]:
        """Write (and park) these partitions' rows in this thread."""
        batch = self._take(keys, park)
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

    def _take(self, keys: Iterable[PartitionKey], park: Iterable[PartitionKey] = ()) -> _Batch:
        """Move these partitions' rows into a batch, a new file named for each."""
        keys = sorted(keys)
        files = {}
        for key in keys:
            self._sequence += 1
            directory = self.root.joinpath(
                *(f"{n}={v}" for n, v in zip(self.partition_by, key, strict=False))
            )
            files[key] = directory / f"{self.file_prefix}-{self._sequence:06d}.parquet"
        since = {key: self._since.pop(key) for key in (*keys, *park) if key in self._since}
        batch = _Batch({key: self._buffers.pop(key, []) for key in keys}, files, since)
        for key in keys:
            parked = self._parked.pop(key, None)
            if parked is not None:
                batch.parked_in[key] = parked
                self._parked_rows -= parked.rows
                self._parked_bytes -= parked.size
        for key in park:
            batch.park[key] = self._buffers.pop(key)
            batch.park_sizes[key] = self._sizes.get(key, 0)
            self._buffered -= len(batch.park[key])
        for key in (*keys, *park):
            self._bytes -= self._sizes.pop(key, 0)
        self._buffered -= sum(len(rows) for rows in batch.rows.values())
        self._set_oldest()
        return batch

    def _set_oldest(self) -> None:
        since = (*self._since.values(), *(p.since for p in self._parked.values()))
        self._oldest = min(since, default=None)

    def _write_batch(self, batch: _Batch) -> None:
        """Park the thin partitions' rows, then write each partition's file; stops at the first
        error (in the caller's thread or not)."""
        for key in list(batch.park):
            try:
                batch.parked_out[key] = self._parking.park(batch.park[key])
            except Exception as exc:  # parking only saves files: it must cost no row
                batch.park_error = exc  # the rows go back to the buffer
                break
            batch.park[key] = []  # on disk now: a new list, the caller may be iterating
        for key in list(batch.rows):
            parked = batch.parked_in.get(key)
            rows = batch.rows[key]
            if parked is not None:
                rows = [row for part in parked.batches for row in self._parking.read(part)] + rows
            table = self._table(rows, batch.unwritable)
            if table.num_rows:
                self._write_file(batch.files[key], table)
                batch.written.append(batch.files[key])
            batch.rows_written += table.num_rows
            # Freed as their file lands, not with the batch: a flush's peak memory is its rows.
            # (A new list, not a deletion: the caller's thread may be iterating the dict.)
            batch.rows[key] = []
            if parked is not None:
                batch.parked_in[key] = _NOTHING_PARKED  # in the file: never parked again
                for part in parked.batches:
                    self._parking.release(part)
            del table, rows

    def _settle(self, batch: _Batch, error: BaseException | None) -> None:
        """Count a written batch, report its unwritable rows; rows not written go back."""
        self.rows_written += batch.rows_written
        self.files_written.extend(batch.written)
        self.rows_unwritable += len(batch.unwritable)
        for row, exc in batch.unwritable:
            self._report_unwritable(row, exc)
        if batch.park_error is not None and self.park_bounds:
            self.park_bounds = 0.0
            logger.warning("cannot park rows in %s (%s: %s): every partition is written at each "
                           "flush from now on", self.root, type(batch.park_error).__name__,
                           batch.park_error)  # fmt: skip
        for key, part in batch.parked_out.items():
            parked = _Parked([part], part.rows, batch.park_sizes[key], batch.since[key])
            self._park_state(key, parked)
        for key, parked in batch.parked_in.items():
            if parked.batches:  # its partition was not written: its rows stay parked
                self._park_state(key, parked)
        reported = {id(row) for row, _ in batch.unwritable}
        for key, rows in (*batch.rows.items(), *batch.park.items()):
            rows = [row for row in rows if id(row) not in reported]
            if rows:  # a partition not written: its rows are forgotten only once on disk
                self._buffers[key][:0] = rows
                self._buffered += len(rows)
                since = batch.since[key]
                self._since[key] = min(self._since.get(key, since), since)
                size = sum(row_bytes(row) for row in rows) if self._tracks_bytes else 0
                self._sizes[key] += size
                self._bytes += size
        self._set_oldest()
        if error is not None:
            raise error

    @property
    def _tracks_bytes(self) -> bool:
        return self.flush_bytes is not None or bool(self.park_bounds)

    def _park_state(self, key: PartitionKey, parked: _Parked) -> None:
        """Add parked rows to a partition's parked state."""
        self._parked_rows += parked.rows
        self._parked_bytes += parked.size
        old = self._parked.get(key)
        if old is not None:
            parked = _Parked([*old.batches, *parked.batches], old.rows + parked.rows,
                             old.size + parked.size, min(old.since, parked.since))  # fmt: skip
        self._parked[key] = parked

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
            if not self._parked:  # else `pending` still reads them (the process ends anyway)
                self._parking.close()

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
