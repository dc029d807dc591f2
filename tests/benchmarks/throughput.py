"""Benchmark: our pipeline vs plain trafilatura vs a naive Scrapy project, on one demo site.

    pip install -e '.[bench]'
    python -m tests.benchmarks.throughput [--pages 5000] [--repeat 1]

Generates the demo site at N and 4N article URLs, serves it on 127.0.0.1 and prints, from
this one run: pages/s, CPU seconds (whole process tree, split into the command's main
process and the rest of its tree; plus the demo server's) and peak RSS of
  1. plain trafilatura over the same opinion pages, one process, no Scrapy;
  2. a naive Scrapy project (trafilatura in the callback, JSON lines out);
  3. our pipeline end to end (scrapy crawl opinion, Parquet out);
then the ratios 3/1 and 3/2, our peak RSS at N and 4N, dataset sizes, and load() timings.
Two floor rows show what bounds ours: Scrapy fetching the same article URLs and doing
nothing with them (the crawl's least cost), and our extract() over the page files in one
process (the extraction's cost without a crawl). Their CPU per page, summed, gives the
most pages per second any design of ours could reach on this machine's cores.
With `--repeat K` the three run K times, interleaved, and the fastest of each counts: other
load on the machine (the `others` column) only ever slows a run down.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from crawler.dataset.loader import load
from crawler.demo import generate, serve
from crawler.demo.routes import load_routes, lookup
from tests.benchmarks.cputree import TreeUsage, become_subreaper, run_measured
from tests.benchmarks.extract_only import write_page_list
from tests.crawling import DEMO_SITES, FAST_LOCAL, REPO, read_truth, scrapy_env

HERE = Path(__file__).resolve().parent
LOCAL_CRAWL = [*FAST_LOCAL, "-s", "LOG_LEVEL=WARNING", "-s", "CONCURRENT_REQUESTS=16",
               "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16"]  # fmt: skip


@dataclass(frozen=True)
class OpinionPage:
    """One opinion page of the demo site: its truth row, file and served Content-Type."""

    truth: dict
    path: Path
    content_type: str


def opinion_pages(site_dir: Path) -> list[OpinionPage]:
    """The demo site's opinion pages, in truth order."""
    routes = load_routes(site_dir)
    pages = []
    for truth in read_truth(site_dir):
        route = lookup(routes, truth["url"])
        if truth["kind"] == "opinion" and route is not None:
            pages.append(OpinionPage(truth, site_dir / route.file, route.content_type))
    return pages


NAMES = {
    "plain": "1 plain trafilatura",
    "naive": "2 naive Scrapy",
    "ours": "3 our pipeline",
    "fetch": "floor: Scrapy fetch",
    "extract": "floor: our extract()",
}


def run_modes(
    site_dir: Path, work: Path, proxy: str, modes: tuple[str, ...], repeat: int = 1
) -> dict:
    """Each mode `repeat` times, interleaved; the fastest run of each is kept."""
    pages = opinion_pages(site_dir)
    (work / "urls.txt").write_text("\n".join(page.truth["url"] for page in pages))
    rows = [(p.truth["url"], p.truth["site"], p.content_type, p.path) for p in pages]
    write_page_list(rows, work / "pages.tsv")
    env = scrapy_env(proxy)
    results: dict[str, TreeUsage] = {}
    for run in range(repeat):
        for mode in modes:
            usage = run_measured(*command(mode, work, run), env)
            if mode not in results or usage.seconds < results[mode].seconds:
                results[mode] = usage
    return {"pages": len(pages), "bytes": sum(p.path.stat().st_size for p in pages), **results}


def command(mode: str, work: Path, run: int) -> tuple[list[str], Path]:
    """The command line of a mode and its working directory; each run writes afresh."""
    # A second crawl into the same dataset would skip the stored articles (incremental).
    suffix = f"-{run}" if run else ""
    if mode in ("plain", "extract"):
        extractor = "plain" if mode == "plain" else "ours"
        return [sys.executable, "-m", "tests.benchmarks.extract_only", extractor,
                str(work / "pages.tsv")], REPO  # fmt: skip
    if mode == "naive":
        return [sys.executable, "-m", "scrapy", "runspider", str(HERE / "naive_spider.py"),
                "-a", f"urls={work / 'urls.txt'}", "-O", str(work / f"naive{suffix}.jsonl"),
                *LOCAL_CRAWL], work  # fmt: skip
    if mode == "fetch":
        return [sys.executable, "-m", "scrapy", "runspider", str(HERE / "fetch_spider.py"),
                "-a", f"urls={work / 'urls.txt'}", *LOCAL_CRAWL], work  # fmt: skip
    return [sys.executable, "-m", "scrapy", "crawl", "opinion", "-a", f"site={DEMO_SITES}",
            "-s", f"PARQUET_DIR={work / f'out{suffix}'}", *LOCAL_CRAWL], REPO  # fmt: skip


def usage_columns(usage: TreeUsage, pages: int) -> str:
    return (
        f"{usage.rate(pages):>9.1f}{usage.cpu_seconds:>8.1f}{usage.main_cpu_seconds:>8.1f}"
        f"{usage.rest_cpu_seconds:>8.1f}{usage.server_cpu_seconds:>8.1f}"
        f"{usage.others_cpu_seconds:>8.1f}{usage.peak_rss_mb:>13.0f}{usage.peak_pss_mb:>13.0f}"
    )


