"""The raw archive: every fetched article page's bytes, content-addressed, as a Parquet dataset."""

# `_col` is a typed wrapper around dataclasses.field, which ruff cannot see through.
# ruff: noqa: RUF009

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from crawler.dataset.files import table_files
from crawler.dataset.schema import arrow_field
from crawler.dataset.schema import column as _col
from crawler.items import PageItem

__all__ = ["RAW_SCHEMA", "RawArchive", "RawPage", "body_digest"]

RAW_SCHEMA_VERSION = "1"


def body_digest(body: bytes) -> str:
    """The content address of a body, in the `sha256:<hex>` form WARC digests also use."""
    return "sha256:" + hashlib.sha256(body).hexdigest()


@dataclass(frozen=True, slots=True)
class RawPage:
    """One fetched (or failed) article URL as the spider handed it to the pipelines.

    `body` is None on a revisit: the same bytes were archived before for this site, in the
    row with the same `body_hash` (WARC's identical-payload revisit, in Parquet).
    """

    url: str = _col("string", nullable=False, default="")
    requested_url: str | None = _col("string")
    site: str = _col("string", nullable=False, default="")
    status: int = _col("int16", nullable=False, default=0)
    content_type: str | None = _col("string")
    fetched_at: datetime | None = _col("timestamp")
    run_id: str = _col("string", nullable=False, default="")
    etag: str | None = _col("string")
    last_modified: str | None = _col("string")
    error: str | None = _col("string")
    error_reason: str | None = _col("string")
    body_hash: str = _col("string", nullable=False, default="")
    body_size: int = _col("int64", nullable=False, default=0)
    revisit: bool = _col("bool", nullable=False, default=False)
    body: bytes | None = _col("binary")

    @classmethod
    def from_item(cls, item: PageItem, run_id: str, revisit: bool, digest: str) -> RawPage:
        """The archive row of a page item; the body is left out on a revisit."""
        shared = {name: getattr(item, name) for name in _ITEM_FIELDS if name != "body"}
        return cls(**shared, run_id=run_id, body_hash=digest, body_size=len(item.body),
                   revisit=revisit, body=None if revisit else item.body)  # fmt: skip

    def to_item(self, body: bytes) -> PageItem:
        """The page item the spider yielded, with its body resolved."""
        shared = {name: getattr(self, name) for name in _ITEM_FIELDS if name != "body"}
        shared["fetched_at"] = self.fetched_at or datetime.fromtimestamp(0, UTC)
        return PageItem(**shared, body=body)

    def to_row(self) -> dict[str, Any]:
        """The row for `pa.Table.from_pylist`, partition keys included."""
        row = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        row["month"] = self.fetched_at.strftime("%Y-%m") if self.fetched_at else "unknown"
        return row


# PageItem fields the archive keeps, so that a replay hands the pipelines the same item.
_ITEM_FIELDS = [f.name for f in dataclasses.fields(PageItem) if f.name in RawPage.__slots__]

RAW_SCHEMA = pa.schema(
    [arrow_field(f) for f in dataclasses.fields(RawPage)],
    metadata={"raw_schema_version": RAW_SCHEMA_VERSION},
)
META_COLUMNS = [n for n in RAW_SCHEMA.names if n != "body"]
PAGES_PER_BATCH = 64  # raw pages decoded at once: ~13 MB of 200 KB pages


# ParquetFile, closed at once, not read_table(): the latter kept ~20 KB per file (pyarrow 26).
# Read without Arrow's threads (pre_buffer uses its IO pool): their mimalloc heaps each kept
# freed pages, ~60 MB more peak RSS over a re-extraction of 20k pages.
def _read(path: Path, columns: list[str]) -> pa.Table:
    with pq.ParquetFile(path, pre_buffer=False) as parquet:
        return parquet.read(columns=columns, use_threads=False)


def _rows(path: Path) -> int:
    with pq.ParquetFile(path) as parquet:
        return parquet.metadata.num_rows


@dataclass(slots=True)
class _File:
    path: Path
    run_id: str
    first_fetch: datetime | None


