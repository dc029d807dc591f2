"""One bad row never takes other rows with it; a batch lands or the crawl stops loudly."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any
from unittest import mock

import pyarrow as pa
import pytest
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from crawler.dataset import load, load_rejects
from crawler.dataset.raw import RAW_SCHEMA, RawArchive
from crawler.dataset.schema import ARTICLE_SCHEMA, PARTITION_FIELDS, REJECT_SCHEMA
from crawler.dataset.writer import DatasetWriter
from crawler.monitor.outcome import finish_reason
from pipelines.drops import NotStored, Rejected, rejected
from pipelines.extraction.unicode import INVALID_UNICODE, valid_unicode
from pipelines.parquet import ParquetPipeline
from pipelines.raw_archive import RawArchivePipeline
from pipelines.rejects import RejectsWriter
from pipelines.storage import StorageFailure
from tests.conftest import make_record
from tests.test_parquet_writer import HeldWrites, settings_module_dict
from tests.test_raw_archive import item

CUT_EMOJI = "A council story \ud83d"


def stats() -> MemoryStatsCollector:
    return MemoryStatsCollector(get_crawler())


def test_writer_isolates_an_unconvertible_row_and_writes_the_rest(tmp_path: Path):
    bad: list[tuple[dict[str, Any], Exception]] = []
    writer = DatasetWriter(tmp_path / "articles", ARTICLE_SCHEMA, PARTITION_FIELDS, "p",
                           flush_rows=5, on_unwritable=lambda *args: bad.append(args))  # fmt: skip
    rows = [make_record(i).to_row() for i in range(5)]
    rows[2]["description"] = CUT_EMOJI  # no UTF-8 encoder accepts a lone surrogate
    for row in rows:
        writer.write(row)
    assert writer.rows_written == 4 and writer.rows_unwritable == 1 and writer.buffered == 0
    assert [row["url"] for row, _ in bad] == [rows[2]["url"]]
    assert isinstance(bad[0][1], UnicodeError)
    assert sorted(load(tmp_path)["url"]) == sorted(r["url"] for i, r in enumerate(rows) if i != 2)


def test_writer_isolates_a_number_out_of_range(tmp_path: Path):
    bad: list[dict[str, Any]] = []
    writer = DatasetWriter(tmp_path / "articles", ARTICLE_SCHEMA, PARTITION_FIELDS, "p",
                           on_unwritable=lambda row, exc: bad.append(row))  # fmt: skip
    writer.write(make_record(0, http_status=99_999).to_row())  # int16 column
    writer.write(make_record(1).to_row())
    writer.close()
    assert len(bad) == 1 and writer.rows_written == 1


def test_a_failing_file_write_keeps_its_rows_pending(tmp_path: Path):
    writer = DatasetWriter(tmp_path / "articles", ARTICLE_SCHEMA, PARTITION_FIELDS, "p")
    writer.write(make_record(0).to_row())
    failing = mock.patch("pyarrow.parquet.write_table", side_effect=pa.ArrowInvalid("boom"))
    with failing, pytest.raises(pa.ArrowInvalid):
        writer.flush()
    assert writer.buffered == 1 and [r["url"] for r in writer.pending()] == [make_record(0).url]


def pipeline(
    tmp_path: Path, collector: MemoryStatsCollector, flush_rows: int = 3, background: bool = False
):
    writer = DatasetWriter(tmp_path / "articles", ARTICLE_SCHEMA, PARTITION_FIELDS, "p",
                           flush_rows=flush_rows, background=background)  # fmt: skip
    stops: list[str] = []
    filed: list[tuple[Any, Rejected]] = []
    failure = StorageFailure(collector, stops.append)
    parquet = ParquetPipeline(writer, collector, str(tmp_path), failure,
                              lambda item, exc: filed.append((item, exc)))  # fmt: skip
    return parquet, stops, filed


def test_parquet_pipeline_files_an_unwritable_row_as_a_reject(tmp_path: Path):
    collector = stats()
    parquet, stops, filed = pipeline(tmp_path, collector)
    parquet.open_spider()
    records = [make_record(i) for i in range(3)]
    records[1] = replace(records[1], title=CUT_EMOJI)  # as if extraction had let it through
    for record in records:
        collector.inc_value("articles/new")  # what DedupePipeline counted
        parquet.process_item(record)
    parquet.close_spider()
    assert stops == []
    assert len(load(tmp_path)) == 2
    ((item, exc),) = filed
    assert item.url == records[1].url and exc.reason == "unwritable_row"
    assert "UnicodeEncodeError" in exc.detail
    assert collector.get_value("articles/new") == 2
    assert collector.get_value("articles/rows_written") == 2


def test_any_flush_error_stops_the_crawl_and_counts_stay_truthful(tmp_path: Path):
    collector = stats()
    parquet, stops, _ = pipeline(tmp_path, collector, flush_rows=2)
    parquet.open_spider()
    with mock.patch("pyarrow.parquet.write_table", side_effect=RuntimeError("not an OSError")):
        collector.inc_value("articles/new")
        parquet.process_item(make_record(0))
        collector.inc_value("articles/new")
        with pytest.raises(NotStored):
            parquet.process_item(make_record(1))  # its flush fails
    collector.inc_value("articles/new")
    with pytest.raises(NotStored):
        parquet.process_item(make_record(2))  # arrives after the failure
    parquet.close_spider()
    assert stops == ["storage_failed"]
    assert collector.get_value("articles/new") == 0  # nothing was written
    assert collector.get_value("storage/unwritten_rows") == 2
    assert "RuntimeError" in collector.get_value("storage/error")
    assert finish_reason(collector.get_stats(), "finished") == "storage_failed"


def test_a_failed_flush_in_the_background_stops_the_crawl_and_counts_stay_truthful(
    tmp_path: Path,
):
    collector = stats()
    parquet, stops, _ = pipeline(tmp_path, collector, flush_rows=2, background=True)
    parquet.open_spider()
    held = HeldWrites(RuntimeError("not an OSError"))
    with held.patch:
        for i in range(2):  # the second starts the flush, which fails once released
            collector.inc_value("articles/new")
            parquet.process_item(make_record(i))
        assert held.started.wait(5)
        held.release.set()
        parquet.close_spider()  # lets the flush end: its error and its rows are the run's
    assert stops == ["storage_failed"] and "RuntimeError" in collector.get_value("storage/error")
    assert collector.get_value("articles/new") == 0
    assert collector.get_value("storage/unwritten_rows") == 2
    assert collector.get_value("articles/rows_written") == 0


def test_the_crawl_takes_articles_while_a_flush_is_written(tmp_path: Path):
    crawler = get_crawler(settings_dict={**settings_module_dict(), "PARQUET_DIR": str(tmp_path),
                                         "RUN_ID": "r", "PARQUET_FLUSH_ROWS": 2})  # fmt: skip
    parquet = ParquetPipeline.from_crawler(crawler)
    held = HeldWrites()
    with held.patch:
        parquet.open_spider()
        for i in range(3):
            parquet.process_item(make_record(i))
        assert held.started.wait(5) and parquet.writer.rows_written == 0
        held.release.set()
        parquet.close_spider()
    assert sorted(load(tmp_path)["url"]) == sorted(make_record(i).url for i in range(3))
    assert crawler.stats.get_value("articles/rows_written") == 3


def test_a_failure_in_the_final_flush_fails_the_run(tmp_path: Path):
    collector = stats()
    parquet, _, _ = pipeline(tmp_path, collector, flush_rows=100)
    parquet.open_spider()
    parquet.process_item(make_record(0))
    with mock.patch("pyarrow.parquet.write_table", side_effect=ValueError("late")):
        parquet.close_spider()
    assert finish_reason(collector.get_stats(), "finished") == "storage_failed"


def test_rejects_writer_stores_a_reject_whose_text_was_invalid(tmp_path: Path):
    collector = stats()
    writer = DatasetWriter(tmp_path / "rejects", REJECT_SCHEMA, PARTITION_FIELDS, "p")
    rejects = RejectsWriter(writer, collector, "run-x")
    rejects.item_dropped(make_record(0), rejected("no_article", f"title {CUT_EMOJI}"))
    rejects.spider_closed()
    assert load_rejects(tmp_path)["detail"].tolist() == ["title A council story \ufffd"]


def test_valid_unicode_repairs_every_string_field_and_notes_it():
    record = make_record(0)
    broken = replace(record, title="T\ud83d", authors=["Ann \udc00"], tags=["x", "y\ud800"])
    fixed = valid_unicode(broken)
    assert fixed.title == "T\ufffd" and fixed.authors == ["Ann \ufffd"]
    assert fixed.tags == ["x", "y\ufffd"]
    (note,) = [r for r in fixed.removed if r.kind == INVALID_UNICODE]
    assert "3 lone surrogate(s)" in note.text and "title" in note.text
    assert valid_unicode(record) is record  # valid records pass untouched


def test_a_failing_raw_archive_or_rejects_flush_stops_the_crawl(tmp_path: Path):
    collector = stats()
    stops: list[str] = []
    failure = StorageFailure(collector, stops.append)
    raw = DatasetWriter(tmp_path / "raw", RAW_SCHEMA, PARTITION_FIELDS, "p", flush_rows=1)
    archiver = RawArchivePipeline(raw, RawArchive(tmp_path), "run-x", collector, None, failure)
    writer = DatasetWriter(tmp_path / "rejects", REJECT_SCHEMA, PARTITION_FIELDS, "p",
                           flush_rows=1)  # fmt: skip
    rejects = RejectsWriter(writer, collector, "run-x", failure)
    with mock.patch("pyarrow.parquet.write_table", side_effect=KeyError("not an OSError")):
        assert archiver.process_item(item(1)) is not None  # the page goes on to extraction
        rejects.item_dropped(make_record(0), rejected("no_article", "none"))
    assert stops == ["storage_failed"] and "KeyError" in collector.get_value("storage/error")
    archiver.close_spider()
    rejects.spider_closed()
    assert collector.get_value("raw/unwritten") == 1
    assert collector.get_value("rejects/unwritten") == 1
