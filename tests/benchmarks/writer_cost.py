"""What the Parquet writer costs the crawl's reactor thread per article, by flush size.

    python -m tests.benchmarks.writer_cost [--pages 600] [--rows 6000]

Extracts the demo site's opinion pages once, then feeds `--rows` of those records (repeated,
URLs made unique) through ParquetPipeline's path: `to_row()`, DatasetWriter.write() and its
flushes (Arrow table, zstd Parquet, fsync, rename). Prints CPU and wall ms per row and the
longest single write() (one that flushes writes one file per site and month, each fsynced),
which blocks the reactor while it runs, for several PARQUET_FLUSH_ROWS and
PARQUET_ROW_GROUP_ROWS values; then the same with the flush in a thread (`background`, as the
crawl's articles writer runs), where the longest write() is the reactor's real stall. Compare
the ms per row with the main process's CPU per page from profile_crawl for the writer's
share. The larger the site (`--pages`), the more months, partitions and files per flush.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from crawler.dataset.schema import ARTICLE_SCHEMA, PARTITION_FIELDS, ArticleRecord
from crawler.dataset.writer import DatasetWriter
from crawler.demo import generate
from pipelines.extraction import extract
from tests.benchmarks.pool_ipc import demo_samples

SETTINGS = [(500, 50_000), (2000, 50_000), (10_000, 50_000), (2000, 1000)]


def demo_records(pages: int) -> list[ArticleRecord]:
    with tempfile.TemporaryDirectory(prefix="opinion-writer-") as tmp:
        generate(Path(tmp), pages=pages, seed=1)
        results = [extract(page, rules) for page, rules in demo_samples(Path(tmp))]
    return [r for r in results if isinstance(r, ArticleRecord)]


def feed(
    records: list[ArticleRecord], rows: int, flush_rows: int, row_group: int, background: bool
) -> str:
    with tempfile.TemporaryDirectory(prefix="opinion-writer-") as tmp:
        writer = DatasetWriter(tmp, ARTICLE_SCHEMA, PARTITION_FIELDS, "part-bench",
                               flush_rows=flush_rows, row_group_rows=row_group,
                               background=background)  # fmt: skip
        longest = 0.0
        cpu, wall = time.process_time(), time.perf_counter()
        for i in range(rows):
            record = records[i % len(records)]
            before = time.perf_counter()
            writer.write(replace(record, url=f"{record.url}?copy={i}").to_row())
            longest = max(longest, time.perf_counter() - before)
        before = time.perf_counter()
        writer.close()
        longest = max(longest, time.perf_counter() - before)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        files = len(writer.files_written)
    mode = "background" if background else "inline    "
    return (f"PARQUET_FLUSH_ROWS={flush_rows:<6} ROW_GROUP={row_group:<6} {mode}: per row "
            f"{1000 * cpu / rows:.3f} ms CPU, {1000 * wall / rows:.3f} ms wall; longest "
            f"write() {1000 * longest:.0f} ms wall; {files} files")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=600, help="demo site article URLs")
    parser.add_argument("--rows", type=int, default=6000)
    args = parser.parse_args()
    records = demo_records(args.pages)
    months = {(r.site, r.month) for r in records}
    print(f"{len(records)} distinct records in {len(months)} site-month partitions, "
          f"{args.rows} rows per setting")  # fmt: skip
    feed(records, 200, 100, 1000, False)  # the first write loads zstd and Parquet code
    for background in (False, True):
        for flush_rows, row_group in SETTINGS:
            print(feed(records, args.rows, flush_rows, row_group, background))


if __name__ == "__main__":
    main()
