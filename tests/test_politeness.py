"""Politeness and privacy, measured on the server: robots.txt, per-site concurrency and delay,
an identifying User-Agent, and no cookies or credentials in requests, logs or the dataset."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from crawler.dataset import load, load_rejects
from tests.crawling import run_scrapy
from tests.faultserver import FaultServer, Logged, Reply, article_html

pytestmark = pytest.mark.e2e
HOST = "polite.test"
CONTACT = "mailto:research-desk@example.org"
COOKIE = "SECRET-COOKIE-4242"
PASSWORD = "hunter2-swordfish"
ARTICLES = [f"view-{i}" for i in range(10)]
PROFILE = f"""
name = "polite"
domains = ["{HOST}"]
start_urls = ["http://{HOST}/opinion/"]
feeds = ["http://{HOST}/feed.xml"]
[articles]
allow = ['^http://polite\\.test/opinion/[a-z0-9-]+$']
[politeness]
concurrency = 2
download_delay = 0.3
"""


def routes() -> dict[tuple[str, str], Reply]:
    cookie = {"Content-Type": "text/html; charset=utf-8", "Set-Cookie": f"session={COOKIE}"}
    table = {
        (HOST, f"/opinion/{name}"): Reply(body=article_html(name, seed=i).encode(),
                                          headers=cookie, delay=0.2)
        for i, name in enumerate(ARTICLES)
    }  # fmt: skip
    links = "".join(f'<a href="/opinion/{n}">{n}</a>' for n in [*ARTICLES, "secret-plans"])
    table[(HOST, "/opinion/")] = Reply(body=f"<html><body>{links}</body></html>".encode(),
                                       headers=cookie)  # fmt: skip
    table[(HOST, "/opinion/secret-plans")] = Reply(body=article_html("secret").encode())
    table[(HOST, "/robots.txt")] = Reply(
        body=b"User-agent: *\nDisallow: /opinion/secret-\n", headers={"Content-Type": "text/plain"}
    )
    feed = (f"<rss><channel><item><link>http://reader:{PASSWORD}@{HOST}/opinion/view-1</link>"
            "</item></channel></rss>")  # fmt: skip
    table[(HOST, "/feed.xml")] = Reply(body=feed.encode(), headers={"Content-Type": "text/xml"})
    return table


@dataclass
class PoliteCrawl:
    output: Path
    log: list[Logged]
    log_text: str


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PoliteCrawl]:
    profiles = tmp_path_factory.mktemp("profiles")
    (profiles / "polite.toml").write_text(PROFILE, encoding="utf-8")
    output = tmp_path_factory.mktemp("dataset")
    log_file = output.parent / "polite.log"
    args = ["crawl", "opinion", "-a", "site=polite", "-s", f"SITE_PROFILES_DIR={profiles}",
            "-s", f"PARQUET_DIR={output}", "-s", "AUTOTHROTTLE_ENABLED=False",
            "-s", f"CRAWLER_CONTACT={CONTACT}", "-s", "VALIDATE_MIN_WORDS=20",
            "-s", "LOG_LEVEL=DEBUG", "-s", f"LOG_FILE={log_file}"]  # fmt: skip
    with FaultServer(routes()) as server:
        result = run_scrapy(args, server.proxy_url, timeout=120)
        assert result.returncode == 0, result.stderr[-3000:]
        yield PoliteCrawl(output, list(server.log), log_file.read_text(errors="replace"))


def test_robots_txt_is_obeyed(crawl: PoliteCrawl):
    paths = [r.path for r in crawl.log]
    assert "/robots.txt" in paths
    assert "/opinion/secret-plans" not in paths
    assert "blocked" in set(load_rejects(crawl.output)["reason"])


def test_per_site_concurrency_and_delay_are_respected(crawl: PoliteCrawl):
    pages = sorted((r for r in crawl.log if r.path.startswith("/opinion/view-")),
                   key=lambda r: r.started)  # fmt: skip
    assert len(pages) == len(ARTICLES)
    overlap = max(sum(1 for o in pages if o.started < p.ended and p.started < o.ended)
                  for p in pages)  # fmt: skip
    assert overlap <= 2
    gaps = [b.started - a.started for a, b in itertools.pairwise(pages)]
    # RANDOMIZE_DOWNLOAD_DELAY waits 0.5x to 1.5x the profile's 0.3 s between requests.
    assert min(gaps) >= 0.3 * 0.5 - 0.02


def test_user_agent_identifies_us_with_the_contact(crawl: PoliteCrawl):
    agents = {r.headers.get("User-Agent", "") for r in crawl.log}
    assert agents == {f"opinion-scraper/0.1 (+{CONTACT})"}


def test_no_cookie_or_credential_is_sent_logged_or_stored(crawl: PoliteCrawl):
    for request in crawl.log:
        assert "Cookie" not in request.headers and "Authorization" not in request.headers
        assert PASSWORD not in request.path
    assert COOKIE not in crawl.log_text and PASSWORD not in crawl.log_text
    for frame in (load(crawl.output), load_rejects(crawl.output)):
        text = frame.astype(str).to_string()
        assert COOKIE not in text and PASSWORD not in text
