"""Re-extraction in bounded memory: the same rows and report whatever the batch size."""

from __future__ import annotations

import asyncio
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from crawler.dataset import load, load_rejects
from crawler.dataset import reextract_changes as report
from crawler.dataset.reextract import BATCH_ROWS, reextract_site
from crawler.dataset.reextract_changes import SiteChanges, format_changes
from crawler.dataset.spill import Spill
from tests.conftest import make_record
from tests.test_reextract import SITE, crawl, html, page, replayer, write

FIELDS = ["pages", "kept_articles", "kept_rejects", "articles_before", "articles_after",
          "rejects_before", "rejects_after", "transitions", "reasons_changed", "lines_removed",
          "lines_added", "kinds_before", "kinds_after"]  # fmt: skip


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three crawls with an old strip rule: refetches, new texts, a duplicate, a 404."""
    root = tmp_path_factory.mktemp("history")
    old_rule = replayer("^Paragraph 3 of")
    first = [page(i) for i in range(10)] + [page(20, status=404, body=b"gone")]
    first.append(page(4, url="http://www.example.test/opinion/4?utm_source=feed"))
    crawl(root, first, "run-1", old_rule)
    again = [page(i, run=1) for i in range(5)] + [page(i, run=1, body=html(i + 100))
                                                  for i in range(5, 8)]  # fmt: skip
    crawl(root, again, "run-2", old_rule)
    crawl(root, [page(i, run=2) for i in (0, 6)] + [page(11, run=2)], "run-3", old_rule)
    write(root, "articles", [make_record(50 + i, site=SITE, run_id="run-0").to_row()
                             for i in range(3)])  # fmt: skip
    return root


def _rebuilt(history: Path, target: Path, batch_rows: int) -> tuple[Any, Any, SiteChanges]:
    shutil.copytree(history, target)
    changes = asyncio.run(reextract_site(target, SITE, replayer(), batch_rows=batch_rows))
    articles = load(target, latest=False).sort_values(["url", "run_id", "revision"])
    rejects = load_rejects(target).sort_values(["url", "run_id", "reason"])
    return articles.reset_index(drop=True), rejects.reset_index(drop=True), changes


def test_the_batch_size_changes_neither_rows_nor_report(history: Path, tmp_path: Path) -> None:
    articles, rejects, changes = _rebuilt(history, tmp_path / "default", BATCH_ROWS)
    assert changes.transitions["text_changed"] > 0 and changes.kept_articles == 3
    assert "duplicate" in set(rejects["reason"]) and articles["revision"].max() >= 2
    for batch_rows in (1, 7):
        other = _rebuilt(history, tmp_path / str(batch_rows), batch_rows)
        assert other[0].equals(articles), f"articles differ at batch_rows={batch_rows}"
        assert other[1].equals(rejects), f"rejects differ at batch_rows={batch_rows}"
        for name in FIELDS:
            assert getattr(other[2], name) == getattr(changes, name), name


def test_rows_are_read_back_a_bounded_bucket_at_a_time(
    history: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sizes: list[int] = []
    drain = Spill.drain

    def counted(spill: Spill) -> Iterator[list[Any]]:
        for bucket in drain(spill):
            sizes.append(len(bucket))
            yield bucket

    monkeypatch.setattr(Spill, "drain", counted)
    shutil.copytree(history, tmp_path / "root")
    asyncio.run(reextract_site(tmp_path / "root", SITE, replayer(), batch_rows=7))
    # ~60 stored and replayed rows: many buckets, none near the whole site.
    assert len(sizes) > 10 and max(sizes) <= 3 * 7, sizes
    # The new files are written month by month, 7 rows at most each, not one per row or flush.
    for table in ("articles", "rejects"):
        files = list((tmp_path / "root" / table).rglob("*.parquet"))
        rows = [pq.ParquetFile(f).metadata.num_rows for f in files]
        assert max(rows) <= 7 and len(files) < sum(rows), (table, rows)


def test_the_report_forgets_rare_lines_beyond_its_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report, "LINES_KEPT", 5)
    changes = SiteChanges(SITE)
    common = "A line every page lost."
    for i in range(40):
        before = {"kind": "article", "hash": "a", "text": f"{common}\n\nold {i}"}
        after = {"kind": "article", "hash": "b", "text": f"new {i}"}
        changes.record({**before, "kinds": Counter()}, {**after, "kinds": Counter()})
    assert changes.blocks_removed == 80 and changes.blocks_added == 40
    assert len(changes.lines_removed) <= 10 and changes.lines_removed[common] == 40
    assert "80 removed (over 5 distinct), 40 added (over 5 distinct)" in format_changes(changes)


def test_a_spill_gives_back_each_key_in_one_bucket_in_order(tmp_path: Path) -> None:
    spill = Spill(tmp_path / "spill", buckets=4, buffer_rows=3)
    for i in range(50):
        spill.add(f"key-{i % 9}", (f"key-{i % 9}", i))
    buckets = list(spill.drain())
    assert sorted(r for bucket in buckets for r in bucket) == sorted(
        (f"key-{i % 9}", i) for i in range(50)
    )
    for bucket in buckets:
        for key in {k for k, _ in bucket}:
            assert [i for k, i in bucket if k == key] == sorted(i for k, i in bucket if k == key)
    homes = [{k for k, _ in bucket} for bucket in buckets]
    assert sum(len(h) for h in homes) == 9  # no key split over two buckets
    assert not list((tmp_path / "spill").iterdir())
