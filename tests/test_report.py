"""`scrapy report`: aggregates, a self-contained HTML file, and plots that really render."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from scrapy.utils.project import get_project_settings

from crawler.commands.report import Command
from crawler.dataset.schema import (
    ARTICLE_SCHEMA,
    PARTITION_FIELDS,
    REJECT_SCHEMA,
    RejectRecord,
    Removed,
)  # fmt: skip
from crawler.dataset.writer import DatasetWriter
from crawler.monitor.report import FIGURES, collect
from crawler.monitor.report_plots import BACKGROUND
from tests.conftest import NOW, make_record

SITES = ("alpha", "beta")
CHROMIUM = shutil.which("chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]  # fmt: skip


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two sites over three runs; the oldest run's manifest predates drift sections."""
    root = tmp_path_factory.mktemp("dataset")
    articles = DatasetWriter(root / "articles", ARTICLE_SCHEMA, PARTITION_FIELDS, "part-t-w0")
    rejects = DatasetWriter(root / "rejects", REJECT_SCHEMA, PARTITION_FIELDS, "part-t-w0")
    (root / "runs").mkdir()
    for run in range(3):
        run_id = f"2026112{run}T000000Z-00000{run}"
        for i in range(12):
            site = SITES[i % 2]
            removed = [Removed("appeal", "Give")] * (1 + i % 3) + [Removed("share", "Share")]
            articles.write(make_record(100 * run + i, site=site, run_id=run_id,
                                       word_count=300 + 40 * i + 100 * (site == "beta"),
                                       published_at=NOW - timedelta(days=i % 5),
                                       removed=removed, paywalled=i % 4 == 0).to_row())  # fmt: skip
        for reason in ("http_error", "no_article", "too_short"):
            record = RejectRecord(url=f"http://x.test/{run}/{reason}", site="alpha",
                                  reason=reason, fetched_at=NOW, run_id=run_id)  # fmt: skip
            rejects.write(record.to_row())
        metrics = {"pages": 10, "articles": 8, "empty_body_rate": 0.1 * run,
                   "median_words": 500.0, "appeal_share": 1.0, "paywalled_share": 0.2,
                   "reject_rate": 0.2}  # fmt: skip
        alerts = [{"message": "beta: reject_rate 0.9 vs 0.1"}] if run == 2 else []
        sites = {s: {"metrics": metrics} for s in SITES}
        drift = None if run == 0 else {"sites": sites, "alerts": alerts}
        manifest = {"run_id": run_id, "drift": drift}
        (root / "runs" / f"{run_id}.json").write_text(json.dumps(manifest))
    articles.close()
    rejects.close()
    return root


def test_collect_aggregates_what_the_plots_show(dataset: Path) -> None:
    data = collect(dataset)
    assert len(data.articles) == 36 and set(data.articles["site"]) == set(SITES)
    assert data.removed.loc["alpha", "share"] == 1.0  # one share block per article
    assert data.rejects.loc["alpha"].to_dict() == {"http_error": 3, "no_article": 3,
                                                    "too_short": 3}  # fmt: skip
    # The oldest run had no drift section: its indicators come from the dataset itself.
    oldest = data.drift[data.drift["run"].str.startswith("20261120")]
    assert set(oldest["site"]) == set(SITES)
    assert oldest.set_index("site").loc["alpha", "reject_rate"] == round(3 / 9, 4)
    assert [a["message"] for a in data.alerts] == ["beta: reject_rate 0.9 vs 0.1"]


@pytest.fixture(scope="module")
def report(dataset: Path) -> Path:
    """The report `scrapy report -o DATASET --out FILE` writes (run in-process: it is slow)."""
    command = Command()
    command.settings = get_project_settings()
    out = dataset.parent / "report.html"
    command.run([], argparse.Namespace(output=str(dataset), out=str(out), runs=20))
    assert command.exitcode == 0
    return out


def test_report_is_one_self_contained_file(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    sources = re.findall(r"src='([^']*)'", page)
    assert len(sources) == len(FIGURES)
    assert all(s.startswith("data:image/png;base64,") for s in sources)
    assert "http://" not in page.replace("http://x.test", "") and "<script" not in page
    assert "beta: reject_rate 0.9 vs 0.1" in page


def test_report_command_needs_a_dataset(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    command = Command()
    command.settings = get_project_settings()
    command.run([], argparse.Namespace(output=str(tmp_path), out=None, runs=20))
    # a missing dataset is a usage error: one line on stderr, the exit-code table's 2
    assert command.exitcode == 2 and "no dataset" in capsys.readouterr().err


def _runs(mask: np.ndarray, minimum: int) -> list[tuple[int, int]]:
    """Start and end of each run of True at least `minimum` long, gaps of < 9 closed."""
    # White grid lines cross the grey cards: they must not split one plot into two.
    mask = np.convolve(mask.astype(int), np.ones(9, dtype=int), mode="same") > 0
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(int), [0]])))
    return [(a, b) for a, b in zip(edges[::2], edges[1::2], strict=True) if b - a >= minimum]


def plot_cards(png: Path) -> list[np.ndarray]:
    """The pixels of each grey plot card in a screenshot, top to bottom, left to right."""
    pixels = np.asarray(Image.open(png).convert("RGB")).astype(int)
    grey = np.array([int(BACKGROUND[i : i + 2], 16) for i in (1, 3, 5)])
    card = np.abs(pixels - grey).sum(axis=2) <= 6
    found = []
    for top, bottom in _runs(card.sum(axis=1) > 60, 150):
        columns = card[top:bottom].sum(axis=0) > 0.05 * (bottom - top)
        found += [pixels[top:bottom, a:b] for a, b in _runs(columns, 300)]
    return found


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_report_renders_its_plots_in_headless_chromium(report: Path, tmp_path: Path) -> None:
    screenshot, profile = tmp_path / "report.png", tmp_path / "chromium-profile"
    base = [str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={profile}"]
    subprocess.run([*base, f"--screenshot={screenshot}", "--window-size=1400,3000",
                    report.as_uri()], capture_output=True, timeout=90, check=True)  # fmt: skip
    dom = subprocess.run([*base, "--dump-dom", report.as_uri()], capture_output=True,
                         text=True, timeout=90, check=True).stdout  # fmt: skip
    for figure in FIGURES:
        assert re.search(rf"<figure id=\"{figure}\"[^>]*><img[^>]+src=\"data:image/png", dom)
    cards = plot_cards(screenshot)
    assert len(cards) == len(FIGURES), f"{len(cards)} plot areas rendered"
    for pixels in cards:
        colourful = (pixels.max(axis=2) - pixels.min(axis=2)) > 80
        assert colourful.mean() > 0.003, "a plot rendered without its coloured marks"
    if os.environ.get("REPORT_SCREENSHOT"):
        shutil.copy(screenshot, os.environ["REPORT_SCREENSHOT"])
