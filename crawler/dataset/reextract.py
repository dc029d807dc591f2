"""Re-extraction: rebuild a site's articles and rejects from the raw archive, swapped in whole.

Memory does not grow with the site: replayed and stored rows are spilled to disk in hash
buckets of about `batch_rows` rows and combined one bucket at a time (`reextract_rows`).
"""

from __future__ import annotations

import math
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa
import pyarrow.parquet as pq

from crawler.dataset.compaction import exchange_paths, quarantine, remove_stale_staging
from crawler.dataset.files import table_files
from crawler.dataset.loader import TABLES, migrate
from crawler.dataset.locking import exclusive_lock
from crawler.dataset.raw import RawArchive
from crawler.dataset.reextract_changes import SiteChanges
from crawler.dataset.reextract_rows import (
    REPLAYED,
    STORED_ARTICLE,
    STORED_REJECT,
    RowCombiner,
    number_revisions,
    page_key,
)
from crawler.dataset.runid import new_run_id
from crawler.dataset.schema import PARTITION_FIELDS, ArticleRecord, RejectReason, RejectRecord
from crawler.dataset.spill import KeyedSpill, Spill
from crawler.dataset.writer import DatasetWriter
from crawler.items import PageItem

__all__ = ["BATCH_ROWS", "NewPartitions", "Replayer", "number_revisions", "reextract_site"]

BATCH_ROWS = 2_000  # rows held at once per step: ~25 MB of 4 KB articles
# Five spills fill their buffers at once while a bucket is combined: each gets a share.
SPILL_SHARE = 8
Tick = Callable[[int, dict[str, int]], None]


class Replayer(Protocol):
    """The crawl's extract and validate steps, applied to one archived page (pipelines.replay)."""

    async def verdict(self, item: PageItem, run_id: str) -> ArticleRecord | RejectRecord: ...


async def _replay(archive: RawArchive, site: str, replayer: Replayer, spill: Spill,
                  tick: Tick) -> None:  # fmt: skip
    """Spill each archived page's new row, in archive order (duplicates are found later)."""
    counts = {"rejects": 0, "failed": 0}
    for seq, (page, body) in enumerate(archive.pages(site), start=1):
        result = await replayer.verdict(page.to_item(body), page.run_id)
        if isinstance(result, RejectRecord):
            counts["rejects"] += 1
            counts["failed"] += result.reason == RejectReason.EXTRACTION_FAILED
        row = result.to_row()
        spill.add(page_key(row), (REPLAYED, seq, row))
        tick(seq, counts)


def _stored(root: Path, table: str, site: str, files: list[Path]) -> Iterator[dict[str, Any]]:
    """The site's stored rows, file after file in batches, in the current schema."""
    for path in files:
        month = path.parent.name.removeprefix("month=")
        # No Arrow threads: see raw._read.
        with pq.ParquetFile(path, pre_buffer=False) as parquet:
            for batch in parquet.iter_batches(batch_size=1024, use_threads=False):
                for row in migrate(pa.Table.from_batches([batch]), table).to_pylist():
                    yield {**row, "site": site, "month": month}


def _spill_stored(root: Path, site: str, spill: Spill) -> None:
    for table, tag in (("articles", STORED_ARTICLE), ("rejects", STORED_REJECT)):
        files = table_files(root / table, TABLES[table], [site]).readable
        for order, row in enumerate(_stored(root, table, site, files)):
            spill.add(page_key(row), (tag, order, row))


def _no_tick(done: int, counts: dict[str, int]) -> None:
    pass


