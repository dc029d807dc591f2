"""Peak PSS of our crawl's process tree, process by process, on the demo site (real weight).

Runs `scrapy crawl opinion` exactly as the throughput benchmark's "3 our pipeline" row does,
samples every process's PSS from /proc/PID/smaps_rollup every 0.25 s and prints the tree's
peak with each process's share at that moment, then a timeline: where the memory is and
when it grows. Roles: main (the crawl's process), fs (multiprocessing's forkserver), w (an
extraction worker; recycled every 500 pages), rt (multiprocessing's resource tracker).

    python -m tests.benchmarks.crawl_memory --pages 5000 [--site DIR] [-- -s NAME=VALUE ...]
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
from pathlib import Path

import psutil

from crawler.demo import generate, serve
from tests.benchmarks.throughput import command
from tests.crawling import scrapy_env

SAMPLE_SECONDS = 0.25
TIMELINE_LINES = 25
Sample = tuple[float, dict[str, float]]  # seconds since start, PSS MB by process


def pss_mb(pid: int) -> float:
    """A process's proportional set size (0 once it exited)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def role(process: psutil.Process, main_pid: int) -> str:
    """main, fs, w<pid> or rt<pid>: what the process is to the crawl."""
    if process.pid == main_pid:
        return "main"
    try:
        cmdline = " ".join(process.cmdline())
        parent = process.ppid()
    except psutil.Error:
        return f"?{process.pid}"
    if "forkserver" not in cmdline:
        return f"rt{process.pid}"
    return "fs" if parent == main_pid else f"w{process.pid}"


def sample_tree(main: psutil.Process) -> dict[str, float]:
    """PSS MB of the crawl's process and each of its descendants."""
    try:
        processes = [main, *main.children(recursive=True)]
    except psutil.Error:
        processes = [main]
    return {role(p, main.pid): round(pss_mb(p.pid), 1) for p in processes}


def run(site: Path, work: Path, extra: list[str]) -> tuple[float, int, list[Sample]]:
    """Crawl the served site once; wall seconds, exit code and the samples."""
    with serve(site) as server:
        cmd, cwd = command("ours", work, 0)
        started = time.monotonic()
        process = subprocess.Popen([*cmd, *extra], cwd=cwd, env=scrapy_env(server.proxy_url))
        main = psutil.Process(process.pid)
        samples: list[Sample] = []
        while process.poll() is None:
            samples.append((time.monotonic() - started, sample_tree(main)))
            time.sleep(SAMPLE_SECONDS)
        return time.monotonic() - started, process.returncode, samples


def report(seconds: float, code: int, samples: list[Sample]) -> None:
    """The peak and the timeline, one line per moment."""
    when, peak = max(samples, key=lambda sample: sum(sample[1].values()))
    print(f"wall {seconds:.1f} s, exit code {code}; peak PSS {sum(peak.values()):.1f} MB "
          f"at {when:.1f} s: {peak}")  # fmt: skip
    step = max(1, len(samples) // TIMELINE_LINES)
    for at, by_process in samples[::step]:
        print(f"{at:7.1f} s {sum(by_process.values()):7.1f} MB  {by_process}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--site", type=Path, default=None,
                        help="generate the demo site here once, then reuse it")  # fmt: skip
    parser.add_argument("extra", nargs="*", help="more scrapy arguments, after --")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="opinion-memory-") as tmp:
        site = args.site or Path(tmp) / "site"
        if not (site / "site.json").exists():
            generate(site, pages=args.pages, seed=1, weight="real")
        report(*run(site, Path(tmp), args.extra))


if __name__ == "__main__":
    main()
