"""End to end: the bundled real-site profiles crawl local replicas of their sites correctly."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from crawler.dataset import load, load_rejects
from crawler.dataset.identity import normalize_url
from crawler.dataset.runs import read_manifests
from crawler.profile import BUNDLED_PROFILES
from tests.crawling import FAST_LOCAL, REPO
from tests.replicas import Replica, all_replicas, serve_replicas

pytestmark = pytest.mark.e2e


def local_profiles(directory: Path, names: list[str]) -> Path:
    """The bundled profiles as they are, except politeness: replicas need no delay."""
    for name in names:
        text = (BUNDLED_PROFILES / f"{name}.toml").read_text(encoding="utf-8")
        text = re.sub(r"(?m)^download_delay = .*$", "download_delay = 0.0", text)
        text = re.sub(r"(?m)^concurrency = .*$", "concurrency = 8", text)
        (directory / f"{name}.toml").write_text(text, encoding="utf-8")
    return directory


def crawl(output: Path, profiles: Path, host_map: dict[str, str], sites: str) -> str:
    args = [
        sys.executable, "-m", "scrapy", "crawl", "opinion", "-a", f"site={sites}",
        "-s", f"PARQUET_DIR={output}", "-s", f"SITE_PROFILES_DIR={profiles}",
        "-s", f"SITE_HOST_MAP={json.dumps(host_map)}", "-s", "EXTRACT_WORKERS=0",
        "-s", "LOG_LEVEL=INFO", *FAST_LOCAL,
    ]  # fmt: skip
    result = subprocess.run(
        args, cwd=REPO, capture_output=True, text=True, timeout=120,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stderr


@dataclass
class Crawl:
    """Two nightly runs over the five replicas."""

    output: Path
    replicas: dict[str, Replica]
    first_requests: dict[str, list[str]]
    second_log: str


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    replicas = all_replicas()
    names = [r.profile for r in replicas]
    profiles = local_profiles(tmp_path_factory.mktemp("profiles"), names)
    output = tmp_path_factory.mktemp("dataset")
    with serve_replicas(replicas) as host_map:
        crawl(output, profiles, host_map, ",".join(names))
        first = {r.profile: list(r.requests) for r in replicas}
        for replica in replicas:
            replica.requests.clear()
        second = crawl(output, profiles, host_map, ",".join(names))
    yield Crawl(output, {r.profile: r for r in replicas}, first, second)


SITES = [
    "moscowtimes", "guardian-commentisfree", "aljazeera-opinion", "nytimes-opinion",
    "washingtonpost-opinions",
]  # fmt: skip


@pytest.mark.parametrize("site", SITES)
def test_each_profile_collects_exactly_the_opinion_articles(crawled: Crawl, site: str):
    replica = crawled.replicas[site]
    df = load(crawled.output, sites=site)
    assert set(df["canonical_url"]) == {normalize_url(url) for url in replica.opinion}
    assert not set(df["url"]) & replica.never
    assert (df["section"] == "opinion").all()


@pytest.mark.parametrize("site", SITES)
def test_each_profile_strips_its_sites_boilerplate(crawled: Crawl, site: str):
    df = load(crawled.output, sites=site)
    for snippet in crawled.replicas[site].stripped:
        assert not df["text"].str.contains(snippet, regex=False).any(), snippet


@pytest.mark.parametrize("site", SITES)
def test_unwanted_pages_are_never_requested(crawled: Crawl, site: str):
    requested = set(crawled.first_requests[site])
    assert not requested & crawled.replicas[site].unwanted_paths


def test_moscowtimes_reads_the_more_pages_until_an_empty_one(crawled: Crawl):
    requested = crawled.first_requests["moscowtimes"]
    assert {"/opinion/19", "/opinion/37", "/opinion/55"} <= set(requested)


def test_news_in_the_opinion_url_form_is_a_wrong_section_reject_once(crawled: Crawl):
    rejects = load_rejects(crawled.output, sites="moscowtimes")
    wrong = rejects[rejects["reason"] == "wrong_section"]
    assert list(wrong["url"]) == [u for u in crawled.replicas["moscowtimes"].never
                                  if u.endswith("a9003")]  # fmt: skip
    # The next night neither fetches it again nor rejects it again.
    second = read_manifests(crawled.output)[-1]["stats"]
    assert second.get("incremental/skip_settled", 0) > 0, crawled.second_log
    assert "/2024/05/13/news-report-3-a9003" not in crawled.replicas["moscowtimes"].requests
