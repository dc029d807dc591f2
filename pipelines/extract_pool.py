"""Extraction in worker processes, awaited from the reactor: downloads go on while pages parse.

The reactor's own thread writes each page down a worker's pipe and reads the result when the
pipe turns readable; no thread stands between them. The pool before (pebble) pickled pages
out in one thread and results in another, with two messages and three locks a page: its
threads took ~0.7 ms of the crawl's CPU a real page, a sixth of what the crawl's process
spends beside Scrapy's own fetching (README: Measuring).
"""

from __future__ import annotations

import asyncio
import fcntl
import importlib.machinery
import io
import logging
import multiprocessing
import multiprocessing.forkserver
import os
import pickle
import struct
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from crawler.dataset.schema import ArticleRecord, RejectReason
from pipelines.extraction import ExtractRules, Page, Rejection

__all__ = ["ExtractionPool", "forkserver_context", "start_forkserver"]

logger = logging.getLogger(__name__)

PRELOAD = "pipelines.extraction.preload"
STARTING_POLL_SECONDS = 0.02
F_SETPIPE_SZ, F_GETPIPE_SZ = 1031, 1032  # <linux/fcntl.h>; Linux only, like the forkserver
PIPE_BYTES = 1 << 20  # /proc/sys/fs/pipe-max-size's default
# Pages sent to a worker ahead of its results: it starts the next page without waiting for the
# reactor, which may be busy parsing a download when a result comes.
AHEAD = 2
HUNG_CHECK_SECONDS = 0.25  # how often pages running too long are looked for
# A record is ~10-30 KB; a read buffer under the crawl's 128 KiB mmap threshold
# (crawler/malloc.py) comes from the heap, not a mapping made and unmapped per record.
_READ_BYTES = 64 * 1024

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


def serve(tasks: Connection, results: Connection, function: Callable[..., Any]) -> None:
    """A worker's life: run `function` on each page read from `tasks` until the pipe closes.

    Each answer is (number, True, result) or (number, False, why); a page that kills or hangs
    the worker is the pool's to answer.
    """
    while True:
        try:
            number, args = pickle.loads(tasks.recv_bytes())
        except EOFError:
            return
        try:
            answer: tuple[int, bool, Any] = (number, True, function(*args))
            data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # the page's failure, not the worker's
            data = pickle.dumps((number, False, f"{type(exc).__name__}: {exc}"[:500]))
        results.send_bytes(data)


def _frame(message: object) -> memoryview:
    """A message as multiprocessing's Connection.recv_bytes reads it: its pickle's length,
    then the pickle, made in one buffer (a page is ~200 KB: no second copy to join them)."""
    buffer = io.BytesIO()
    buffer.write(bytes(4))
    pickle.dump(message, buffer, protocol=pickle.HIGHEST_PROTOCOL)
    size = buffer.tell() - 4
    if size > 0x7FFFFFFF:  # never for a page under EXTRACT_MAX_BYTES; the long form anyway
        return memoryview(struct.pack("!iQ", -1, size) + buffer.getvalue()[4:])
    view = buffer.getbuffer()
    struct.pack_into("!i", view, 0, size)
    return view


@dataclass(eq=False)
class _Task:
    number: int
    args: tuple[Page, ExtractRules]  # pickled when sent, not while the page waits its turn
    future: asyncio.Future[Result]
    started: float | None = None  # when its worker took it up (its previous page was done)


@dataclass(eq=False)
class _Worker:
    """A worker process, the ends of its two pipes we hold, and the pages it has."""

    process: multiprocessing.process.BaseProcess
    tasks: Connection  # we write pages here
    results: Connection  # and read answers here
    outstanding: deque[_Task] = field(default_factory=deque)
    unsent: deque[memoryview] = field(default_factory=deque)  # frames the pipe has no room for
    inbox: bytearray = field(default_factory=bytearray)
    sent: int = 0
    loop: asyncio.AbstractEventLoop | None = None  # the loop watching its pipes
    writing: bool = False  # a writer callback is registered

    @property
    def pid(self) -> int | None:
        return self.process.pid


