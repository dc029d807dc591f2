"""Extraction regression suite: every saved page in `tests/fixtures/` against its expected output.

Layout: one directory per case, `tests/fixtures/<site>/<case>/`, holding the page exactly as it
was served (`page.html`, raw bytes in whatever encoding the site used; it may be empty) and
`expected.json`:

    url               the URL the page was fetched from (required)
    content_type      the HTTP Content-Type header it came with (default "text/html")
    rules             ExtractRules keyword arguments: strip_selectors, strip_patterns, section,
                      language (optional)
    expect            ArticleRecord fields compared for equality when present, e.g. title,
                      description, authors (order matters), tags (order ignored), section,
                      language, paywalled, canonical_url, published_at / modified_at (ISO 8601
                      with an offset, compared as tz-aware instants)
    text              the article body a careful reader would keep: paragraphs, sub-headings,
                      list items, table rows, block and pull quotes, one block each, blocks
                      separated by a blank line; never headline, byline, dateline, captions,
                      photo credits or boilerplate
    must_contain      snippets the body must contain
    must_not_contain  snippets (boilerplate, headline, byline) the body must not contain
    removed_kinds     kinds that must appear among `record.removed` (optional)
    reject            instead of `text`: the RejectReason the page must yield ("no_article", ...)

Table convention: a table row is one block, its cells (header row included) joined by " | ",
without the leading/trailing pipes and `|---|` separator row trafilatura emits; list items are
one block each, without bullets. Both conventions are invisible to the metric, which only sees
words.

Text metric: lower-cased Unicode `\\w+` tokens, word 4-grams (shingles); precision and recall
over the shingle *multiset* (a repeated passage must be repeated), F1 >= 0.98 to pass.
Snippets are matched the same way: as contiguous runs of lower-cased `\\w+` tokens, so
punctuation, bullets, pipes and line breaks never decide a match.

A failing case reports every failing aspect (text score with the blocks it lost or leaked,
each snippet, each field) in one assertion message.
"""

from __future__ import annotations

from pathlib import Path

import pytest

# The comparison lives in crawler.fixtures.cases so that `scrapy fixture check` runs the same code.
from crawler.fixtures.cases import case_id, check_case, discover

FIXTURES = Path(__file__).parent / "fixtures"
CASES = discover(FIXTURES)


@pytest.mark.parametrize("path", CASES, ids=[case_id(p) for p in CASES])
def test_fixture(path: Path) -> None:
    fail = check_case(path)
    assert not fail, fail.report()


def test_fixtures_exist() -> None:
    assert len(CASES) >= 40, f"only {len(CASES)} fixture cases"
