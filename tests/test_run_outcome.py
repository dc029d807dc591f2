"""Every run tells the truth: exit codes, one-line usage errors, damaged manifests, retries."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

from crawler.commands.preflight import ConfigError, check_crawl
from crawler.dataset.known import KnownArticles
from crawler.dataset.retries import KnownRejects, RetrySchedule, is_permanent
from crawler.dataset.runs import read_manifests
from crawler.incremental import Decision, RecrawlPolicy
from crawler.monitor.drift import DriftMonitor, Thresholds
from crawler.monitor.exitcodes import FINISH_REASON_CODES, ExitCode, run_exit_code
from pipelines.drops import rejected
from tests.conftest import make_record
from tests.crawling import run_scrapy

NOW = datetime(2026, 11, 20, 2, 15, tzinfo=UTC)


# --- Exit codes ---


def test_exit_codes_are_distinct_and_finish_reasons_outrank_alerts() -> None:
    assert len({int(code) for code in ExitCode}) == len(ExitCode)
    assert run_exit_code({"finish_reason": "finished"}) == 0
    assert run_exit_code({"finish_reason": "finished", "drift/exit_code": 3}) == 3
    assert run_exit_code({"finish_reason": "finished", "sources/exit_code": 3}) == 3
    for reason, code in FINISH_REASON_CODES.items():
        assert run_exit_code({"finish_reason": reason, "drift/exit_code": 3}) == code
    assert run_exit_code({"finish_reason": "sources_failed"}) == ExitCode.SOURCES_FAILED
    assert run_exit_code({"finish_reason": "closespider_timeout"}) == 0  # the user's own limit


# --- Usage and configuration errors: one line, exit 2 ---


def test_config_errors_name_the_problem_and_suggest_the_closest_name(tmp_path: Path) -> None:
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    source = Path(__file__).parents[1] / "crawler/profiles/demo-ledger.toml"
    text = source.read_text().replace("[articles]\n", "[articles]\nalow = []\n", 1)
    (profiles / "demo-ledger.toml").write_text(text)
    settings = get_project_settings()
    settings.set("SITE_PROFILES_DIR", str(profiles))
    with pytest.raises(ConfigError, match=r"demo-ledger.toml: field 'articles.alow'.*'allow'"):
        check_crawl(settings, {"site": "demo-ledger"})
    settings.set("SITE_PROFILES_DIR", str(source.parent))
    with pytest.raises(ConfigError, match="unknown site 'nope'"):
        check_crawl(settings, {"site": "nope"})
    with pytest.raises(ConfigError, match=r"-a sites: unknown argument \(did you mean 'site'"):
        check_crawl(settings, {"sites": "demo-ledger"})
    with pytest.raises(ConfigError, match="refresh must be"):
        check_crawl(settings, {"refresh": "soon"})
    with pytest.raises(ConfigError, match="retry_rejects must be"):
        check_crawl(settings, {"retry_rejects": "some"})
    check_crawl(settings, {"site": "demo-ledger", "refresh": "7", "retry_rejects": "all"})


@pytest.mark.parametrize("args", [
    ["crawl", "opinion", "-a", "site=no-such-site"],
    ["crawl", "opinion", "-a", "site=demo-ledger", "-a", "refresh=soon"],
    ["crawl", "opinion", "-a", "site=demo-ledger", "-s", "PARQUET_DIR=s3://bucket/x"],
])  # fmt: skip
def test_scrapy_crawl_usage_errors_are_one_line_and_exit_2(args: list[str]) -> None:
    result = run_scrapy(args, "", timeout=120)
    assert result.returncode == ExitCode.USAGE, result.stderr[-2000:]
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("scrapy crawl: error: "), result.stderr


# --- Damaged manifests ---


def _write(root: Path, name: str, text: str) -> None:
    (root / "runs").mkdir(parents=True, exist_ok=True)
    (root / "runs" / name).write_text(text)


def _good(run_id: str, reject_rate: float = 0.0) -> str:
    metrics = {"pages": 100, "articles": 100, "empty_body_rate": 0.0, "median_words": 800.0,
               "appeal_share": 0.5, "paywalled_share": 0.1, "reject_rate": reject_rate}  # fmt: skip
    return json.dumps({"run_id": run_id, "drift": {"sites": {"example": {"metrics": metrics}}}})


def test_damaged_manifests_are_skipped_with_a_warning_naming_the_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _write(tmp_path, "r1.json", _good("r1"))
    _write(tmp_path, "r2.json", "")
    _write(tmp_path, "r3.json", '{"run_id": "r3", "counts": {')
    _write(tmp_path, "r4.json", _good("r4"))
    with caplog.at_level(logging.WARNING):
        runs = read_manifests(tmp_path)
    assert [r["run_id"] for r in runs] == ["r1", "r4"]
    assert "r2.json skipped: empty file" in caplog.text
    assert "r3.json skipped" in caplog.text


def test_a_zero_byte_manifest_does_not_switch_drift_off(tmp_path: Path) -> None:
    for i in range(3):
        _write(tmp_path, f"r{i}.json", _good(f"r{i}"))
    _write(tmp_path, "r9.json", "")
    stats = MemoryStatsCollector(get_crawler())
    watch = DriftMonitor(str(tmp_path), "now", Thresholds(), 3, stats)
    for i in range(30):  # a run of login walls
        watch.item_dropped(make_record(i, site="example"), rejected("no_article", "login"))
    assert watch.finish()["exit_code"] == 3


def test_scrapy_runs_lists_the_readable_runs_and_names_the_damaged_file(tmp_path: Path) -> None:
    _write(tmp_path, "20260101T000000Z-aaaaaa.json", json.dumps({
        "run_id": "20260101T000000Z-aaaaaa", "finish_reason": "finished", "exit_code": 0,
        "started_at": "2026-01-01T00:00:00+00:00", "finished_at": "2026-01-01T00:00:05+00:00",
        "counts": {"not_modified": 7, "unchanged": 2}}))  # fmt: skip
    _write(tmp_path, "20260102T000000Z-bbbbbb.json", "")
    result = run_scrapy(["runs", "-o", str(tmp_path)], "", timeout=120)
    assert result.returncode == 0, result.stderr
    assert "20260101T000000Z-aaaaaa" in result.stdout and "304" in result.stdout
    assert "20260102T000000Z-bbbbbb.json skipped" in result.stderr
    assert "Traceback" not in result.stderr


# --- The retry schedule of rejected pages ---


def test_permanent_rejects_wait_doubling_intervals_up_to_the_maximum() -> None:
    schedule = RetrySchedule(timedelta(days=1), timedelta(days=8))
    assert [schedule.interval(n).days for n in range(1, 7)] == [1, 2, 4, 8, 8, 8]
    assert is_permanent("http_error", 404) and is_permanent("not_html", 200)
    assert not is_permanent("http_error", 500) and not is_permanent("download_error", 0)


def test_policy_retries_transient_rejects_and_waits_for_permanent_ones() -> None:
    rejects = KnownRejects(RetrySchedule(timedelta(days=1), timedelta(days=8)))
    gone, flaky, twice = "http://a.test/gone", "http://a.test/flaky", "http://a.test/twice"
    rejects.add(gone, "http_error", 404, NOW - timedelta(hours=1))
    rejects.add(flaky, "http_error", 500, NOW - timedelta(hours=1))
    rejects.add(twice, "not_html", 200, NOW - timedelta(days=3))
    rejects.add(twice, "not_html", 200, NOW - timedelta(days=1, hours=1))
    policy = RecrawlPolicy(KnownArticles(), None, NOW, rejects)
    assert policy.decide(gone, None)[0] is Decision.WAIT
    assert policy.decide(flaky, None)[0] is Decision.RETRY
    assert policy.decide(twice, None)[0] is Decision.WAIT  # second failure: wait 2 days
    assert policy.decide("http://a.test/new", None)[0] is Decision.NEW
    later = RecrawlPolicy(KnownArticles(), None, NOW + timedelta(days=1), rejects)
    assert later.decide(gone, None)[0] is Decision.RETRY
    forced = RecrawlPolicy(KnownArticles(), None, NOW, rejects, retry_all_rejects=True)
    assert forced.decide(gone, None)[0] is Decision.RETRY
    assert policy.seen_before(gone) and not policy.seen_before("http://a.test/new")


def test_rechecked_pages_are_no_drift_evidence_but_first_fetches_are(tmp_path: Path) -> None:
    for i in range(3):
        _write(tmp_path, f"r{i}.json", _good(f"r{i}", reject_rate=0.05))
    old = {f"http://www.example.test/opinion/{i}" for i in range(30)}
    watch = DriftMonitor(str(tmp_path), "now", Thresholds(), 3)
    watch.seen_before = lambda *urls: any(u in old for u in urls)
    for i in range(30):  # yesterday's rejects, retried: rejected again
        watch.item_dropped(make_record(i), rejected("http_error", "HTTP 500"))
    report = watch.finish()
    assert report["alerts"] == [] and report["sites"]["example"]["rechecked"] == 30
    fresh = DriftMonitor(str(tmp_path), "now", Thresholds(), 3)
    fresh.seen_before = watch.seen_before
    for i in range(100, 130):  # new pages, all rejected: that is drift
        fresh.item_dropped(make_record(i), rejected("no_article", "login wall"))
    assert fresh.finish()["exit_code"] == 3


def test_report_is_written_despite_a_damaged_manifest(write_articles, tmp_path: Path) -> None:
    from crawler.monitor.report import write_report

    root = write_articles([make_record(i) for i in range(5)])
    _write(root, "20260101T000000Z-aaaaaa.json", _good("20260101T000000Z-aaaaaa"))
    _write(root, "20260102T000000Z-bbbbbb.json", "")
    path = write_report(root, root / "report.html")
    assert path.stat().st_size > 0