def summary(results: dict) -> dict:
    """The measurements as numbers, for comparing runs."""
    pages = results["pages"]
    return {"pages": pages} | {
        mode: {
            "pages_per_s": round(u.rate(pages), 1),
            "cpu_s": round(u.cpu_seconds, 1),
            "main_cpu_s": round(u.main_cpu_seconds, 1),
            "pool_cpu_s": round(u.rest_cpu_seconds, 1),
            "server_cpu_s": round(u.server_cpu_seconds, 1),
            "others_cpu_s": round(u.others_cpu_seconds, 1),
            "peak_rss_mb": round(u.peak_rss_mb),
            "peak_pss_mb": round(u.peak_pss_mb),
        }
        for mode, u in results.items()
        if isinstance(u, TreeUsage)
    }


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


def report(n: int, repeat: int, small: dict, large: dict, out: Path) -> None:
    print(f"demo site: N={n} article URLs; {small['pages']} opinion pages extracted at N"
          f" (fastest of {repeat} runs each)")  # fmt: skip
    print(f"{'':<22}{'pages/s':>9}{'CPU s':>8}{'main':>8}{'pool':>8}{'server':>8}"
          f"{'others':>8}{'peak RSS MB':>13}{'peak PSS MB':>13}")  # fmt: skip
    for mode, name in NAMES.items():
        print(f"{name:<22}{usage_columns(small[mode], small['pages'])}")
    print(f"{'3 ours at 4N':<22}{usage_columns(large['ours'], large['pages'])}")
    print(
        "CPU s: the whole process tree; main: the command's own process; pool: the rest of\n"
        "its tree (forkserver, extraction workers); server: the demo site, in this process;\n"
        "others: every other process on the machine meanwhile (their load skews pages/s).\n"
        "RSS counts the pages the extraction workers share with their forkserver once per\n"
        "process; PSS splits them among the sharers: what the tree really holds in memory."
    )
    ours = small["ours"]
    per_page = 1000 / small["pages"]
    print(f"ours per page: main {ours.main_cpu_seconds * per_page:.1f} ms, pool "
          f"{ours.rest_cpu_seconds * per_page:.1f} ms, server "
          f"{ours.server_cpu_seconds * per_page:.1f} ms CPU")  # fmt: skip
    plain, naive = small["plain"], small["naive"]
    print(f"ratio 3/1 pages/s: {ours.rate(small['pages']) / plain.rate(small['pages']):.2f}")
    print(f"ratio 3/2 pages/s: {ours.rate(small['pages']) / naive.rate(small['pages']):.2f}")
    print_bound(small)
    big = large["ours"]
    print(f"our peak RSS: {ours.peak_rss_mb:.0f} MB at N, {big.peak_rss_mb:.0f} MB at 4N "
          f"({large['pages']} pages): ratio {big.peak_rss_mb / ours.peak_rss_mb:.2f}; peak PSS "
          f"{ours.peak_pss_mb:.0f} MB and {big.peak_pss_mb:.0f} MB")  # fmt: skip
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


def print_bound(small: dict) -> None:
    """The most pages/s any crawl of ours could reach: the floors' CPU on every core."""
    ms = 1000 / small["pages"]
    fetch = small["fetch"].cpu_seconds * ms
    extraction = small["extract"].cpu_seconds * ms
    server = small["ours"].server_cpu_seconds * ms
    plain = small["plain"].cpu_seconds * ms
    cores = os.cpu_count() or 1
    ceiling = cores * 1000 / (fetch + extraction + server)
    print(f"bound: crawl floor {fetch:.1f} + our extract() {extraction:.1f} + demo server "
          f"{server:.1f} = {fetch + extraction + server:.1f} ms CPU per page (plain "
          f"trafilatura {plain:.1f}); on {cores} cores at most {ceiling:.0f} pages/s = "
          f"{ceiling / small['plain'].rate(small['pages']):.2f}x plain")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each mode at N, interleaved; the fastest counts")  # fmt: skip
    args = parser.parse_args()
    # The crawl's forkserver is orphaned when the crawl exits: adopt it to count its CPU.
    become_subreaper()
    with tempfile.TemporaryDirectory(prefix="opinion-bench-") as tmp:
        root = Path(tmp)
        generate(root / "small", pages=args.pages, seed=1)
        generate(root / "large", pages=4 * args.pages, seed=1)
        (root / "w1").mkdir()
        (root / "w4").mkdir()
        with serve(root / "small") as server:
            small = run_modes(root / "small", root / "w1", server.proxy_url, tuple(NAMES),
                              args.repeat)  # fmt: skip
        with serve(root / "large") as server:
            large = run_modes(root / "large", root / "w4", server.proxy_url, ("ours",))
        report(args.pages, args.repeat, small, large, root / "w4")
        print(json.dumps({"N": args.pages, "repeat": args.repeat, **summary(small),
                          "4N": summary(large)}))  # fmt: skip


if __name__ == "__main__":
    main()