class RawArchive:
    """Reads `<root>/raw`: per site, its pages run by run in fetch order, bodies resolved."""

    def __init__(self, root: Path | str) -> None:
        self.directory = Path(root) / "raw"

    def sites(self) -> list[str]:
        """Sites with archived pages."""
        return sorted(p.name.removeprefix("site=") for p in self.directory.glob("site=*"))

    def files(self, site: str) -> list[Path]:
        """The site's archive files (hidden temporaries, foreign and unreadable files excluded)."""
        return table_files(self.directory, RAW_SCHEMA, [site]).readable

    def hashes(self, sites: Iterable[str]) -> set[tuple[str, str]]:
        """(site, body hash) of every archived body: what a crawl need not store again."""
        found: set[tuple[str, str]] = set()
        for site in sites:
            for path in self.files(site):
                # ParquetFile: read_table() goes through pyarrow.dataset, which imports pandas
                # into the crawl's process (+50 MB) and kept ~20 KB per file read
                with pq.ParquetFile(path) as parquet:
                    digests = parquet.read(columns=["body_hash"]).column(0).to_pylist()
                found.update((site, d) for d in digests)
        return found

    def count(self, site: str) -> int:
        """Archived pages of a site."""
        return sum(_rows(p) for p in self.files(site))

    def pages(self, site: str) -> Iterator[tuple[RawPage, bytes]]:
        """Every archived page of a site with its body, runs oldest first, each in fetch order.

        Reads one file at a time in small batches (plus the file holding a revisit's body),
        so memory is bounded by the archive's flush size, not by the site.
        """
        files, wanted = self._plan(site)
        stored = self._locate(files, wanted)
        for info in files:
            with pq.ParquetFile(info.path, pre_buffer=False) as parquet:
                for batch in parquet.iter_batches(batch_size=PAGES_PER_BATCH, use_threads=False):
                    for row in batch.to_pylist():
                        body = row.pop("body")
                        row.pop("month", None)
                        page = RawPage(**row, body=None)
                        if body is None:
                            body = self._body(stored, page.body_hash)
                        yield page, body

    def _plan(self, site: str) -> tuple[list[_File], set[str]]:
        files, wanted = [], set()
        for path in self.files(site):
            meta = _read(path, ["run_id", "fetched_at", "body_hash", "revisit"])
            if not meta.num_rows:
                continue
            revisits = meta.filter(meta.column("revisit"))
            wanted.update(revisits.column("body_hash").to_pylist())
            first = min((t for t in meta.column("fetched_at").to_pylist() if t), default=None)
            files.append(_File(path, meta.column("run_id")[0].as_py(), first))
        runs: dict[str, datetime | None] = {}
        for info in files:
            stamps = [s for s in (runs.get(info.run_id), info.first_fetch) if s]
            runs[info.run_id] = min(stamps) if stamps else None
        # Runs in the order they fetched; within a run, files in the order they were written.
        files.sort(key=lambda f: (str(runs[f.run_id] or ""), f.run_id, f.path.name))
        return files, wanted

    def _locate(self, files: list[_File], wanted: set[str]) -> dict[str, Path]:
        found: dict[str, Path] = {}
        for info in files if wanted else []:
            meta = _read(info.path, ["body_hash", "revisit"])
            for digest, revisit in zip(*(c.to_pylist() for c in meta.columns), strict=True):
                if digest in wanted and not revisit:
                    found.setdefault(digest, info.path)
        return found

    def _body(self, stored: dict[str, Path], digest: str) -> bytes:
        """A revisit's body, read in batches from the file that stored it."""
        path = stored.get(digest)
        if path is not None:
            with pq.ParquetFile(path, pre_buffer=False) as parquet:
                # here, not at the top: the crawl's process would hold pyarrow's compute
                # functions (~9 MB) for a read that only `scrapy reextract` makes
                import pyarrow.compute as pc

                columns = ["body_hash", "revisit", "body"]
                batches = parquet.iter_batches(PAGES_PER_BATCH, columns=columns, use_threads=False)
                for batch in batches:
                    mine = pc.and_(pc.equal(batch.column(0), digest), pc.invert(batch.column(1)))
                    found = batch.filter(mine)
                    if found.num_rows:
                        return found.column(2)[0].as_py()
        raise LookupError(f"archive has no stored body for {digest}")