class ExtractionPool:
    """A pool of extraction processes with a per-page time limit and bounded pages in flight.

    A page that hangs a worker past `timeout` seconds, or kills it (a crash, the OOM
    killer), costs that page a named rejection; the worker is replaced, the pages sent to it
    after that one go to the next worker, and the crawl goes on. At most `max_in_flight`
    pages wait for or sit in the pool, so a slow pool cannot make memory grow with the crawl.
    A worker is replaced after `max_tasks` pages, so what its heap gathers (fragments of
    large parsed trees, caches) stays bounded; a fork of the warm forkserver costs ~10 ms.
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
        self.max_tasks = max(1, max_tasks)
        self.size = max(1, workers)
        self._context = forkserver_context()
        self._workers: list[_Worker] = []
        self._retired: list[multiprocessing.process.BaseProcess] = []
        self._queue: deque[_Task] = deque()
        self._numbers = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._hung_check: asyncio.TimerHandle | None = None
        self._start_error: BaseException | None = None
        self._closed = False
        self._slots: asyncio.Semaphore | None = None
        self.in_flight = 0
        self.peak_in_flight = 0
        self.workers_replaced = 0  # after they died or hung (not after max_tasks pages)
        # pebble started its workers at the first page, in the reactor's thread, which then
        # stood still for the forkserver's warm-up (~1.3 s of models and imports) while the
        # first article pages arrived. Started now, the warm-up overlaps Scrapy's own start
        # and the fetching of robots.txt, sitemaps and listings.
        self._starting: threading.Thread | None = threading.Thread(
            target=self._start, daemon=True, name="extraction-pool-start"
        )
        self._starting.start()

    def worker_pids(self) -> list[int]:
        """The live workers' process ids."""
        return [w.pid for w in self._workers if w.pid is not None]

    def pipe_sizes(self) -> list[int]:
        """The capacity of each worker's page and result pipes, in bytes."""
        ends = [end for worker in self._workers for end in (worker.tasks, worker.results)]
        return [fcntl.fcntl(end.fileno(), F_GETPIPE_SZ) for end in ends]

    async def run(self, page: Page, rules: ExtractRules) -> Result:
        """Extract one page in a worker; never raises for a bad page."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.max_in_flight)
        async with self._slots:
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
            try:
                return await self._submit(page, rules)
            finally:
                self.in_flight -= 1

    async def _submit(self, page: Page, rules: ExtractRules) -> Result:
        # The workers start in a thread (the forkserver's warm-up): the loop runs on meanwhile.
        while self._starting is not None and self._starting.is_alive():
            await asyncio.sleep(STARTING_POLL_SECONDS)
        self._starting = None
        if self._closed:
            return Rejection(RejectReason.EXTRACTION_FAILED, "extraction pool closed")
        if self._start_error is not None and not self._workers:
            why = f"no extraction worker could start: {self._start_error}"
            return Rejection(RejectReason.EXTRACTION_FAILED, why[:500])
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            self._watch(loop)
        self._numbers += 1
        task = _Task(self._numbers, (page, rules), loop.create_future())
        self._queue.append(task)
        self._dispatch()
        return await task.future

    # --- workers ---------------------------------------------------------------------------

    def _start(self) -> None:
        try:
            for _ in range(self.size):
                self._workers.append(self._spawn())
        except Exception as exc:  # the pages will say so, one rejection each
            logger.error("extraction workers cannot start: %s: %s", type(exc).__name__, exc)
            self._start_error = exc

    def _spawn(self) -> _Worker:
        task_reader, task_writer = self._context.Pipe(duplex=False)
        result_reader, result_writer = self._context.Pipe(duplex=False)
        process = self._context.Process(
            target=serve, args=(task_reader, result_writer, self.function), daemon=True,
            name="extraction-worker",
        )  # fmt: skip
        try:
            process.start()
        finally:
            task_reader.close()  # the worker has its own ends now
            result_writer.close()
        worker = _Worker(process, task_writer, result_reader)
        for end in (task_writer, result_reader):
            _widen(end)
            os.set_blocking(end.fileno(), False)
        if self._loop is not None:
            self._watch_worker(worker, self._loop)
        return worker

    def _watch(self, loop: asyncio.AbstractEventLoop) -> None:
        """Watch every worker's answers from this loop (a test may run several in turn)."""
        if self._hung_check is not None:  # on the loop before, which may never run again
            self._hung_check.cancel()
            self._hung_check = None
        self._loop = loop
        for worker in self._workers:
            self._watch_worker(worker, loop)

    def _watch_worker(self, worker: _Worker, loop: asyncio.AbstractEventLoop) -> None:
        _stop_watching(worker)
        worker.loop, worker.writing = loop, False
        loop.add_reader(worker.results.fileno(), self._readable, worker)
        if worker.unsent:
            self._write(worker)

    def _replace(self, worker: _Worker) -> None:
        """A new worker for one gone; the pages it had not begun go to the front of the queue."""
        self._unwatch(worker)
        self._workers.remove(worker)
        self._queue.extendleft(reversed(worker.outstanding))
        worker.outstanding.clear()
        if self._closed:
            return
        try:
            self._workers.append(self._spawn())
        except Exception as exc:
            logger.error("cannot start an extraction worker: %s: %s", type(exc).__name__, exc)
            self._start_error = exc
            if not self._workers:  # nothing left to run the queued pages
                while self._queue:
                    why = f"no extraction worker could start: {exc}"[:500]
                    _answer(self._queue.popleft(), Rejection(RejectReason.EXTRACTION_FAILED, why))

    def _unwatch(self, worker: _Worker) -> None:
        _stop_watching(worker)
        worker.loop = None
        worker.tasks.close()
        worker.results.close()

    def _lost(self, worker: _Worker, why: Rejection | None = None) -> None:
        """A worker died (or hangs, `why`): its page is rejected, the worker replaced."""
        worker.process.kill()
        worker.process.join(timeout=5.0)
        if worker.outstanding:
            code = worker.process.exitcode
            why = why or Rejection(RejectReason.EXTRACTION_FAILED,
                                   f"extraction worker died (exit code {code})")  # fmt: skip
            _answer(worker.outstanding.popleft(), why)
        else:
            logger.warning("extraction worker %s died between pages (exit code %s); replaced",
                           worker.pid, worker.process.exitcode)  # fmt: skip
        self.workers_replaced += 1
        self._replace(worker)
        self._dispatch()

    def _retire(self, worker: _Worker) -> None:
        """A worker that ran its `max_tasks` pages: its pipe closes, and it ends by itself."""
        self._retired.append(worker.process)
        self._replace(worker)
        self._retired = [p for p in self._retired if p.exitcode is None]  # reaps the ended

    # --- pages -----------------------------------------------------------------------------

    def _dispatch(self) -> None:
        """Send queued pages to the workers with room, the least busy first."""
        while self._queue:
            ready = [w for w in self._workers
                     if len(w.outstanding) < AHEAD and w.sent < self.max_tasks]  # fmt: skip
            if not ready:
                break
            worker = min(ready, key=lambda w: len(w.outstanding))
            task = self._queue.popleft()
            if task.future.done():  # cancelled while it waited
                continue
            if not worker.outstanding:
                task.started = time.monotonic()
            worker.outstanding.append(task)
            worker.sent += 1
            worker.unsent.append(_frame((task.number, task.args)))
            self._write(worker)
        if self._hung_check is None and any(w.outstanding for w in self._workers):
            assert self._loop is not None
            self._hung_check = self._loop.call_later(HUNG_CHECK_SECONDS, self._check_hung)

    def _write(self, worker: _Worker) -> None:
        """Write what the worker's pipe takes now; the rest when it has room again."""
        while worker.unsent:
            view = worker.unsent[0]
            try:
                written = os.write(worker.tasks.fileno(), view)
            except BlockingIOError:
                written = 0
            except OSError:  # the worker is gone: its pipe reads EOF and says so
                worker.unsent.clear()
                break
            if written < len(view):
                worker.unsent[0] = view[written:]
                if not worker.writing and worker.loop is not None:
                    worker.loop.add_writer(worker.tasks.fileno(), self._write, worker)
                    worker.writing = True
                return
            worker.unsent.popleft()
        if worker.writing and worker.loop is not None:
            worker.loop.remove_writer(worker.tasks.fileno())
            worker.writing = False

    def _readable(self, worker: _Worker) -> None:
        try:
            data = os.read(worker.results.fileno(), _READ_BYTES)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self._lost(worker)
            return
        worker.inbox += data
        while len(worker.inbox) >= 4:
            (size,) = struct.unpack_from("!i", worker.inbox)
            header = 4
            if size == -1:
                if len(worker.inbox) < 12:
                    return
                (size,) = struct.unpack_from("!Q", worker.inbox, 4)
                header = 12
            if len(worker.inbox) < header + size:
                return
            with memoryview(worker.inbox) as view, view[header : header + size] as message:
                number, ok, value = pickle.loads(message)
            del worker.inbox[: header + size]  # the views are released: it may shrink now
            self._answered(worker, number, ok, value)
            if worker not in self._workers:
                return

    def _answered(self, worker: _Worker, number: int, ok: bool, value: Any) -> None:
        task = worker.outstanding.popleft()
        if task.number != number:  # never: a worker answers its pages in order
            raise RuntimeError(f"extraction worker answered page {number}, not {task.number}")
        if worker.outstanding:
            worker.outstanding[0].started = time.monotonic()
        _answer(task, value if ok else Rejection(RejectReason.EXTRACTION_FAILED, value))
        if worker.sent >= self.max_tasks and not worker.outstanding:
            self._retire(worker)
        self._dispatch()

    def _check_hung(self) -> None:
        self._hung_check = None
        now = time.monotonic()
        for worker in list(self._workers):
            head = worker.outstanding[0] if worker.outstanding else None
            if head is not None and head.started is not None and now - head.started > self.timeout:
                why = f"no result within EXTRACT_TIMEOUT={self.timeout:g}s"
                self._lost(worker, Rejection(RejectReason.EXTRACTION_TIMEOUT, why))
        self._dispatch()

    def close(self) -> None:
        """Stop the workers: each ends once its pipe closes (the crawl is done with them)."""
        if self._starting is not None:  # closing a pool that is starting races with the start
            self._starting.join(timeout=60.0)
        self._closed = True
        if self._hung_check is not None:
            self._hung_check.cancel()
        processes = [*self._retired]
        for worker in list(self._workers):
            processes.append(worker.process)
            for task in worker.outstanding:
                _answer(task, Rejection(RejectReason.EXTRACTION_FAILED, "extraction pool closed"))
            worker.outstanding.clear()  # not queued again by _replace
            self._replace(worker)
        closed = Rejection(RejectReason.EXTRACTION_FAILED, "extraction pool closed")
        while self._queue:
            _answer(self._queue.popleft(), closed)
        deadline = time.monotonic() + 5.0
        for process in processes:
            process.join(timeout=max(0.0, deadline - time.monotonic()))
            if process.exitcode is None:
                process.kill()
                process.join(timeout=5.0)


def _stop_watching(worker: _Worker) -> None:
    """Take the worker's pipes off the loop watching them (a closed loop watches nothing)."""
    if worker.loop is not None and not worker.loop.is_closed():
        worker.loop.remove_reader(worker.results.fileno())
        worker.loop.remove_writer(worker.tasks.fileno())


def _answer(task: _Task, result: Result) -> None:
    if not task.future.done():
        task.future.set_result(result)


def _widen(end: Connection) -> None:
    """Let a worker's pipe hold several pages, not a quarter of one (64 KiB by default): a
    worker done with its page then finds the next one there, however busy the reactor is."""
    try:
        fcntl.fcntl(end.fileno(), F_SETPIPE_SZ, PIPE_BYTES)
    except OSError as exc:
        logger.debug("extraction pool pipe left at its size: %s", exc)
