"""Quality drift: per-site indicators, baselines from earlier runs, alerts and the exit code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from crawler.dataset.runs import read_manifests
from crawler.dataset.schema import Removed
from crawler.demo import generate, serve
from crawler.monitor.drift import (
    DriftMonitor,
    SiteTally,
    Thresholds,
    baseline,
    compare,
    site_history,
)
from crawler.monitor.manifest import RunManifest
from pipelines.drops import Unchanged, rejected
from tests.conftest import make_record
from tests.crawling import DEMO_SITES, FAST_LOCAL, run_scrapy

T = Thresholds(window=3, min_pages=20, max_rate_change=0.2, max_words_change=0.4)


def metrics(pages: int = 100, **values: Any) -> dict[str, Any]:
    base = {"pages": pages, "articles": pages, "empty_body_rate": 0.05, "median_words": 800.0,
            "appeal_share": 0.5, "paywalled_share": 0.1, "reject_rate": 0.1}  # fmt: skip
    return {**base, **values}


def manifest(run_id: str, sites: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {"run_id": run_id, "drift": {"sites": {s: {"metrics": m} for s, m in sites.items()}}}


def test_tally_measures_each_indicator() -> None:
    tally = SiteTally()
    for words in (100, 300, 500):
        tally.add_article(words, paywalled=words == 500, kinds={"appeal"} if words > 100 else set())
    for reason in ("http_error", "empty_page", "too_short"):
        tally.add_reject(reason)
    m = tally.metrics()
    assert (m["pages"], m["articles"], m["median_words"]) == (6, 3, 300.0)
    assert m["reject_rate"] == 0.5 and m["empty_body_rate"] == round(2 / 6, 4)
    assert m["appeal_share"] == round(2 / 3, 4) and m["paywalled_share"] == round(1 / 3, 4)
    assert SiteTally().metrics()["median_words"] is None


def test_baseline_is_the_median_of_the_last_runs_with_enough_pages() -> None:
    runs = [manifest(f"r{i}", {"a": metrics(median_words=w)}) for i, w in enumerate((10, 700, 800))]
    runs.append(manifest("small", {"a": metrics(pages=5, median_words=1)}))  # too few pages
    history = site_history(runs, "a", T)
    assert [h["median_words"] for h in history] == [10, 700, 800]
    assert baseline(history)["median_words"] == 700.0  # type: ignore[index]
    assert site_history(runs, "b", T) == [] and baseline([]) is None


def test_small_moves_and_small_samples_raise_no_alert() -> None:
    base = metrics()
    assert compare("a", metrics(reject_rate=0.25, median_words=1000.0), base, T) == []
    assert compare("a", metrics(pages=10, reject_rate=1.0), base, T) == []  # below min_pages
    # 0.1 -> 0.32 on 25 pages crosses the threshold but could be chance (z < 4) ...
    assert compare("a", metrics(pages=25, reject_rate=0.32), base, T) == []
    # ... while 0.1 -> 0.32 on 100 pages could not.
    assert len(compare("a", metrics(pages=100, reject_rate=0.32), base, T)) == 1
    assert compare("a", metrics(reject_rate=1.0), None, T) == []  # no history yet


def test_a_redesign_raises_alerts_that_name_site_and_metric() -> None:
    broken = metrics(reject_rate=0.9, empty_body_rate=0.85, median_words=120.0)
    alerts = compare("demo", broken, metrics(), T)
    assert {a["metric"] for a in alerts} == {"reject_rate", "empty_body_rate", "median_words"}
    words = next(a for a in alerts if a["metric"] == "median_words")
    assert words["change"] == "-85%" and words["message"].startswith("demo: median_words 120")


def monitor(root: Path, code: int = 3) -> DriftMonitor:
    stats = MemoryStatsCollector(get_crawler())
    return DriftMonitor(str(root), "run-now", Thresholds(min_pages=4), code, stats)


def write_runs(root: Path, *runs: dict[str, Any]) -> None:
    (root / "runs").mkdir(parents=True)
    for run in runs:
        (root / "runs" / f"{run['run_id']}.json").write_text(json.dumps(run))


def test_monitor_counts_signals_compares_and_sets_the_exit_code(tmp_path: Path) -> None:
    write_runs(tmp_path, *(manifest(f"r{i}", {"example": metrics(reject_rate=0.0)})
                           for i in range(3)))  # fmt: skip
    watch = monitor(tmp_path)
    watch.item_scraped(make_record(1, removed=[Removed("appeal", "Give")]))
    watch.item_dropped(make_record(2), Unchanged("same text"))  # a stored article: not counted
    for i in range(8):
        watch.item_dropped(make_record(10 + i), rejected("no_article", "nothing"))
    report = watch.finish()
    site = report["sites"]["example"]
    assert site["metrics"]["pages"] == 9 and site["metrics"]["reject_rate"] == 0.8889
    assert site["baseline_runs"] == 3 and report["exit_code"] == 3
    assert {a["metric"] for a in report["alerts"]} >= {"reject_rate", "empty_body_rate"}
    assert watch.stats is not None and watch.stats.get_value("drift/exit_code") == 3
    assert watch.finish() is report  # computed once, whoever asks first


def test_exit_code_zero_means_warn_only(tmp_path: Path) -> None:
    write_runs(tmp_path, manifest("r0", {"example": metrics(reject_rate=0.0)}))
    watch = monitor(tmp_path, code=0)
    for i in range(8):
        watch.item_dropped(make_record(i), rejected("http_error", "HTTP 500"))
    report = watch.finish()
    assert report["alerts"] and report["exit_code"] == 0


def test_manifest_carries_the_drift_section_next_to_the_existing_fields(tmp_path: Path) -> None:
    stats = MemoryStatsCollector(get_crawler())
    section = {"sites": {}, "alerts": [], "exit_code": 0}
    extension = RunManifest(tmp_path / "runs", "run-1", {}, stats, drift=lambda: section)
    extension.spider_closed(spider=object(), reason="finished")  # type: ignore[arg-type]
    (written,) = read_manifests(tmp_path)
    assert written["drift"] == section
    assert {"run_id", "counts", "stats", "settings", "finish_reason"} <= set(written)


@pytest.mark.e2e
def test_crawl_exits_non_zero_when_a_site_drifts(tmp_path: Path) -> None:
    # Earlier runs saw a ledger with no rejects and 3000-word columns: today's demo differs.
    history = {"demo-ledger": metrics(pages=50, reject_rate=0.0, empty_body_rate=0.0,
                                      median_words=3000.0)}  # fmt: skip
    write_runs(tmp_path / "out", manifest("20200101T000000Z-000000", history))
    generate(tmp_path / "site", pages=30, seed=7)
    with serve(tmp_path / "site") as server:
        args = ["crawl", "opinion", "-a", f"site={DEMO_SITES}", "-s", f"PARQUET_DIR={tmp_path}/out",
                "-s", "DRIFT_MIN_PAGES=5", "-s", "PROGRESS_INTERVAL=0", *FAST_LOCAL]  # fmt: skip
        result = run_scrapy(args, server.proxy_url)
    assert result.returncode == 3, result.stderr[-3000:]
    assert "quality drift: demo-ledger: median_words" in result.stderr
    latest = read_manifests(tmp_path / "out")[-1]
    assert latest["finish_reason"] == "finished" and latest["drift"]["exit_code"] == 3
    assert {a["site"] for a in latest["drift"]["alerts"]} == {"demo-ledger"}
    assert latest["drift"]["sites"]["demo-courier"]["baseline"] is None


def test_interrupted_runs_are_neither_judged_nor_used_as_baseline(tmp_path: Path) -> None:
    shutdown = {
        **manifest("r1", {"example": metrics(reject_rate=0.0)}),
        "finish_reason": "shutdown",
    }
    assert site_history([shutdown], "example", T) == []
    write_runs(tmp_path, manifest("r0", {"example": metrics(reject_rate=0.0)}))
    watch = monitor(tmp_path)
    for i in range(8):
        watch.item_dropped(make_record(i), rejected("http_error", "HTTP 500"))
    watch.spider_closed("shutdown")
    assert watch.finish()["alerts"] == [] and watch.finish()["exit_code"] == 0


def test_runs_started_in_one_second_are_read_in_the_order_they_started(tmp_path: Path) -> None:
    # Run ids carry the second only: the later run's random suffix may sort first.
    runs = tmp_path / "runs"
    runs.mkdir()
    started_in_order = (
        ("20261207T123241Z-ffffff", "2026-12-07T12:32:41.100000+00:00"),
        ("20261207T123241Z-000000", "2026-12-07T12:32:41.900000+00:00"),
    )
    for run_id, started in started_in_order:
        (runs / f"{run_id}.json").write_text(json.dumps({"run_id": run_id, "started_at": started}))
    assert [m["run_id"] for m in read_manifests(tmp_path)] == [
        "20261207T123241Z-ffffff",
        "20261207T123241Z-000000",
    ]
