"""The extraction pool: results come back, a hung or crashed worker costs one page only."""

from __future__ import annotations

import asyncio
import hashlib
import os
import subprocess
import sys
import threading
import time

import pytest

from crawler.dataset.schema import ArticleRecord
from pipelines.extract_pool import ExtractionPool
from pipelines.extraction import ExtractRules, Page, Rejection
from tests.crawling import REPO
from tests.pool_targets import (
    body_digest,
    hang_on_marker,
    language_model_loaded,
    page_sized_block_in_heap,
    raise_on_marker,
)

ARTICLE = (
    "<html><head><title>On trees</title></head><body><article><h1>On trees</h1>"
    + "".join(
        f"<p>Paragraph {i} says streets with trees are cooler and calmer.</p>" for i in range(9)
    )
    + "</article></body></html>"
)


def page(body: str, n: int = 0) -> Page:
    return Page(url=f"http://www.example.test/opinion/{n}", body=body.encode(),
                content_type="text/html; charset=utf-8")  # fmt: skip


async def run_all(pool: ExtractionPool, pages: list[Page]) -> list[object]:
    return await asyncio.gather(*(pool.run(p, ExtractRules()) for p in pages))


def test_hung_and_crashed_pages_are_rejected_and_the_rest_extracted():
    pool = ExtractionPool(workers=2, timeout=3.0, max_in_flight=4, function=hang_on_marker)
    try:
        pages = [page(ARTICLE, 0), page("<p>HANG</p>", 1), page("<p>CRASH</p>", 2),
                 page(ARTICLE, 3)]  # fmt: skip
        started = time.monotonic()
        results = asyncio.run(run_all(pool, pages))
        assert time.monotonic() - started < 30
    finally:
        pool.close()
    ok, hung, crashed, ok_again = results
    assert isinstance(ok, ArticleRecord) and isinstance(ok_again, ArticleRecord)
    assert isinstance(hung, Rejection) and hung.reason == "extraction_timeout"
    assert isinstance(crashed, Rejection) and crashed.reason == "extraction_failed"
    assert "exit code" in crashed.detail


def test_a_hung_page_times_out_in_a_later_event_loop_too():
    # the first loop ended with a check for hung pages still scheduled on it; the second
    # loop's hung page must still be looked at
    pool = ExtractionPool(workers=1, timeout=1.0, max_in_flight=2, function=hang_on_marker)

    async def bounded(pages: list[Page]) -> list[object]:
        return await asyncio.wait_for(run_all(pool, pages), timeout=30)

    try:
        first = asyncio.run(bounded([page(ARTICLE, 0)]))
        second = asyncio.run(bounded([page("<p>HANG</p>", 1)]))
    finally:
        pool.close()
    assert isinstance(first[0], ArticleRecord)
    assert isinstance(second[0], Rejection) and second[0].reason == "extraction_timeout"


def test_a_worker_killed_between_pages_does_not_stop_the_pages_after_it():
    # pebble (the pool before) gave the whole pool up when a worker died while no page was
    # acknowledged (the OOM killer picks an idle worker that still holds a large page's heap):
    # every later page of the crawl failed with "Unexpected error within the Pool"
    import signal

    pool = ExtractionPool(workers=1, timeout=10.0, max_in_flight=2)

    async def crawl() -> list[object]:
        first = await pool.run(page(ARTICLE, 0), ExtractRules())
        for pid in pool.worker_pids():
            os.kill(pid, signal.SIGKILL)
        await asyncio.sleep(0.5)  # the pool's manager sees the dead worker
        return [first, *await run_all(pool, [page(ARTICLE, n) for n in range(1, 4)])]

    try:
        results = asyncio.run(crawl())
    finally:
        pool.close()
    assert all(isinstance(r, ArticleRecord) for r in results), results
    assert pool.workers_replaced == 1


def test_a_page_whose_extractor_raises_is_rejected_and_its_worker_goes_on():
    pool = ExtractionPool(workers=1, timeout=10.0, max_in_flight=2, function=raise_on_marker)
    try:
        first = asyncio.run(run_all(pool, [page("<p>RAISE</p>", 0)]))[0]
        pids = pool.worker_pids()
        second = asyncio.run(run_all(pool, [page(ARTICLE, 1)]))[0]
        assert pool.worker_pids() == pids and len(pids) == 1  # the same worker
    finally:
        pool.close()
    assert isinstance(first, Rejection) and first.reason == "extraction_failed"
    assert first.detail == "ValueError: a page this extractor cannot take"
    assert isinstance(second, ArticleRecord)


