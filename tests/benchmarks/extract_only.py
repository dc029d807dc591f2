"""Extraction with no crawl, one process: the throughput benchmark's reference and floor.

    python -m tests.benchmarks.extract_only plain|plain-nocomments|ours|interleaved PAGES.tsv

`plain` runs trafilatura.extract on every listed page file (mode 1 of the benchmark),
`plain-nocomments` the same with `include_comments=False`, `ours` our extract() with each
page's site rules (the extraction floor). Each imports only what its extractor needs, so
none pays for the benchmark's own imports (pandas, pyarrow). The CPU seconds of the
extraction loop alone (no imports, no start-up) go to `PAGES.tsv.<mode>.cpu`.

`interleaved` compares the extractors' CPU per page: all three run on each page in turn
(the order rotating from page to page) after a warm-up, each call timed on its own, in one
process. Loops run one after the other in separate processes compare the machine's speed
at different minutes as much as the extractors (on a shared 2-core machine the two
trafilatura loops, one doing strictly less work, came out 10-25% apart the wrong way).
Its file holds the three totals per page, tab-separated, in `INTERLEAVED` order, over an
even sample of at most `INTERLEAVED_PAGES` pages.
"""

from __future__ import annotations

import gzip
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipelines.extraction import ExtractRules, Page

__all__ = ["extraction_input", "read_interleaved", "read_page_list", "write_page_list"]


def write_page_list(rows: list[tuple[str, str, str, Path]], path: Path) -> None:
    """One line per page: URL, site, Content-Type and file, tab-separated."""
    path.write_text("\n".join("\t".join(map(str, row)) for row in rows), encoding="utf-8")


def read_page_list(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line]


def read_page(path: str) -> bytes:
    """A page file's bytes; pages borrowed from an eval set may be gzip-compressed."""
    body = Path(path).read_bytes()
    return gzip.decompress(body) if path.endswith(".gz") else body


def extraction_input(
    url: str, site: str, content_type: str, body: bytes, profiles: dict[str, Any]
) -> tuple[Page, ExtractRules]:
    """A page and its site's rules, as the crawl hands them to extract()."""
    from crawler import settings
    from pipelines.extract import rules_for
    from pipelines.extraction import Page

    page = Page(url=url, body=body, content_type=content_type, site=site)
    return page, rules_for(profiles[site], settings.EXTRACT_MAX_BYTES)


def charset(content_type: str) -> str:
    return content_type.partition("charset=")[2] or "utf-8"


def plain_trafilatura(page_list: Path, include_comments: bool = True) -> float:
    """Mode 1: trafilatura.extract on every listed page file; the loop's CPU seconds."""
    import trafilatura

    started = time.process_time()
    for _, _, content_type, path in read_page_list(page_list):
        html = read_page(path).decode(charset(content_type), errors="replace")
        trafilatura.extract(html, include_comments=include_comments)
    return time.process_time() - started


def plain_without_comments(page_list: Path) -> float:
    """Mode 1 with `include_comments=False` (trafilatura's default keeps comments)."""
    return plain_trafilatura(page_list, include_comments=False)


def our_extraction(page_list: Path) -> float:
    """The extraction floor: our extract() on every listed page file; the loop's CPU."""
    from crawler.profile import load_profiles
    from pipelines.extraction import extract

    profiles = load_profiles()
    started = time.process_time()
    for url, site, content_type, path in read_page_list(page_list):
        extract(*extraction_input(url, site, content_type, read_page(path), profiles))
    return time.process_time() - started


INTERLEAVED = ("ours", "plain", "plain-nocomments")
INTERLEAVED_PAGES = 1200  # at most: three extractors on every page of 4N took ~10 minutes


def interleaved(page_list: Path) -> tuple[float, float, float]:
    """CPU seconds per page of ours, trafilatura (defaults) and trafilatura without comments,
    each page given to all three in turn; the models they load on first use load untimed."""
    import trafilatura

    from crawler.profile import load_profiles
    from pipelines.extraction import extract
    from pipelines.extraction.warmup import warm_up

    profiles = load_profiles()
    rows = read_page_list(page_list)
    rows = rows[:: -(-len(rows) // INTERLEAVED_PAGES)]  # an even sample keeps the ratio
    inputs = [(url, site, content_type, read_page(path)) for url, site, content_type, path in rows]

    def ours(url: str, site: str, content_type: str, body: bytes) -> None:
        extract(*extraction_input(url, site, content_type, body, profiles))

    def plain(_url: str, _site: str, content_type: str, body: bytes) -> None:
        trafilatura.extract(body.decode(charset(content_type), errors="replace"))

    def plain_nocomments(_url: str, _site: str, content_type: str, body: bytes) -> None:
        html = body.decode(charset(content_type), errors="replace")
        trafilatura.extract(html, include_comments=False)

    extractors = (ours, plain, plain_nocomments)
    warm_up()
    for page in inputs[:5]:
        for func in extractors:
            func(*page)
    seconds = [0.0, 0.0, 0.0]
    for number, page in enumerate(inputs):
        for turn in range(3):
            which = (number + turn) % 3
            started = time.process_time()
            extractors[which](*page)
            seconds[which] += time.process_time() - started
    return seconds[0] / len(inputs), seconds[1] / len(inputs), seconds[2] / len(inputs)


def write_interleaved(page_list: Path) -> None:
    totals = interleaved(page_list)
    loop_cpu_file(page_list, "interleaved").write_text("\t".join(map(str, totals)) + "\n")


MODES: dict[str, Callable[[Path], float]] = {
    "plain": plain_trafilatura,
    "plain-nocomments": plain_without_comments,
    "ours": our_extraction,
}


def loop_cpu_file(page_list: Path, mode: str) -> Path:
    """Where a mode's extraction-loop CPU seconds are written."""
    return page_list.with_name(f"{page_list.name}.{mode}.cpu")


def read_interleaved(page_list: Path) -> dict[str, float]:
    """The interleaved run's CPU seconds per page by extractor (empty if it did not run)."""
    path = loop_cpu_file(page_list, "interleaved")
    if not path.exists():
        return {}
    return dict(zip(INTERLEAVED, map(float, path.read_text().split("\t")), strict=True))


if __name__ == "__main__":
    mode, page_list = sys.argv[1], Path(sys.argv[2])
    if mode == "interleaved":
        write_interleaved(page_list)
    else:
        loop_cpu_file(page_list, mode).write_text(f"{MODES[mode](page_list)}\n")
