"""Fuzzing the extractor with mutated real-looking pages: a record or a named rejection,
in bounded time, never an exception."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.dataset.schema import ArticleRecord, RejectReason
from crawler.demo import generate
from crawler.demo.routes import load_routes, lookup
from pipelines.extraction import ExtractRules, Page, Rejection, extract
from tests.crawling import read_truth

SECONDS_PER_PAGE = 10.0


@pytest.fixture(scope="module")
def seed_pages(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, bytes, str]]:
    """(url, bytes, content type) of one opinion page per demo publisher."""
    root = tmp_path_factory.mktemp("fuzz-site")
    generate(root, pages=30, seed=11)
    routes, pages, seen = load_routes(root), [], set()
    for truth in read_truth(root):
        route = lookup(routes, truth["url"])
        if truth["kind"] == "opinion" and truth["site"] not in seen and route:
            seen.add(truth["site"])
            pages.append((truth["url"], (root / route.file).read_bytes(), route.content_type))
    return pages


def mutate(data: bytes, ops: list[tuple[int, int, int, bytes]]) -> bytes:
    """Apply (kind, position, length, payload) edits: cut, duplicate, insert, truncate."""
    for kind, position, length, payload in ops:
        at = position % (len(data) + 1)
        if kind == 0:
            data = data[:at] + data[at + length :]
        elif kind == 1:
            data = data[:at] + data[at : at + length] * 3 + data[at:]
        elif kind == 2:
            data = data[:at] + payload + data[at:]
        else:
            data = data[:at]
    return data


TAGS = st.sampled_from(
    [b"<div>", b"</div>", b"<p", b"<!--", b"<script>", b"]]>", b"\x00",
     b"<meta charset=koi8-r>", b"\xd0", b"&#xFFFF;", b"<table><tr><td>"]
)  # fmt: skip
OPS = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 10**6), st.integers(0, 5000),
                         st.one_of(TAGS, st.binary(max_size=64))), max_size=6)  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    which=st.integers(0, 2),
    ops=OPS,
    content_type=st.sampled_from(
        [None, "text/html", "text/html; charset=utf-8", "text/html; charset=windows-1251"]
    ),
)
def test_mutated_pages_give_a_record_or_a_named_rejection(seed_pages, which, ops, content_type):
    url, body, _ = seed_pages[which % len(seed_pages)]
    page = Page(url=url, body=mutate(body, ops), content_type=content_type)
    started = time.monotonic()
    result = extract(page, ExtractRules(section="opinion"))
    assert time.monotonic() - started < SECONDS_PER_PAGE
    assert isinstance(result, ArticleRecord | Rejection)
    if isinstance(result, Rejection):
        assert result.reason in RejectReason.all() and result.detail
    else:
        assert result.text and result.content_hash
