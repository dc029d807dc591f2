"""Extraction in worker processes, awaited from the reactor: downloads go on while pages parse."""

from __future__ import annotations

import asyncio
import fcntl
import importlib.machinery
import logging
import multiprocessing
import multiprocessing.forkserver
import sys
import threading
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool

from pebble import ProcessExpired, ProcessPool

from crawler.dataset.schema import ArticleRecord, RejectReason
from pipelines.extraction import ExtractRules, Page, Rejection

__all__ = ["ExtractionPool", "forkserver_context", "start_forkserver"]

logger = logging.getLogger(__name__)

PRELOAD = "pipelines.extraction.preload"
STARTING_POLL_SECONDS = 0.02
F_SETPIPE_SZ = 1031  # <linux/fcntl.h>; Linux only, like the pool's forkserver
PIPE_BYTES = 1 << 20  # /proc/sys/fs/pipe-max-size's default

Result = ArticleRecord | Rejection


def extract_page(page: Page, rules: ExtractRules) -> Result:
    """extract() as the workers run it, imported there: the crawl's process never loads it."""
    from pipelines.extraction import extract

    return extract(page, rules)


def keep_main_out_of_workers() -> None:
    """Stop multiprocessing from running the crawl's main module again in every worker.

    A worker first re-imports the parent's `__main__`: by its file when it has no module name
    (`.venv/bin/scrapy` imports all of Scrapy, Twisted and OpenSSL: ~330 modules, +26 MB in
    each worker and ~0.35 s CPU at each start or recycle), by its name under `python -m`
    (scrapyd's `scrapyd.runner` imports pkg_resources, ~0.4 s). A main module named
    `__main__`, or `pkg.__main__` as under `python -m scrapy`, is not re-imported.
    """
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if main is not None and (spec is None or not spec.name.endswith("__main__")):
        main.__spec__ = importlib.machinery.ModuleSpec("__main__", None)


def forkserver_context() -> multiprocessing.context.ForkServerContext:
    """The workers' start method: forked from a forkserver that preloads extraction.

    Forking the crawler itself would copy the reactor and its threads. Workers fork from the
    forkserver instead: what it loaded once, they start with.
    """
    context = multiprocessing.get_context("forkserver")
    keep_main_out_of_workers()
    context.set_forkserver_preload([PRELOAD])
    return context


def start_forkserver() -> None:
    """Start the workers' forkserver now, its warm-up (~1.3 s of CPU: imports, models) on the
    other core while the crawl's process still imports and builds its pipelines.

    Started with the pool instead, the warm-up ran after those (~0.5 s later), and the crawl's
    first pages waited for it with one core idle. The pool then finds the forkserver running.
    """
    forkserver_context()
    multiprocessing.forkserver.ensure_running()


