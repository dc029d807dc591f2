"""The Parquet writer: explicit schema, hive layout, atomic files, bounded buffering."""

from __future__ import annotations

import threading
from pathlib import Path
from unittest import mock

import duckdb
import pandas as pd
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from scrapy.settings import Settings

from crawler import settings as crawl_settings
from crawler.dataset.schema import ARTICLE_SCHEMA, PARTITION_FIELDS, SCHEMA_VERSION
from crawler.dataset.writer import DatasetWriter
from pipelines.parquet import writer_from_settings
from tests.conftest import make_record


def settings_module_dict() -> dict:
    """The project's settings module as a plain dict of its UPPERCASE names."""
    return {name: getattr(crawl_settings, name) for name in dir(crawl_settings) if name.isupper()}


def parquet_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.parquet"))


def test_files_carry_the_declared_schema_even_when_a_column_is_all_null(write_articles):
    root = write_articles([make_record(i, modified_at=None, description=None) for i in range(3)])
    for path in parquet_files(root):
        schema = pq.read_schema(path)
        assert schema.remove_metadata() == ARTICLE_SCHEMA.remove_metadata()
        assert schema.metadata[b"schema_version"] == SCHEMA_VERSION.encode()


def test_only_the_columns_whose_values_repeat_are_dictionary_encoded(write_articles):
    root = write_articles([make_record(i) for i in range(20)])
    for path in parquet_files(root):
        group = pq.ParquetFile(path).metadata.row_group(0)
        encoded = {
            group.column(i).path_in_schema
            for i in range(group.num_columns)
            if "RLE_DICTIONARY" in group.column(i).encodings
        }
        # one per row (URLs, texts, hashes, times): a dictionary of them was built for nothing
        assert not encoded & {"url", "canonical_url", "text", "content_hash", "fetched_at"}
        assert {"language", "run_id", "extractor", "authors.list.element",
                "removed.list.element.text"} <= encoded  # fmt: skip


def test_layout_is_hive_partitioned_by_site_and_month(write_articles):
    root = write_articles([make_record(0), make_record(40), make_record(1, site="other")])
    relative = {str(p.parent.relative_to(root / "articles")) for p in parquet_files(root)}
    assert relative == {"site=example/month=2026-11", "site=example/month=2026-10",
                        "site=other/month=2026-11"}  # fmt: skip


def test_rows_are_flushed_in_bounded_batches(tmp_path):
    writer = DatasetWriter(tmp_path, ARTICLE_SCHEMA, PARTITION_FIELDS, "p", flush_rows=10)
    for i in range(25):
        writer.write(make_record(i % 3).to_row())
        assert writer.buffered < 10
    assert writer.rows_written == 20
    writer.close()
    assert writer.rows_written == 25
    assert sum(pq.read_metadata(p).num_rows for p in parquet_files(tmp_path)) == 25


def test_rows_are_flushed_once_their_text_exceeds_the_byte_budget(tmp_path):
    # Real articles (text and removed blocks) fill memory long before 1000 of them are counted.
    writer = DatasetWriter(tmp_path, ARTICLE_SCHEMA, PARTITION_FIELDS, "p", flush_rows=1000,
                           flush_bytes=20_000)  # fmt: skip
    long = [make_record(i % 3, text="word " * 1200) for i in range(7)]  # ~6,000 bytes each
    for record in long[:3]:
        writer.write(record.to_row())
    assert (writer.rows_written, writer.buffered) == (0, 3)
    assert 18_000 <= writer.buffered_bytes < 20_000
    writer.write(long[3].to_row())
    assert (writer.rows_written, writer.buffered, writer.buffered_bytes) == (4, 0, 0)
    for record in long[4:]:
        writer.write(record.to_row())
    writer.close()
    assert sum(pq.read_metadata(p).num_rows for p in parquet_files(tmp_path)) == 7


