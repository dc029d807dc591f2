"""End to end: a real `scrapy crawl opinion` subprocess against the demo site on 127.0.0.1."""

from __future__ import annotations

import subprocess
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from crawler.dataset import load, load_rejects
from crawler.dataset.runs import read_manifests
from crawler.demo import generate, serve
from tests.crawling import DEMO_SITES, crawl_demo, read_truth, requested_urls, run_scrapy

pytestmark = pytest.mark.e2e

BROKEN_KINDS = {
    "empty": "empty_page",
    "not_found": "http_error",
    "server_error": "http_error",
    "not_html": "not_html",
}


@dataclass
class Crawl:
    """What one finished crawl left behind."""

    output: Path
    truth: list[dict]
    requests: list[tuple]
    result: subprocess.CompletedProcess


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    site_dir = tmp_path_factory.mktemp("demo-site")
    output = tmp_path_factory.mktemp("dataset")
    generate(site_dir, pages=60, seed=7)
    with serve(site_dir) as server:
        result = crawl_demo(output, server.proxy_url, "-s", "PARQUET_FLUSH_ROWS=7")
        requests = list(server.requests)
    yield Crawl(output, read_truth(site_dir), requests, result)


def test_every_reachable_opinion_article_is_stored_once(crawl: Crawl):
    df = load(crawl.output, latest=False)
    expected = {t["url"] for t in crawl.truth if t["kind"] == "opinion"}
    assert set(df["url"]) == expected
    assert not df["canonical_url"].duplicated().any()
    assert len(df) == len(expected)


def test_news_and_sports_pages_are_never_requested(crawl: Crawl):
    unwanted = {t["url"] for t in crawl.truth if t["kind"] in ("news", "sports")}
    requested = set(requested_urls(crawl.requests))
    assert unwanted and not (unwanted & requested)


def test_no_article_page_is_requested_twice(crawl: Crawl):
    articles = {t["url"] for t in crawl.truth}
    counts = Counter(requested_urls(crawl.requests))
    repeated = {url: n for url, n in counts.items() if url in articles and n > 1}
    # 500s are retried by design (RETRY_TIMES); nothing else may be fetched twice.
    errors = {t["url"] for t in crawl.truth if t["kind"] == "server_error"}
    assert set(repeated) <= errors


def test_fields_are_filled(crawl: Crawl):
    df = load(crawl.output)
    assert df["title"].notna().all() and (df["title"].str.len() > 0).all()
    assert (df["word_count"] >= 50).all()
    assert df["published_at"].notna().all()
    assert df["language"].isin(["en", "ru"]).all()
    assert (df["authors"].list.len() > 0).mean() > 0.9
    assert df["content_hash"].str.len().gt(0).all()
    assert set(df["site"]) == set(DEMO_SITES.split(","))
    assert (df["section"] == "opinion").mean() > 0.9


def test_text_matches_the_true_body_and_keeps_no_boilerplate(crawl: Crawl):
    df = load(crawl.output).set_index("url")
    for page in (t for t in crawl.truth if t["kind"] == "opinion"):
        text = df.loc[page["url"], "text"]
        assert page["body"].split("\n\n")[0][:60] in text, page["url"]
        for snippet in page["boilerplate"]:
            assert snippet not in text, (page["url"], snippet)


def test_broken_pages_become_named_rejects(crawl: Crawl):
    rejects = load_rejects(crawl.output).set_index("url")
    for page in (t for t in crawl.truth if t["kind"] in BROKEN_KINDS):
        assert rejects.loc[page["url"], "reason"] == BROKEN_KINDS[page["kind"]], page["url"]
    assert rejects["detail"].notna().all()


def test_manifest_records_the_run(crawl: Crawl):
    (manifest,) = read_manifests(crawl.output)
    articles = load(crawl.output)
    assert manifest["finish_reason"] == "finished"
    assert manifest["counts"]["articles"] == len(articles)
    assert manifest["counts"]["rejects"] == len(load_rejects(crawl.output))
    assert set(manifest["sites"]) == set(DEMO_SITES.split(","))
    assert set(articles["run_id"]) == {manifest["run_id"]}


def test_no_hidden_temporary_files_remain(crawl: Crawl):
    leftovers = list(crawl.output.rglob(".*.tmp"))
    assert leftovers == []


def test_unknown_site_fails_before_any_request(tmp_path: Path):
    result = run_scrapy(["crawl", "opinion", "-a", "site=no-such-site",
                         "-s", f"PARQUET_DIR={tmp_path}"], "http://127.0.0.1:9")  # fmt: skip
    assert result.returncode != 0
    assert "unknown site 'no-such-site'" in result.stderr
    assert "downloader/request_count" not in result.stderr


def test_scrapy_demo_command_crawls_and_summarizes(tmp_path: Path):
    result = run_scrapy(["demo", "-o", str(tmp_path / "out"), "--pages", "24"], "")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "articles:" in result.stdout and "rejects:" in result.stdout
    assert str((tmp_path / "out").resolve()) in result.stdout
    assert len(load(tmp_path / "out")) > 0


def test_dates_match_the_truth_to_the_second(crawl: Crawl):
    # the gazette prints Moscow time without an offset: its profile's timezone places it
    df = load(crawl.output).set_index("url")
    for page in (t for t in crawl.truth if t["kind"] == "opinion"):
        for field in ("published_at", "modified_at"):
            got = df.loc[page["url"], field]
            want = datetime.fromisoformat(page[field]) if page[field] else None
            assert (None if pd.isna(got) else got.to_pydatetime()) == want, (page["url"], field)
