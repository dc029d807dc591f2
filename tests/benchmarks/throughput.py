"""Benchmark: our pipeline vs plain trafilatura vs a naive Scrapy project, on one demo site.

    pip install -e '.[bench]'
    python -m tests.benchmarks.throughput [--pages 5000] [--repeat 1] [--weight real|light]
                                          [--pages-from DEVSET_DIR]

Generates the demo site at N and 4N article URLs (real page weight by default: 100-250 KB
pages, see crawler/demo/weight.py), serves it on 127.0.0.1 and prints, from this one run:
pages/s, CPU seconds (whole process tree, split into the command's main process and the
rest of its tree; plus the demo server's), peak RSS and PSS of
  1. plain trafilatura over the same opinion pages, one process, no Scrapy (defaults, and
     1b with `include_comments=False`);
  2. a naive Scrapy project (trafilatura in the callback, JSON lines out);
  3. our pipeline end to end (scrapy crawl opinion, Parquet out);
then the ratios 3/1 and 3/2, the extraction CPU per page of ours against trafilatura's
(interleaved page by page in one process, see extract_only.py),
our peak RSS and PSS at N and 4N, dataset sizes, and load() timings. With `--pages-from`
the same rows (but 4N) are measured again with the demo site's opinion URLs serving the
real pages of a directory in devset layout, in turn (tests/benchmarks/borrowed_pages.py).
Two floor rows show what bounds ours: Scrapy fetching the same article URLs and doing
nothing with them (the crawl's least cost), and our extract() over the page files in one
process (the extraction's cost without a crawl). Their CPU per page, summed, gives the
most pages per second any design of ours could reach on this machine's cores.
With `--repeat K` the three run K times, interleaved, and the fastest of each counts: other
load on the machine (the `others` column) only ever slows a run down. Each round runs ours
right after plain trafilatura, and their ratio is also given round by round: the machine's
own speed drifts over minutes, which the fastest-of ratio compares across.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from crawler.demo import generate, serve
from crawler.demo.routes import load_routes, lookup
from crawler.demo.weight import WEIGHTS
from tests.benchmarks.borrowed_pages import borrow_pages
from tests.benchmarks.cputree import TreeUsage, become_subreaper, run_measured
from tests.benchmarks.extract_only import (
    loop_cpu_file,
    read_interleaved,
    read_page,
    write_page_list,
)
from tests.benchmarks.throughput_report import NAMES, report_scale, report_set, summary
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
    rounds: list[dict[str, TreeUsage]] = []
    loop_cpu: dict[str, float] = {}
    for run in range(repeat):
        rounds.append({})
        for mode in sorted(modes, key=run_order):
            usage = run_measured(*command(mode, work, run), env)
            rounds[-1][mode] = usage
            if mode not in results or usage.seconds < results[mode].seconds:
                results[mode] = usage
            cpu_file = loop_cpu_file(work / "pages.tsv", EXTRACTORS.get(mode, ""))
            if mode in EXTRACTORS and cpu_file.exists():
                loop_cpu[mode] = min(loop_cpu.get(mode, 1e9), float(cpu_file.read_text()))
    if "extract" in modes:
        subprocess.run([sys.executable, "-m", "tests.benchmarks.extract_only", "interleaved",
                        str(work / "pages.tsv")], cwd=REPO, check=True)  # fmt: skip
    interleaved = read_interleaved(work / "pages.tsv")
    size = sum(len(read_page(str(p.path))) for p in pages)
    return {"pages": len(pages), "bytes": size, "loop_cpu": loop_cpu,
            "interleaved": interleaved, "rounds": rounds, **results}  # fmt: skip


# Ours runs right after plain trafilatura: the machine's speed drifts by 10-30% over minutes,
# and the pair's ratio should not depend on the naive project's three minutes between them.
RUN_ORDER = ("plain", "ours", "plain-nocomments", "naive", "fetch", "extract")


def run_order(mode: str) -> int:
    return RUN_ORDER.index(mode) if mode in RUN_ORDER else len(RUN_ORDER)


EXTRACTORS = {"plain": "plain", "plain-nocomments": "plain-nocomments", "extract": "ours"}


def command(mode: str, work: Path, run: int) -> tuple[list[str], Path]:
    """The command line of a mode and its working directory; each run writes afresh."""
    # A second crawl into the same dataset would skip the stored articles (incremental).
    suffix = f"-{run}" if run else ""
    if mode in EXTRACTORS:
        return [sys.executable, "-m", "tests.benchmarks.extract_only", EXTRACTORS[mode],
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each mode at N, interleaved; the fastest counts")  # fmt: skip
    parser.add_argument("--weight", choices=WEIGHTS, default="real",
                        help="the demo pages' weight (default real: 100-250 KB)")  # fmt: skip
    parser.add_argument("--pages-from", type=Path, default=None, metavar="DEVSET_DIR",
                        help="also measure on the real pages of DIR (devset layout)")  # fmt: skip
    args = parser.parse_args()
    # The crawl's forkserver is orphaned when the crawl exits: adopt it to count its CPU.
    become_subreaper()
    with tempfile.TemporaryDirectory(prefix="opinion-bench-") as tmp:
        root = Path(tmp)
        results = {"N": args.pages, "repeat": args.repeat, "weight": args.weight}
        small = measure_set(root / "small", args.pages, args.weight, None, args.repeat)
        large = measure_set(root / "large", 4 * args.pages, args.weight, None, 1, ("ours",))
        report_set(f"demo site, {args.weight} page weight", args.pages, args.repeat, small)
        report_scale(small, large, root / "large" / "work")
        results |= {"demo": summary(small), "demo 4N": summary(large)}
        if args.pages_from is not None:
            real = measure_set(root / "real", args.pages, "light", args.pages_from, args.repeat)
            report_set(f"real pages from {args.pages_from}", args.pages, args.repeat, real)
            results["real pages"] = summary(real)
        print(json.dumps(results))


def measure_set(
    root: Path,
    pages: int,
    weight: str,
    pages_from: Path | None,
    repeat: int,
    modes: tuple[str, ...] = tuple(NAMES),
) -> dict:
    """Generate (and maybe borrow real pages into) a demo site, serve it, run the modes."""
    generate(root / "site", pages=pages, seed=1, weight=weight)
    if pages_from is not None:
        borrow_pages(root / "site", pages_from)
    (root / "work").mkdir()
    with serve(root / "site") as server:
        return run_modes(root / "site", root / "work", server.proxy_url, modes, repeat)


if __name__ == "__main__":
    main()