def test_the_pool_runs_no_thread_in_the_crawls_process():
    # pebble's two threads (pages out, results in) and their locks and messages cost ~0.7 ms
    # of the crawl's CPU a real page; the reactor's thread now talks to the workers' pipes
    before = set(threading.enumerate())
    pool = ExtractionPool(workers=2, timeout=10.0, max_in_flight=4)
    try:
        results = asyncio.run(run_all(pool, [page(ARTICLE, i) for i in range(6)]))
        assert [t.name for t in set(threading.enumerate()) - before] == []
    finally:
        pool.close()
    assert all(isinstance(r, ArticleRecord) for r in results)


def test_pages_larger_than_the_pipe_reach_the_worker_whole():
    # the reactor writes a page as far as the worker's pipe has room, the rest when it drains
    pool = ExtractionPool(workers=1, timeout=30.0, max_in_flight=3, function=body_digest)
    bodies = [os.urandom(3 << 20) for _ in range(3)]  # a 1 MiB pipe holds a third of one
    try:
        results = asyncio.run(run_all(pool, [Page(url=f"http://a.test/{i}", body=body)
                                             for i, body in enumerate(bodies)]))  # fmt: skip
    finally:
        pool.close()
    assert results == [hashlib.sha256(body).hexdigest() for body in bodies]


def test_pages_in_flight_are_bounded():
    pool = ExtractionPool(workers=1, timeout=10.0, max_in_flight=2)
    try:
        results = asyncio.run(run_all(pool, [page(ARTICLE, i) for i in range(6)]))
    finally:
        pool.close()
    assert all(isinstance(r, ArticleRecord) for r in results)
    assert pool.peak_in_flight == 2
    assert pool.in_flight == 0


def test_workers_start_before_the_first_page_arrives():
    # pebble (the pool before) started them at the first page, in the reactor's thread: the
    # crawl stood still for the forkserver's warm-up while its first article pages waited
    import psutil

    pool = ExtractionPool(workers=2, timeout=10.0, max_in_flight=4)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if len(psutil.Process().children(recursive=True)) >= 3:  # forkserver, 2 workers
                break
            time.sleep(0.05)
        workers = psutil.Process().children(recursive=True)
        assert len(workers) >= 3, workers
        assert isinstance(asyncio.run(pool.run(page(ARTICLE), ExtractRules())), ArticleRecord)
    finally:
        pool.close()


# `scrapy crawl opinion` up to its options, as scrapy.cmdline runs it; prints whether the
# workers' forkserver is running then, and which modules it preloads.
CRAWL_OPTIONS = """
import argparse, multiprocessing.forkserver as forkserver, sys
from scrapy.utils.project import get_project_settings
from crawler.commands.crawl import Command

settings = get_project_settings()
settings.set("EXTRACT_WORKERS", int(sys.argv[1]), priority="cmdline")
command = Command()
command.settings = settings
parser = argparse.ArgumentParser()
command.add_options(parser)
opts, args = parser.parse_known_args(["opinion", "-a", "site=demo-ledger"])
command.process_options(args, opts)
print(forkserver._forkserver._forkserver_pid is not None, forkserver._forkserver._preload_modules)
"""


