"""Benchmark: a second (incremental) run over an unchanged demo site vs the first run.

    python -m tests.benchmarks.incremental_runs [--pages 2000]

Prints, for each run, the requests the demo server received, article pages fetched, rows
added and wall time, then the ratios second/first measured in this one invocation.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from crawler.dataset.loader import load
from crawler.demo import generate, serve
from tests.crawling import crawl_demo, read_truth, requested_urls


def _timed_crawl(output: Path, server, article_urls: set[str]) -> dict[str, float]:
    server.clear_requests()
    rows_before = len(load(output, latest=False))
    started = time.perf_counter()
    crawl_demo(output, server.proxy_url, "-s", "LOG_LEVEL=WARNING")
    seconds = time.perf_counter() - started
    urls = requested_urls(server.requests)
    return {
        "requests": len(urls),
        "article_fetches": sum(1 for u in urls if u in article_urls),
        "rows_added": len(load(output, latest=False)) - rows_before,
        "seconds": seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site_dir, output = Path(tmp) / "site", Path(tmp) / "out"
        generate(site_dir, pages=args.pages, seed=1)
        articles = {t["url"] for t in read_truth(site_dir)}
        with serve(site_dir) as server:
            first = _timed_crawl(output, server, articles)
            second = _timed_crawl(output, server, articles)
    print(f"demo site: {args.pages} article URLs")
    print(f"{'':>16} {'requests':>9} {'articles':>9} {'rows':>6} {'seconds':>8}")
    for name, run in (("first run", first), ("second run", second)):
        print(f"{name:>16} {run['requests']:>9} {run['article_fetches']:>9} "
              f"{run['rows_added']:>6} {run['seconds']:>8.1f}")  # fmt: skip
    print(f"second/first: requests {second['requests'] / first['requests']:.3f}, "
          f"wall time {second['seconds'] / first['seconds']:.3f}")  # fmt: skip


if __name__ == "__main__":
    main()
