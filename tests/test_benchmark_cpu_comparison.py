"""The throughput benchmark's extraction comparison times every extractor on the same pages."""

from __future__ import annotations

from pathlib import Path

from crawler.demo import generate
from tests.benchmarks.extract_only import INTERLEAVED, read_interleaved, write_interleaved
from tests.benchmarks.throughput import opinion_pages


def test_the_interleaved_comparison_times_every_extractor_on_every_page(tmp_path: Path) -> None:
    generate(tmp_path / "site", pages=12, seed=5, weight="light")
    pages = opinion_pages(tmp_path / "site")
    page_list = tmp_path / "pages.tsv"
    page_list.write_text("\n".join(
        "\t".join((p.truth["url"], p.truth["site"], p.content_type, str(p.path))) for p in pages
    ))  # fmt: skip
    assert read_interleaved(page_list) == {}

    write_interleaved(page_list)

    seconds = read_interleaved(page_list)
    assert list(seconds) == list(INTERLEAVED)
    assert all(value > 0 for value in seconds.values())
