"""The raw archive: content-addressed page bytes in a Parquet dataset, written like the rest."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from crawler.dataset.raw import RAW_SCHEMA, RawArchive, RawPage, body_digest
from crawler.dataset.schema import PARTITION_FIELDS
from crawler.dataset.writer import DatasetWriter
from crawler.items import PageItem
from pipelines.raw_archive import RawArchivePipeline
from tests.conftest import NOW


def item(i: int, body: bytes | None = None, site: str = "example", **kw: object) -> PageItem:
    fields: dict = dict(
        url=f"http://www.example.test/opinion/{i}",
        site=site,
        status=200,
        body=f"<html><p>page {i}</p></html>".encode() if body is None else body,
        fetched_at=NOW + timedelta(seconds=i),
        content_type="text/html; charset=utf-8",
        etag=f'"e{i}"',
        last_modified="Wed, 18 Mar 2026 10:00:00 GMT",
    )
    return PageItem(**{**fields, **kw})


def pipeline(root: Path, run_id: str = "run-1", flush_rows: int = 100) -> RawArchivePipeline:
    writer = DatasetWriter(root / "raw", RAW_SCHEMA, PARTITION_FIELDS, f"part-{run_id}-w0",
                           flush_rows=flush_rows)  # fmt: skip
    stats = MemoryStatsCollector(get_crawler())
    archiver = RawArchivePipeline(writer, RawArchive(root), run_id, stats)
    archiver.open_spider()
    return archiver


def test_every_page_item_field_is_archived() -> None:
    # A field added to PageItem must reach the archive, or a replay would lose it.
    archived = set(RAW_SCHEMA.names)
    assert {f.name for f in dataclasses.fields(PageItem)} <= archived


def test_pages_pass_on_unchanged_and_are_stored_with_their_metadata(tmp_path: Path) -> None:
    archiver = pipeline(tmp_path)
    page = item(1)
    assert archiver.process_item(page) is page
    archiver.close_spider()
    (row,) = ds.dataset(tmp_path / "raw", partitioning="hive").to_table().to_pylist()
    assert row["body"] == page.body and row["body_hash"] == body_digest(page.body)
    assert (row["url"], row["site"], row["status"]) == (page.url, "example", 200)
    assert (row["etag"], row["last_modified"]) == (page.etag, page.last_modified)
    assert row["content_type"] == page.content_type and row["fetched_at"] == page.fetched_at
    assert row["run_id"] == "run-1" and row["month"] == NOW.strftime("%Y-%m")
    assert archiver.stats is not None and archiver.stats.get_value("raw/pages") == 1


def test_failed_downloads_are_archived_too(tmp_path: Path) -> None:
    archiver = pipeline(tmp_path)
    archiver.process_item(item(2, body=b"", error="download: TimeoutError", status=0))
    archiver.close_spider()
    ((page, body),) = RawArchive(tmp_path).pages("example")
    assert page.error == "download: TimeoutError" and body == b""


def test_identical_bodies_are_stored_once_per_site_across_runs(tmp_path: Path) -> None:
    same = b"<html><p>the same bytes</p></html>"
    first = pipeline(tmp_path, "run-1")
    first.process_item(item(1, body=same))
    first.process_item(item(2, body=same))
    first.close_spider()
    second = pipeline(tmp_path, "run-2")
    second.process_item(item(3, body=same))
    second.process_item(item(4, body=same, site="other"))  # another site keeps its own copy
    second.close_spider()
    table = ds.dataset(tmp_path / "raw", partitioning="hive").to_table()
    stored = [r for r in table.to_pylist() if r["body"] is not None]
    assert sorted(r["site"] for r in stored) == ["example", "other"]
    assert sum(r["revisit"] for r in table.to_pylist()) == 2
    pages = list(RawArchive(tmp_path).pages("example"))
    assert [body for _, body in pages] == [same, same, same]
    assert [p.run_id for p, _ in pages] == ["run-1", "run-1", "run-2"]


def test_pages_come_back_run_by_run_in_fetch_order(tmp_path: Path) -> None:
    for run, numbers in (("run-b", [5, 6]), ("run-a", [1, 2, 3])):
        archiver = pipeline(tmp_path, run, flush_rows=1)  # one file per page
        for n in numbers:
            archiver.process_item(item(n))
        archiver.close_spider()
    pages = [p for p, _ in RawArchive(tmp_path).pages("example")]
    assert [p.url.rsplit("/", 1)[1] for p in pages] == ["1", "2", "3", "5", "6"]
    assert RawArchive(tmp_path).count("example") == 5


def test_replayed_items_equal_the_originals(tmp_path: Path) -> None:
    archiver = pipeline(tmp_path)
    original = item(7, error_reason=None)
    archiver.process_item(original)
    archiver.close_spider()
    ((page, body),) = RawArchive(tmp_path).pages("example")
    assert page.to_item(body) == original


def test_files_are_written_atomically_and_zstd_compressed(tmp_path: Path) -> None:
    archiver = pipeline(tmp_path, flush_rows=2)
    for n in range(5):
        archiver.process_item(item(n))
    # Two flushes happened; the fifth page is still buffered, and nothing half-written shows.
    assert len(RawArchive(tmp_path).files("example")) == 2
    assert not list(tmp_path.rglob(".*.tmp"))
    archiver.close_spider()
    (first, *_) = RawArchive(tmp_path).files("example")
    assert pq.ParquetFile(first).metadata.row_group(0).column(0).compression == "ZSTD"


def test_raw_archive_is_off_unless_configured() -> None:
    with pytest.raises(NotConfigured):
        RawArchivePipeline.from_crawler(get_crawler(settings_dict={"RAW_ARCHIVE": False}))


def test_the_archive_flushes_once_its_buffered_bodies_exceed_the_byte_budget(
    tmp_path: Path,
) -> None:
    # 250 real pages (the row bound) were ~47 MB of bodies held in the crawl's process.
    settings = {"RAW_ARCHIVE": True, "PARQUET_DIR": str(tmp_path), "RUN_ID": "run-1",
                "WORKER_ID": "w0", "PARQUET_COMPRESSION": "zstd", "PARQUET_FLUSH_SECONDS": 300,
                "RAW_ARCHIVE_FLUSH_ROWS": 250, "RAW_ARCHIVE_FLUSH_BYTES": 300_000}  # fmt: skip
    crawler = get_crawler(settings_dict=settings)
    archiver = RawArchivePipeline.from_crawler(crawler)
    archiver.open_spider()
    pages = [item(i, body=bytes([i]) * 120_000) for i in range(5)]
    for page in pages[:2]:
        archiver.process_item(page)
    assert archiver.writer.rows_written == 0
    archiver.process_item(pages[2])  # 360,000 bytes buffered: a flush starts
    assert archiver.writer.buffered_bytes == 0
    archiver.writer.wait()
    assert (archiver.writer.rows_written, archiver.writer.buffered) == (3, 0)
    for page in pages[3:]:
        archiver.process_item(page)
    archiver.close_spider()
    rows = ds.dataset(tmp_path / "raw", partitioning="hive").to_table().to_pylist()
    assert sorted(row["body"] for row in rows) == sorted(page.body for page in pages)


def test_archive_row_round_trips_through_the_schema() -> None:
    row = RawPage.from_item(item(1), "run-1", False, body_digest(b"x")).to_row()
    assert set(row) == set(RAW_SCHEMA.names) | {"month"}
