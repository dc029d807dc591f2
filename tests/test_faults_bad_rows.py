"""A bad night for storage: a broken row and cut bodies, served for real, cost nothing else.

One crawl of a local fault site: good articles, one whose JSON-LD carries a lone UTF-16
surrogate (a CMS cutting an emoji in half), and bodies cut short in every way a download
can be: gzip cut at 55%, a deflate and a brotli stream cut in half, fewer bytes than
Content-Length. The dataset already holds a foreign and a cut Parquet file in the partition
the crawl writes to. Every good article is stored, every cut body is a `truncated_body`
reject, the manifest's counts match the dataset and the run exits 0.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import brotli
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from crawler.dataset import load, load_rejects
from crawler.dataset.runs import read_manifests
from tests.crawling import FAST_LOCAL, run_scrapy
from tests.faultserver import FaultServer, Reply, article_html

pytestmark = pytest.mark.e2e
HOST = "rows.test"
BASE = f"http://{HOST}"
GOOD = [f"good-{i}" for i in range(6)]
PROFILE = f"""
name = "rows"
domains = ["{HOST}"]
start_urls = ["{BASE}/opinion/"]
[articles]
allow = ['^http://rows\\.test/opinion/[a-z0-9-]+$']
"""
CUT_EMOJI_LD = (
    '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Cut emoji",'
    ' "description": "The tram line, at last \\ud83d", "author": {"@type": "Person",'
    ' "name": "Rosa \\udc4d Vale"}}</script></head>'
)


def page(name: str) -> bytes:
    return article_html(name.replace("-", " ").title(), seed=len(name) + ord(name[-1])).encode()


def cut(name: str, encoding: str, compress: object, keep: float) -> Reply:
    body = compress(page(name))  # type: ignore[operator]
    headers = {"Content-Type": "text/html", "Content-Encoding": encoding}
    return Reply(body=body[: int(len(body) * keep)], headers=headers)


CUT = {
    "gzip-cut": ("gzip", gzip.compress, 0.55),
    "deflate-cut": ("deflate", zlib.compress, 0.5),
    "br-cut": ("br", brotli.compress, 0.5),
}


def routes() -> dict[tuple[str, str], Reply]:
    html = {"Content-Type": "text/html; charset=utf-8"}
    table = {(HOST, f"/opinion/{n}"): Reply(body=page(n), headers=html) for n in GOOD}
    surrogate = page("cut-emoji").decode().replace("</head>", CUT_EMOJI_LD)
    table[(HOST, "/opinion/cut-emoji")] = Reply(body=surrogate.encode(), headers=html)
    for name, (encoding, compress, keep) in CUT.items():
        table[(HOST, f"/opinion/{name}")] = cut(name, encoding, compress, keep)
    short = page("short-read")
    table[(HOST, "/opinion/short-read")] = Reply(
        body=short[: len(short) // 2], headers=html, content_length=len(short)
    )
    names = [*GOOD, "cut-emoji", *CUT, "short-read"]
    links = "".join(f'<a href="/opinion/{n}">{n}</a>' for n in names)
    listing = f"<html><body>{links}</body></html>".encode()
    table[(HOST, "/opinion/")] = Reply(body=listing, headers=html)
    return table


def plant_foreign_files(output: Path) -> list[Path]:
    """Files another tool (or a cut copy) left in the partition this crawl writes into."""
    directory = output / "articles/site=rows/month=2026-03"
    directory.mkdir(parents=True)
    foreign = directory / "export-from-elsewhere.parquet"
    pq.write_table(pa.table({"url": [7, 8], "score": [0.5, 0.9]}), foreign)
    cut = directory / "part-copied-w0-000001.parquet"
    cut.write_bytes(b"PAR1" + b"\0" * 100)
    return [foreign, cut]


def test_a_bad_row_and_cut_bodies_cost_no_other_article(tmp_path: Path):
    profiles, output = tmp_path / "profiles", tmp_path / "out"
    profiles.mkdir()
    (profiles / "rows.toml").write_text(PROFILE, encoding="utf-8")
    planted = plant_foreign_files(output)
    args = ["crawl", "opinion", "-a", "site=rows", *FAST_LOCAL, "-s", f"PARQUET_DIR={output}",
            "-s", f"SITE_PROFILES_DIR={profiles}", "-s", "VALIDATE_MIN_WORDS=30",
            "-s", "PARQUET_FLUSH_ROWS=2", "-s", "RETRY_TIMES=1", "-s", "EXTRACT_WORKERS=0",
            "-s", "DOWNLOAD_TIMEOUT=5"]  # fmt: skip
    with FaultServer(routes()) as server:
        result = run_scrapy(args, server.proxy_url, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    for path in planted:  # the incremental read at start skipped them, by name
        assert f"skipping {path}" in result.stderr
    articles = load(output).set_index("url")
    assert set(articles.index) == {f"{BASE}/opinion/{n}" for n in [*GOOD, "cut-emoji"]}
    emoji = articles.loc[f"{BASE}/opinion/cut-emoji"]
    assert emoji["description"] == "The tram line, at last \ufffd"
    assert "invalid_unicode" in [r["kind"] for r in emoji["removed"]]
    rejects = load_rejects(output).set_index("url")["reason"].to_dict()
    assert rejects == {f"{BASE}/opinion/{n}": "truncated_body" for n in [*CUT, "short-read"]}
    (manifest,) = read_manifests(output)
    assert manifest["finish_reason"] == "finished"
    counts = manifest["counts"]
    assert counts["new_articles"] == counts["articles"] == len(articles) == 7
    assert counts["rejects_by_reason"] == {"truncated_body": 4} and counts["rejects"] == 4
