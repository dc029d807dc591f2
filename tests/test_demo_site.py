"""The bundled demo site: determinism, truth, profiles, the proxy server and the dev-set export."""

from __future__ import annotations

import gzip
import html
import http.client
import json
import re
import statistics
import time
import tomllib
import urllib.error
import urllib.request
import urllib.robotparser
import xml.etree.ElementTree as ET
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from crawler.demo import DemoServer, DemoSite, export_devset, generate, serve
from crawler.demo.__main__ import main as cli_main
from crawler.demo.routes import Route, load_routes, lookup

PROFILES_DIR = Path(__file__).resolve().parents[1] / "crawler" / "profiles"
DEMO_PROFILES = ("demo-ledger", "demo-courier", "demo-gazette")
BROKEN = {"empty", "not_found", "server_error", "not_html"}
STATUS = {"empty": 200, "not_found": 404, "server_error": 500, "not_html": 200}
_TAGS = re.compile(r"<[^>]+>")
_SCRIPTS = re.compile(r"<(script|style)\b.*?</\1>", re.DOTALL | re.IGNORECASE)


def norm(text: str) -> str:
    """Collapse whitespace."""
    return " ".join(text.split())


def page_text(raw: bytes, encoding: str) -> str:
    """Visible text of a page: scripts dropped, tags replaced by spaces, entities decoded."""
    markup = _SCRIPTS.sub(" ", raw.decode(encoding))
    return norm(html.unescape(_TAGS.sub(" ", markup)))


def profile(name: str) -> dict[str, Any]:
    """A demo profile read straight from its TOML file."""
    return tomllib.loads((PROFILES_DIR / f"{name}.toml").read_text(encoding="utf-8"))


def all_urls(root: Path) -> list[str]:
    """Every URL the site answers."""
    return [f"http://{host}{path}" for host, table in load_routes(root).items() for path in table]


def body_of(site: DemoSite, url: str) -> tuple[Route, bytes]:
    """Route and stored bytes of a URL."""
    route = lookup(load_routes(site.root), url)
    assert route is not None, url
    return route, (site.root / route.file).read_bytes()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> DemoSite:
    return generate(tmp_path_factory.mktemp("demo") / "site", pages=50, seed=1)


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> DemoSite:
    return generate(tmp_path_factory.mktemp("demo") / "site", pages=300, seed=7)


@pytest.fixture(scope="module")
def server(site: DemoSite) -> DemoServer:
    with serve(site.root) as running:
        yield running


@pytest.fixture(scope="module")
def opener(server: DemoServer) -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.ProxyHandler({"http": server.proxy_url}))


def fetch(
    opener: urllib.request.OpenerDirector, url: str, **headers: str
) -> tuple[int, Any, bytes]:
    """Status, headers and body of a proxied GET (error statuses included)."""
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


# --- determinism ---------------------------------------------------------------------------


def test_same_seed_gives_identical_bytes(site: DemoSite, tmp_path: Path) -> None:
    again = generate(tmp_path / "again", pages=50, seed=1)
    assert tree_bytes(again.root) == tree_bytes(site.root)


def test_growing_the_site_keeps_earlier_pages(site: DemoSite, tmp_path: Path) -> None:
    bigger = generate(tmp_path / "bigger", pages=55, seed=1)
    old, new = site.truth(), bigger.truth()
    assert len(new) == 55 and new[:50] == old
    for record in old:
        assert body_of(site, record["url"]) == body_of(bigger, record["url"])


def test_other_seed_gives_other_text(site: DemoSite, tmp_path: Path) -> None:
    other = generate(tmp_path / "other", pages=3, seed=2)
    assert other.truth()[0]["body"] != site.truth()[0]["body"]


def test_revisions_edit_only_the_named_pages(site: DemoSite, tmp_path: Path) -> None:
    edited = generate(tmp_path / "edited", pages=50, seed=1, revisions={"ledger-00000": 1})
    before, after = site.truth_by_url(), edited.truth_by_url()
    changed = [url for url in before if before[url] != after[url]]
    assert changed == [site.truth()[0]["url"]]
    old, new = before[changed[0]], after[changed[0]]
    assert old["body"] != new["body"] and old["title"] == new["title"]
    assert new["modified_at"] > old["modified_at"]
    assert body_of(site, changed[0])[0].etag != body_of(edited, changed[0])[0].etag
    with pytest.raises(ValueError):
        generate(tmp_path / "bad", pages=5, seed=1, revisions={"ledger-99999": 1})


# --- truth -----------------------------------------------------------------------------------


