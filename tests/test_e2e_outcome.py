"""Real crawls that must (and must not) raise alarms: a re-run of an unchanged site, no network."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from crawler.dataset.runs import read_manifests
from crawler.demo import generate, serve
from crawler.monitor.exitcodes import ExitCode
from tests.crawling import DEMO_SITES, FAST_LOCAL, run_scrapy

pytestmark = pytest.mark.e2e

# Low enough that yesterday's few retried rejects would be judged (and raise false alarms).
JUDGE_SMALL = ["-s", "DRIFT_MIN_PAGES=2"]


def _crawl(output: Path, proxy: str, *extra: str) -> tuple[int, str]:
    args = ["crawl", "opinion", "-a", f"site={DEMO_SITES}", "-s", f"PARQUET_DIR={output}",
            *FAST_LOCAL, *JUDGE_SMALL, *extra]  # fmt: skip
    result = run_scrapy(args, proxy, timeout=300)
    return result.returncode, result.stderr


def _info_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


def test_unchanged_site_crawled_twice_raises_no_alarm_and_the_terminal_stays_quiet(
    tmp_path: Path,
) -> None:
    generate(tmp_path / "site", pages=240, seed=3)
    with serve(tmp_path / "site") as server:
        code, first = _crawl(tmp_path / "out", server.proxy_url)
        assert code == 0, first[-3000:]
        code, second = _crawl(tmp_path / "out", server.proxy_url)
        assert code == 0, second[-3000:]
        code, forced = _crawl(tmp_path / "out", server.proxy_url, "-a", "retry_rejects=all")
        assert code == 0, forced[-3000:]  # every old reject again: still no evidence of drift
    runs = read_manifests(tmp_path / "out")
    assert [r["exit_code"] for r in runs] == [0, 0, 0]
    assert runs[1]["drift"]["alerts"] == [] and runs[1]["sources"]["alerts"] == []
    counts = runs[1]["counts"]
    assert counts["new_articles"] == 0 and counts["already_stored"] == runs[0]["counts"]["articles"]
    # Permanently failing pages wait for their schedule; the demo's 500s are retried.
    assert counts["rejects_not_due"] > 0 and counts["retried_rejects"] > 0
    assert runs[2]["counts"]["rejects_not_due"] == 0
    assert runs[2]["counts"]["retried_rejects"] == runs[0]["counts"]["rejects"]
    # The terminal: a start line, progress, the summary; no dumps, no per-URL lines.
    lines = _info_lines(first)
    assert len(lines) < 15, first
    assert "Overridden settings" not in first and "Dumping Scrapy stats" not in first
    assert "Gave up retrying" not in first and "rejected http" not in first
    assert any(" crawl " in line and "articles already stored" in line for line in lines)
    assert any("progress:" in line for line in lines)
    assert "finished (exit 0, 0 alerts)" in lines[-1]
    assert f"({runs[0]['counts']['articles']} articles already stored)" in second


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_no_network_at_all_is_sources_failed_not_finished(tmp_path: Path) -> None:
    # Every request, robots.txt included, goes to a proxy that is not there.
    code, stderr = _crawl(tmp_path / "out", f"http://127.0.0.1:{_closed_port()}",
                          "-s", "RETRY_TIMES=0")  # fmt: skip
    assert code == ExitCode.SOURCES_FAILED, stderr[-3000:]
    assert "Traceback" not in stderr
    (run,) = read_manifests(tmp_path / "out")
    assert run["finish_reason"] == "sources_failed" and run["exit_code"] == 5
    statuses = [s for site in run["sources"]["sites"].values() for s in site["sources"]]
    assert statuses and all(s["status"] == "failed" and s["error"] for s in statuses)
    assert stderr.count("source failed:") == len(statuses)
    assert {a["message"].split(":")[0] for a in run["sources"]["alerts"]} == set(
        DEMO_SITES.split(",")
    )
