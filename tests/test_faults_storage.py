"""Crashes, full disks and concurrent writers: the dataset stays readable and nothing is lost.

Every Parquet file a reader can see must read back whole, whatever happened to the crawl.
"""

from __future__ import annotations

import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from crawler.dataset import load, load_rejects
from crawler.dataset.runs import read_manifests
from crawler.demo import generate, serve
from crawler.monitor.exitcodes import ExitCode
from tests.crawling import DEMO_SITES, FAST_LOCAL, REPO, crawl_demo, read_truth, scrapy_env

pytestmark = pytest.mark.e2e
KILLS = 20
WROTE = re.compile(r"wrote (\d+) rows to (\S+\.parquet)")


def opinion_urls(site_dir: Path) -> set[str]:
    return {t["url"] for t in read_truth(site_dir) if t["kind"] == "opinion"}


def start_crawl(output: Path, proxy: str, log: Path, *extra: str) -> subprocess.Popen:
    args = ["crawl", "opinion", "-a", f"site={DEMO_SITES}", "-s", f"PARQUET_DIR={output}",
            *FAST_LOCAL, "-s", "LOG_LEVEL=DEBUG", "-s", f"LOG_FILE={log}", *extra]  # fmt: skip
    return subprocess.Popen([sys.executable, "-m", "scrapy", *args], cwd=REPO,
                            env=scrapy_env(proxy), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip


def assert_every_visible_file_reads_whole(output: Path) -> int:
    rows = 0
    for path in output.rglob("*.parquet"):
        table = pq.read_table(path)
        assert table.num_rows == pq.read_metadata(path).num_rows > 0, path
        rows += table.num_rows
    return rows


def test_repeated_sigkill_loses_nothing_flushed(tmp_path: Path):
    site_dir, output = tmp_path / "site", tmp_path / "out"
    generate(site_dir, pages=300, seed=3)
    chance = random.Random(20261125)
    flushed: dict[Path, int] = {}
    with serve(site_dir) as server:
        for attempt in range(KILLS):
            log = tmp_path / f"crawl-{attempt}.log"
            before = len(list(output.rglob("*.parquet")))
            process = start_crawl(output, server.proxy_url, log, "-s", "PARQUET_FLUSH_ROWS=2",
                                  "-s", "CONCURRENT_REQUESTS=2",
                                  "-s", "DOWNLOAD_DELAY=0.02")  # fmt: skip
            # Kill at a random moment once this run writes: mid-flush, mid-fetch, mid-parse.
            deadline = time.monotonic() + 15
            while len(list(output.rglob("*.parquet"))) == before and time.monotonic() < deadline:
                time.sleep(0.02)
            time.sleep(chance.uniform(0.0, 1.5))
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            if log.exists():
                for count, path in WROTE.findall(log.read_text(errors="replace")):
                    flushed[Path(path)] = int(count)
            assert_every_visible_file_reads_whole(output)
            load(output, latest=False)  # the dataset as a whole still loads
        for path, count in flushed.items():  # logged as written => on disk, whole
            assert pq.read_metadata(path).num_rows == count, path
        crawl_demo(output, server.proxy_url)  # a final clean run completes the set
    history = load(output, latest=False)
    assert not history["canonical_url"].duplicated().any()
    rejects = load_rejects(output)
    # A page the extractor turns down is accounted for by its reject row, not lost.
    turned_down = set(rejects[rejects["reason"].isin(["too_short", "no_article"])]["url"])
    assert set(history["url"]) | turned_down == opinion_urls(site_dir)
    assert len(flushed) >= KILLS, "the kills came before anything was written"
    print(f"kill loop: {KILLS} kills, {len(flushed)} flushed files checked "
          f"({sum(flushed.values())} rows), 0 rows lost, {len(history)} articles after the "
          "final run")  # fmt: skip


def _mount_tmpfs(path: Path, size: str) -> bool:
    path.mkdir(parents=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                             capture_output=True)  # fmt: skip
    return mounted.returncode == 0


def test_full_disk_stops_the_crawl_cleanly_and_the_manifest_says_so(tmp_path: Path):
    site_dir, output = tmp_path / "site", tmp_path / "small-disk"
    if not _mount_tmpfs(output, "1200k"):
        pytest.skip("cannot mount a small tmpfs here (needs root); full-disk case not run")
    try:
        generate(site_dir, pages=240, seed=3)
        with serve(site_dir) as server:
            process = start_crawl(output, server.proxy_url, tmp_path / "full.log",
                                  "-s", "PARQUET_FLUSH_ROWS=3")  # fmt: skip
            # storage_failed: a failed run for cron (README: Exit codes)
            assert process.wait(timeout=240) == ExitCode.STORAGE_FAILED
        log = (tmp_path / "full.log").read_text(errors="replace")
        assert "cannot write the dataset" in log and "No space left on device" in log
        assert assert_every_visible_file_reads_whole(output / "articles") > 0
        assert list(output.rglob(".*.tmp")) == []
        (manifest,) = read_manifests(output)
        assert manifest["finish_reason"] == "storage_failed"
        assert "No space left" in manifest["stats"]["storage/error"]
    finally:
        subprocess.run(["umount", str(output)], check=False)


def test_output_directory_turning_unwritable_stops_the_crawl(tmp_path: Path):
    site_dir, output = tmp_path / "site", tmp_path / "out"
    generate(site_dir, pages=150, seed=3)
    with serve(site_dir) as server:
        process = start_crawl(output, server.proxy_url, tmp_path / "ro.log",
                              "-s", "PARQUET_FLUSH_ROWS=3", "-s", "CONCURRENT_REQUESTS=2",
                              "-s", "DOWNLOAD_DELAY=0.05")  # fmt: skip
        deadline = time.monotonic() + 60
        articles = output / "articles"
        while not list(articles.rglob("*.parquet")) and time.monotonic() < deadline:
            time.sleep(0.05)
        # Root ignores permission bits: replace the directory by a file instead.
        shutil.move(output / "articles", tmp_path / "articles-moved")
        (output / "articles").write_text("not a directory")
        assert process.wait(timeout=120) == ExitCode.STORAGE_FAILED
    log = (tmp_path / "ro.log").read_text(errors="replace")
    assert "cannot write the dataset" in log
    (manifest,) = read_manifests(output)
    assert manifest["finish_reason"] == "storage_failed"
    assert assert_every_visible_file_reads_whole(tmp_path / "articles-moved") > 0


def test_two_crawls_into_one_dataset_at_once_lose_and_clobber_nothing(tmp_path: Path):
    site_dir, output = tmp_path / "site", tmp_path / "out"
    generate(site_dir, pages=90, seed=3)
    with serve(site_dir) as server:
        crawls = [start_crawl(output, server.proxy_url, tmp_path / f"c{i}.log",
                              "-s", "PARQUET_FLUSH_ROWS=4") for i in range(2)]  # fmt: skip
        assert [c.wait(timeout=240) for c in crawls] == [0, 0]
    manifests = read_manifests(output)
    assert len(manifests) == 2 and manifests[0]["run_id"] != manifests[1]["run_id"]
    files = list((output / "articles").rglob("*.parquet"))
    assert len(files) == sum(m["stats"]["articles/files_written"] for m in manifests)
    assert assert_every_visible_file_reads_whole(output / "articles") == sum(
        m["counts"]["articles"] for m in manifests
    )
    latest = load(output)
    assert not latest["canonical_url"].duplicated().any()
    assert set(latest["url"]) == opinion_urls(site_dir)
