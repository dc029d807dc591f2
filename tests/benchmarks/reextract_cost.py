"""Peak memory and time of `reextract_site` over a benchmark dataset (see compaction.py).

Archives one raw page per stored article row (RAW_ARCHIVE layout, 250 pages per file, as
the crawl flushes them), then re-extracts the site in a fresh child process with a replayer
that rebuilds each row from its page without trafilatura: what is measured is the dataset
side (reading, numbering revisions, writing, comparing), not extraction.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from crawler.dataset.loader import open_dataset
from crawler.dataset.raw import RAW_SCHEMA, RawPage, body_digest
from crawler.dataset.schema import ArticleRecord
from crawler.items import PageItem
from tests.benchmarks.child import PEAK_RSS, measure

__all__ = ["CheapReplayer", "archive_pages", "measure_reextract"]

PAGES_PER_FILE = 250


class CheapReplayer:
    """Turns an archived page back into its article row: the body is the text."""

    async def verdict(self, item: PageItem, run_id: str) -> ArticleRecord:
        text = item.body.decode()
        return ArticleRecord(
            url=item.url, canonical_url=item.url, site=item.site, title="t", text=text,
            word_count=len(text.split()), content_hash=f"{hash(text) & 0xFFFFFFFF:08x}",
            fetched_at=item.fetched_at, http_status=item.status, run_id=run_id,
            extractor="bench-replay",
        )  # fmt: skip


def archive_pages(root: Path, site: str) -> int:
    """One raw page per stored article row, bodies edited so every text changes."""
    table = open_dataset(root, "articles", [site]).to_table(
        columns=["url", "run_id", "fetched_at", "text", "http_status"]
    )
    pages = 0
    for start in range(0, table.num_rows, PAGES_PER_FILE):
        rows = []
        for row in table.slice(start, PAGES_PER_FILE).to_pylist():
            body = (row["text"] + " (re-extracted)").encode()
            page = RawPage(url=row["url"], site=site, status=row["http_status"],
                           content_type="text/html", fetched_at=row["fetched_at"],
                           run_id=row["run_id"], body_hash=body_digest(body),
                           body_size=len(body), body=body)  # fmt: skip
            rows.append(page.to_row())
        month = rows[0]["month"]
        directory = root / "raw" / f"site={site}" / f"month={month}"
        directory.mkdir(parents=True, exist_ok=True)
        schema_rows = [{k: v for k, v in r.items() if k != "month"} for r in rows]
        pq.write_table(pa.Table.from_pylist(schema_rows, schema=RAW_SCHEMA),
                       directory / f"part-{rows[0]['run_id']}-w0-{start:07d}.parquet")  # fmt: skip
        pages += len(rows)
    return pages


CHILD = (
    PEAK_RSS
    + """
import asyncio, json, sys, time
from pathlib import Path
from crawler.dataset.reextract import reextract_site
from tests.benchmarks.reextract_cost import CheapReplayer
started = time.perf_counter()
changes = asyncio.run(reextract_site(Path(sys.argv[1]), sys.argv[2], CheapReplayer()))
print(json.dumps({"seconds": time.perf_counter() - started, "pages": changes.pages,
                  "articles_after": changes.articles_after,
                  "peak_rss_mb": peak_rss_mb()}))
"""
)


def measure_reextract(root: Path, site: str, rows: int) -> str:
    """Archive the pages, re-extract in a child; one line with time and peak RSS."""

    pages = archive_pages(root, site)
    result = measure(CHILD, str(root), site)
    seconds, peak, after = result["seconds"], result["peak_rss_mb"], result["articles_after"]
    return (f"reextract {rows} rows ({pages} archived pages): {seconds:.1f} s, "
            f"peak RSS {peak:.0f} MB, {after} rows after")  # fmt: skip
