"""Losing the shared Redis frontier: every worker stops in bounded time and says so."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis import Redis

from crawler.dataset import load, load_rejects
from crawler.dataset.runs import read_manifests
from crawler.demo import generate, serve
from crawler.monitor.exitcodes import ExitCode
from tests.crawling import REPO
from tests.test_distributed import _free_port, _wait_for, opinion_urls, start_worker

pytestmark = pytest.mark.e2e

SITES = "demo-courier,demo-gazette"
# Slow workers (one request per site every 200 ms): both still hold work when Redis goes
# (a fast pair may finish the site, or find the queue empty at once, before the kill).
SLOW = json.dumps({name: {"delay": 0.2, "concurrency": 1} for name in SITES.split(",")})
TIMEOUT = 3.0  # DISTRIBUTED_FRONTIER_TIMEOUT for these tests
# Stopping takes the timeout, one heartbeat, and closing (in-flight pages, the pool, writers).
STOP_BOUND = 60.0


def _start_redis(port: int, directory: Path) -> subprocess.Popen:
    binary = shutil.which("redis-server")
    assert binary is not None
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(directory),
         "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    client = Redis(port=port)
    deadline = time.monotonic() + 15
    while True:
        try:
            client.ping()
            return server
        except Exception:
            assert time.monotonic() < deadline and server.poll() is None, "redis did not start"
            time.sleep(0.05)


@pytest.fixture
def redis_port(tmp_path: Path) -> Iterator[int]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    yield _free_port()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site_dir = tmp_path_factory.mktemp("site")
    generate(site_dir, pages=300, seed=5)
    return site_dir


def _workers(output: Path, proxy: str, url: str, tmp: Path) -> tuple[list, list[Path]]:
    logs = [tmp / f"worker-{i}.log" for i in range(2)]
    workers = [start_worker(str(output), proxy, url, log, "-s", f"WORKER_ID=w{i}",
                            "-s", f"DOWNLOAD_SLOTS={SLOW}",
                            "-s", f"DISTRIBUTED_FRONTIER_TIMEOUT={TIMEOUT}", sites=SITES)
               for i, log in enumerate(logs)]  # fmt: skip
    return workers, logs


def _wait_stopped(workers: list[subprocess.Popen], since: float) -> float:
    for worker in workers:
        try:
            worker.wait(timeout=max(1.0, since + STOP_BOUND - time.monotonic()))
        except subprocess.TimeoutExpired:
            for other in workers:
                other.kill()
            raise AssertionError("a worker did not stop after the frontier was lost") from None
    return time.monotonic() - since


def _assert_lost(workers: list[subprocess.Popen], logs: list[Path], output: Path) -> None:
    for worker, log in zip(workers, logs, strict=True):
        text = log.read_text()
        assert worker.returncode == ExitCode.FRONTIER_LOST, text[-3000:]
        assert "Traceback" not in text and "Error processing" not in text, text[-3000:]
        assert "frontier_lost" in text
    manifests = read_manifests(output)
    assert [m["finish_reason"] for m in manifests] == ["frontier_lost"] * 2
    assert [m["exit_code"] for m in manifests] == [6, 6]
    # The one ERROR line is the stop itself: no page failed in a pipeline (which would
    # drop it without a reject row), no request raised.
    assert [m["stats"].get("log_count/ERROR", 0) for m in manifests] == [1, 1]


def _rerun_recovers(output: Path, proxy: str, url: str, tmp: Path, site: Path) -> None:
    rerun = start_worker(str(output), proxy, url, tmp / "rerun.log", sites=SITES)
    rerun.wait(timeout=240)
    assert rerun.returncode == 0, (tmp / "rerun.log").read_text()[-3000:]
    df = load(output)
    missing = opinion_urls(site, SITES) - set(df["url"]) - set(load_rejects(output)["url"])
    assert not missing, f"{len(missing)} articles neither stored nor rejected after the re-run"


def test_redis_killed_mid_crawl_stops_every_worker_and_a_rerun_recovers(
    site: Path, redis_port: int, tmp_path: Path
) -> None:
    url = f"redis://127.0.0.1:{redis_port}/0"
    redis = _start_redis(redis_port, tmp_path)
    output = tmp_path / "out"
    try:
        with serve(site) as demo:
            workers, logs = _workers(output, demo.proxy_url, url, tmp_path)
            client = Redis(port=redis_port)
            _wait_for(client, "w0", responses=20)
            _wait_for(client, "w1", responses=5)
            redis.kill()
            redis.wait(timeout=10)
            took = _wait_stopped(workers, time.monotonic())
            assert took < STOP_BOUND
            _assert_lost(workers, logs, output)
            result = subprocess.run(
                [sys.executable, "-m", "scrapy", "crawlstate", "-s", f"REDIS_URL={url}"],
                cwd=REPO, capture_output=True, text=True, timeout=60,
            )  # fmt: skip
            assert result.returncode == ExitCode.FRONTIER_LOST
            lines = [line for line in result.stderr.splitlines() if line.strip()]
            assert len(lines) == 1 and "cannot reach Redis" in lines[0], result.stderr
            redis = _start_redis(redis_port, tmp_path)
            _rerun_recovers(output, demo.proxy_url, url, tmp_path, site)
    finally:
        redis.kill()


def test_redis_restarted_empty_is_frontier_lost_not_finished(
    site: Path, redis_port: int, tmp_path: Path
) -> None:
    url = f"redis://127.0.0.1:{redis_port}/0"
    redis = _start_redis(redis_port, tmp_path)
    output = tmp_path / "out"
    try:
        with serve(site) as demo:
            workers, logs = _workers(output, demo.proxy_url, url, tmp_path)
            client = Redis(port=redis_port)
            _wait_for(client, "w0", responses=20)
            _wait_for(client, "w1", responses=5)
            redis.kill()
            redis.wait(timeout=10)
            redis = _start_redis(redis_port, tmp_path)  # back at once, and empty
            _wait_stopped(workers, time.monotonic())
            _assert_lost(workers, logs, output)
    finally:
        redis.kill()
