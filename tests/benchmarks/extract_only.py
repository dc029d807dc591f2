"""Extraction with no crawl, one process: the throughput benchmark's reference and floor.

    python -m tests.benchmarks.extract_only plain|ours PAGES.tsv

`plain` runs trafilatura.extract on every listed page file (mode 1 of the benchmark), `ours`
our extract() with each page's site rules (the extraction floor). Each imports only what its
extractor needs, so neither pays for the benchmark's own imports (pandas, pyarrow).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipelines.extraction import ExtractRules, Page

__all__ = ["extraction_input", "read_page_list", "write_page_list"]


def write_page_list(rows: list[tuple[str, str, str, Path]], path: Path) -> None:
    """One line per page: URL, site, Content-Type and file, tab-separated."""
    path.write_text("\n".join("\t".join(map(str, row)) for row in rows), encoding="utf-8")


def read_page_list(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line]


def extraction_input(
    url: str, site: str, content_type: str, body: bytes, profiles: dict[str, Any]
) -> tuple[Page, ExtractRules]:
    """A page and its site's rules, as the crawl hands them to extract()."""
    from crawler import settings
    from pipelines.extract import rules_for
    from pipelines.extraction import Page

    page = Page(url=url, body=body, content_type=content_type, site=site)
    return page, rules_for(profiles[site], settings.EXTRACT_MAX_BYTES)


def plain_trafilatura(page_list: Path) -> None:
    """Mode 1: trafilatura.extract on every listed page file, one after another."""
    import trafilatura

    for _, _, _, path in read_page_list(page_list):
        html = Path(path).read_bytes().decode("utf-8", errors="replace")
        trafilatura.extract(html)


def our_extraction(page_list: Path) -> None:
    """The extraction floor: our extract() on every listed page file."""
    from crawler.profile import load_profiles
    from pipelines.extraction import extract

    profiles = load_profiles()
    for url, site, content_type, path in read_page_list(page_list):
        extract(*extraction_input(url, site, content_type, Path(path).read_bytes(), profiles))


if __name__ == "__main__":
    mode, page_list = sys.argv[1], Path(sys.argv[2])
    {"plain": plain_trafilatura, "ours": our_extraction}[mode](page_list)