def test_kinds_and_split(site: DemoSite, big_site: DemoSite) -> None:
    records = site.truth()
    assert len(records) == 50
    assert Counter(r["site"] for r in records) == {
        "demo-ledger": 17,
        "demo-courier": 17,
        "demo-gazette": 16,
    }
    for name in DEMO_PROFILES:
        kinds = {r["kind"] for r in records if r["site"] == name}
        assert kinds == {"opinion", "news", "sports"} | BROKEN
    big = Counter(r["kind"] for r in big_site.truth())
    assert 0.6 <= big["opinion"] / 300 <= 0.8
    assert re.fullmatch(r"ledger-\d{5}", records[0]["id"])


def test_truth_matches_pages(site: DemoSite) -> None:
    routes = load_routes(site.root)
    for record in site.truth():
        route = lookup(routes, record["url"])
        assert route is not None, record["url"]
        raw = (site.root / route.file).read_bytes()
        kind = record["kind"]
        if kind in BROKEN:
            assert route.status == STATUS[kind] and not record["body"]
            assert (raw == b"") == (kind == "empty")
            assert raw.startswith(b"%PDF") == (kind == "not_html")
            continue
        assert route.status == 200 and route.content_type.startswith("text/html")
        text = page_text(raw, record["encoding"])
        assert norm(record["title"]) in text
        assert all(name in text for name in record["authors"])
        blocks = record["body"].split("\n\n")
        missing = [b for b in blocks if norm(b) not in text]
        assert not missing, (record["id"], missing[:1])
        for snippet in record["boilerplate"]:
            assert norm(snippet) in text, (record["id"], snippet)
            assert snippet not in record["body"], (record["id"], snippet)
        assert datetime.fromisoformat(record["published_at"]).tzinfo is not None
        markup = html.unescape(raw.decode(record["encoding"]))
        assert record["tags"] and all(tag in markup for tag in record["tags"])


def test_bodies_are_varied_and_sized(big_site: DemoSite) -> None:
    opinion = [r for r in big_site.truth() if r["kind"] == "opinion"]
    full = [len(r["body"].split()) for r in opinion if not r["paywalled"]]
    assert all(300 <= n <= 1500 for n in full)
    assert min(full) < 450 and max(full) > 1000
    shingles = [
        {tuple(w[i : i + 4]) for i in range(len(w) - 3)}
        for w in (r["body"].split() for r in opinion)
    ]
    seen = Counter(s for group in shingles for s in group)
    shared = [sum(seen[s] > 1 for s in group) / len(group) for group in shingles]
    assert statistics.median(shared) < 0.25


def test_realistic_variety(big_site: DemoSite) -> None:
    opinion = [r for r in big_site.truth() if r["kind"] == "opinion"]
    assert any(r["paywalled"] for r in opinion)
    assert {r["language"] for r in opinion} == {"en", "ru"}
    texts = [b for r in opinion for b in r["boilerplate"]]
    assert any("Remind me" in t for t in texts)
    assert any("Поддержите" in t or "Подпишитесь" in t for t in texts)
    assert any("views expressed" in t for t in texts)
    bodies = " ".join(r["body"].lower() for r in opinion)
    assert "newsletter" in bodies or "paywall" in bodies or "donation" in bodies
    assert all(r["description"] for r in opinion if r["site"] != "demo-gazette")


# --- profiles --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", DEMO_PROFILES)
def test_profile_regexes_pick_exactly_the_opinion_urls(site: DemoSite, name: str) -> None:
    data = profile(name)
    assert data["name"] == name and data["enabled"] is False
    allow = [re.compile(p) for p in data["articles"]["allow"]]
    listing = [re.compile(p) for p in data["listings"]["allow"]]
    wanted = {
        r["url"] for r in site.truth() if r["site"] == name and r["kind"] not in {"news", "sports"}
    }
    urls = all_urls(site.root)
    assert {u for u in urls if any(p.search(u) for p in allow)} == wanted
    news = [r["url"] for r in site.truth() if r["site"] == name and r["kind"] in {"news", "sports"}]
    assert news and not any(p.search(u) for p in allow for u in news)
    assert any(p.search(u) for p in listing for u in urls)
    routes = load_routes(site.root)
    for url in [*data["start_urls"], *data["feeds"], *data["sitemaps"]]:
        route = lookup(routes, url)
        assert route is not None and route.status == 200, url


# --- server ----------------------------------------------------------------------------------


def test_proxy_serves_every_host(server: DemoServer, opener: urllib.request.OpenerDirector) -> None:
    for name in DEMO_PROFILES:
        url = profile(name)["start_urls"][0]
        status, headers, body = fetch(opener, url)
        assert status == 200 and int(headers["Content-Length"]) == len(body) > 0
        assert "charset=" in headers["Content-Type"] and headers["ETag"]
        parts = urlsplit(url)
        assert ("GET", parts.hostname, parts.path, 200) in server.requests
    status, _, _ = fetch(opener, "http://unknown.test/")
    assert status == 404
    assert server.proxy_url == f"http://127.0.0.1:{server.port}"


