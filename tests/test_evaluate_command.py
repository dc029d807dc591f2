"""`scrapy evaluate`: scores, worst pages, predictions and clear errors on a dataset built here."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from pipelines.extraction.evaluation.cli import EvaluateError, Options, evaluate, main
from pipelines.extraction.evaluation.scoring import score_doc, summarize

REPO = Path(__file__).resolve().parents[1]
APPEAL = (
    "Independent journalism costs money. Please support the Harbour Herald with a donation "
    "today: every gift keeps our reporters on the street."
)
TREES = [
    "Every summer the city council promises more shade, and every autumn the saplings die of "
    "thirst along the ring road.",
    "A mature plane tree cools the pavement beneath it by several degrees, which matters to "
    "anyone waiting for a late bus.",
    "The budget line for watering young trees is smaller than the one for repainting the town "
    "hall railings twice a year.",
]
FERRY = [
    "The night ferry to the islands was cancelled again on Tuesday, the fourth time this month, "
    "and nobody at the port could say why.",
    "Islanders who work on the mainland now leave home before dawn and come back after dark, "
    "paying for a room in town when the last boat does not sail.",
    "A timetable that cannot be trusted is worse than a thin one, because every family plans "
    "around the promise rather than the boat.",
]
LIBRARY = [
    "The reading room on Quay Street reopened this week with longer hours, a children's corner "
    "and, for the first time, a quiet floor without any computers.",
    "Librarians say the busiest hour is now the one after school, when pupils come for the warm "
    "tables and the free printing as much as for the books.",
    "Keeping the doors open until nine costs less than one streetlight upgrade and does far more "
    "for a neighbourhood that has lost its last café.",
]


def article(title: str, paragraphs: list[str], extra: str = "") -> bytes:
    """A small opinion page: navigation, the article with its headline, a footer."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html lang='en'><head><title>{title}</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/opinion'>Opinion</a></nav>"
        f"<article><h1>{title}</h1>{body}{extra}</article>"
        "<footer>Copyright 2026 The Harbour Herald</footer></body></html>"
    ).encode()


def url(doc_id: str) -> str:
    return f"https://herald.test/opinion/{doc_id}"


