"""A disk-backed hash partition: records spread over bucket files, read back bucket by bucket."""

from __future__ import annotations

import pickle
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["KeyedSpill", "Spill"]


class Spill:
    """Records grouped by a key's hash into `buckets` files under `directory`.

    Records with equal keys land in the same bucket, so a bucket can be processed on its
    own; at most `buffer_rows` records wait in memory before they are appended to their
    files. Pickle, not Parquet: records are private to one process and one run, and keep
    their Python types (datetimes, nested lists) exactly.
    """

    def __init__(self, directory: Path, buckets: int, buffer_rows: int) -> None:
        self.directory = directory
        self.buckets = max(1, buckets)
        self.buffer_rows = max(1, buffer_rows)
        self._buffers: dict[int, list[Any]] = {}
        self._buffered = 0
        directory.mkdir(parents=True, exist_ok=True)

    def add(self, key: str, record: Any) -> None:
        """Keep `record` in the bucket of `key`."""
        bucket = self._bucket(key)
        self._buffers.setdefault(bucket, []).append(record)
        self._buffered += 1
        if self._buffered >= self.buffer_rows:
            self.flush()

    def flush(self) -> None:
        """Append every buffered record to its bucket's file."""
        for bucket, records in sorted(self._buffers.items()):
            with open(self._path(bucket), "ab") as sink:
                pickle.dump(records, sink, protocol=pickle.HIGHEST_PROTOCOL)
        self._buffers.clear()
        self._buffered = 0

    def drain(self) -> Iterator[list[Any]]:
        """Each non-empty bucket's records in the order they were added; its file then goes."""
        self.flush()
        for bucket in range(self.buckets):
            if self._path(bucket).exists():
                yield [record for chunk in self.chunks(bucket) for record in chunk]

    def chunks(self, bucket: int) -> Iterator[list[Any]]:
        """A bucket's records as flushed, `buffer_rows` at most per chunk; its file then goes."""
        path = self._path(bucket)
        with open(path, "rb") as source:
            while True:
                try:
                    yield pickle.load(source)
                except EOFError:
                    break
        path.unlink()

    def _bucket(self, key: str) -> int:
        return zlib.crc32(key.encode("utf-8", "surrogatepass")) % self.buckets

    def _path(self, bucket: int) -> Path:
        return self.directory / f"bucket-{bucket:06d}.pickle"


class KeyedSpill(Spill):
    """A spill with one bucket per distinct key, for keys of few values (partitions)."""

    def __init__(self, directory: Path, buffer_rows: int) -> None:
        super().__init__(directory, 1, buffer_rows)
        self.keys: dict[str, int] = {}

    def _bucket(self, key: str) -> int:
        bucket = self.keys.setdefault(key, len(self.keys))
        self.buckets = len(self.keys)
        return bucket

    def each(self) -> Iterator[tuple[str, Iterator[list[Any]]]]:
        """Each key, in sorted order, with its records' chunks (see `chunks`)."""
        self.flush()
        for key in sorted(self.keys):
            yield key, self.chunks(self.keys[key])
