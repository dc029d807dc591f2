"""The Parquet writer: explicit schema, hive layout, atomic files, bounded buffering."""

from __future__ import annotations

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


def test_the_crawl_writers_take_their_byte_budget_from_the_settings(tmp_path):
    settings = Settings({**settings_module_dict(), "PARQUET_DIR": str(tmp_path),
                         "RUN_ID": "r", "PARQUET_FLUSH_BYTES": 12_345})  # fmt: skip
    writer = writer_from_settings(settings, "articles", ARTICLE_SCHEMA, PARTITION_FIELDS)
    assert writer.flush_bytes == 12_345
    assert Settings(settings_module_dict()).getint("PARQUET_FLUSH_BYTES") > 0  # on by default


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
