"""A bad night, crawled for real: hostile URLs, redirects, sources and robots.txt at once.

One crawl of three local hosts (tests/faultserver.py): `night.test` serves good articles
under many URL forms, credentials in links and redirects, odd statuses and redirects, pages
that declare other pages' URLs as canonical, and broken feeds and sitemaps; `down.test`
answers robots.txt with 503; `slow.test` asks for a Crawl-delay. Every good article must be
stored once, every bad page stored or a named reject, and the manifest must say so.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from crawler.dataset import load, load_rejects
from crawler.dataset.identity import normalize_url
from crawler.monitor.exitcodes import ExitCode
from tests.crawling import FAST_LOCAL, run_scrapy
from tests.faultserver import FaultServer, Reply, article_html

pytestmark = pytest.mark.e2e
NIGHT = "http://night.test"
SECRET = "s3cret-pw"


def page(title: str, head: str = "", seed: int = 0) -> Reply:
    html = article_html(title, seed=seed).replace("</head>", head + "</head>")
    return Reply(body=html.encode(), headers={"Content-Type": "text/html; charset=utf-8"})


def xml(text: str, content_type: str = "application/xml") -> Reply:
    return Reply(body=text.encode(), headers={"Content-Type": content_type})


def canonical(url: str) -> str:
    return f'<link rel="canonical" href="{url}">'


GOOD = [f"good-{i}" for i in range(1, 6)]
SECTION_CANONICAL = [f"column-{i}" for i in range(1, 4)]
STORED = [*GOOD, *SECTION_CANONICAL, "hijacker", "moved-target", "atom-1", "deep-after",
          "sm-1"]  # fmt: skip
REJECTED = {
    "status-999": "nonstandard_status",
    "no-location": "redirect_without_location",
    "to-ftp": "unsupported_redirect",
    "to-file": "unsupported_redirect",
    "to-js": "unsupported_redirect",
}
LISTING_LINKS = [
    "/opinion/good-1", "/opinion/good-1/", "/opinion/good-1?utm_source=tw&utm_medium=social",
    "/opinion/good-1;jsessionid=0F1E2D3C", "/opinion/good-1?fbclid=IwAR0",
    "/opinion/good-%32", f"http://reader:{SECRET}@night.test/opinion/good-2",
    "/opinion/good-3", "/opinion/good-4", "/opinion/hijacker", "/opinion/moved",
    f"http://reader:{SECRET}@night.test/opinion/page/2",
    *(f"/opinion/{name}" for name in SECTION_CANONICAL), *(f"/opinion/{n}" for n in REJECTED),
]  # fmt: skip
DEEP_FEED = (
    "<rss><channel>" + "<x>" * 5000 + "</x>" * 5000
    + f"<item><link>{NIGHT}/opinion/deep-after</link></item></channel></rss>"
)  # fmt: skip
ATOM_FEED = """<feed xmlns="http://www.w3.org/2005/Atom" xml:base="/opinion/">
<entry><link href="atom-1"/><updated>2026-03-01T10:00:00Z</updated></entry></feed>"""
SELF_INDEX = (
    "<sitemapindex>"
    + f"<sitemap><loc>{NIGHT}/sitemap.xml</loc></sitemap>" * 8
    + f"<sitemap><loc>{NIGHT}/sitemap-1.xml</loc></sitemap></sitemapindex>"
)
PROFILES = {
    "night": f"""
name = "night"
domains = ["night.test"]
start_urls = ["{NIGHT}/opinion/"]
feeds = ["{NIGHT}/atom.xml", "{NIGHT}/html-feed.xml", "{NIGHT}/deep.xml", "{NIGHT}/rss.xml"]
sitemaps = ["{NIGHT}/sitemap.xml"]
[articles]
allow = ['^http://night\\.test/opinion/[a-z0-9-]+/?$']
deny = ['/opinion/page/']
[listings]
allow = ['^http://night\\.test/opinion/page/\\d+$']
""",
    "down": """
name = "down"
domains = ["down.test"]
start_urls = ["http://down.test/opinion/"]
[articles]
allow = ['^http://down\\.test/opinion/[a-z0-9-]+$']
""",
    "slow": """