def rows_on_disk(root: Path) -> dict[str, int]:
    """Rows in the dataset's files by month partition."""
    counts: dict[str, int] = {}
    for path in parquet_files(root):
        month = path.parent.name.removeprefix("month=")
        counts[month] = counts.get(month, 0) + pq.read_metadata(path).num_rows
    return counts


@pytest.mark.parametrize("background", [False, True])
def test_a_bound_flush_parks_thin_months_on_disk_until_they_hold_more(tmp_path, background):
    # A first crawl spreads its articles over many months: writing every month at every flush
    # made files of a row or two, each costing as much to create and write as a full one.
    writer = DatasetWriter(tmp_path, ARTICLE_SCHEMA, PARTITION_FIELDS, "p", flush_rows=20,
                           park_bounds=4, background=background)  # fmt: skip
    this_month = make_record(0).month
    for i in range(17):
        writer.write(make_record(i % 2).to_row())
    for months_back in (2, 3, 4):
        writer.write(make_record(months_back * 31).to_row())
    writer.wait()  # the background flush parks and writes in its thread
    # the flush wrote this month; the three old months (a row each) are parked, not in memory
    assert rows_on_disk(tmp_path) == {this_month: 17}
    assert (writer.parked, writer.buffered, writer.buffered_bytes) == (3, 3, 0)
    assert ds.dataset(tmp_path, partitioning="hive").count_rows() == 17  # readers see no more
    for i in range(18):
        writer.write(make_record(i % 2).to_row())
    for _ in range(2):
        writer.write(make_record(2 * 31).to_row())
    writer.wait()
    # two months back now holds three rows: written in one file with its parked row
    two_back = make_record(2 * 31).month
    assert rows_on_disk(tmp_path) == {this_month: 35, two_back: 3}
    assert len(parquet_files(tmp_path)) == 3 and writer.parked == 2
    writer.close()
    assert len(parquet_files(tmp_path)) == 5 and writer.buffered == 0
    assert sum(rows_on_disk(tmp_path).values()) == 40
    assert [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix != ".parquet"] == []


def test_without_parking_a_bound_flush_writes_every_month(tmp_path):
    writer = DatasetWriter(tmp_path, ARTICLE_SCHEMA, PARTITION_FIELDS, "p", flush_rows=20)
    for i in range(17):
        writer.write(make_record(i % 2).to_row())
    for months_back in (2, 3, 4):
        writer.write(make_record(months_back * 31).to_row())
    assert len(parquet_files(tmp_path)) == 4 and writer.buffered == 0


def test_parked_rows_stay_within_their_bounds_the_fullest_written_first(tmp_path):
    writer = DatasetWriter(tmp_path, ARTICLE_SCHEMA, PARTITION_FIELDS, "p", flush_rows=40,
                           park_bounds=0.1)  # at most 4 rows parked  # fmt: skip
    for i in range(34):
        writer.write(make_record(i % 2).to_row())
    for months_back, rows in ((2, 3), (3, 1), (4, 1), (5, 1)):  # 6 thin rows: 2 too many
        for _ in range(rows):
            writer.write(make_record(months_back * 31).to_row())
    assert writer.parked == 3  # two months back (3 rows) was written to stay within 4
    assert rows_on_disk(tmp_path) == {make_record(0).month: 34, make_record(62).month: 3}
    writer.close()
    assert sum(rows_on_disk(tmp_path).values()) == 40


def test_parked_rows_wait_no_longer_than_the_flush_seconds(tmp_path):
    clock = [1000.0]
    with mock.patch("crawler.dataset.writer.time.monotonic", lambda: clock[0]):
        writer = DatasetWriter(tmp_path, ARTICLE_SCHEMA, PARTITION_FIELDS, "p", flush_rows=20,
                               flush_seconds=60, park_bounds=4)  # fmt: skip
        writer.write(make_record(93).to_row())  # three months back, at t=0
        for i in range(19):
            writer.write(make_record(i % 2).to_row())
        assert (writer.parked, writer.rows_written) == (1, 19)
        clock[0] += 59
        writer.write(make_record(0).to_row())
        assert writer.parked == 1
        clock[0] += 1
        writer.write(make_record(0).to_row())  # the parked row has waited 60 s: written
        assert writer.parked == 0 and rows_on_disk(tmp_path)[make_record(93).month] == 1
        writer.close()
    assert sum(rows_on_disk(tmp_path).values()) == 22


