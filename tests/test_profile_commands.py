"""`scrapy profile check` on replica sites, `scrapy profile new` on the demo site."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.dataset import load
from crawler.demo import generate, serve
from tests.crawling import FAST_LOCAL, REPO, read_truth
from tests.replicas import all_replicas, serve_replicas

pytestmark = pytest.mark.e2e


def scrapy(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args], cwd=REPO, capture_output=True, text=True,
        timeout=180, env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
    )  # fmt: skip


def check(site: str, host_map: dict[str, str]) -> subprocess.CompletedProcess:
    return scrapy(["profile", "check", site, "--samples", "2",
                   "-s", f"SITE_HOST_MAP={json.dumps(host_map)}"])  # fmt: skip


def test_profile_check_reports_sources_samples_and_stale_rules():
    replica = next(r for r in all_replicas() if r.profile == "moscowtimes")
    with serve_replicas([replica]) as host_map:
        result = check("moscowtimes", host_map)
    out = result.stdout
    assert result.returncode == 0, out + result.stderr[-2000:]
    assert "robots.txt https://www.themoscowtimes.com/robots.txt: status 200" in out
    assert re.search(
        r"ok\s+feed\s+https://www.themoscowtimes.com/rss/opinion .* 3 entries, 3 acc", out
    )
    assert re.search(
        r"ok\s+more page\s+https://www.themoscowtimes.com/opinion/19 .* 2 accepted", out
    )
    assert "samples: 2" in out and "words, paywall no" in out
    assert "rule 'div.contribute-banner': 1 hit(s)" in out
    assert "rule 'div.article__disclaimer': 1 hit(s)" in out
    assert "STALE" not in out


def test_profile_check_fails_on_a_broken_source_and_flags_stale_rules():
    replica = next(r for r in all_replicas() if r.profile == "guardian-commentisfree")
    del replica.pages["/commentisfree/rss"]
    replica.stripped = ()
    for path, (kind, body) in list(replica.pages.items()):  # a redesign drops the box
        replica.pages[path] = (kind, body.replace(b"newsletter promotion", b"promo"))
    with serve_replicas([replica]) as host_map:
        result = check("guardian-commentisfree", host_map)
    assert result.returncode == 1
    assert re.search(
        r"FAIL feed\s+https://www.theguardian.com/commentisfree/rss\s+status 404", result.stdout
    )
    assert "STALE strip rule (no hit on any sample): aside[aria-label='newsletter promotion']" in (
        result.stdout
    )
    assert "result: FAILED" in result.stdout


DEMO_SECTIONS = {
    "drafted-ledger": "http://www.ledger.test/opinion/",
    "drafted-courier": "http://courier.test/category/columns/",
    "drafted-gazette": "http://www.gazette.test/opinion/",
}


def test_drafted_profiles_crawl_the_demo_publishers_correctly(tmp_path: Path):
    site_dir, profiles, output = tmp_path / "site", tmp_path / "profiles", tmp_path / "out"
    profiles.mkdir()
    generate(site_dir, pages=60, seed=7)
    with serve(site_dir) as server:
        proxy = {"http_proxy": server.proxy_url}
        for name, url in DEMO_SECTIONS.items():
            target = profiles / f"{name}.toml"
            result = scrapy(["profile", "new", url, "--name", name, "-o", str(target)], proxy)
            assert result.returncode == 0, result.stdout + result.stderr[-2000:]
            assert "found: feed:" in result.stdout and "could not decide:" in result.stdout
            # Politeness is not what is tested: the demo server needs no delay.
            text = target.read_text(encoding="utf-8")
            target.write_text(re.sub(r"download_delay = .*", "download_delay = 0.0", text))
        crawl = scrapy(["crawl", "opinion", "-a", f"site={','.join(DEMO_SECTIONS)}",
                        "-s", f"PARQUET_DIR={output}", "-s", f"SITE_PROFILES_DIR={profiles}",
                        *FAST_LOCAL], proxy)  # fmt: skip
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    expected = {t["url"] for t in read_truth(site_dir) if t["kind"] == "opinion"}
    assert set(load(output)["url"]) == expected
