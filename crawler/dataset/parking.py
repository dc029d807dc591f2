"""Rows set aside on local disk until their partition is written: the writer's thin partitions.

A first crawl spreads its articles over many months. Writing each month at every flush made
files of a row or two, and a file costs its fixed price however few rows it holds (~2 ms of
CPU: the Arrow table, a compressed chunk per column, the file's creation and fsync). Parked,
those rows wait in one unnamed temporary file beside the dataset, out of the crawl's memory,
and reach the dataset together with their partition's later rows.

The file has no name (or a hidden one where the system cannot make unnamed files): readers
of the dataset never see it, and it vanishes with the process however that ends. Parked rows
are not in the dataset; a killed process loses them as it loses its buffered rows.
"""

from __future__ import annotations

import logging
import pickle
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

__all__ = ["Parked", "ParkingFile"]

logger = logging.getLogger(__name__)

# The file is rewritten once its released bytes exceed both its live bytes and this much.
_COMPACT_BYTES = 16 * 1024 * 1024


@dataclass(slots=True, eq=False)
class Parked:
    """One batch of a partition's rows in the parking file (moved when the file compacts)."""

    offset: int
    length: int
    rows: int


class ParkingFile:
    """Pickled batches of rows in an unnamed temporary file in `directory`, read back once."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._file: IO[bytes] | None = None
        self._end = 0
        self._live: set[Parked] = set()
        self._live_bytes = 0
        self._lock = threading.Lock()  # parked by the flush thread, read by either thread

    def park(self, rows: list[dict[str, Any]]) -> Parked:
        """Write rows to the file; they stay there until `release`."""
        data = pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL)
        with self._lock:
            sink = self._open()
            sink.seek(self._end)
            sink.write(data)
            parked = Parked(self._end, len(data), len(rows))
            self._end += len(data)
            self._live.add(parked)
            self._live_bytes += len(data)
            return parked

    def read(self, parked: Parked, missing_ok: bool = False) -> list[dict[str, Any]]:
        """The rows of a parked batch (still parked until released); a released batch's are
        gone: an error, or none with `missing_ok`."""
        with self._lock:
            if parked not in self._live:
                if missing_ok:
                    return []
                raise KeyError(f"parked rows at {parked.offset} were released")
            sink = self._open()
            sink.seek(parked.offset)
            data = sink.read(parked.length)
        if len(data) != parked.length:
            raise OSError(f"parked rows cut short in {self.directory}: {len(data)} bytes")
        rows: list[dict[str, Any]] = pickle.loads(data)
        return rows

    def release(self, parked: Parked) -> None:
        """Forget a batch whose rows are in the dataset now; its bytes are reused later."""
        with self._lock:
            if parked not in self._live:
                return
            self._live.discard(parked)
            self._live_bytes -= parked.length
            try:
                if not self._live and self._file is not None:
                    self._file.truncate(0)
                    self._end = 0
                elif self._end - self._live_bytes > max(self._live_bytes, _COMPACT_BYTES):
                    self._compact()
            except OSError as exc:  # the file only stays larger: the rows are where they were
                logger.warning("cannot shrink the parking file in %s: %s", self.directory, exc)

    @property
    def size(self) -> int:
        """Bytes the file takes on disk now."""
        return self._end

    def close(self) -> None:
        """Delete the file (with whatever is still parked)."""
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None
            self._live.clear()
            self._live_bytes = 0
            self._end = 0

    def _open(self) -> IO[bytes]:
        if self._file is None:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._file = self._new_file()
            self._end = 0
        return self._file

    def _new_file(self) -> IO[bytes]:
        # Unnamed where the system allows (O_TMPFILE), else hidden from dataset readers.
        return tempfile.TemporaryFile(dir=self.directory, prefix=".parked-")

    def _compact(self) -> None:
        """Copy the live batches into a new file: released ones left gaps in this one."""
        old = self._open()
        new = self._new_file()
        offsets = {}
        end = 0
        try:
            for parked in sorted(self._live, key=lambda p: p.offset):
                old.seek(parked.offset)
                new.write(old.read(parked.length))
                offsets[parked] = end
                end += parked.length
        except BaseException:
            new.close()  # the old file still holds every batch where it was
            raise
        for parked, offset in offsets.items():
            parked.offset = offset
        old.close()
        self._file = new
        self._end = end