def test_a_failed_write_keeps_the_parked_rows_of_its_partition(tmp_path):
    writer = DatasetWriter(tmp_path, ARTICLE_SCHEMA, PARTITION_FIELDS, "p", flush_rows=20,
                           park_bounds=4)  # fmt: skip
    urls = []
    for i in range(20):
        record = make_record(93 if i == 0 else i % 2)
        urls.append(record.url)
        writer.write(record.to_row())
    assert writer.parked == 1
    with mock.patch("os.replace", side_effect=OSError("disk full")), pytest.raises(OSError):
        writer.flush()
    assert writer.buffered == 1 and writer.parked == 1  # its row is still parked
    writer.close(write_buffered=False)
    assert [row["url"] for row in writer.pending()] == [urls[0]]
    writer.flush()
    assert sum(rows_on_disk(tmp_path).values()) == 20 and writer.buffered == 0


def test_a_thin_partition_waits_no_longer_than_the_flush_seconds(tmp_path):
    clock = [1000.0]
    with mock.patch("crawler.dataset.writer.time.monotonic", lambda: clock[0]):
        writer = DatasetWriter(tmp_path, ARTICLE_SCHEMA, PARTITION_FIELDS, "p", flush_rows=100,
                               flush_seconds=60)  # fmt: skip
        writer.write(make_record(93).to_row())  # three months back, at t=0
        for second in range(1, 61):
            clock[0] = 1000.0 + second
            writer.write(make_record(second % 2).to_row())  # this month, from t=1
        # at t=60 the old month's row had waited 60 s: written; this month's (59 s) wait on
        assert (writer.rows_written, writer.buffered) == (1, 60)
        clock[0] += 1
        writer.write(make_record(0).to_row())
        assert (writer.rows_written, writer.buffered) == (62, 0)
        writer.close()
    assert sum(pq.read_metadata(p).num_rows for p in parquet_files(tmp_path)) == 62


def test_the_crawl_writers_take_their_byte_budget_from_the_settings(tmp_path):
    settings = Settings({**settings_module_dict(), "PARQUET_DIR": str(tmp_path),
                         "RUN_ID": "r", "PARQUET_FLUSH_BYTES": 12_345})  # fmt: skip
    writer = writer_from_settings(settings, "articles", ARTICLE_SCHEMA, PARTITION_FIELDS)
    assert writer.flush_bytes == 12_345
    assert Settings(settings_module_dict()).getint("PARQUET_FLUSH_BYTES") > 0  # on by default
    assert writer.park_bounds == crawl_settings.PARQUET_PARK_BOUNDS > 0


def test_a_failed_write_leaves_no_visible_or_temporary_file(tmp_path):
    writer = DatasetWriter(tmp_path, ARTICLE_SCHEMA, PARTITION_FIELDS, "p", flush_rows=100)
    writer.write(make_record().to_row())
    with mock.patch("os.replace", side_effect=OSError("disk full")), pytest.raises(OSError):
        writer.flush()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    assert writer.buffered == 1  # nothing acknowledged as written is lost
    writer.flush()
    assert len(parquet_files(tmp_path)) == 1


def test_two_writers_with_different_prefixes_never_overwrite_each_other(write_articles):
    write_articles([make_record(0)], prefix="part-runA-w0")
    root = write_articles([make_record(0)], prefix="part-runB-w0")
    assert len(parquet_files(root)) == 2


def test_the_same_files_open_in_pandas_pyarrow_and_duckdb(write_articles):
    root = write_articles([make_record(i) for i in range(5)])
    articles = root / "articles"
    assert len(pd.read_parquet(articles)) == 5
    assert ds.dataset(articles, partitioning="hive").count_rows() == 5
    query = (
        "select count(*), min(site) "
        f"from read_parquet('{articles}/**/*.parquet', hive_partitioning=true)"
    )
    assert duckdb.sql(query).fetchall() == [(5, "example")]


