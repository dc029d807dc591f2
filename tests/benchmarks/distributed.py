"""Benchmark: one local crawl, one Redis worker and three Redis workers on one demo site.

    python -m tests.benchmarks.distributed [--pages 1000] [--workers 3]

Needs redis-server (started privately on 127.0.0.1). Prints, for each setup, wall time,
pages the demo server answered, pages/s, pages and articles per worker, and duplicates:
pages requested twice (robots.txt, read by each worker, and retried 500s excepted) and
articles stored twice. All measured in this one invocation, on this machine.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from redis import Redis

from crawler.dataset.loader import load
from crawler.demo import generate, serve
from crawler.distributed.keys import CrawlKeys
from crawler.distributed.round import SharedCrawl
from tests.crawling import DEMO_SITES, FAST_LOCAL, REPO, read_truth, requested_urls, scrapy_env
from tests.test_distributed import redis_server

QUIET = ["-s", "LOG_LEVEL=WARNING", "-s", "DRIFT_ENABLED=False"]


def _wait(processes: list[subprocess.Popen], server: Any, timeout: float = 900) -> float:
    """Wait for every process; returns the seconds between the first and the last request."""
    deadline = time.monotonic() + timeout
    seen, first, last = 0, 0.0, 0.0
    while any(p.poll() is None for p in processes):
        if time.monotonic() > deadline:
            for process in processes:
                process.kill()
            raise SystemExit("the crawl did not finish in time")
        if (count := len(server.requests)) != seen:
            seen, last = count, time.perf_counter()
            first = first or last
        time.sleep(0.05)
    if any(p.returncode != 0 for p in processes):
        raise SystemExit(f"a worker failed: {[p.returncode for p in processes]}")
    return last - first


def _crawl(site: Path, output: Path, workers: int, redis_url: str | None,
           extra: list[str]) -> dict[str, Any]:  # fmt: skip
    shared = ["-s", f"REDIS_URL={redis_url}"] if redis_url else []
    args = ["crawl", "opinion", "-a", f"site={DEMO_SITES}", "-s", f"PARQUET_DIR={output}",
            *FAST_LOCAL, *QUIET, *shared, *extra]  # fmt: skip
    with serve(site) as server:
        env = scrapy_env(server.proxy_url)
        env.pop("OPINION_REDIS_URL", None)
        started = time.perf_counter()
        processes = [subprocess.Popen([sys.executable, "-m", "scrapy", *args], cwd=REPO, env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                     for _ in range(workers)]  # fmt: skip
        window = _wait(processes, server)
        seconds = time.perf_counter() - started
        urls = requested_urls(server.requests)
    retried = {t["url"] for t in read_truth(site) if t["kind"] == "server_error"}
    counts = Counter(u for u in urls if not u.endswith("/robots.txt"))
    df = load(output, latest=False)
    per_worker: dict[str, tuple[int, int]] = {}
    if redis_url:
        finished = SharedCrawl(Redis.from_url(redis_url), CrawlKeys("opinion"), "", 1)
        for worker, fields in sorted(finished.snapshot()["finished"].items()):
            per_worker[worker] = (int(fields["responses"]), int(fields["articles"]))
    return {
        "seconds": seconds,
        "pages": len(urls),
        "pages_per_second": len(urls) / seconds,
        "window": window,
        "window_pages_per_second": len(urls) / window,
        "per_worker": per_worker,
        "pages_requested_twice": sum(
            1 for u, n in counts.items() if n > (3 if u in retried else 1)
        ),
        "articles": len(df),
        "articles_stored_twice": int(df["canonical_url"].duplicated().sum()),
    }


def _report(name: str, run: dict[str, Any]) -> None:
    print(f"{name}: {run['seconds']:.1f} s, {run['pages']} pages, "
          f"{run['pages_per_second']:.1f} pages/s (first to last request: {run['window']:.1f} s, "
          f"{run['window_pages_per_second']:.1f} pages/s), {run['articles']} articles; duplicates: "
          f"{run['pages_requested_twice']} pages requested twice, "
          f"{run['articles_stored_twice']} articles stored twice")  # fmt: skip
    for worker, (pages, articles) in run["per_worker"].items():
        print(f"    {worker:<24} {pages:>5} pages  {articles:>5} articles")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument(
        "--extract-workers", type=int, default=None, help="EXTRACT_WORKERS of every crawl"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, redis_server(Path(tmp)) as redis_url:
        site = Path(tmp) / "site"
        generate(site, pages=args.pages, seed=3)
        client = Redis.from_url(redis_url)
        extra = ["-s", f"EXTRACT_WORKERS={args.extract_workers}"] if args.extract_workers else []
        runs = {"local crawl (no Redis)": _crawl(site, Path(tmp) / "local", 1, None, extra)}
        for workers in (1, args.workers):
            client.flushall()
            name = f"{workers} Redis worker{'s' if workers > 1 else ''}"
            runs[name] = _crawl(site, Path(tmp) / f"shared-{workers}", workers, redis_url, extra)
    print(
        f"demo site: {args.pages} article URLs, three publishers, {os.cpu_count()} cores, "
        f"EXTRACT_WORKERS={args.extract_workers or 'default'}"
    )
    for name, run in runs.items():
        _report(name, run)
    one, many = runs["1 Redis worker"], runs[f"{args.workers} Redis workers"]
    print(f"{args.workers} workers / 1 worker: throughput "
          f"{many['pages_per_second'] / one['pages_per_second']:.2f}x wall, "
          f"{many['window_pages_per_second'] / one['window_pages_per_second']:.2f}x "
          "first-to-last request")  # fmt: skip


if __name__ == "__main__":
    main()
