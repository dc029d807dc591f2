"""Scale-out: several `scrapy crawl` workers share one Redis frontier and write one dataset."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from redis import Redis
from scrapy import Request, Spider
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from crawler.dataset import load, load_rejects
from crawler.dataset.retries import is_permanent
from crawler.dataset.runs import read_manifests
from crawler.demo import generate, serve
from crawler.distributed import open_state, serializer, update_settings
from crawler.distributed.config import dataset_root
from crawler.distributed.keys import CrawlKeys
from crawler.distributed.round import SharedCrawl, WorkerIdInUse
from crawler.distributed.scheduler import RedisScheduler
from crawler.distributed.shared import SharedState, connect, seed_known
from tests.conftest import make_record
from tests.crawling import DEMO_SITES, FAST_LOCAL, REPO, read_truth, requested_urls, scrapy_env

pytestmark = pytest.mark.e2e

PAGES = 1000
# A worker taken for dead after 5 s without a heartbeat keeps the kill test short.
WORKER = [*FAST_LOCAL, "-s", "DISTRIBUTED_WORKER_TTL=5", "-s", "LOG_LEVEL=INFO",
          # Each worker's run is a share of the crawl, not comparable with earlier runs.
          "-s", "DRIFT_ENABLED=False"]  # fmt: skip
ROBOTS = "/robots.txt"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def redis_server(directory: Path) -> Iterator[str]:
    """A private redis-server on 127.0.0.1: a free port, `directory`, no persistence."""
    binary = shutil.which("redis-server")
    assert binary is not None, "redis-server is not installed (apt-get install redis-server)"
    port = _free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(directory),
         "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    client = Redis.from_url(url)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                client.ping()
                break
            except Exception:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.05)
        yield url
    finally:
        client.close()
        server.terminate()
        server.wait(timeout=15)


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture
def redis(redis_url: str) -> Iterator[Redis]:
    """A client of the test server, emptied before each test."""
    client = Redis.from_url(redis_url)
    client.flushall()
    yield client
    client.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site_dir = tmp_path_factory.mktemp("site")
    generate(site_dir, pages=PAGES, seed=3)
    return site_dir


def start_worker(output: str, proxy_url: str, redis_url: str, log: Path, *extra: str,
                 sites: str = DEMO_SITES) -> subprocess.Popen:  # fmt: skip
    args = ["crawl", "opinion", "-a", f"site={sites}", "-s", f"PARQUET_DIR={output}",
            "-s", f"REDIS_URL={redis_url}", *WORKER, *extra]  # fmt: skip
    return subprocess.Popen([sys.executable, "-m", "scrapy", *args], cwd=REPO,
                            env=scrapy_env(proxy_url), stdout=subprocess.DEVNULL,
                            stderr=log.open("w"))  # fmt: skip


def wait_all(workers: list[subprocess.Popen], logs: list[Path], timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    for worker, log in zip(workers, logs, strict=True):
        try:
            worker.wait(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            for other in workers:
                other.kill()
            raise
        assert worker.returncode == 0, log.read_text()[-3000:]


def opinion_urls(site_dir: Path, sites: str = DEMO_SITES) -> set[str]:
    wanted = sites.split(",")
    return {
        t["url"] for t in read_truth(site_dir) if t["kind"] == "opinion" and t["site"] in wanted
    }


def assert_each_article_handled_once(output: Path, expected: set[str]) -> None:
    """Every opinion page is stored once, or (when extraction turned it down) rejected once."""
    articles, rejects = load(output, latest=False), load_rejects(output)
    assert not articles["canonical_url"].duplicated().any(), "an article was stored twice"
    assert set(articles["url"]) <= expected
    missing = expected - set(articles["url"])
    # Extraction quality is not this module's subject: a page it rejects (too short ...) was
    # still handled, and must have been handled once.
    rejected = rejects["url"].value_counts()
    assert all(rejected.get(url, 0) == 1 for url in missing), "a page was lost or redone"
    assert len(missing) <= 0.02 * len(expected), f"{len(missing)} opinion pages rejected"


def retried_urls(site_dir: Path) -> set[str]:
    """Pages answering 500: retried by design (RETRY_TIMES=2), so requested three times."""
    return {t["url"] for t in read_truth(site_dir) if t["kind"] == "server_error"}


def crawlstate(redis_url: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawlstate", "-s", f"REDIS_URL={redis_url}", "--json"],
        cwd=REPO, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def test_three_workers_share_the_crawl_and_store_every_article_once(
    site: Path, redis: Redis, redis_url: str, tmp_path: Path
):
    output = tmp_path / "out"
    logs = [tmp_path / f"worker-{i}.log" for i in range(3)]
    with serve(site) as server:
        # One worker names the dataset by a file:// URI: it is the same dataset.
        roots = [str(output), output.as_uri(), str(output)]
        # No page is served until all three are crawling: started one after another on 2
        # cores, the last could otherwise find the crawl (nearly) done.
        server.pause()
        workers = [start_worker(root, server.proxy_url, redis_url, log)
                   for root, log in zip(roots, logs, strict=True)]  # fmt: skip
        _wait_until_crawling(redis, workers)
        server.resume()
        wait_all(workers, logs)
        requests = requested_urls(server.requests)

    assert_each_article_handled_once(output, opinion_urls(site))
    df = load(output, latest=False)

    # Every page (sources, listings, articles) is requested once by the whole crawl: only
    # robots.txt is read by each worker, and 500s are retried.
    counts = Counter(u for u in requests if not u.endswith(ROBOTS))
    retried = retried_urls(site)
    repeated = {u: n for u, n in counts.items() if n != (3 if u in retried else 1)}
    assert not repeated, f"requested more than once: {sorted(repeated)[:5]}"

    rows = df.groupby(df["run_id"].astype(str)).size()
    assert len(rows) == 3, "three workers, three runs"
    # All three crawl from the first page on, so each takes a fair part of the queue; its
    # share of the CPU (2 cores for 3 workers and their extraction pools) still varies it.
    assert rows.min() >= 0.1 * len(df), f"a worker got a small share: {rows.to_dict()}"

    state = crawlstate(redis_url)
    assert state["round"]["status"] == "finished"
    assert int(state["round"]["claimed:canonical"]) == len(df)
    finished = state["finished"]
    assert sorted(w["run_id"] for w in finished.values()) == sorted(rows.index)
    assert sum(int(w["articles"]) for w in finished.values()) == len(df)
    assert len(set(finished)) == 3, "each worker has its own default WORKER_ID"


def _wait_until_crawling(redis: Redis, workers: list[subprocess.Popen],
                         timeout: float = 120) -> None:  # fmt: skip
    """Until every worker's engine runs: its heartbeat publishes `idle` or `busy`, not the
    `starting` of joining the round (its extraction pool and engine start after that)."""
    deadline = time.monotonic() + timeout
    while True:
        keys = list(redis.scan_iter(match=CrawlKeys("opinion").pattern("worker")))
        states = [redis.hget(key, "state") for key in keys]
        if len(keys) == len(workers) and all(s in (b"idle", b"busy") for s in states):
            return
        assert all(w.poll() is None for w in workers), "a worker stopped before all joined"
        assert time.monotonic() < deadline, f"the workers did not all start: {states}"
        time.sleep(0.05)


def _wait_for(redis: Redis, worker: str, responses: int, timeout: float = 120) -> None:
    """Until `worker` has published at least `responses` responses in its stats hash."""
    key = CrawlKeys("opinion").worker(worker)
    deadline = time.monotonic() + timeout
    while int(redis.hget(key, "responses") or -1) < responses:
        assert time.monotonic() < deadline, f"worker {worker} made no progress"
        time.sleep(0.05)


def test_killed_worker_leaves_no_gap_after_a_rerun(
    site: Path, redis: Redis, redis_url: str, tmp_path: Path
):
    sites = "demo-courier,demo-gazette"  # two of the three publishers keep this test short
    output = tmp_path / "out"
    logs = [tmp_path / f"worker-{i}.log" for i in range(3)]
    # Small flushes: the victim has some rows on disk and more in memory when it dies.
    common = ("-s", "PARQUET_FLUSH_ROWS=10")
    with serve(site) as server:
        # The victim starts the round; the others join it mid-crawl, then the victim dies
        # holding requests it took from the queue and rows it had not written yet. It crawls
        # slowly (one request per site every 50 ms) so that it is still busy when the others
        # have started: a fast victim could finish the site during their start-up.
        slow = json.dumps({name: {"delay": 0.05, "concurrency": 1} for name in sites.split(",")})
        victim = start_worker(str(output), server.proxy_url, redis_url, logs[0], *common,
                              "-s", "WORKER_ID=victim", "-s", f"DOWNLOAD_SLOTS={slow}",
                              sites=sites)  # fmt: skip
        _wait_for(redis, "victim", responses=20)
        survivors = [start_worker(str(output), server.proxy_url, redis_url, log, *common,
                                  "-s", f"WORKER_ID=survivor-{i}", sites=sites)
                     for i, log in enumerate(logs[1:])]  # fmt: skip
        for i in range(len(survivors)):
            _wait_for(redis, f"survivor-{i}", responses=0)
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)
        # The others finish the crawl once the victim's heartbeat has expired.
        wait_all(survivors, logs[1:])

        after_kill = load(output, latest=False)
        assert not after_kill["canonical_url"].duplicated().any()
        gap = opinion_urls(site, sites) - set(after_kill["url"])
        assert len(gap) > 0.02 * len(opinion_urls(site, sites)), "the kill left no gap"

        # The documented recovery: run the crawl again (one worker is enough).
        server.clear_requests()
        rerun = start_worker(str(output), server.proxy_url, redis_url, tmp_path / "rerun.log",
                             sites=sites)  # fmt: skip
        wait_all([rerun], [tmp_path / "rerun.log"])
        refetched = set(requested_urls(server.requests))

    assert not refetched & set(after_kill["url"]), "the re-run fetched a stored article"
    # The re-run's own rejects (pages it tried and rejected again) are the ones that count.
    rejects = load_rejects(output)
    rerun_rejects = rejects[rejects["run_id"] == read_manifests(output)[-1]["run_id"]]
    df = load(output, latest=False)
    assert not df["canonical_url"].duplicated().any()
    missing = opinion_urls(site, sites) - set(df["url"])
    # ... or a page rejected for good in the first round, which waits for its retry schedule.
    first_round_for_good = {r.url for r in rejects.itertuples()
                            if is_permanent(r.reason, r.http_status)}  # fmt: skip
    assert missing <= set(rerun_rejects["url"]) | first_round_for_good, "a gap never tried"
    assert len(missing) <= 0.02 * len(opinion_urls(site, sites))


# --- The pieces, without crawling. ---


LOCAL_CRAWL = """
import sys
from scrapy.exceptions import NotConfigured
from scrapy.utils.project import get_project_settings
from scrapy.utils.reactor import install_reactor
from scrapy.utils.test import get_crawler