class HeldWrites:
    """Stands in for the file write: each waits until released (or raises `error`)."""

    def __init__(self, error: Exception | None = None) -> None:
        self.started = threading.Event()
        self.release = threading.Event()
        self.threads: list[int] = []  # of each write, in order
        self.error = error
        real = DatasetWriter._write_file

        def write_file(writer: DatasetWriter, final: Path, table: object) -> None:
            self.threads.append(threading.get_ident())
            self.started.set()
            assert self.release.wait(10), "the test never released the write"
            if self.error is not None:
                raise self.error
            real(writer, final, table)  # type: ignore[arg-type]

        self.patch = mock.patch.object(DatasetWriter, "_write_file", write_file)


def test_a_background_flush_lets_rows_come_in_while_its_files_are_written(tmp_path):
    held = HeldWrites()
    writer = DatasetWriter(tmp_path, ARTICLE_SCHEMA, PARTITION_FIELDS, "p", flush_rows=3,
                           background=True)  # fmt: skip
    with held.patch:
        for i in range(3):
            writer.write(make_record(i).to_row())
        assert held.started.wait(5)  # the flush is under way and has not returned...
        writer.write(make_record(3).to_row())  # ...yet rows are still taken
        assert writer.rows_written == 0 and writer.buffered == 4
        assert sorted(r["url"] for r in writer.pending()) == sorted(
            make_record(i).url for i in range(4)
        )
        held.release.set()
        writer.close()
    # The flush written in another thread; close() writes the last row itself.
    assert held.threads[0] != threading.get_ident() == held.threads[-1]
    assert (writer.rows_written, writer.buffered) == (4, 0)
    assert sum(pq.read_metadata(p).num_rows for p in parquet_files(tmp_path)) == 4


def test_a_failed_background_flush_raises_in_the_caller_and_keeps_every_row(tmp_path):
    held = HeldWrites(OSError(28, "No space left on device"))
    reported: list[int] = []

    def report(row: dict, exc: Exception) -> None:
        reported.append(threading.get_ident())

    writer = DatasetWriter(tmp_path, ARTICLE_SCHEMA, PARTITION_FIELDS, "p", flush_rows=2,
                           background=True, on_unwritable=report)  # fmt: skip
    taken = [make_record(0).url]
    with held.patch:
        writer.write(make_record(0).to_row())
        writer.write(make_record(1, http_status=99_999).to_row())  # int16 column: unwritable
        held.release.set()
        with pytest.raises(OSError, match="No space"):
            for i in range(2, 4):  # the next flush due waits for this one, at the latest
                taken.append(make_record(i).url)  # a write that raises still took its row
                writer.write(make_record(i).to_row())
    assert writer.rows_written == 0 and not parquet_files(tmp_path)
    # Every row is pending but the unconvertible one, reported in the caller's thread.
    assert sorted(r["url"] for r in writer.pending()) == sorted(taken)
    assert reported == [threading.get_ident()] and writer.buffered == len(taken)
    writer.close(write_buffered=False)
    assert not parquet_files(tmp_path) and writer.buffered == len(taken)


def test_rows_that_cannot_be_parked_stay_buffered_and_parking_stops(tmp_path, caplog):
    writer = DatasetWriter(tmp_path, ARTICLE_SCHEMA, PARTITION_FIELDS, "p", flush_rows=20,
                           park_bounds=4)  # fmt: skip
    full = OSError(28, "No space left on device")
    with mock.patch("crawler.dataset.parking.ParkingFile.park", side_effect=full):
        for i in range(20):
            writer.write(make_record(93 if i == 0 else i % 2).to_row())
    assert (writer.rows_written, writer.parked, writer.buffered) == (19, 0, 1)
    assert writer.park_bounds == 0 and "cannot park rows" in caplog.text
    writer.close()
    assert sum(rows_on_disk(tmp_path).values()) == 20
