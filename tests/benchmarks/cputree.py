"""CPU seconds and peak RSS of a command's whole process tree, orphaned grandchildren included.

`getrusage(RUSAGE_CHILDREN)` only counts descendants that were waited for, each by its
own parent. Our crawl's pool workers are children of multiprocessing's forkserver, which
waits for them, but nobody waits for the forkserver: when the crawl exits it is
re-parented to init and its CPU (the workers' included) never reaches us. Made a child
subreaper, this process inherits such orphans, reaps them, and the kernel's own
accounting is complete again. wait4() gives the main process's own share; psutil samples
give the peak RSS, its main thread's share and a cross-check of the rest.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

__all__ = ["TreeUsage", "become_subreaper", "run_measured"]

PR_SET_CHILD_SUBREAPER = 36  # <linux/prctl.h>
# One sample of a crawl's tree costs ~4 ms CPU (psutil reads all of /proc to find children):
# every 50 ms that took 8% of a core from the measured command. CPU totals are exact anyway.
SAMPLE_SECONDS = 0.25
POLL_SECONDS = 0.01  # how soon the command's exit is seen: the wall time's resolution
ORPHAN_WAIT_SECONDS = 30.0


@dataclass
class TreeUsage:
    """What one command cost: wall time, CPU split by role, peak RSS of its tree."""

    seconds: float
    cpu_seconds: float  # every process of the tree, exact (kernel accounting)
    main_cpu_seconds: float  # the command's own process (and children it waited for)
    main_thread_seconds: float  # of which its main thread (Scrapy's reactor), as sampled
    sampled_rest_seconds: float  # the other processes' CPU as last sampled by psutil
    peak_rss_mb: float
    peak_pss_mb: float  # proportional set size: pages shared by forked workers counted once
    server_cpu_seconds: float  # this process's other threads meanwhile: the demo server
    others_cpu_seconds: float  # every other process on the machine meanwhile: noise

    @property
    def rest_cpu_seconds(self) -> float:
        """CPU of everything below the main process: forkserver, pool workers, trackers."""
        return max(0.0, self.cpu_seconds - self.main_cpu_seconds)  # no rounding to -0.0

    def rate(self, pages: int) -> float:
        return pages / self.seconds


def become_subreaper() -> None:
    """Make orphaned descendants our children, so that we can wait for (and count) them."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")


def _cpu(usage: resource.struct_rusage) -> float:
    return usage.ru_utime + usage.ru_stime


class _Sampler:
    """Last seen CPU seconds of every descendant of this process, and the peak tree RSS."""

    def __init__(self) -> None:
        self.me = psutil.Process()
        self.last: dict[tuple[int, float], float] = {}  # (pid, create time): user + system
        self.main_thread = 0.0
        self.peak = 0
        self.peak_pss = 0

    def sample(self, main_pid: int) -> None:
        rss = pss = 0
        for proc in self.me.children(recursive=True):
            try:
                with proc.oneshot():
                    times = proc.cpu_times()
                    self.last[proc.pid, proc.create_time()] = times.user + times.system
                    memory = proc.memory_full_info()
                    rss += memory.rss
                    pss += memory.pss
                    if proc.pid == main_pid:
                        self._sample_main_thread(proc)
            except psutil.Error:
                continue  # exited between listing and reading: its last sample stands
        self.peak = max(self.peak, rss)
        self.peak_pss = max(self.peak_pss, pss)

    def _sample_main_thread(self, proc: psutil.Process) -> None:
        # Its other threads: the Parquet flush thread, Twisted's and Arrow's.
        for thread in proc.threads():
            if thread.id == proc.pid:
                self.main_thread = thread.user_time + thread.system_time


def run_measured(command: list[str], cwd: Path, env: dict[str, str]) -> TreeUsage:
    """Run a command to completion; raise with its stderr if it fails.

    Reaps every child of this process, so none may be running besides the command.
    """
    before_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    before_self = resource.getrusage(resource.RUSAGE_SELF)
    before_thread = time.thread_time()
    before_machine = _machine_busy()
    sampler = _Sampler()
    with tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                                   stderr=stderr)  # fmt: skip
        try:
            main_cpu, status = _wait_main(process.pid, sampler)
        except BaseException:  # interrupted: leave no crawl or pool worker running
            _kill_tree(sampler.me)
            raise
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        _reap_orphans(sampler)
        if process.returncode != 0:
            stderr.seek(0)
            tail = stderr.read().decode(errors="replace")[-2000:]
            raise RuntimeError(f"{command[:4]} failed ({process.returncode}): {tail}")
    machine = _machine_busy() - before_machine
    total = _cpu(resource.getrusage(resource.RUSAGE_CHILDREN)) - _cpu(before_children)
    own = _cpu(resource.getrusage(resource.RUSAGE_SELF)) - _cpu(before_self)
    sampled = {key: cpu for key, cpu in sampler.last.items() if key[0] != process.pid}
    return TreeUsage(
        seconds=seconds,
        cpu_seconds=total,
        main_cpu_seconds=main_cpu,
        main_thread_seconds=sampler.main_thread,
        sampled_rest_seconds=sum(sampled.values()),
        peak_rss_mb=sampler.peak / 2**20,
        peak_pss_mb=sampler.peak_pss / 2**20,
        # The sampling loop runs on this thread; every other thread is the demo server's.
        server_cpu_seconds=own - (time.thread_time() - before_thread),
        others_cpu_seconds=max(0.0, machine - total - own),
    )


def _machine_busy() -> float:
    times = psutil.cpu_times()
    return times.user + times.nice + times.system + times.irq + times.softirq + times.steal


def _wait_main(pid: int, sampler: _Sampler) -> tuple[float, int]:
    # wait4 gives the main process's own CPU, which psutil could only sample late.
    next_sample = 0.0
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            return _cpu(usage), status
        if time.monotonic() >= next_sample:
            sampler.sample(pid)
            next_sample = time.monotonic() + SAMPLE_SECONDS
        time.sleep(POLL_SECONDS)


def _reap_orphans(sampler: _Sampler) -> None:
    # The forkserver outlives the crawl by a moment (it exits on EOF of its pipe).
    deadline = time.monotonic() + ORPHAN_WAIT_SECONDS
    while time.monotonic() < deadline:
        try:
            done, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if not done:
            sampler.sample(0)
            time.sleep(SAMPLE_SECONDS)
    left = _kill_tree(sampler.me)
    raise RuntimeError(f"descendants still running after {ORPHAN_WAIT_SECONDS:g}s: {left}")


def _kill_tree(root: psutil.Process) -> list[psutil.Process]:
    descendants = root.children(recursive=True)
    for proc in descendants:
        with contextlib.suppress(psutil.Error):
            proc.kill()
    psutil.wait_procs(descendants, timeout=5)
    return descendants
