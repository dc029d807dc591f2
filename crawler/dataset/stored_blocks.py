"""The block keys of the rows a run stored: which of its files a verdict learned at the close
can change, told without reading their text again."""

from __future__ import annotations

from array import array
from collections.abc import Collection, Iterable
from pathlib import Path

import pyarrow.parquet as pq
import xxhash

__all__ = ["StoredBlocks", "row_id"]

# The first 4 bytes of a 16-hex-digit block key. A clash only makes a file be read for
# nothing (with 300 boilerplate blocks, one key in ~14 million clashes: about one row of
# 30 blocks in 500,000); it never leaves a file out.
_KEY_HEX = 8


def row_id(url: str, content_hash: str) -> int:
    """A stored row's identity: its URL and the hash of exactly the text it holds."""
    return xxhash.xxh64_intdigest(f"{url}\0{content_hash}".encode("utf-8", "surrogatepass"))


class StoredBlocks:
    """The keys of every block of the rows one site's run stored, packed: ~130 bytes a row.

    At the close, a site whose memory learned a block cleaned every row again: on a first run
    that read back and hashed every row this run had just written (~1 ms per row, alone on
    one core, when most rows hold none of the blocks learned). With each row's keys kept,
    only the files holding a row that carries a learned block, or a row this run did not
    store (another run's or another worker's), are read and rewritten.
    """

    def __init__(self) -> None:
        self._ids = array("Q")
        self._ends = array("Q")
        self._keys = array("I")
        self._months: dict[str, int] = {}  # month partition -> its number in _in_month
        self._in_month = array("H")

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, url: str, content_hash: str, keys: Iterable[str], month: str = "") -> None:
        """Remember one stored row: the keys of the blocks (and lines) its text holds, and
        its month partition."""
        self._ids.append(row_id(url, content_hash))
        self._keys.extend(int(key[:_KEY_HEX], 16) for key in keys)
        self._ends.append(len(self._keys))
        self._in_month.append(self._months.setdefault(month, len(self._months)))

    def carriers(self, blocks: Collection[str]) -> set[int]:
        """The ids of the rows holding any of `blocks` (block keys)."""
        return {self._ids[index] for index in self._carrying(blocks)}

    def _carrying(self, blocks: Collection[str]) -> list[int]:
        wanted = {int(key[:_KEY_HEX], 16) for key in blocks}
        found = []
        start = 0
        for index, end in enumerate(self._ends):
            if not wanted.isdisjoint(self._keys[start:end]):
                found.append(index)
            start = end
        return found

    def files_to_clean(
        self, paths: Iterable[Path], blocks: Collection[str], own: Collection[Path] = ()
    ) -> list[Path]:
        """The files that hold a row carrying one of `blocks`, or a row not stored here.

        `own`: files that hold only rows stored here (this process wrote them). One is read
        only when a row of its month partition carries a block: on a first run that learned
        a block few articles hold, the close read every file of the site (~0.5 ms each, ~0.3 s
        at 550 files, alone on one core) to find the few.
        """
        carrying = self._carrying(blocks)
        carriers = {self._ids[index] for index in carrying}
        names = {number: f"month={month}" for month, number in self._months.items()}
        months = {names[self._in_month[index]] for index in carrying}
        known = set(self._ids)
        wanted = []
        for path in paths:
            if path in own and path.parent.name not in months:
                continue
            try:
                ids = _row_ids(path)
            except Exception:  # unreadable here: the rewrite reads it whole and says why
                wanted.append(path)
                continue
            if not known.issuperset(ids) or not carriers.isdisjoint(ids):
                wanted.append(path)
        return wanted


def _row_ids(path: Path) -> list[int]:
    # ParquetFile alone: read_table's dataset machinery and threads cost 3x as much per file.
    table = pq.ParquetFile(path).read(columns=["url", "content_hash"], use_threads=False)
    urls = table.column("url").to_pylist()
    hashes = table.column("content_hash").to_pylist()
    return [row_id(url, digest) for url, digest in zip(urls, hashes, strict=True)]
