"""The throughput benchmark's printed tables, ratios and bounds, and its JSON summary."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path

from crawler.dataset.loader import load
from tests.benchmarks.cputree import TreeUsage
from tests.benchmarks.extract_only import INTERLEAVED_PAGES

__all__ = ["NAMES", "report_scale", "report_set", "summary"]

NAMES = {
    "plain": "1 plain trafilatura",
    "plain-nocomments": "1b plain, no comments",
    "naive": "2 naive Scrapy",
    "ours": "3 our pipeline",
    "fetch": "floor: Scrapy fetch",
    "extract": "floor: our extract()",
}
LEGEND = """\
CPU s: the whole process tree; main: the command's own process; pool: the rest of
its tree (forkserver, extraction workers); server: the demo site, in this process;
others: every other process on the machine meanwhile (their load skews pages/s).
RSS counts the pages the extraction workers share with their forkserver once per
process; PSS splits them among the sharers: what the tree really holds in memory."""


def usage_columns(usage: TreeUsage, pages: int) -> str:
    return (
        f"{usage.rate(pages):>9.1f}{usage.cpu_seconds:>8.1f}{usage.main_cpu_seconds:>8.1f}"
        f"{usage.rest_cpu_seconds:>8.1f}{usage.server_cpu_seconds:>8.1f}"
        f"{usage.others_cpu_seconds:>8.1f}{usage.peak_rss_mb:>13.0f}{usage.peak_pss_mb:>13.0f}"
    )


def summary(results: dict) -> dict:
    """The measurements as numbers, for comparing runs."""
    pages = results["pages"]
    loop_cpu = results["loop_cpu"]
    return {"pages": pages, "mb": round(results["bytes"] / 2**20, 1)} | {
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
        | (
            {"loop_ms_per_page": round(1000 * loop_cpu[mode] / pages, 2)}
            if mode in loop_cpu
            else {}
        )
        for mode, u in results.items()
        if isinstance(u, TreeUsage)
    } | ({"interleaved_ms_per_page": {name: round(1000 * cpu, 2)
                                      for name, cpu in results["interleaved"].items()}}
         if results.get("interleaved") else {}) | (
        {"paired_ratios_ours_plain": [round(r, 2) for r in paired]}
        if (paired := paired_ratios(results.get("rounds", []))) else {})  # fmt: skip


def report_set(title: str, n: int, repeat: int, small: dict) -> None:
    """The table of one page set at N, its ratios, extraction CPU and bound."""
    pages = small["pages"]
    print(f"\n{title}: N={n} article URLs; {pages} opinion pages "
          f"({small['bytes'] / pages / 1024:.0f} KB on average) extracted "
          f"(fastest of {repeat} runs each)")  # fmt: skip
    print(f"{'':<22}{'pages/s':>9}{'CPU s':>8}{'main':>8}{'pool':>8}{'server':>8}"
          f"{'others':>8}{'peak RSS MB':>13}{'peak PSS MB':>13}")  # fmt: skip
    for mode, name in NAMES.items():
        print(f"{name:<22}{usage_columns(small[mode], pages)}")
    print(LEGEND)
    ours = small["ours"]
    per_page = 1000 / pages
    print(f"ours per page: main {ours.main_cpu_seconds * per_page:.1f} ms, pool "
          f"{ours.rest_cpu_seconds * per_page:.1f} ms, server "
          f"{ours.server_cpu_seconds * per_page:.1f} ms CPU")  # fmt: skip
    for mode in ("plain", "plain-nocomments", "naive"):
        print(f"ratio 3/{mode} pages/s: {ours.rate(pages) / small[mode].rate(pages):.2f}")
    paired = paired_ratios(small.get("rounds", []))
    if paired:
        print("ratio 3/plain pages/s in each round, ours run right after plain: "
              + ", ".join(f"{r:.2f}" for r in paired))  # fmt: skip
    loop = {mode: 1000 * cpu / pages for mode, cpu in small["loop_cpu"].items()}
    if {"extract", "plain", "plain-nocomments"} <= loop.keys():
        print(f"extraction loops' CPU per page (separate processes, one after the other): ours "
              f"{loop['extract']:.1f} ms, trafilatura defaults {loop['plain']:.1f} ms, without "
              f"comments {loop['plain-nocomments']:.1f} ms")  # fmt: skip
    turns = {name: 1000 * cpu for name, cpu in small.get("interleaved", {}).items()}
    if turns:
        print(f"extraction CPU per page, interleaved page by page in one process (a sample of "
              f"<= {INTERLEAVED_PAGES} pages): ours "
              f"{turns['ours']:.1f} ms, trafilatura defaults {turns['plain']:.1f} ms, without "
              f"comments {turns['plain-nocomments']:.1f} ms: ours/defaults "
              f"{turns['ours'] / turns['plain']:.2f}")  # fmt: skip
    print_bound(small)


def paired_ratios(rounds: list[dict[str, TreeUsage]]) -> list[float]:
    """Ours against plain trafilatura in each round: two runs next to each other in time."""
    return [r["plain"].seconds / r["ours"].seconds for r in rounds if {"plain", "ours"} <= r.keys()]


def print_bound(small: dict) -> None:
    """The most pages/s any crawl of ours could reach: the floors' CPU on every core."""
    ms = 1000 / small["pages"]
    fetch = small["fetch"].cpu_seconds * ms
    extraction = small["extract"].cpu_seconds * ms
    server = small["ours"].server_cpu_seconds * ms
    plain = small["plain"].cpu_seconds * ms
    cores = os.cpu_count() or 1
    ceiling = cores * 1000 / (fetch + extraction + server)
    # Against plain trafilatura's own ceiling (one core, all of it), not its measured rate:
    # on a loaded machine a one-process command loses more wall time than a process tree.
    print(f"bound: crawl floor {fetch:.1f} + our extract() {extraction:.1f} + demo server "
          f"{server:.1f} = {fetch + extraction + server:.1f} ms CPU per page (plain "
          f"trafilatura {plain:.1f}); on {cores} cores at most {ceiling:.0f} pages/s = "
          f"{ceiling * plain / 1000:.2f}x plain trafilatura's ceiling on one core; CPU per page "
          f"ours/plain {small['ours'].cpu_seconds * ms / plain:.2f}")  # fmt: skip


