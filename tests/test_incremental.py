"""The recrawl policy on its own: what a run fetches again, and with which headers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crawler.dataset.known import KnownArticle, KnownArticles
from crawler.incremental import Decision, RecrawlPolicy, conditional_headers, parse_refresh

URL = "http://www.example.test/opinion/a-1"
PUBLISHED = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)


def known(**overrides) -> KnownArticles:
    fields = dict(
        content_hash="h1", revision=1, fetched_at=datetime(2026, 11, 1, tzinfo=UTC),
        published_at=PUBLISHED, modified_at=PUBLISHED + timedelta(hours=2),
        etag='"abc"', last_modified="Tue, 10 Mar 2026 10:00:00 GMT",
    )  # fmt: skip
    fields.update(overrides)
    index = KnownArticles()
    index.remember([URL, URL + "?utm_source=rss"], KnownArticle(**fields))
    return index


def test_unknown_urls_are_new():
    assert RecrawlPolicy(KnownArticles()).decide(URL, None) == (Decision.NEW, None)


def test_stored_articles_are_skipped_unless_their_source_dates_a_change():
    policy = RecrawlPolicy(known())
    assert policy.decide(URL, None)[0] is Decision.SKIP
    assert policy.decide(URL + "?utm_medium=x", None)[0] is Decision.SKIP  # same article
    assert policy.decide(URL, PUBLISHED + timedelta(hours=1))[0] is Decision.SKIP
    assert policy.decide(URL, PUBLISHED + timedelta(days=1))[0] is Decision.CHANGED


def test_date_only_sources_compare_by_day():
    policy = RecrawlPolicy(known())
    same_day = datetime(2026, 3, 10, tzinfo=UTC)
    assert policy.decide(URL, same_day)[0] is Decision.SKIP
    assert policy.decide(URL, same_day + timedelta(days=1))[0] is Decision.CHANGED


def test_undated_pages_compare_with_the_fetch_time():
    policy = RecrawlPolicy(known(published_at=None, modified_at=None))
    assert policy.decide(URL, datetime(2026, 10, 1, tzinfo=UTC))[0] is Decision.SKIP
    assert policy.decide(URL, datetime(2026, 11, 2, tzinfo=UTC))[0] is Decision.CHANGED


def test_refresh_rechecks_recent_or_all_articles():
    now = PUBLISHED + timedelta(days=5)
    assert RecrawlPolicy(known(), parse_refresh("7"), now).decide(URL, None)[0] is Decision.REFRESH
    assert RecrawlPolicy(known(), parse_refresh("3"), now).decide(URL, None)[0] is Decision.SKIP
    assert RecrawlPolicy(known(), parse_refresh("all"), now).decide(URL, None)[0] is (
        Decision.REFRESH
    )


@pytest.mark.parametrize("value", ["soon", "-1"])
def test_bad_refresh_values_are_refused(value):
    with pytest.raises(ValueError, match="refresh"):
        parse_refresh(value)


def test_rechecks_are_conditional_requests():
    _, stored = RecrawlPolicy(known()).decide(URL, PUBLISHED + timedelta(days=2))
    assert conditional_headers(stored) == {
        "If-None-Match": '"abc"',
        "If-Modified-Since": "Tue, 10 Mar 2026 10:00:00 GMT",
    }
    assert conditional_headers(None) == {}
