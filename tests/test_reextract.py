"""Re-extraction from the raw archive: same decisions as a crawl, atomic swap, honest report."""

from __future__ import annotations

import asyncio
import shutil
import tomllib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from crawler.dataset import load, load_rejects
from crawler.dataset.locking import DatasetBusy, shared_lock
from crawler.dataset.raw import RAW_SCHEMA, RawArchive
from crawler.dataset.reextract import number_revisions, reextract_site
from crawler.dataset.reextract_changes import format_changes
from crawler.dataset.schema import ARTICLE_SCHEMA, PARTITION_FIELDS, REJECT_SCHEMA, ArticleRecord
from crawler.dataset.writer import DatasetWriter
from crawler.items import PageItem
from pipelines.extraction import ExtractRules
from pipelines.raw_archive import RawArchivePipeline
from pipelines.replay import Replayer
from pipelines.validate import ValidatePipeline
from tests.conftest import NOW, make_record
from tests.crawling import REPO, run_scrapy

SITE = "example"
APPEAL = "Please support our journalism with a donation today."


def html(i: int) -> bytes:
    paragraphs = "".join(
        f"<p>Paragraph {n} of column {i} argues that shade, clean air and quiet streets make "
        f"every neighbourhood healthier, calmer and cheaper to cool in the summer.</p>"
        for n in range(6)
    )
    return (f"<html lang='en'><head><title>Column {i} on trees</title></head><body><article>"
            f"<h1>Column {i} on trees</h1>{paragraphs}<p>{APPEAL}</p></article></body></html>"
            ).encode()  # fmt: skip


def page(i: int, run: int = 0, **kw: object) -> PageItem:
    fields: dict = dict(url=f"http://www.example.test/opinion/{i}", site=SITE, status=200,
                        body=html(i), fetched_at=NOW + timedelta(days=run, seconds=i),
                        content_type="text/html; charset=utf-8")  # fmt: skip
    return PageItem(**{**fields, **kw})


def replayer(*patterns: str) -> Replayer:
    rules = ExtractRules(strip_patterns=patterns, language="en")
    return Replayer({SITE: rules}, ExtractRules(), ValidatePipeline(20, frozenset()))


def write(root: Path, table: str, rows: list[dict]) -> None:
    schema = {"articles": ARTICLE_SCHEMA, "rejects": REJECT_SCHEMA}[table]
    writer = DatasetWriter(root / table, schema, PARTITION_FIELDS, f"part-old-{table}")
    for row in rows:
        writer.write(row)
    writer.close()


def crawl(root: Path, items: list[PageItem], run_id: str, rules: Replayer) -> None:
    """What a crawl with `rules` leaves behind: raw pages, articles and rejects."""
    raw = DatasetWriter(root / "raw", RAW_SCHEMA, PARTITION_FIELDS, f"part-{run_id}-w0")
    archiver = RawArchivePipeline(raw, RawArchive(root), run_id)
    archiver.open_spider()
    results = [asyncio.run(rules.verdict(archiver.process_item(i), run_id)) for i in items]
    archiver.close_spider()
    write(root, "articles", [r.to_row() for r in results if isinstance(r, ArticleRecord)])
    write(root, "rejects", [r.to_row() for r in results if not isinstance(r, ArticleRecord)])


@pytest.fixture
def stale(tmp_path: Path) -> Path:
    """A dataset extracted with a strip rule that removed a real body paragraph."""
    items = [page(i) for i in range(4)] + [page(9, status=404, body=b"gone")]
    crawl(tmp_path, items, "run-1", replayer("^Paragraph 3 of"))
    return tmp_path


def test_rows_are_rebuilt_with_todays_rules_and_the_change_reported(stale: Path) -> None:
    changes = asyncio.run(reextract_site(stale, SITE, replayer()))
    assert changes.transitions == {"text_changed": 4, "still_rejected": 1}
    assert sum(changes.lines_added.values()) == 4 and not changes.lines_removed
    articles = load(stale)
    assert articles["text"].str.contains("Paragraph 3 of column").all()
    assert set(articles["run_id"]) == {"run-1"} and len(load_rejects(stale)) == 1
    report = format_changes(changes)
    assert "text changed 4" in report and "most common added lines" in report
    assert not list(stale.rglob(".reextract-*")) and not list(stale.rglob(".*.tmp"))