def test_origin_form_with_host_header(server: DemoServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request("GET", "/robots.txt", headers={"Host": "courier.test"})
    response = connection.getresponse()
    assert response.status == 200 and b"Sitemap:" in response.read()
    connection.request("HEAD", "/robots.txt", headers={"Host": "courier.test:80"})
    response = connection.getresponse()
    assert response.status == 200 and response.read() == b""
    assert int(response.headers["Content-Length"]) > 0
    connection.close()


def test_conditional_requests(opener: urllib.request.OpenerDirector) -> None:
    url = "http://www.ledger.test/opinion/rss.xml"
    status, headers, _ = fetch(opener, url)
    assert status == 200
    assert fetch(opener, url, **{"If-None-Match": headers["ETag"]})[0] == 304
    assert fetch(opener, url, **{"If-None-Match": '"other"'})[0] == 200
    assert fetch(opener, url, **{"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    old = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert fetch(opener, url, **{"If-Modified-Since": old})[0] == 200


def test_special_routes(site: DemoSite, opener: urllib.request.OpenerDirector) -> None:
    for record in site.truth():
        if record["kind"] not in BROKEN:
            continue
        status, headers, body = fetch(opener, record["url"])
        assert status == STATUS[record["kind"]], record["id"]
        if record["kind"] == "empty":
            assert body == b"" and headers["Content-Length"] == "0"
        if record["kind"] == "not_html":
            assert headers["Content-Type"] == "application/pdf" and body.startswith(b"%PDF")


def test_gazette_pages_are_windows_1251(
    site: DemoSite, opener: urllib.request.OpenerDirector
) -> None:
    record = next(
        r
        for r in site.truth()
        if r["site"] == "demo-gazette" and r["language"] == "ru" and r["kind"] == "opinion"
    )
    status, headers, body = fetch(opener, record["url"])
    assert status == 200 and headers["Content-Type"] == "text/html; charset=windows-1251"
    text = body.decode("windows-1251")
    assert 'content="text/html; charset=windows-1251"' in text
    assert re.search("[\u0410-\u044f\u0401\u0451]{5,}", text)
    assert record["title"] in html.unescape(text)
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")


def test_handles_concurrent_requests(server: DemoServer, site: DemoSite) -> None:
    urls = [r["url"] for r in site.truth() if r["kind"] == "opinion"] * 6

    def get(url: str) -> int:
        local = urllib.request.build_opener(urllib.request.ProxyHandler({"http": server.proxy_url}))
        return fetch(local, url)[0]

    before = len(server.requests)
    with ThreadPoolExecutor(max_workers=16) as pool:
        assert set(pool.map(get, urls)) == {200}
    assert len(server.requests) - before == len(urls)


def test_a_paused_server_holds_requests_until_resumed(site: DemoSite) -> None:
    with serve(site.root) as server, ThreadPoolExecutor(max_workers=1) as pool:
        local = urllib.request.build_opener(urllib.request.ProxyHandler({"http": server.proxy_url}))
        server.pause()
        answer = pool.submit(fetch, local, "http://courier.test/robots.txt")
        time.sleep(0.5)
        assert not answer.done() and server.requests == []
        server.resume()
        assert answer.result(timeout=10)[0] == 200
        assert len(server.requests) == 1


def test_keep_alive_requests_do_not_wait_for_delayed_acks(
    server: DemoServer, site: DemoSite
) -> None:
    # A server writing headers and body separately with Nagle's algorithm on holds each body
    # until the client's delayed ACK (40 ms on Linux): crawls measured that stall, not the
    # crawler. Without it, 30 requests on one connection take a few milliseconds each.
    urls = [urlsplit(r["url"]) for r in site.truth() if r["kind"] == "opinion"][:30]
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    started = time.perf_counter()
    for url in urls:
        connection.request("GET", url.path + (f"?{url.query}" if url.query else ""),
                           headers={"Host": url.hostname or ""})  # fmt: skip
        response = connection.getresponse()
        assert response.status == 200 and response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    assert elapsed < 0.03 * len(urls), f"{len(urls)} requests took {elapsed:.2f} s"


# --- feeds, sitemaps, robots, links ----------------------------------------------------------


def _xml_locations(raw: bytes) -> tuple[str, list[str]]:
    root = ET.fromstring(raw)
    tag = root.tag.rsplit("}", 1)[-1]
    if tag == "rss":
        return tag, [item.findtext("link") or "" for item in root.iter("item")]
    atom = "{http://www.w3.org/2005/Atom}"
    if tag == "feed":
        return tag, [e.find(f"{atom}link").get("href", "") for e in root.iter(f"{atom}entry")]
    return tag, [el.text or "" for el in root.iter() if el.tag.endswith("loc")]


@pytest.mark.parametrize("name", DEMO_PROFILES)
def test_feeds_and_sitemaps_parse(site: DemoSite, name: str) -> None:
    data, routes = profile(name), load_routes(site.root)
    truth = {r["url"]: r for r in site.truth() if r["site"] == name}
    for feed in data["feeds"]:
        tag, links = _xml_locations(body_of(site, feed)[1])
        assert tag in {"rss", "feed"} and links and set(links) <= set(truth)
    pending, article_urls = list(data["sitemaps"]), set()
    while pending:
        tag, locations = _xml_locations(body_of(site, pending.pop())[1])
        assert all(lookup(routes, loc) is not None for loc in locations)
        if tag == "sitemapindex":
            pending += locations
        article_urls |= {loc for loc in locations if loc in truth}
    assert article_urls == set(truth)
    assert {truth[u]["kind"] for u in article_urls} >= {"opinion", "news", "sports"}


@pytest.mark.parametrize("name", DEMO_PROFILES)
def test_robots_disallows_linked_paths(site: DemoSite, name: str) -> None:
    host = profile(name)["domains"][0]
    robots = body_of(site, f"http://{host}/robots.txt")[1].decode()
    assert "Sitemap: " in robots
    disallowed = re.findall(r"^Disallow: (\S+)", robots, re.MULTILINE)
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(robots.splitlines())
    pages = [p for p in (site.root / host).rglob("*") if p.is_file() and b"<html" in p.read_bytes()]
    for prefix in disallowed:
        if prefix == "/":
            continue
        assert any(f'href="{prefix}'.encode() in p.read_bytes() for p in pages), prefix
        assert not parser.can_fetch("opinion-scraper", f"http://{host}{prefix}")
    opinion = next(r["url"] for r in site.truth() if r["site"] == name and r["kind"] == "opinion")
    assert parser.can_fetch("opinion-scraper", opinion)


def test_broken_and_other_sections_are_linked(site: DemoSite) -> None:
    for name in DEMO_PROFILES:
        data = profile(name)
        start = body_of(site, data["start_urls"][0])[1]
        feed = body_of(site, data["feeds"][0])[1]
        home = body_of(site, f"http://{data['domains'][0]}/")[1]
        for record in site.truth():
            if record["site"] != name:
                continue
            path = urlsplit(record["url"]).path.encode()
            if record["kind"] in BROKEN:
                assert path in start or path in feed, record["id"]
            if record["kind"] in {"news", "sports"}:
                assert path in home, record["id"]


# --- dev-set export and CLI ------------------------------------------------------------------


def test_export_devset(site: DemoSite, tmp_path: Path) -> None:
    count = export_devset(site, tmp_path / "dev")
    opinion = {r["id"]: r for r in site.truth() if r["kind"] == "opinion"}
    lines = (tmp_path / "dev" / "truth.jsonl").read_text(encoding="utf-8").splitlines()
    assert count == len(lines) == len(opinion)
    keys = {"id", "url", "source", "title", "body", "lang", "publisher", "with_snippets",
            "without_snippets", "encoding"}  # fmt: skip
    for line in lines:
        entry = json.loads(line)
        record = opinion[entry["id"]]
        assert set(entry) == keys and entry["source"] == "demo" and entry["encoding"] == "utf-8"
        assert (
            entry["body"] == record["body"] and entry["without_snippets"] == record["boilerplate"]
        )
        assert entry["with_snippets"] and all(s in entry["body"] for s in entry["with_snippets"])
        page = gzip.decompress((tmp_path / "dev" / "pages" / f"{entry['id']}.html.gz").read_bytes())
        text = page.decode("utf-8")
        assert "windows-1251" not in text and norm(record["title"]) in page_text(page, "utf-8")
    assert export_devset(site.root, tmp_path / "again") == count
    assert tree_bytes(tmp_path / "dev") == tree_bytes(tmp_path / "again")


def test_cli_generate_and_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["generate", str(tmp_path / "s"), "--pages", "6", "--seed", "3"]) == 0
    assert DemoSite.load(tmp_path / "s").pages == 6
    assert cli_main(["export-devset", str(tmp_path / "s"), str(tmp_path / "d")]) == 0
    assert (tmp_path / "d" / "truth.jsonl").exists()
    assert "exported" in capsys.readouterr().out
