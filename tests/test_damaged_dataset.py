"""The dataset survives files it did not write: foreign, truncated, older, half-compacted."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from crawler.dataset import compaction, load, load_rejects
from crawler.dataset.compaction import compact_site
from crawler.dataset.known import KnownArticles
from crawler.dataset.raw import RawArchive
from crawler.dataset.reextract import reextract_site
from crawler.dataset.schema import ADDED_IN, ARTICLE_SCHEMA, SCHEMA_VERSION
from crawler.dataset.summary import summarize
from tests.conftest import make_record
from tests.test_raw_archive import item, pipeline
from tests.test_reextract import crawl, replayer
from tests.test_reextract import page as reextract_page

Write = Callable[..., Path]
PARTITION = Path("articles/site=example/month=2026-11")


def damage(root: Path) -> dict[str, Path]:
    """Drop the kinds of file a dataset meets but never wrote into a live partition."""
    directory = root / PARTITION
    foreign = directory / "from-another-tool.parquet"
    pq.write_table(pa.table({"id": [1, 2], "headline": ["a", "b"]}), foreign)
    same_names = directory / "wrong-types.parquet"
    pq.write_table(pa.table({"url": [1], "canonical_url": [2]}), same_names)
    good = next(directory.glob("part-*.parquet"))
    truncated = directory / "truncated.parquet"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    not_parquet = directory / "notes.parquet"
    not_parquet.write_text("this is a text file with the wrong name")
    return {"foreign": foreign, "types": same_names, "truncated": truncated, "text": not_parquet}


def test_load_skips_foreign_and_unreadable_files_naming_each(write_articles: Write, caplog):
    root = write_articles([make_record(i) for i in range(3)])
    bad = damage(root)
    with caplog.at_level(logging.WARNING):
        articles = load(root, latest=False)
    assert sorted(articles["url"]) == sorted(make_record(i).url for i in range(3))
    for path in bad.values():
        assert str(path) in caplog.text
    assert "example" in summarize(root)


def test_known_articles_read_skips_foreign_files(write_articles: Write):
    root = write_articles([make_record(i) for i in range(3)])
    damage(root)
    known = KnownArticles.from_dataset(root, ["example"])
    assert len(known) == 3 and known.get(make_record(1).url) is not None


def test_rejects_loader_skips_foreign_files(tmp_path: Path):
    directory = tmp_path / "rejects/site=example/month=2026-11"
    directory.mkdir(parents=True)
    pq.write_table(pa.table({"x": [1]}), directory / "odd.parquet")
    assert load_rejects(tmp_path).empty


def write_previous_version(root: Path, records: list) -> Path:
    """A file as schema version 1 wrote it: no revision, etag or last_modified."""
    old = [c for columns in ADDED_IN.values() for c in columns]
    schema = pa.schema([f for f in ARTICLE_SCHEMA if f.name not in old],
                       metadata={"schema_version": "1"})  # fmt: skip
    rows = [{k: v for k, v in r.to_row().items() if k in schema.names} for r in records]
    path = root / PARTITION / "part-old-w0-000001.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)
    return path


def test_previous_schema_version_loads_and_compacts_migrated(write_articles: Write):
    root = write_articles([make_record(i) for i in range(2)])
    write_previous_version(root, [make_record(i) for i in range(10, 13)])
    articles = load(root, latest=False).set_index("url")
    assert len(articles) == 5
    assert articles.loc[make_record(11).url, "revision"] == 1  # the default, not null
    assert KnownArticles.from_dataset(root, ["example"]).get(make_record(12).url).revision == 1
    result = compact_site(root, "example")
    assert (result.rows_before, result.rows_after, result.files_after) == (5, 5, 1)
    (path,) = (root / PARTITION).glob("*.parquet")
    schema = pq.read_schema(path)
    assert schema.metadata[b"schema_version"] == SCHEMA_VERSION.encode()
    assert schema.remove_metadata() == ARTICLE_SCHEMA.remove_metadata()
    assert pq.read_table(path).column("revision").null_count == 0


def test_compaction_moves_foreign_files_aside_and_keeps_them(write_articles: Write):
    root = write_articles([make_record(i) for i in range(4)], flush_rows=1)
    bad = damage(root)
    contents = {name: path.read_bytes() for name, path in bad.items()}
    result = compact_site(root, "example")
    assert result.rows_after == 4 and result.files_after == 1 and result.quarantined == 4
    for name, path in bad.items():
        assert not path.exists()
        (moved,) = (root / "articles/.quarantine").rglob(path.name)
        assert moved.read_bytes() == contents[name]
    assert len(load(root)) == 4


def test_stale_compaction_leftovers_are_removed_by_the_next_compaction(write_articles: Write):
    root = write_articles([make_record(i) for i in range(3)], flush_rows=1)
    for stale in ("articles/.compact-20261101T000000-dead", "rejects/.reextract-x-dead"):
        leftover = root / stale / PARTITION.relative_to("articles")
        leftover.mkdir(parents=True)
        (leftover / "part-x.parquet").write_bytes(b"half a file")
    compact_site(root, "example")
    assert list((root / "articles").glob(".compact-*")) == []
    assert list((root / "rejects").glob(".reextract-*")) == []


def test_compaction_streams_in_bounded_row_groups(
    write_articles: Write, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(compaction, "ROW_GROUP_ROWS", 4)
    monkeypatch.setattr(compaction, "BATCH_ROWS", 2)
    root = write_articles([make_record(i) for i in range(10)], flush_rows=1)
    result = compact_site(root, "example", latest_only=True)
    assert result.rows_after == 10
    (path,) = (root / PARTITION).glob("*.parquet")
    meta = pq.ParquetFile(path).metadata
    groups = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
    assert groups == [4, 4, 2]  # written as the scan went, never the month at once


def test_raw_archive_readers_skip_foreign_files(tmp_path: Path):
    archiver = pipeline(tmp_path)
    archiver.process_item(item(1))
    archiver.close_spider()
    (month,) = (tmp_path / "raw/site=example").glob("month=*")
    pq.write_table(pa.table({"body_hash": [7]}), month / "odd.parquet")
    (month / "cut.parquet").write_bytes(b"PAR1 and then nothing")
    archive = RawArchive(tmp_path)
    assert len(archive.hashes(["example"])) == 1
    assert [page.url for page, _ in archive.pages("example")] == [item(1).url]


def test_reextract_skips_foreign_files_and_moves_them_aside(tmp_path: Path):
    crawl(tmp_path, [reextract_page(i) for i in range(3)], "run-1", replayer())
    (month,) = (tmp_path / "articles/site=example").glob("month=*")
    foreign = month / "from-another-tool.parquet"
    pq.write_table(pa.table({"id": [1]}), foreign)
    stale = tmp_path / "articles/.reextract-old-dead"
    stale.mkdir()
    changes = asyncio.run(reextract_site(tmp_path, "example", replayer()))
    assert changes.articles_after == 3 and len(load(tmp_path)) == 3
    assert not foreign.exists() and not stale.exists()
    (moved,) = (tmp_path / "articles/.quarantine").rglob(foreign.name)
    assert pq.read_table(moved).column_names == ["id"]