name = "slow"
domains = ["slow.test"]
start_urls = ["http://slow.test/opinion/"]
[articles]
allow = ['^http://slow\\.test/opinion/[a-z0-9-]+$']
""",
}


def night_routes() -> dict[tuple[str, str], Reply]:
    host = "night.test"
    table = {(host, f"/opinion/{name}"): page(name.title(), seed=i) for i, name in
             enumerate(STORED)}  # fmt: skip
    table[(host, "/opinion/hijacker")] = page("Hijacker", canonical(f"{NIGHT}/opinion/good-4"), 40)
    for i, name in enumerate(SECTION_CANONICAL):
        head = canonical(f"{NIGHT}/opinion/") + f'<meta property="og:url" content="{NIGHT}/">'
        table[(host, f"/opinion/{name}")] = page(name.title(), head, seed=50 + i)
    table[(host, "/opinion/moved")] = Reply(
        302, headers={"Location": f"http://reader:{SECRET}@night.test/opinion/moved-target"}
    )
    table[(host, "/opinion/status-999")] = Reply(999, b"request denied")
    table[(host, "/opinion/no-location")] = Reply(302, b"", headers={})
    table[(host, "/opinion/to-ftp")] = Reply(302, headers={"Location": "ftp://night.test/a"})
    table[(host, "/opinion/to-file")] = Reply(301, headers={"Location": "file:///etc/passwd"})
    table[(host, "/opinion/to-js")] = Reply(302, headers={"Location": "javascript:alert(1)"})
    links = "".join(f'<a href="{href}">x</a>' for href in LISTING_LINKS)
    table[(host, "/opinion/")] = page("Opinion", seed=99)
    table[(host, "/opinion/")].body = f"<html><body>{links}</body></html>".encode()
    table[(host, "/opinion/page/2")] = xml("<html><body>no more</body></html>", "text/html")
    table[(host, "/robots.txt")] = xml("User-agent: *\nAllow: /\n", "text/plain")
    table[(host, "/atom.xml")] = xml(ATOM_FEED)
    table[(host, "/html-feed.xml")] = xml("<html><body><p>Our feeds</p></body></html>",
                                          "text/html")  # fmt: skip
    table[(host, "/deep.xml")] = xml(DEEP_FEED)
    table[(host, "/rss.xml")] = xml(
        "<rss><channel><item><link>/opinion/good-5?traffic_source=rss</link></item></channel></rss>"
    )
    table[(host, "/sitemap.xml")] = xml(SELF_INDEX)
    table[(host, "/sitemap-1.xml")] = xml(
        f"<urlset><url><loc>{NIGHT}/opinion/sm-1</loc></url>"
        f"<url><loc>{NIGHT}/opinion/good-1</loc></url></urlset>"
    )
    return table


def other_routes() -> dict[tuple[str, str], Reply]:
    table = {
        ("down.test", "/robots.txt"): Reply(503, b"maintenance"),
        ("down.test", "/opinion/"): xml('<a href="/opinion/kept-out">x</a>', "text/html"),
        ("down.test", "/opinion/kept-out"): page("Kept Out"),
        ("slow.test", "/robots.txt"): xml("User-agent: *\nCrawl-delay: 1\n", "text/plain"),
    }
    slow = [f"slow-{i}" for i in range(3)]
    table[("slow.test", "/opinion/")] = xml(
        "".join(f'<a href="/opinion/{name}">x</a>' for name in slow), "text/html"
    )
    for i, name in enumerate(slow):
        table[("slow.test", f"/opinion/{name}")] = page(name.title(), seed=70 + i)
    return table


@dataclass
class Night:
    output: Path
    server: FaultServer
    returncode: int
    stderr: str

    first_log: list = field(default_factory=list)
    second: subprocess.CompletedProcess | None = None

    def requested(self, path: str, host: str = "night.test") -> int:
        """How often the first night requested a URL."""
        return sum(1 for r in self.first_log if (r.host, r.path) == (host, path))

    def manifest(self, run: int = 0) -> dict:
        path = sorted((self.output / "runs").glob("*.json"))[run]
        return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def night(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Night]:
    profiles = tmp_path_factory.mktemp("profiles")
    for name, text in PROFILES.items():
        (profiles / f"{name}.toml").write_text(text, encoding="utf-8")
    output = tmp_path_factory.mktemp("dataset")
    settings = {
        "SITE_PROFILES_DIR": profiles, "PARQUET_DIR": output, "DOWNLOAD_TIMEOUT": 5,
        "RETRY_BACKOFF_BASE": 0.1, "VALIDATE_MIN_WORDS": 30, "EXTRACT_WORKERS": 1,
        "LOG_LEVEL": "DEBUG",
    }  # fmt: skip
    args = ["crawl", "opinion", "-a", "site=night,down,slow", *FAST_LOCAL]
    for name, value in settings.items():
        args += ["-s", f"{name}={value}"]
    with FaultServer({**night_routes(), **other_routes()}) as server:
        result = run_scrapy(args, server.proxy_url, timeout=240)
        night = Night(output, server, result.returncode, result.stderr)
        night.first_log = list(server.log)
        night.second = run_scrapy(args, server.proxy_url, timeout=240)
        yield night


def name_of(url: str) -> str:
    return normalize_url(url).rsplit("/", 1)[-1]


def test_every_good_article_is_stored_once(night: Night) -> None:
    articles = load(night.output, sites="night")
    assert sorted(map(name_of, articles["url"])) == sorted(STORED)
    assert articles["canonical_url"].is_unique


def test_url_variants_of_one_article_are_fetched_once(night: Night) -> None:
    variants = [r for r in night.first_log if r.path.split("?")[0].startswith("/opinion/good-1")]
    assert len(variants) == 1, [r.target for r in variants]


def test_no_page_can_take_another_articles_identity(night: Night) -> None:
    articles = load(night.output, sites="night").set_index("url")
    assert articles.loc[f"{NIGHT}/opinion/good-4", "canonical_url"] == f"{NIGHT}/opinion/good-4"
    hijacker = articles.loc[f"{NIGHT}/opinion/hijacker", "canonical_url"]
    assert hijacker == f"{NIGHT}/opinion/hijacker"
    for name in SECTION_CANONICAL:
        url = f"{NIGHT}/opinion/{name}"
        assert articles.loc[url, "canonical_url"] == url


def test_every_bad_page_is_a_named_reject(night: Night) -> None:
    rejects = load_rejects(night.output)
    found = {name_of(url): reason for url, reason in rejects[["url", "reason"]].itertuples(False)}
    assert {name: found.get(name) for name in REJECTED} == REJECTED
    assert "blocked" not in set(rejects["reason"])  # robots.txt blocked none of these


def test_credentials_never_travel(night: Night) -> None:
    for request in night.first_log:
        assert SECRET not in request.target and "reader" not in request.target
        assert not any(SECRET in value for value in request.headers.values())
        assert "Authorization" not in request.headers
    assert SECRET not in night.stderr
    stored = " ".join(load(night.output)["url"]) + " ".join(load_rejects(night.output)["detail"])
    assert SECRET not in stored
    assert night.requested("/opinion/page/2") == 1


def test_each_sitemap_is_fetched_once_and_problems_are_counted(night: Night) -> None:
    assert night.requested("/sitemap.xml") == 1
    assert night.requested("/sitemap-1.xml") == 1
    stats = night.manifest()["stats"]
    assert stats["sources/repeated_sitemap"] == 8
    assert stats["sources/not_a_feed"] == 1
    assert stats["sources/too_deep"] == 1
    assert "source http://night.test/html-feed.xml: not_a_feed" in night.stderr


def test_robots_txt_5xx_disallows_the_host_for_the_run(night: Night) -> None:
    paths = [r.path for r in night.first_log if r.host == "down.test"]
    assert paths and set(paths) == {"/robots.txt"}
    assert night.manifest()["stats"]["robotstxt/unreachable_disallow_all"] == 1


def test_crawl_delay_is_honoured(night: Night) -> None:
    starts = sorted(
        r.started for r in night.first_log if r.host == "slow.test" and r.path != "/robots.txt"
    )
    assert len(starts) >= 4  # the listing and its three articles
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert min(gaps) >= 0.9, gaps
    assert len(load(night.output, sites="slow")) == 3


def test_exit_code_and_manifest_counts_are_truthful(night: Night) -> None:
    # Two sources are broken (the HTML "feed", and down.test's listing that robots.txt
    # forbids): the run stored everything it could and says so with an alert.
    assert night.returncode == ExitCode.ALERT, night.stderr[-3000:]
    assert night.manifest()["stats"]["sources/alerts"] == 2
    counts = night.manifest()["counts"]
    articles, rejects = load(night.output), load_rejects(night.output)
    rejects = rejects[rejects["run_id"] == night.manifest()["run_id"]]
    assert counts["articles"] == counts["new_articles"] == len(articles)
    assert counts["rejects"] == len(rejects)
    by_reason = rejects["reason"].value_counts().to_dict()
    assert counts["rejects_by_reason"] == by_reason


def test_the_night_is_bounded_in_time(night: Night) -> None:
    assert len(night.first_log) < 80
    assert time.monotonic() - night.first_log[0].started < 240


def test_the_next_night_stores_nothing_twice(night: Night) -> None:
    assert night.second is not None and night.second.returncode == ExitCode.ALERT
    counts = night.manifest(1)["counts"]
    assert counts["new_articles"] == counts["revisions"] == counts["articles"] == 0
    assert counts["rejects_by_reason"] == night.manifest(0)["counts"]["rejects_by_reason"]
    assert len(load(night.output, latest=False)) == len(load(night.output))