def test_unchanged_rules_change_nothing(stale: Path) -> None:
    before = load(stale).sort_values("url").reset_index(drop=True)
    changes = asyncio.run(reextract_site(stale, SITE, replayer("^Paragraph 3 of")))
    assert changes.transitions == {"unchanged": 4, "still_rejected": 1}
    after = load(stale).sort_values("url").reset_index(drop=True)
    assert after[["url", "content_hash", "revision"]].equals(before[["url", "content_hash",
                                                                       "revision"]])  # fmt: skip


def test_pages_that_now_fail_validation_become_rejects(stale: Path) -> None:
    changes = asyncio.run(reextract_site(stale, SITE, replayer("^Paragraph")))
    assert changes.transitions["now_rejected"] == 4
    assert load(stale).empty
    assert set(load_rejects(stale)["reason"]) == {"no_article", "http_error"}


def test_dry_run_writes_nothing(stale: Path) -> None:
    files = sorted(stale.rglob("*.parquet"))
    changes = asyncio.run(reextract_site(stale, SITE, replayer(), dry_run=True))
    assert changes.transitions["text_changed"] == 4
    assert sorted(stale.rglob("*.parquet")) == files


def test_rows_without_a_raw_page_are_kept(stale: Path) -> None:
    write(stale, "articles", [make_record(50, site=SITE, run_id="run-0").to_row()])
    changes = asyncio.run(reextract_site(stale, SITE, replayer()))
    assert changes.kept_articles == 1
    assert "http://www.example.test/opinion/50" in set(load(stale)["url"])


def test_refused_while_a_crawl_writes(stale: Path) -> None:
    with shared_lock(stale), pytest.raises(DatasetBusy):
        asyncio.run(reextract_site(stale, SITE, replayer()))


def test_refetches_are_numbered_and_unchanged_text_adds_no_row() -> None:
    rows = [make_record(1, fetched_at=NOW + timedelta(days=d), content_hash=h, run_id=f"r{d}")
            .to_row() for d, h in ((0, "a"), (1, "a"), (2, "b"), (3, "b"), (4, "a"))]  # fmt: skip
    kept = number_revisions(rows, {})
    assert [(r["run_id"], r["revision"]) for r in kept] == [("r0", 1), ("r2", 2), ("r4", 3)]
    # An article whose earlier revisions were compacted away keeps its stored number.
    assert number_revisions(rows[4:], {("r4", rows[4]["url"]): 3})[0]["revision"] == 3


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """`scrapy demo` (which keeps raw pages by default) into a fresh dataset."""
    out = tmp_path_factory.mktemp("demo") / "out"
    result = run_scrapy(["demo", "-o", str(out), "--pages", "30", "-s", "PROGRESS_INTERVAL=0"], "")
    assert result.returncode == 0, result.stderr[-3000:]
    yield out


def test_demo_keeps_every_fetched_page_in_the_raw_archive(demo: Path) -> None:
    archive = RawArchive(demo)
    pages = sum(archive.count(site) for site in archive.sites())
    assert pages == len(load(demo)) + len(load_rejects(demo)) > 0


@pytest.mark.e2e
def test_reextract_command_adopts_a_new_strip_rule(demo: Path, tmp_path: Path) -> None:
    profiles = tmp_path / "profiles"
    shutil.copytree(REPO / "crawler" / "profiles", profiles)
    ledger = profiles / "demo-ledger.toml"
    # Strip every block of up to 120 characters: sub-headings and short paragraphs go.
    ledger.write_text(ledger.read_text().replace("patterns = []", "patterns = ['^.{0,120}$']"))
    assert tomllib.loads(ledger.read_text())["strip"]["patterns"] == ["^.{0,120}$"]
    changed = run_scrapy(["reextract", "-o", str(demo), "--site", "demo-ledger",
                          "-s", f"SITE_PROFILES_DIR={profiles}"], "")  # fmt: skip
    assert changed.returncode == 0, changed.stderr[-3000:]
    assert "text changed 0," not in changed.stdout, changed.stdout
    assert "reextract demo-ledger:" in changed.stderr  # the progress line
    ledger_texts = load(demo, sites="demo-ledger")["text"]
    assert all(len(b) > 120 for text in ledger_texts for b in text.split("\n\n"))
    # Every archived page still has exactly one row: an article or a reject.
    rows = len(load(demo, sites="demo-ledger")) + len(load_rejects(demo, sites="demo-ledger"))
    assert rows == RawArchive(demo).count("demo-ledger")
