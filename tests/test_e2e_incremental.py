"""Scheduled runs against the demo site: incremental, revision-aware, resumable, compactable."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.dataset import load
from crawler.dataset.runs import read_manifests
from crawler.demo import generate, serve
from tests.crawling import (
    DEMO_SITES,
    FAST_LOCAL,
    REPO,
    crawl_demo,
    read_truth,
    requested_urls,
    run_scrapy,
    scrapy_env,
)

pytestmark = pytest.mark.e2e
PAGES = 60


def opinion_urls(site_dir: Path) -> set[str]:
    return {t["url"] for t in read_truth(site_dir) if t["kind"] == "opinion"}


def grown_site(tmp: Path, extra_opinion: int, revisions: dict[str, int]) -> Path:
    """The demo site regenerated with `extra_opinion` more opinion articles and some edited."""
    base = len(opinion_urls(tmp / "v1"))
    for pages in range(PAGES + 1, PAGES + 40):
        site_dir = tmp / f"v2-{pages}"
        generate(site_dir, pages=pages, seed=7, revisions=revisions)
        if len(opinion_urls(site_dir)) == base + extra_opinion:
            return site_dir
    raise AssertionError("could not grow the demo site by exactly that many articles")


@pytest.fixture
def first_run(tmp_path: Path) -> tuple[Path, Path]:
    site_dir, output = tmp_path / "v1", tmp_path / "out"
    generate(site_dir, pages=PAGES, seed=7)
    with serve(site_dir) as server:
        crawl_demo(output, server.proxy_url)
    return site_dir, output


def test_second_run_fetches_no_stored_article_and_adds_no_row(first_run):
    site_dir, output = first_run
    rows = len(load(output, latest=False))
    stored = set(load(output)["url"])
    with serve(site_dir) as server:
        crawl_demo(output, server.proxy_url)
        second = requested_urls(server.requests)
    assert not stored & set(second), "a stored article was downloaded again"
    assert len(load(output, latest=False)) == rows
    first, last = read_manifests(output)
    assert last["counts"]["new_articles"] == 0
    assert last["counts"]["skipped_known"] >= len(stored)
    assert last["counts"]["requests"] < first["counts"]["requests"]


def test_non_incremental_run_rechecks_everything_but_stores_no_unchanged_row(first_run):
    site_dir, output = first_run
    rows = len(load(output, latest=False))
    stored = set(load(output)["url"])
    with serve(site_dir) as server:
        crawl_demo(output, server.proxy_url, "-s", "INCREMENTAL=False")
        second = requested_urls(server.requests)
    assert stored <= set(second)  # every stored article was re-checked ...
    assert len(load(output, latest=False)) == rows  # ... and none added a row


def test_edited_and_added_articles_give_revisions_and_new_rows(first_run, tmp_path: Path):
    site_dir, output = first_run
    before = load(output)
    edited = [t for t in read_truth(site_dir) if t["kind"] == "opinion"
              and t["site"] in ("demo-ledger", "demo-courier")][:3]  # fmt: skip
    grown = grown_site(tmp_path, 5, {t["id"]: 1 for t in edited})
    with serve(grown) as server:
        crawl_demo(output, server.proxy_url)
    counts = read_manifests(output)[-1]["counts"]
    assert (counts["new_articles"], counts["revisions"]) == (5, 3)
    history = load(output, latest=False)
    assert len(history) == len(before) + 8
    latest = load(output).set_index("url")
    assert len(latest) == len(before) + 5
    for page in edited:
        assert latest.loc[page["url"], "revision"] == 2
    assert set(latest.index) == opinion_urls(grown)

    # Compaction keeps exactly the latest revision of every article.
    result = run_scrapy(["compact", "-o", str(output), "--latest-only"], "")
    assert result.returncode == 0, result.stderr[-2000:]
    compacted = load(output, latest=False).set_index("url")
    assert len(compacted) == len(latest)
    assert (compacted.loc[latest.index, "content_hash"] == latest["content_hash"]).all()
    assert len(list((output / "articles").rglob("*.parquet"))) <= 2 * 3  # a few months x sites


def _start_crawl(output: Path, jobdir: Path, proxy_url: str) -> subprocess.Popen:
    args = ["crawl", "opinion", "-a", f"site={DEMO_SITES}", "-s", f"PARQUET_DIR={output}",
            "-s", f"JOBDIR={jobdir}", *FAST_LOCAL, "-s", "PARQUET_FLUSH_ROWS=2",
            "-s", "CONCURRENT_REQUESTS=2", "-s", "DOWNLOAD_DELAY=0.2"]  # fmt: skip
    return subprocess.Popen([sys.executable, "-m", "scrapy", *args], cwd=REPO,
                            env=scrapy_env(proxy_url), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip


@pytest.mark.parametrize("kill", [signal.SIGKILL, signal.SIGINT])
def test_killed_crawl_resumes_without_gaps_or_duplicates(tmp_path: Path, kill: signal.Signals):
    site_dir, output, jobdir = tmp_path / "site", tmp_path / "out", tmp_path / "job"
    generate(site_dir, pages=90, seed=7)
    with serve(site_dir) as server:
        process = _start_crawl(output, jobdir, server.proxy_url)
        articles = opinion_urls(site_dir)

        def started() -> bool:
            # SIGKILL needs flushed rows to be interesting; SIGINT must come while many
            # articles are still queued, since a graceful stop finishes what is in flight.
            if kill == signal.SIGKILL:
                return bool(list((output / "articles").rglob("*.parquet")))
            return len(set(requested_urls(server.requests)) & articles) >= 8

        deadline = time.monotonic() + 60
        while not started() and time.monotonic() < deadline:
            time.sleep(0.05)
        process.send_signal(kill)
        process.wait(timeout=60)
        partial = len(load(output, latest=False))
        assert partial < len(articles), "the kill came too late to test resume"
        crawl_demo(output, server.proxy_url, "-s", f"JOBDIR={jobdir}")
    history = load(output, latest=False)
    assert not history["canonical_url"].duplicated().any()
    assert set(history["url"]) == opinion_urls(site_dir)