install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
from crawler.distributed.dedupe import SharedDedupePipeline
from crawler.spiders.opinion import OpinionSpider

settings = get_project_settings()
settings.set("PARQUET_DIR", sys.argv[1])
crawler = get_crawler(OpinionSpider, settings.copy_to_dict())  # builds the extensions
OpinionSpider.from_crawler(crawler, site="demo-ledger")
try:
    SharedDedupePipeline.from_crawler(crawler)
    raise AssertionError("the shared dedupe pipeline is on in a local crawl")
except NotConfigured:
    pass
assert crawler.settings["SCHEDULER"] == "crawler.scheduler.LocalScheduler"
assert not {"redis", "scrapy_redis"} & set(sys.modules), "Redis was imported"
"""


def test_a_local_crawl_does_not_import_redis(tmp_path: Path):
    env = {k: v for k, v in scrapy_env("").items() if k != "OPINION_REDIS_URL"}
    result = subprocess.run([sys.executable, "-c", LOCAL_CRAWL, str(tmp_path)], cwd=REPO,
                            env=env, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]


def test_redis_url_switches_scheduler_and_gives_each_process_a_worker_id():
    local = Settings({"PARQUET_DIR": "output", "WORKER_ID": "w0"})
    update_settings(local)
    assert local["WORKER_ID"] == "w0" and "Redis" not in local.get("SCHEDULER", "")

    shared = Settings({"PARQUET_DIR": "output", "WORKER_ID": "w0",
                       "REDIS_URL": "redis://127.0.0.1:1/0", "REDIS_CRAWL": "nightly"})  # fmt: skip
    update_settings(shared)
    assert shared["SCHEDULER"] == "crawler.distributed.scheduler.RedisScheduler"
    assert shared["SCHEDULER_QUEUE_KEY"] == "opinion:nightly:requests"
    assert shared.getbool("SCHEDULER_PERSIST")
    assert shared["WORKER_ID"].endswith(f"-{os.getpid()}")

    explicit = Settings({"PARQUET_DIR": "output", "REDIS_URL": "redis://127.0.0.1:1/0"})
    explicit.set("WORKER_ID", "box-7", priority="cmdline")
    update_settings(explicit)
    assert explicit["WORKER_ID"] == "box-7"


def test_dataset_root_accepts_paths_and_file_uris_and_refuses_object_stores(tmp_path: Path):
    assert dataset_root("output") == "output"
    assert dataset_root(tmp_path.as_uri()) == str(tmp_path)
    with pytest.raises(ValueError, match="mount"):
        dataset_root("s3://bucket/opinion")


def test_request_queue_serializer_round_trips_a_request_without_pickle():
    request = Request("http://a.test/x?id=1", headers={"If-None-Match": '"abc"'},
                      meta={"site": "a", "handle_httpstatus_list": [304, 404]}, body=b"\x00\xff",
                      dont_filter=True, priority=3)  # fmt: skip
    data = request.to_dict()
    assert serializer.loads(serializer.dumps(data)) == data
    assert b"pickle" not in serializer.dumps(data) and serializer.dumps(data).startswith(b"{")


def test_claims_are_exclusive_across_processes(redis: Redis, redis_url: str):
    settings = Settings({"REDIS_URL": redis_url, "REDIS_CRAWL": "claims"})
    one, two = open_state(settings, []), open_state(settings, [])
    url = "http://www.ledger.test/opinion/a-1?utm_source=x"
    assert url not in two.claims("articles")
    assert one.claims("articles").add(url) is True
    assert two.claims("articles").add("http://WWW.ledger.test/opinion/a-1") is False
    assert url in two.claims("articles") and len(two.claims("articles")) == 1


def test_workers_starting_together_seed_the_round_once(redis: Redis, redis_url: str):
    settings = Settings({"REDIS_URL": redis_url})
    seeded: list[str] = []
    started: list[bool] = []

    def join(worker: str) -> None:
        def seed() -> int:
            seeded.append(worker)
            time.sleep(0.2)  # a slow dataset read: the others must wait, not seed again
            return 0

        crawl = SharedCrawl(connect(settings), CrawlKeys("seed"), worker, ttl=30)
        started.append(crawl.join(["s"], seed))

    threads = [threading.Thread(target=join, args=(f"w{i}",)) for i in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(seeded) == 1 and started.count(True) == 1 and len(started) == 5
    with pytest.raises(WorkerIdInUse):
        SharedCrawl(connect(settings), CrawlKeys("seed"), "w3", ttl=30).join(["s"], None)


def test_known_articles_are_seeded_from_the_dataset(redis: Redis, redis_url: str,
                                                    write_articles):  # fmt: skip
    edited = make_record(2, revision=2, content_hash="f" * 16, etag='"v2"')
    root = write_articles([make_record(1), make_record(2), edited])
    state = SharedState.from_settings(Settings({"REDIS_URL": redis_url}))
    assert seed_known(state.server, state.keys, str(root), ["example"]) == 2
    first, second = (state.known.get(make_record(i).url) for i in (1, 2))
    assert first is not None and first.content_hash == make_record(1).content_hash
    assert second is not None and (second.revision, second.etag) == (2, '"v2"')
    assert second.fetched_at == make_record(2).fetched_at  # timezone-aware, as stored
    assert state.known.get("http://www.example.test/opinion/99") is None
    assert seed_known(state.server, state.keys, str(root), ["elsewhere"]) == 0


def _shared_scheduler(redis_url: str, in_hand: int) -> RedisScheduler:
    settings = Settings({"PARQUET_DIR": "output", "REDIS_URL": redis_url,
                         "SCRAPE_MAX_PENDING": 2})  # fmt: skip
    update_settings(settings)
    names = ("REDIS_URL", "SCRAPE_MAX_PENDING", "SCHEDULER_PERSIST", "SCHEDULER_QUEUE_KEY",
             "SCHEDULER_DUPEFILTER_KEY", "SCHEDULER_SERIALIZER", "DUPEFILTER_CLASS")  # fmt: skip
    shared = {name: settings[name] for name in names}
    crawler = get_crawler(Spider, shared)
    slot = SimpleNamespace(queue=[], active={Request(f"http://a.test/{i}") for i in range(in_hand)})
    engine: Any = SimpleNamespace(downloader=SimpleNamespace(active=set()),
                                  scraper=SimpleNamespace(slot=slot))  # fmt: skip
    crawler.engine = engine
    crawler.stats.open_spider()
    scheduler = RedisScheduler.from_crawler(crawler)
    scheduler.open(Spider.from_crawler(crawler, name="opinion"))
    return scheduler


def test_a_worker_with_pages_enough_in_hand_leaves_the_shared_queue_to_the_others(
    redis: Redis, redis_url: str
):
    busy, idle = _shared_scheduler(redis_url, in_hand=2), _shared_scheduler(redis_url, in_hand=0)
    busy.enqueue_request(Request("http://a.test/next"))
    assert busy.next_request() is None
    assert busy.stats.get_value("scheduler/held_back") == 1
    taken = idle.next_request()
    assert taken is not None and taken.url == "http://a.test/next"
