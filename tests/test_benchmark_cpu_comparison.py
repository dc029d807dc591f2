"""The throughput benchmark compares like with like: same pages, runs side by side."""

from __future__ import annotations

from pathlib import Path

from crawler.demo import generate
from tests.benchmarks.cputree import TreeUsage
from tests.benchmarks.extract_only import INTERLEAVED, read_interleaved, write_interleaved
from tests.benchmarks.throughput import opinion_pages, run_order
from tests.benchmarks.throughput_report import paired_ratios


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


def _usage(seconds: float) -> TreeUsage:
    return TreeUsage(seconds, 1.0, 1.0, 1.0, 0.0, 1.0, 1.0, 0.0, 0.0)


def test_the_pages_per_second_ratio_is_also_given_for_runs_next_to_each_other() -> None:
    # ours takes 40 s and plain trafilatura 64 s in the first round, 50 and 70 in the second
    rounds = [{"plain": _usage(64), "ours": _usage(40), "naive": _usage(160)},
              {"plain": _usage(70), "ours": _usage(50)}, {"naive": _usage(150)}]  # fmt: skip
    assert [round(r, 2) for r in paired_ratios(rounds)] == [1.6, 1.4]
    assert run_order("ours") == run_order("plain") + 1
