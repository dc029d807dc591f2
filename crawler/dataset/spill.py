"""A disk-backed hash partition: records spread over bucket files, read back bucket by bucket."""

from __future__ import annotations

import pickle
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["Spill"]


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
        bucket = zlib.crc32(key.encode("utf-8", "surrogatepass")) % self.buckets
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
            path = self._path(bucket)
            if not path.exists():
                continue
            records: list[Any] = []
            with open(path, "rb") as source:
                while True:
                    try:
                        records += pickle.load(source)
                    except EOFError:
                        break
            path.unlink()
            yield records

    def _path(self, bucket: int) -> Path:
        return self.directory / f"bucket-{bucket:06d}.pickle"