class ExtractionPool:
    """A pool of extraction processes with a per-page time limit and bounded pages in flight.

    A page that hangs a worker past `timeout` seconds, or kills it (a crash, the OOM
    killer), costs that page a named rejection; pebble replaces the worker and the crawl
    goes on. At most `max_in_flight` pages wait for or sit in the pool, so a slow pool
    cannot make memory grow with the crawl.
    """

    def __init__(
        self,
        workers: int,
        timeout: float,
        max_in_flight: int,
        max_tasks: int = 500,
        function: Callable[[Page, ExtractRules], Result] = extract_page,
    ) -> None:
        self.function = function
        self.timeout = timeout
        self.max_in_flight = max(1, max_in_flight)
        # A worker is replaced after `max_tasks` pages, so what its heap gathers (fragments of
        # large parsed trees, caches) stays bounded; a fork of the warm forkserver costs ~10 ms.
        context = forkserver_context()
        self._new_pool = lambda: self._started(
            ProcessPool(max_workers=workers, max_tasks=max_tasks, context=context)
        )
        self._starting: threading.Thread | None = None
        self._pool = self._new_pool()
        self._slots: asyncio.Semaphore | None = None
        self.in_flight = 0
        self.peak_in_flight = 0
        self.restarts = 0  # pools replaced after pebble gave one up
        self._stopped: list[ProcessPool] = []

    def _started(self, pool: ProcessPool) -> ProcessPool:
        """The pool, its workers starting in the background from now on.

        pebble starts the workers at the first page, in the caller's thread: the crawl's
        reactor stood still for the forkserver's warm-up (~1.3 s of models and imports) while
        the first article pages arrived. Started now, the warm-up overlaps Scrapy's own start
        and the fetching of robots.txt, sitemaps and listings.
        """
        self._starting = threading.Thread(target=_start, args=(pool,), daemon=True,
                                          name="extraction-pool-start")  # fmt: skip
        self._starting.start()
        return pool

    async def run(self, page: Page, rules: ExtractRules) -> Result:
        """Extract one page in a worker; never raises for a bad page."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.max_in_flight)
        async with self._slots:
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
            try:
                return await self._schedule(page, rules)
            finally:
                self.in_flight -= 1

    async def _schedule(self, page: Page, rules: ExtractRules) -> Result:
        """The page's result; a pool that broke under it is replaced and the page tried once
        more there (it was waiting, not the cause: a page that kills a worker is rejected)."""
        for attempt in (1, 2):
            pool = self._pool
            try:
                return await self._attempt(pool, page, rules)
            except _PoolBroken as exc:
                self._replace(pool, exc.__cause__ or exc)
                if attempt == 2:
                    detail = f"the extraction pool broke twice under this page: {exc.__cause__}"
                    return Rejection(RejectReason.EXTRACTION_FAILED, detail[:500])
        raise AssertionError("unreachable")

    def _replace(self, broken: ProcessPool, error: BaseException) -> None:
        """A new pool for the one pebble gave up: it does so when a worker dies while no page
        is acknowledged (an OOM kill between pages), and every later page would fail."""
        if broken is not self._pool:
            return  # another page's failure replaced it already
        logger.warning("extraction pool broke (%s: %s); starting a new one",
                       type(error).__name__, error)  # fmt: skip
        self.restarts += 1
        self._pool = self._new_pool()
        broken.stop()
        self._stopped.append(broken)

    async def _attempt(self, pool: ProcessPool, page: Page, rules: ExtractRules) -> Result:
        # pebble's schedule() waits, in the caller's thread, for a pool that is still starting:
        # the reactor waits here instead, downloading and parsing meanwhile.
        while self._starting is not None and self._starting.is_alive():
            await asyncio.sleep(STARTING_POLL_SECONDS)
        try:
            future = pool.schedule(self.function, args=(page, rules), timeout=self.timeout)
        except RuntimeError as exc:  # pebble's "Unexpected error within the Pool"
            raise _PoolBroken() from exc
        try:
            return await asyncio.wrap_future(future)
        except BrokenProcessPool as exc:
            raise _PoolBroken() from exc
        except FutureTimeout:
            detail = f"no result within EXTRACT_TIMEOUT={self.timeout:g}s"
            return Rejection(RejectReason.EXTRACTION_TIMEOUT, detail)
        except ProcessExpired as exc:
            detail = f"extraction worker died (exit code {exc.exitcode})"
            return Rejection(RejectReason.EXTRACTION_FAILED, detail)

    def close(self) -> None:
        """Stop the workers once the queued pages are done."""
        if self._starting is not None:  # closing a pool that is starting races with the start
            self._starting.join(timeout=60.0)
        self._pool.close()
        self._pool.join(timeout=max(self.timeout, 5.0))
        self._pool.stop()
        for broken in self._stopped:
            broken.join(timeout=5.0)


def _ready() -> None:
    """The task that starts a pool's workers: it does nothing."""


def _start(pool: ProcessPool) -> None:
    try:
        pool.schedule(_ready)
    except RuntimeError as exc:  # closed before it started, or broken: the pages will tell
        logger.debug("extraction pool not started in the background: %s", exc)
        return
    _widen_pipes(pool)


def _widen_pipes(pool: ProcessPool) -> None:
    """Let the pipes between the crawl and its workers hold several pages, not a quarter of one.

    pebble sends each page down one pipe that both workers read. A 64 KiB pipe holds part of
    one real page (~200 KB): a worker done with its page waited for the crawl's pebble thread
    to write the next one, and that thread waits for the GIL the reactor holds while it
    parses. With 1 MiB, pages wait in the pipe instead: the workers were busy ~3% more of
    the crawl (2-core machine, demo pages of real weight). pebble's internals: skipped if
    they change.
    """
    try:
        manager = pool._pool_manager.worker_manager
        for channel in (manager.pool_channel, manager.workers_channel):
            if channel is not None:
                fcntl.fcntl(channel.reader.fileno(), F_SETPIPE_SZ, PIPE_BYTES)
    except (AttributeError, OSError) as exc:
        logger.debug("extraction pool pipes left at their size: %s", exc)


class _PoolBroken(Exception):
    """pebble gave the pool up: no page of it can run there any more."""