def write_dataset(root: Path, rows: list[dict | str], pages: dict[str, bytes]) -> Path:
    """truth.jsonl from rows (a str is written as the raw line) and pages/ as given."""
    (root / "pages").mkdir(parents=True)
    lines = [row if isinstance(row, str) else json.dumps(row) for row in rows]
    (root / "truth.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for name, data in pages.items():
        (root / "pages" / name).write_bytes(data)
    return root


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four readable pages (one unscored, one rejected) and three broken truth lines."""
    appeal_box = f"<aside class='donate'><p>{APPEAL}</p></aside>"
    rows: list[dict | str] = [
        {"id": "trees", "url": url("trees"), "body": "\n\n".join(TREES)},
        # the truth has paragraphs the page lacks: recall below 1
        {"id": "ferry", "url": url("ferry"), "body": "\n\n".join([*FERRY, *LIBRARY])},
        {"id": "library", "url": url("library")},  # no body: predicted, not scored
        {"id": "stub", "url": url("stub"), "body": "\n\n".join(FERRY)},
        '{"id": "broken", "url": ',
        {"id": "missing", "url": url("missing"), "body": "text"},
        {"id": "corrupt", "url": url("corrupt"), "body": "text"},
    ]
    pages = {
        "trees.html.gz": gzip.compress(article("Losing our trees", TREES, appeal_box)),
        "ferry.html": article("The ferry nobody can plan around", FERRY),  # not gzipped
        "library.html.gz": gzip.compress(article("Open the library late", LIBRARY)),
        "stub.html.gz": gzip.compress(article("Subscribe", ["Subscribe to read this article."])),
        "corrupt.html.gz": b"<html>not gzip at all</html>",
    }
    return write_dataset(tmp_path_factory.mktemp("evaluate") / "dataset", rows, pages)


def scrapy(*args: str) -> subprocess.CompletedProcess[str]:
    """`scrapy ARGS` run from the project directory."""
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def evaluated(dataset: Path) -> tuple[str, list[dict]]:
    """The output of one `scrapy evaluate` run over the dataset, and its predictions."""
    out = dataset.parent / "predictions.jsonl"
    result = scrapy("evaluate", str(dataset), "--worst", "2", "--out", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    lines = out.read_text(encoding="utf-8").splitlines()
    return result.stdout, [json.loads(line) for line in lines]


def test_prints_the_metric_of_the_written_predictions(
    dataset: Path, evaluated: tuple[str, list[dict]]
) -> None:
    stdout, predictions = evaluated
    truth = {json.loads(line)["id"]: json.loads(line) for line in _good_lines(dataset)}
    body = {p["id"]: p["body"] for p in predictions}
    scored = [i for i in body if truth[i].get("body") is not None]
    expected = summarize([score_doc(body[i], truth[i]["body"]) for i in scored])
    line = next(line for line in stdout.splitlines() if line.strip().startswith("ours"))
    assert f"docs={len(scored)} " in line, stdout
    assert f"F1={expected.f1:.3f}" in line and f"P={expected.precision:.3f}" in line, stdout
    assert 0 < expected.f1 < 1
    rate = r"^ours: [\d.]+ s, [\d.]+ pages/s \(CPU time, warmed up\)$"
    assert re.search(rate, stdout, re.M), stdout


def test_lists_the_worst_pages_with_scores_and_urls(evaluated: tuple[str, list[dict]]) -> None:
    stdout = evaluated[0]
    worst = stdout.split("worst 2 (ours):\n")[1].splitlines()[:2]
    assert worst[0].startswith("  f1=0.000 p=0.000 r=0.000  stub  " + url("stub")), stdout
    assert worst[0].endswith("[rejected: no_article]")
    assert re.match(r"  f1=0\.\d{3} p=1\.000 r=0\.\d{3}  ferry  " + url("ferry") + "$", worst[1])
    assert "  trees  " not in stdout


def test_writes_one_prediction_per_readable_page(evaluated: tuple[str, list[dict]]) -> None:
    by_id = {p["id"]: p for p in evaluated[1]}
    assert [p["id"] for p in evaluated[1]] == ["trees", "ferry", "library", "stub"]
    trees = by_id["trees"]
    assert list(trees) == ["id", "body", "title", "removed"]
    assert trees["title"] == "Losing our trees"
    assert all(p in trees["body"] for p in TREES) and APPEAL not in trees["body"]
    assert {"kind": "appeal", "text": APPEAL} in trees["removed"]
    assert LIBRARY[2] in by_id["library"]["body"]  # unscored pages are predicted all the same
    stub = by_id["stub"]
    assert stub == {"id": "stub", "body": "", "title": None, "removed": [],
                    "rejected": "no_article"}  # fmt: skip


def test_counts_unscored_pages_and_skipped_lines(evaluated: tuple[str, list[dict]]) -> None:
    stdout = evaluated[0]
    assert "pages read: 4, scored: 3\n" in stdout
    assert "pages unscored (no body in truth.jsonl, predictions only): 1\n" in stdout
    assert "truth lines skipped: 3\n" in stdout
    assert "  truth.jsonl line 5: not JSON (" in stdout
    missing = "no pages/missing.html.gz or pages/missing.html"
    assert f"  truth.jsonl line 6: id 'missing': {missing}\n" in stdout
    assert "  truth.jsonl line 7: id 'corrupt': cannot read pages/corrupt.html.gz (" in stdout


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda root: root / "nowhere", "no dataset directory"),
        (lambda root: root, "no truth.jsonl in"),
    ],
    ids=["no-directory", "no-truth"],
)
def test_a_missing_dataset_is_a_usage_error(
    tmp_path: Path, make: Callable[[Path], Path], message: str
) -> None:
    result = scrapy("evaluate", str(make(tmp_path)))
    assert result.returncode == 2, result.stderr[-3000:]
    assert message in result.stderr and "Traceback" not in result.stderr


def test_without_any_body_it_only_writes_predictions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows: list[dict | str] = [{"id": "library", "url": url("library")}]
    root = write_dataset(tmp_path / "d", rows, {"library.html": article("Late", LIBRARY)})
    assert evaluate(Options(root, out=tmp_path / "p.jsonl", worst=3)) == 0
    stdout = capsys.readouterr().out
    assert "scored: 0" in stdout and "predictions only): 1" in stdout
    assert "F1=" not in stdout and "worst" not in stdout
    (line,) = (tmp_path / "p.jsonl").read_text(encoding="utf-8").splitlines()
    assert LIBRARY[0] in json.loads(line)["body"]


def test_the_module_cli_is_the_same_run(dataset: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(dataset), "--limit", "2", "--lowercase"]) == 0
    stdout = capsys.readouterr().out
    assert "pages read: 2, scored: 2" in stdout and "F1=" in stdout


def test_an_output_file_in_a_missing_directory_fails_before_any_work(tmp_path: Path) -> None:
    with pytest.raises(EvaluateError, match="no directory"):
        evaluate(Options(tmp_path, out=tmp_path / "nope" / "p.jsonl"))


def _good_lines(dataset: Path) -> list[str]:
    """The truth lines that parse (the fixture breaks one on purpose)."""
    lines = (dataset / "truth.jsonl").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.endswith("}")]


def test_the_baseline_shows_both_trafilatura_runs_and_a_time_ratio_to_each(
    dataset: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(dataset), "--limit", "2", "--baseline"]) == 0
    stdout = capsys.readouterr().out
    for name in ("trafilatura", "traf-nocomments"):
        assert re.search(rf"^  {name} +docs=2 ", stdout, re.M), stdout
        assert re.search(rf"^time ratio ours/{name}: [\d.]+$", stdout, re.M), stdout


def test_markup_ablation_runs(dataset: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(dataset), "--limit", "2", "--ablate-markup"]) == 0
    assert "without appeal" in capsys.readouterr().out


def test_every_timed_extractor_is_warmed_up_before_the_clock_starts() -> None:
    """One-time loading (language model, suffix list, locales) is no per-page cost: each
    extractor first sees the built-in warm-up pages, untimed, then the dataset."""
    from pipelines.extraction.evaluation.evalset import Sample
    from pipelines.extraction.evaluation.runs import Prediction, run_interleaved
    from pipelines.extraction.warmup import WARM_UP_PAGES

    calls: list[tuple[str, str]] = []

    def recorder(name: str) -> Callable[[bytes, str], Prediction]:
        def extract(body: bytes, url: str) -> Prediction:
            calls.append((name, url))
            return Prediction("")

        return extract

    sample = Sample({"id": "x", "url": "https://example.org/x"}, b"<html></html>")
    runs = run_interleaved([("a", recorder("a")), ("b", recorder("b"))], [sample])
    warm = [(name, page.url) for name in "ab" for page in WARM_UP_PAGES]
    assert calls == [*warm, ("a", sample.url), ("b", sample.url)]
    assert set(runs[0].predictions) == {"x"}


def test_the_warm_up_loads_the_date_locales_of_every_language_the_rules_cover() -> None:
    """The date parser loads a language's locale (~25 ms, ~130 ms for the first) when a page
    first needs it: the warm-up pages' exact-format dates never did."""
    from pipelines.extraction.warmup import WARM_UP_DATES

    script = (
        "from pipelines.extraction.warmup import warm_up; warm_up();"
        "import dateparser.languages.loader as loader;"
        "print(' '.join(loader.default_loader._loaded_locales))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    loaded = set(done.stdout.split())
    assert {language for _, language in WARM_UP_DATES} <= loaded
    assert {"en", "ru", "de", "fr"} <= loaded