class NewPartitions:
    """A table's new rows, spilled by partition, then written partition after partition.

    So each file holds one month (up to `batch_rows` rows), however the rows arrived.
    """

    def __init__(
        self, staging: Path, table: str, run_id: str, spill: Path, batch_rows: int
    ) -> None:
        self.writer = DatasetWriter(staging, TABLES[table], PARTITION_FIELDS,
                                    f"part-{run_id}-reextract", flush_rows=batch_rows,
                                    flush_seconds=float("inf"))  # fmt: skip
        self.spill = KeyedSpill(spill, max(1, batch_rows // SPILL_SHARE))

    def write(self, row: dict[str, Any]) -> None:
        """Keep a row of the new partitions."""
        self.spill.add("/".join(str(row[name]) for name in PARTITION_FIELDS), row)

    def close(self) -> None:
        """Write every partition's rows into the staging directory."""
        for _, chunks in self.spill.each():
            for chunk in chunks:
                for row in chunk:
                    self.writer.write(row)
            self.writer.flush()


def _swap(root: Path, table: str, site: str, staging: Path) -> None:
    """Exchange the site's new partition, written beside the live one, with it in one step."""
    new_site, live = staging / f"site={site}", root / table / f"site={site}"
    new_site.mkdir(parents=True, exist_ok=True)
    live.mkdir(parents=True, exist_ok=True)
    exchange_paths(new_site, live)
    shutil.rmtree(staging)  # now holds the old files


def _buckets(root: Path, site: str, archive: RawArchive, batch_rows: int) -> int:
    stored = sum(sum(table_files(root / t, TABLES[t], [site], warn=False).rows.values())
                 for t in TABLES)  # fmt: skip
    return math.ceil((archive.count(site) + stored) / batch_rows)


async def reextract_site(
    root: Path | str, site: str, replayer: Replayer, *, dry_run: bool = False,
    tick: Tick | None = None, batch_rows: int = BATCH_ROWS,
) -> SiteChanges:  # fmt: skip
    """Rebuild one site's rows from its archived pages; rows with no raw page are kept as is.

    Holds the dataset's exclusive lock (refused while a crawl writes). Articles and rejects
    are each swapped in with one atomic exchange; `dry_run` only reports. About
    `batch_rows` rows are held in memory at once, whatever the site's size.
    """
    root = Path(root)
    run_id = new_run_id()
    staging = {} if dry_run else {t: root / t / f".reextract-{run_id}" for t in TABLES}
    with exclusive_lock(root):
        remove_stale_staging(root)
        try:
            changes = await _rebuild(root, site, replayer, staging, run_id,
                                     tick or _no_tick, max(1, batch_rows))  # fmt: skip
        except BaseException:
            for directory in staging.values():
                shutil.rmtree(directory, ignore_errors=True)
            raise
        if staging:
            # The swap removes the old partition: files that are not ours are moved aside first.
            for table, schema in TABLES.items():
                foreign = table_files(root / table, schema, [site], warn=False).skipped
                quarantine(root, table, foreign, run_id)
            for table, directory in staging.items():
                _swap(root, table, site, directory)
    return changes


async def _rebuild(
    root: Path, site: str, replayer: Replayer, staging: dict[str, Path], run_id: str,
    tick: Tick, batch_rows: int,
) -> SiteChanges:  # fmt: skip
    """Replay, combine and write the site's rows through spill files removed on return."""
    archive = RawArchive(root)
    spill = root / "articles" / f".reextract-{run_id}-spill"
    try:
        out = {t: NewPartitions(d, t, run_id, spill / f"new-{t}", batch_rows)
               for t, d in staging.items()}  # fmt: skip
        buckets, buffer = (
            _buckets(root, site, archive, batch_rows),
            max(1, batch_rows // SPILL_SHARE),
        )
        by_page = Spill(spill / "pages", buckets, buffer)
        await _replay(archive, site, replayer, by_page, tick)
        _spill_stored(root, site, by_page)
        changes = SiteChanges(site)
        combiner = RowCombiner(out.get("articles"), out.get("rejects"), spill, buckets, buffer,
                               changes)  # fmt: skip
        combiner.combine(by_page)
        for partitions in out.values():
            partitions.close()
    finally:
        shutil.rmtree(spill, ignore_errors=True)
    return changes
