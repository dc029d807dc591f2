"""`scrapy fixture add|check|update`: capture, compare with one implementation, re-baseline."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from scrapy.exceptions import UsageError
from scrapy.utils.project import get_project_settings

from crawler.commands.fixture import Command, check, resolve_case, text_diff, update
from crawler.demo import generate, serve
from crawler.fixtures.capture import case_name
from crawler.fixtures.cases import check_case, discover, load_case
from tests.crawling import read_truth, run_scrapy

URL = "https://paper.test/opinion/2026/03/18/Why-Cities-Need-Trees.html"
APPEAL = "Please support our journalism with a donation today."


def page_html() -> bytes:
    paragraphs = "".join(
        f"<p>Paragraph {n} argues that shade, clean air and quiet streets make every "
        f"neighbourhood healthier, calmer and cheaper to cool in the summer.</p>"
        for n in range(6)
    )
    return (
        "<html lang='en'><head><title>Why cities need trees</title>"
        "<meta property='og:title' content='Why cities need trees'></head><body><article>"
        f"<h1>Why cities need trees</h1>{paragraphs}<aside class='donate'>{APPEAL}</aside>"
        "</article></body></html>"
    ).encode()


def options(**kw: object) -> argparse.Namespace:
    base = dict(site="paper", case=None, url=URL, content_type="text/html; charset=utf-8",
                force=False, fixtures_dir=None)  # fmt: skip
    return argparse.Namespace(**{**base, **kw})


@pytest.fixture
def added(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A case captured from a file into a temporary fixtures root; returns the root."""
    source = tmp_path / "saved.html"
    source.write_bytes(page_html())
    command = Command()
    command.settings = get_project_settings()
    command.add(tmp_path / "fixtures", [str(source)], options())
    return tmp_path / "fixtures"


def test_add_writes_the_existing_format_and_prints_the_text(
    added: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    printed = capsys.readouterr().out
    (expected,) = discover(added)
    assert expected.parent == added / "paper" / "why-cities-need-trees"
    assert (expected.parent / "page.html").read_bytes() == page_html()
    case = load_case(expected)  # the test suite's own validation
    assert list(case)[:4] == ["url", "content_type", "expect", "text"]
    assert case["expect"]["title"] == "Why cities need trees"
    assert "Paragraph 5 argues" in case["text"] and APPEAL not in case["text"]
    assert case["must_contain"] and "removed_kinds" in case
    assert "Paragraph 0 argues" in printed and "--- removed ---" in printed
    assert expected.read_text(encoding="utf-8").endswith("}\n")
    assert not check_case(expected)


def test_add_refuses_to_overwrite_without_force(added: Path, tmp_path: Path) -> None:
    command = Command()
    command.settings = get_project_settings()
    with pytest.raises(UsageError, match="exists"):
        command.add(added, [str(tmp_path / "saved.html")], options())


def test_check_shows_a_readable_diff_per_failure(
    added: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    (expected,) = discover(added)
    case = json.loads(expected.read_text(encoding="utf-8"))
    case["text"] += "\n\nA closing paragraph the extractor never saw on this page at all."
    expected.write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    assert check(added, []) == 1
    out = capsys.readouterr().out
    assert "FAIL paper/why-cities-need-trees: 1 failing aspect(s):" in out
    assert "-A closing paragraph the extractor never saw" in out
    assert out.rstrip().endswith("0 passed, 1 failed")


def test_update_rebaselines_one_case_and_keeps_hand_written_snippets(
    added: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (expected,) = discover(added)
    case = json.loads(expected.read_text(encoding="utf-8"))
    case["text"] = case["text"].replace("Paragraph 2", "Paragraf 2")
    case["must_contain"] = ["Paragraph 4 argues that shade"]
    case["must_not_contain"] = ["Paragraph 3 argues"]  # now contradicted by the page
    expected.write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    update(resolve_case(added, "why-cities-need-trees"))
    out = capsys.readouterr().out
    assert "-Paragraf 2" in out and "+Paragraph 2" in out
    assert "must_not_contain: dropped 'Paragraph 3 argues'" in out
    fresh = load_case(expected)
    assert fresh["must_contain"] == ["Paragraph 4 argues that shade"]
    assert not check_case(expected)


def test_cases_are_named_from_urls_and_resolved_by_name(added: Path) -> None:
    assert case_name(URL) == "why-cities-need-trees"
    assert case_name("http://x.test/") == "x-test"
    assert resolve_case(added, "paper/why-cities-need-trees") == resolve_case(
        added, "why-cities-need-trees"
    )
    with pytest.raises(UsageError, match="no case"):
        resolve_case(added, "nope")


def test_text_diff_is_cut_to_a_readable_length() -> None:
    diff = text_diff("\n\n".join(f"old {i}" for i in range(100)), "new")
    assert diff.count("\n") <= 41 and diff.endswith("more diff lines")


@pytest.mark.e2e
def test_add_fetches_through_the_proxy_with_the_site_profile(tmp_path: Path) -> None:
    generate(tmp_path / "site", pages=12, seed=3)
    truth = read_truth(tmp_path / "site")
    url = next(t["url"] for t in truth if t["kind"] == "opinion" and "ledger" in t["url"])
    fixtures = tmp_path / "fixtures"
    with serve(tmp_path / "site") as server:
        result = run_scrapy(["fixture", "add", url, "--site", "demo-ledger", "--case", "first",
                             "--fixtures-dir", str(fixtures)], server.proxy_url)  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    case = load_case(fixtures / "demo-ledger" / "first" / "expected.json")
    assert case["url"] == url and case["rules"]["strip_selectors"] == [".c-support-banner"]
    assert case["text"].split("\n\n")[0][:40] in result.stdout
    assert "INFO" not in result.stderr  # only warnings, unless -L asks for more
