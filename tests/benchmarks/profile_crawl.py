"""Profile our crawl's main process: its CPU split, cProfile's top entries, what parts cost.

    python -m tests.benchmarks.profile_crawl [--pages 2000] [--profile /tmp/main.prof]
        [--timer cpu|wall|off] [--weight light|real] [--pages-from DEVSET_DIR]
        [-s NAME=VALUE ...]

Generates the demo site at N article URLs (pages of `--weight`, or the real pages of a
devset-layout directory served in their place, as the throughput benchmark does), serves
it, runs `scrapy crawl opinion` under cProfile with the throughput benchmark's settings
(plus any `-s`), and prints the CPU seconds of the main process (its reactor thread apart),
of the extraction pool and of the demo server, the top entries by own and by cumulative
time, and the share of the reactor thread's busy time spent in each of our components.

`--timer wall` is `scrapy crawl --profile` itself; the default `cpu` times the thread's CPU
instead, because on a shared 2-core machine wall time also counts the waits for a core,
which land on whatever function happened to be running; `off` only measures the CPU split,
without a profiler's overhead. cProfile sees the main thread
only and slows Python-heavy code, so shares are relative; the Parquet flush thread appears
only in the CPU split.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import tempfile
import time
from pathlib import Path

from scrapy.cmdline import execute

from crawler.demo import generate, serve
from crawler.demo.weight import WEIGHTS
from tests.benchmarks.borrowed_pages import borrow_pages
from tests.benchmarks.cputree import TreeUsage, become_subreaper, run_measured
from tests.benchmarks.throughput import LOCAL_CRAWL, opinion_pages
from tests.crawling import DEMO_SITES, REPO, scrapy_env

# (path ending, function): the parts of the main thread's work we can act on.
COMPONENTS = {
    "spider: listing callback": ("crawler/spiders/opinion.py", "parse_listing"),
    "spider: listing links": ("crawler/links.py", "links"),
    "spider: sitemap callback": ("crawler/spiders/opinion.py", "parse_sitemap"),
    "spider: article callback": ("crawler/spiders/opinion.py", "parse_article"),
    "domain check middleware": ("crawler/middlewares.py", "process_request"),
    "extract pipeline (await pool)": ("pipelines/extract.py", "process_item"),
    "pool.run (schedule, await)": ("pipelines/extract_pool.py", "run"),
    "pool: pages out": ("pipelines/extract_pool.py", "_dispatch"),
    "pool: records in": ("pipelines/extract_pool.py", "_readable"),
    "validate pipeline": ("pipelines/validate.py", "process_item"),
    "dedupe pipeline": ("pipelines/dedupe.py", "process_item"),
    "parquet pipeline (to_row, buffer, flush)": ("pipelines/parquet.py", "process_item"),
    "parquet writer flush": ("crawler/dataset/writer.py", "flush"),
    "parquet pipeline close (last flush)": ("pipelines/parquet.py", "close_spider"),
    "raw archive pipeline": ("pipelines/raw_archive.py", "process_item"),
    "rejects writer": ("pipelines/rejects.py", "item_dropped"),
    "scheduler enqueue": ("scrapy/core/scheduler.py", "enqueue_request"),
    "scheduler next": ("scrapy/core/scheduler.py", "next_request"),
}
IDLE = {("~", "<method 'poll' of 'select.epoll' objects>"), ("~", "<built-in method time.sleep>")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--profile", type=Path, default=Path("/tmp/main.prof"))
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--timer", choices=("cpu", "wall", "off"), default="cpu")
    parser.add_argument("--weight", choices=WEIGHTS, default="light")
    parser.add_argument("--pages-from", type=Path, default=None, metavar="DEVSET_DIR",
                        help="serve DIR's pages (devset layout) as the opinion pages")  # fmt: skip
    parser.add_argument("-s", dest="settings", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--cpu-profiled", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cpu_profiled:
        cpu_profiled_scrapy(Path(args.cpu_profiled[0]), args.cpu_profiled[1:])
    become_subreaper()
    with tempfile.TemporaryDirectory(prefix="opinion-profile-") as tmp:
        site = Path(tmp) / "site"
        generate(site, pages=args.pages, seed=1, weight=args.weight)
        if args.pages_from is not None:
            borrow_pages(site, args.pages_from)
        pages = len(opinion_pages(site))
        extra = [arg for setting in args.settings for arg in ("-s", setting)]
        crawl = ["crawl", "opinion", "-a", f"site={DEMO_SITES}",
                 "-s", f"PARQUET_DIR={Path(tmp) / 'out'}", *LOCAL_CRAWL, *extra]  # fmt: skip
        if args.timer == "off":
            command = [sys.executable, "-m", "scrapy", *crawl]
        elif args.timer == "wall":
            command = [sys.executable, "-m", "scrapy", *crawl, "--profile", str(args.profile)]
        else:
            command = [sys.executable, "-m", "tests.benchmarks.profile_crawl", "--cpu-profiled",
                       str(args.profile), *crawl]  # fmt: skip
        with serve(site) as server:
            usage = run_measured(command, REPO, scrapy_env(server.proxy_url))
    print_split(usage, pages, args.settings)
    if args.timer == "off":
        return
    stats = pstats.Stats(str(args.profile))
    for order in ("tottime", "cumulative"):
        stats.sort_stats(order).print_stats(args.top)
    print_components(stats)


def cpu_profiled_scrapy(output: Path, scrapy_args: list[str]) -> None:
    """Run `scrapy ARGS` in this process under cProfile timing CPU; exit with its status."""
    sys.argv = ["scrapy", *scrapy_args]
    profile = cProfile.Profile(time.thread_time)
    status: int | str | None = 0
    try:
        profile.runcall(execute)
    except SystemExit as exit_:
        status = exit_.code
    profile.dump_stats(output)
    sys.exit(status)


def print_split(usage: TreeUsage, pages: int, settings: list[str]) -> None:
    ms = 1000 / pages
    print(f"{pages} opinion pages, settings {settings or 'default'}: {usage.rate(pages):.1f} "
          f"pages/s, {usage.seconds:.1f} s")  # fmt: skip
    rows = {
        "main process": usage.main_cpu_seconds,
        "  its main thread (reactor)": usage.main_thread_seconds,
        "  its other threads (Parquet flush)": usage.main_cpu_seconds - usage.main_thread_seconds,
        "pool (forkserver, workers)": usage.rest_cpu_seconds,
        "  pool as sampled (cross-check)": usage.sampled_rest_seconds,
        "demo server": usage.server_cpu_seconds,
        "other processes (noise)": usage.others_cpu_seconds,
    }
    for name, seconds in rows.items():
        print(f"{name:<30}{seconds:>8.1f} CPU s {seconds * ms:>8.2f} ms/page")
    per_page = {name.strip(): round(seconds * ms, 2) for name, seconds in rows.items()}
    print(json.dumps({"pages_per_s": round(usage.rate(pages), 1), "ms_per_page": per_page}))


def print_components(stats: pstats.Stats) -> None:
    entries = stats.stats  # type: ignore[attr-defined]
    total = stats.total_tt  # type: ignore[attr-defined]
    idle = sum(entry[2] for key, entry in entries.items() if (key[0], key[2]) in IDLE)
    busy = total - idle
    print(f"main thread under cProfile: {total:.1f} s, idle in epoll/sleep {idle:.1f} s, "
          f"busy {busy:.1f} s")  # fmt: skip
    for name, (path, function) in COMPONENTS.items():
        cumulative = sum(
            entry[3]
            for (file, _, func), entry in entries.items()
            if file.endswith(path) and func == function
        )
        calls = sum(
            entry[1]
            for (file, _, func), entry in entries.items()
            if file.endswith(path) and func == function
        )
        print(f"{name:<42}{cumulative:>8.2f} s {100 * cumulative / busy:>6.1f} % of busy"
              f"{calls:>9} calls")  # fmt: skip


if __name__ == "__main__":
    main()
