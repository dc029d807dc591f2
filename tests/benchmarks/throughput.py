"""Benchmark: our pipeline vs plain trafilatura vs a naive Scrapy project, on one demo site.

    pip install -e '.[bench]'
    python -m tests.benchmarks.throughput [--pages 5000]

Generates the demo site at N and 4N article URLs, serves it on 127.0.0.1 and prints, from
this one run: pages/s, CPU seconds and peak RSS (whole process tree) of
  1. plain trafilatura over the same opinion pages, one process, no Scrapy;
  2. a naive Scrapy project (trafilatura in the callback, JSON lines out);
  3. our pipeline end to end (scrapy crawl opinion, Parquet out);
then the ratios 3/1 and 3/2, our peak RSS at N and 4N, dataset sizes, and load() timings.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import psutil

from crawler.dataset import load
from crawler.demo import generate, serve
from crawler.demo.routes import load_routes, lookup
from tests.crawling import DEMO_SITES, FAST_LOCAL, REPO, read_truth, scrapy_env

HERE = Path(__file__).resolve().parent
LOCAL_CRAWL = [*FAST_LOCAL, "-s", "LOG_LEVEL=WARNING", "-s", "CONCURRENT_REQUESTS=16",
               "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16"]  # fmt: skip


@dataclass
class Measurement:
    """One command's cost."""

    seconds: float
    cpu_seconds: float
    peak_rss_mb: float

    def rate(self, pages: int) -> float:
        return pages / self.seconds


def measure(command: list[str], cwd: Path, env: dict[str, str]) -> Measurement:
    """Run a command to completion, sampling the RSS of its whole process tree."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = psutil.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE)  # fmt: skip
    peak = 0
    while process.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"{command[:4]} failed: {process.stderr.read().decode()[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measurement(seconds, cpu, peak / 2**20)


def plain_trafilatura(page_list: Path) -> None:
    """Mode 1, run in its own process: extract every listed page file, one after another."""
    import trafilatura

    for path in page_list.read_text().split("\n"):
        if path:
            html = Path(path).read_bytes().decode("utf-8", errors="replace")
            trafilatura.extract(html)


def opinion_pages(site_dir: Path) -> list[tuple[str, Path]]:
    routes = load_routes(site_dir)
    pages = []
    for truth in read_truth(site_dir):
        route = lookup(routes, truth["url"])
        if truth["kind"] == "opinion" and route is not None:
            pages.append((truth["url"], site_dir / route.file))
    return pages


def run_three(site_dir: Path, work: Path, proxy: str, modes: tuple[str, ...]) -> dict:
    pages = opinion_pages(site_dir)
    (work / "urls.txt").write_text("\n".join(url for url, _ in pages))
    (work / "files.txt").write_text("\n".join(str(path) for _, path in pages))
    env = scrapy_env(proxy)
    commands = {
        "plain": ([sys.executable, "-m", "tests.benchmarks.throughput", "--plain",
                   str(work / "files.txt")], REPO),
        "naive": ([sys.executable, "-m", "scrapy", "runspider", str(HERE / "naive_spider.py"),
                   "-a", f"urls={work / 'urls.txt'}", "-o", str(work / "naive.jsonl"),
                   *LOCAL_CRAWL], work),
        "ours": ([sys.executable, "-m", "scrapy", "crawl", "opinion", "-a", f"site={DEMO_SITES}",
                  "-s", f"PARQUET_DIR={work / 'out'}", *LOCAL_CRAWL], REPO),
    }  # fmt: skip
    results = {m: measure(*commands[m], env) for m in modes}
    return {"pages": len(pages), "bytes": sum(p.stat().st_size for _, p in pages), **results}


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def load_timings(root: Path) -> tuple[float, float, int, int]:
    started = time.perf_counter()
    everything = load(root)
    whole = time.perf_counter() - started
    newest = everything["published_at"].max()
    started = time.perf_counter()
    week = load(root, sites="demo-ledger", start=newest - timedelta(days=7), end=newest)
    return whole, time.perf_counter() - started, len(everything), len(week)


def report(n: int, small: dict, large: dict, out: Path) -> None:
    print(f"demo site: N={n} article URLs; {small['pages']} opinion pages extracted at N")
    print(f"{'':<22}{'pages/s':>9}{'CPU s':>9}{'peak RSS MB':>13}")
    names = {"plain": "1 plain trafilatura", "naive": "2 naive Scrapy", "ours": "3 our pipeline"}
    for mode, name in names.items():
        m = small[mode]
        print(
            f"{name:<22}{m.rate(small['pages']):>9.1f}{m.cpu_seconds:>9.1f}{m.peak_rss_mb:>13.0f}"
        )
    ours, plain, naive = small["ours"], small["plain"], small["naive"]
    print(f"ratio 3/1 pages/s: {ours.rate(small['pages']) / plain.rate(small['pages']):.2f}")
    print(f"ratio 3/2 pages/s: {ours.rate(small['pages']) / naive.rate(small['pages']):.2f}")
    big = large["ours"]
    print(f"our peak RSS: {ours.peak_rss_mb:.0f} MB at N, {big.peak_rss_mb:.0f} MB at 4N "
          f"({large['pages']} pages): ratio {big.peak_rss_mb / ours.peak_rss_mb:.2f}")  # fmt: skip
    articles = out / "out" / "articles"
    jsonl = out / "rows.jsonl"
    load(out / "out").to_json(jsonl, orient="records", lines=True, date_format="iso")
    print(
        f"sizes at 4N: raw HTML {large['bytes'] / 2**20:.1f} MB, Parquet "
        f"{dir_size(articles) / 2**20:.1f} MB, JSON lines {jsonl.stat().st_size / 2**20:.1f} MB"
    )
    whole, week, rows, week_rows = load_timings(out / "out")
    print(f"load(): all {rows} rows {whole:.3f} s; one site-week ({week_rows} rows) "
          f"{week:.3f} s; ratio {whole / week:.1f}x")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--plain", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.plain:
        plain_trafilatura(args.plain)
        return
    with tempfile.TemporaryDirectory(prefix="opinion-bench-") as tmp:
        root = Path(tmp)
        generate(root / "small", pages=args.pages, seed=1)
        generate(root / "large", pages=4 * args.pages, seed=1)
        (root / "w1").mkdir()
        (root / "w4").mkdir()
        with serve(root / "small") as server:
            small = run_three(root / "small", root / "w1", server.proxy_url,
                              ("plain", "naive", "ours"))  # fmt: skip
        with serve(root / "large") as server:
            large = run_three(root / "large", root / "w4", server.proxy_url, ("ours",))
        report(args.pages, small, large, root / "w4")
        print(json.dumps({"N": args.pages}))


if __name__ == "__main__":
    main()
