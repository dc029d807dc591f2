"""An article's identity cannot be taken by another page (README: "Article identity")."""

from __future__ import annotations

import pytest

from crawler.dataset.known import KnownArticle, KnownArticles, url_key
from crawler.distributed.local import LocalClaims
from pipelines.dedupe import DedupePipeline
from pipelines.drops import Rejected, Unchanged
from pipelines.extraction import ExtractRules, IdentityRules, Page, extract
from pipelines.extraction.canonical import canonical_url
from tests.conftest import make_record
from tests.faultserver import article_html

SITE = "https://www.example.test"
RULES = IdentityRules(
    article_patterns=(r"^https://www\.example\.test/opinion/\d{4}/[a-z0-9-]+/?$",),
    article_deny=(r"/live/",),
    listing_patterns=(r"^https://www\.example\.test/opinion\?page=\d+$",),
    listing_urls=(f"{SITE}/opinion/",),
)
PAGE = f"{SITE}/opinion/2026/bridges-matter"


@pytest.mark.parametrize(
    "declared",
    [
        f"{SITE}/",  # og:url = the home page
        SITE,
        f"{SITE}/opinion/",  # the section index
        f"{SITE}/opinion?page=2",  # a listing page
        f"{SITE}/about/us",  # not an article URL of the profile
        f"{SITE}/opinion/2026/live/feed",  # denied
    ],
)
def test_a_home_section_or_listing_canonical_is_not_trusted(declared: str) -> None:
    assert canonical_url(PAGE, [declared], RULES) == PAGE


def test_a_plausible_article_canonical_is_trusted_and_normalized() -> None:
    declared = f"{SITE}/opinion/2026/bridges-matter-full/?utm_source=x"
    assert (
        canonical_url(f"{PAGE}-amp", [declared], RULES)
        == f"{SITE}/opinion/2026/bridges-matter-full"
    )


def test_without_profile_patterns_a_section_two_levels_up_is_not_trusted() -> None:
    page = "https://news.test/opinion/2026/03/slug"
    assert canonical_url(page, ["https://news.test/opinion/"]) == page
    assert canonical_url(page, ["https://news.test/"]) == page
    assert canonical_url(f"{page}/amp", [page]) == page  # one level up: the AMP alias


def test_five_pages_declaring_the_section_index_stay_five_articles() -> None:
    rules = ExtractRules(identity=RULES)
    head = (
        f'<link rel="canonical" href="{SITE}/opinion/"><meta property="og:url" content="{SITE}/">'
    )
    dedupe = DedupePipeline()
    stored = []
    for i in range(5):
        html = article_html(f"Column {i}", seed=i).replace("</head>", head + "</head>")
        record = extract(Page(url=f"{SITE}/opinion/2026/column-{i}", body=html.encode()), rules)
        stored.append(dedupe.process_item(record))  # type: ignore[arg-type]
    assert len({r.canonical_url for r in stored}) == 5


def alias(of: int, i: int, text_of: int) -> object:
    """Page `i` declaring page `of`'s URL as its canonical, with the text of page `text_of`."""
    base = make_record(text_of)
    return make_record(
        i, canonical_url=make_record(of).canonical_url, content_hash=base.content_hash
    )


def test_a_page_claiming_a_stored_articles_canonical_keeps_its_own_identity() -> None:
    dedupe = DedupePipeline()
    real = dedupe.process_item(make_record(1))
    impostor = dedupe.process_item(alias(of=1, i=2, text_of=2))  # type: ignore[arg-type]
    assert real.canonical_url != impostor.canonical_url == make_record(2).url


def test_a_page_claiming_an_article_scheduled_this_run_does_not_take_it() -> None:
    scheduled = LocalClaims()
    scheduled.add(make_record(1).url)
    dedupe = DedupePipeline(scheduled=scheduled)
    impostor = dedupe.process_item(alias(of=1, i=2, text_of=2))  # type: ignore[arg-type]
    real = dedupe.process_item(make_record(1))
    assert impostor.canonical_url == make_record(2).url
    assert real.canonical_url == make_record(1).url


def test_a_page_may_name_the_url_that_redirected_to_it_as_its_canonical() -> None:
    scheduled = LocalClaims()
    scheduled.add(make_record(1).url)  # requested, and redirected to page 5
    dedupe = DedupePipeline(scheduled=scheduled, redirected={url_key(make_record(1).url)})
    moved = dedupe.process_item(alias(of=1, i=5, text_of=5))  # type: ignore[arg-type]
    assert moved.canonical_url == make_record(1).url


def test_a_true_alias_of_a_stored_article_is_a_duplicate() -> None:
    dedupe = DedupePipeline()
    dedupe.process_item(make_record(1))
    with pytest.raises(Rejected, match="duplicate"):
        dedupe.process_item(alias(of=1, i=3, text_of=1))  # type: ignore[arg-type]


def known_row(url: str, canonical: str, content_hash: str) -> KnownArticles:
    known = KnownArticles()
    article = KnownArticle(content_hash, 1, None, None, None, None, None)
    known.remember_row(url, canonical, article)
    return known


def test_a_claimed_canonical_never_makes_a_later_run_skip_the_real_article() -> None:
    impostor = make_record(2)
    known = known_row(impostor.url, make_record(1).url, impostor.content_hash)
    assert known.get(make_record(1).url) is None  # the spider fetches the real article
    assert known.get(impostor.url) is not None
    dedupe = DedupePipeline()
    dedupe.known = known
    real = dedupe.process_item(make_record(1))
    assert real.revision == 1  # a new article, not a "revision" of the impostor


def test_an_alias_stored_earlier_makes_its_canonical_page_unchanged() -> None:
    known = known_row(make_record(3).url, make_record(1).url, make_record(1).content_hash)
    dedupe = DedupePipeline()
    dedupe.known = known
    with pytest.raises(Unchanged):
        dedupe.process_item(make_record(1))