@pytest.mark.parametrize(("workers", "started"), [(2, "True"), (0, "False")])
def test_a_crawl_starts_its_workers_forkserver_with_its_options(workers, started) -> None:
    # started with the pool, the forkserver's ~1.3 s warm-up began after the crawl had imported
    # and built its pipelines, and the first pages waited for it with a core idle
    result = subprocess.run([sys.executable, "-c", CRAWL_OPTIONS, str(workers)], cwd=REPO,
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    running, preload = result.stdout.split(" ", 1)
    assert running == started
    assert ("pipelines.extraction.preload" in preload) == (started == "True")


def test_the_event_loop_runs_on_while_the_pool_starts() -> None:
    # pebble's schedule() blocked the crawl's reactor thread until the forkserver had warmed up
    pool = ExtractionPool(workers=1, timeout=30.0, max_in_flight=2)

    async def first_page_and_longest_stall() -> tuple[object, float, float]:
        started = time.monotonic()
        result = asyncio.ensure_future(pool.run(page(ARTICLE), ExtractRules()))
        longest, last = 0.0, time.monotonic()
        while not result.done():
            await asyncio.sleep(0.01)
            now = time.monotonic()
            longest, last = max(longest, now - last), now
        return result.result(), longest, time.monotonic() - started

    try:
        result, longest_stall, waited = asyncio.run(first_page_and_longest_stall())
    finally:
        pool.close()
    assert isinstance(result, ArticleRecord)
    assert longest_stall < waited / 2, (longest_stall, waited)


def test_the_pipes_to_the_workers_hold_several_real_pages() -> None:
    # 64 KiB pipes held a third of a real page: the next page waited for the crawl's thread
    pool = ExtractionPool(workers=1, timeout=10.0, max_in_flight=2)
    try:
        assert isinstance(asyncio.run(pool.run(page(ARTICLE), ExtractRules())), ArticleRecord)
        assert pool.pipe_sizes() == [1 << 20] * 2
    finally:
        pool.close()


def test_workers_start_warm():
    """The forkserver loads the lazy parts once; workers (and recycled ones) inherit them."""
    pool = ExtractionPool(workers=2, timeout=30.0, max_in_flight=4, max_tasks=1,
                          function=language_model_loaded)  # fmt: skip
    try:
        results = asyncio.run(run_all(pool, [page("<p>x</p>", i) for i in range(4)]))
    finally:
        pool.close()
    assert results == [True] * 4


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc settings")
def test_workers_reuse_their_heap_for_page_sized_blocks():
    """A page's large blocks come from the worker's heap, not a mapping (and its page faults)
    made and unmapped again at every page; the crawl's own process maps them (test_malloc.py)."""
    pool = ExtractionPool(workers=1, timeout=30.0, max_in_flight=1,
                          function=page_sized_block_in_heap)  # fmt: skip
    try:
        results = asyncio.run(run_all(pool, [page("<p>x</p>")]))
    finally:
        pool.close()
    assert results == [True]


# A main script like `.venv/bin/scrapy`: it imports Scrapy at the top, runs under a guard.
SCRIPT_MAIN = """
import asyncio, sys
from scrapy.cmdline import execute

from pipelines.extract_pool import ExtractionPool
from pipelines.extraction import ExtractRules, Page
from tests.pool_targets import imports_scrapy


async def ask() -> object:
    pool = ExtractionPool(workers=1, timeout=60.0, max_in_flight=1, function=imports_scrapy)
    try:
        return await pool.run(Page(url="http://a.test/1", body=b"<p>x</p>"), ExtractRules())
    finally:
        pool.close()


if __name__ == "__main__":
    print(asyncio.run(ask()))
"""


@pytest.mark.parametrize("run_as", ["script", "module"])
def test_workers_do_not_run_the_crawls_main_module_again(tmp_path, run_as):
    # `scrapy crawl` runs a script; scrapyd runs `python -m scrapyd.runner`.
    (tmp_path / "scrapy_like.py").write_text(SCRIPT_MAIN)
    main = [str(tmp_path / "scrapy_like.py")] if run_as == "script" else ["-m", "scrapy_like"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(tmp_path)])}
    result = subprocess.run([sys.executable, *main], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "False"


PRELOADED_STOPLIST = """
import pipelines.extraction.preload
from trafilatura import external

print(type(external.JT_STOPLIST).__name__, len(external.JT_STOPLIST))
"""


def test_the_forkserver_preloads_justext_s_stoplist_for_every_worker() -> None:
    # Built by trafilatura in each worker on its first page of no known language, ~29 MB per
    # worker; hashed in the forkserver, 1.2 MB shared by all.
    result = subprocess.run([sys.executable, "-c", PRELOADED_STOPLIST], capture_output=True,
                            text=True, timeout=120, cwd=REPO)  # fmt: skip
    name, words = result.stdout.split()
    assert name == "HashedStoplist" and int(words) > 100_000, result.stderr[-2000:]
