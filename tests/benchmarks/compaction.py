"""Peak memory and time of compaction (and re-extraction) over a dataset of many small files.

    python -m tests.benchmarks.compaction [--rows 20000 80000] [--rows-per-file 1.4]
        [--reextract]

Builds, per size, one site's articles in ~`rows / rows-per-file` tiny Parquet files in month
partitions (nightly crawls flushing a few rows at a time: 60k rows in 43k files is 1.4 rows
per file; an article every 7 hours, so ~160 months at 20k rows), each row with ~4 KB of text
and ~20% of articles fetched twice. Then
runs `compact_site(latest_only=True)` in a fresh child process and prints its wall time and
peak RSS (the child's own VmHWM: ru_maxrss would count the builder, since Linux carries a
process's peak across fork and exec into the child's). With
`--reextract`, also archives the rows' pages (RAW_ARCHIVE layout) and measures
`reextract_site` the same way, with a replayer that rebuilds each page's row cheaply.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from crawler.dataset.schema import ARTICLE_SCHEMA, ArticleRecord
from tests.benchmarks.child import PEAK_RSS, measure
from tests.faultserver import WORDS

SITE = "bench"
START = datetime(2025, 1, 1, tzinfo=UTC)


def _row(i: int, fetch: int, chance: random.Random) -> dict:
    text = " ".join(chance.choice(WORDS) for _ in range(650))  # ~4 KB, like an op-ed
    published = START + timedelta(hours=7 * i)
    url = f"http://bench.test/opinion/{i}"
    record = ArticleRecord(
        url=url, canonical_url=url, site=SITE, title=f"Opinion {i}", description="Standfirst.",
        authors=["Ada Writer"], tags=["politics"], published_at=published, language="en",
        text=text, word_count=650, content_hash=f"{i:08x}{fetch:08x}", revision=fetch + 1,
        fetched_at=published + timedelta(days=fetch), http_status=200, run_id=f"run-{fetch}",
        extractor="bench",
    )  # fmt: skip
    return record.to_row()


def build(root: Path, rows: int, rows_per_file: float, seed: int = 7) -> int:
    """Write `rows` article rows in small files, as many nightly crawls would; returns files."""
    chance = random.Random(seed)
    articles = int(rows / 1.2)
    pending = [_row(i, 0, chance) for i in range(articles)]
    pending += [_row(i, 1, chance) for i in chance.sample(range(articles), rows - articles)]
    chance.shuffle(pending)
    pending.sort(key=lambda r: r["month"])  # a night's flush holds recent articles
    files = 0
    while pending:
        size = int(rows_per_file) + (chance.random() < rows_per_file % 1)
        batch, pending = pending[:size], pending[size:]
        for month in sorted({r["month"] for r in batch}):
            part = [r for r in batch if r["month"] == month]
            directory = root / "articles" / f"site={SITE}" / f"month={month}"
            directory.mkdir(parents=True, exist_ok=True)
            table = pa.Table.from_pylist(part, schema=ARTICLE_SCHEMA)
            pq.write_table(table, directory / f"part-{files:07d}.parquet", compression="zstd")
            files += 1
    return files


CHILD = (
    PEAK_RSS
    + """
import json, sys, time
from pathlib import Path
from crawler.dataset.compaction import compact_site
started = time.perf_counter()
result = compact_site(Path(sys.argv[1]), sys.argv[2], latest_only=True)
print(json.dumps({"seconds": time.perf_counter() - started,
                  "rows_before": result.rows_before, "rows_after": result.rows_after,
                  "files_after": result.files_after,
                  "peak_rss_mb": peak_rss_mb()}))
"""
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[20_000, 80_000])
    parser.add_argument("--rows-per-file", type=float, default=1.4)
    parser.add_argument("--reextract", action="store_true")
    opts = parser.parse_args()
    for rows in sorted(opts.rows):
        with tempfile.TemporaryDirectory(prefix="opinion-compact-") as tmp:
            started = time.perf_counter()
            files = build(Path(tmp), rows, opts.rows_per_file)
            built = time.perf_counter() - started
            result = measure(CHILD, tmp, SITE)
            print(f"compact {rows} rows in {files} files (built in {built:.0f} s): "
                  f"{result['seconds']:.1f} s, peak RSS {result['peak_rss_mb']:.0f} MB, "
                  f"{result['rows_after']} rows, {result['files_after']} files after")  # fmt: skip
            if opts.reextract:
                from tests.benchmarks.reextract_cost import measure_reextract

                print(measure_reextract(Path(tmp), SITE, rows))


if __name__ == "__main__":
    main()