def report_scale(small: dict, large: dict, work: Path) -> None:
    """Ours at 4N: the row, memory against N, dataset sizes and load() timings."""
    big, ours = large["ours"], small["ours"]
    print(f"{'3 ours at 4N':<22}{usage_columns(big, large['pages'])}")
    print(f"our peak RSS: {ours.peak_rss_mb:.0f} MB at N, {big.peak_rss_mb:.0f} MB at 4N "
          f"({large['pages']} pages): ratio {big.peak_rss_mb / ours.peak_rss_mb:.2f}; peak PSS "
          f"{ours.peak_pss_mb:.0f} MB and {big.peak_pss_mb:.0f} MB: ratio "
          f"{big.peak_pss_mb / ours.peak_pss_mb:.2f}")  # fmt: skip
    articles = work / "out" / "articles"
    jsonl = work / "rows.jsonl"
    load(work / "out").to_json(jsonl, orient="records", lines=True, date_format="iso")
    print(
        f"sizes at 4N: raw HTML {large['bytes'] / 2**20:.1f} MB, Parquet "
        f"{dir_size(articles) / 2**20:.1f} MB, JSON lines {jsonl.stat().st_size / 2**20:.1f} MB"
    )
    whole, week, rows, week_rows = load_timings(work / "out")
    print(f"load(): all {rows} rows {whole:.3f} s; one site-week ({week_rows} rows) "
          f"{week:.3f} s; ratio {whole / week:.1f}x")  # fmt: skip


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
