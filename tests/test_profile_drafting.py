"""The pieces `scrapy profile new` drafts with: URL forms, page links, load-more buttons."""

from __future__ import annotations

from lxml import html

from crawler.profiling.draft_pages import find_more_button, listing_pattern, section_title
from crawler.profiling.urlshape import article_shapes, segment_regex
from crawler.urlpattern import UrlPattern

MT = "https://www.themoscowtimes.com"


def test_segment_classes_are_the_narrowest_that_fit():
    assert segment_regex(["2024", "2023"]) == r"\d{4}"
    assert segment_regex(["5", "12"]) == r"\d{1,2}"
    assert segment_regex(["may", "jun"]) == r"[a-z]{3}"
    assert segment_regex(["opinion", "opinion"]) == "opinion"
    assert segment_regex(["a-b-c.html", "d-e-f.html"]) == r"[a-z0-9-]+\.html"
    assert segment_regex(["7", "12345"], names_one=True) == r"\d+"


def test_article_shapes_leave_out_section_and_paging_links():
    articles = [f"{MT}/2024/05/1{i}/a-column-about-{i}-a80{i}" for i in range(4)]
    noise = [f"{MT}/opinion", f"{MT}/news", f"{MT}/tag/kremlin", f"{MT}/opinion?page=2"]
    shapes = article_shapes([*articles, *noise])
    assert len(shapes) == 1
    regex = UrlPattern(shapes[0].regex())
    assert all(regex.search(u) for u in articles)
    assert not any(regex.search(u) for u in noise)
    assert shapes[0].literal_segments == []  # the URL cannot tell the section


def test_section_prefixed_forms_keep_their_literal():
    urls = [f"https://www.x.org/commentisfree/2024/may/1{i}/slug-of-piece-{i}" for i in range(3)]
    shape = article_shapes(urls)[0]
    assert shape.literal_segments == ["commentisfree"]
    assert shape.regex().startswith(r"^https://www\.x\.org/commentisfree/\d{4}/[a-z]{3}/")


def test_load_more_button_and_page_links_and_title():
    tree = html.document_fromstring(
        "<html><head><title>Opinion | The Daily Replica</title></head><body>"
        "<div y-use='More' data-url='/opinion/{{offset}}' data-start='19' data-step='18'>"
        "<span>View more</span></div></body></html>"
    )
    assert find_more_button(tree, f"{MT}/opinion") == (f"{MT}/opinion/{{offset}}", 19, 18)
    assert section_title(tree, f"{MT}/opinion") == "Opinion"
    links = ["http://x.test/opinion/2024/a-b-c", "http://x.test/opinion/page/2/"]
    assert listing_pattern(links, "http://x.test/opinion/") == r"^http://x\.test/opinion/page/\d+/$"
    assert listing_pattern(links[:1], "http://x.test/opinion/") is None


def test_check_samples_come_from_every_source_in_turn():
    from crawler.profiling.check import CheckReport
    from crawler.profiling.sources import SourceReport
    from tests.test_site_machinery import profile

    report = CheckReport(profile())
    report.sources = [
        SourceReport("feed", "f", 200, entries=3, accepted=["a", "b", "c"]),
        SourceReport("sitemap", "s", 200, entries=1, accepted=["a", "z"]),
        SourceReport("listing", "l", 200, entries=0),
    ]
    assert report.sample_urls(3) == ["a", "b", "z"]
    assert report.exit_code == 1  # the listing gave no entries
    report.sources.pop()
    assert report.exit_code == 0


def test_listing_area_is_the_list_beside_a_sidebar_of_the_same_url_form():
    from crawler.profiling.draft_pages import listing_area

    items = "".join(
        f"<div class='item'><a href='/2024/05/1{i}/op-{i}-a{i}'>x</a></div>" for i in range(6)
    )
    side = "".join(f"<li><a href='/2024/05/1{i}/news-{i}-a9{i}'>n</a></li>" for i in range(3))
    page = (
        "<html><body><div class='row'><section class='cluster cluster--list'>"
        f"<div class='row'>{items}</div></section>"
        f"<aside class='sidebar'><ul class='listed'>{side}</ul></aside></div></body></html>"
    )
    tree = html.document_fromstring(page)
    is_article = UrlPattern(r"^https://x\.org/\d{4}/\d{2}/\d{2}/[a-z0-9-]+-a\d+$").search
    area = listing_area(tree, "https://x.org/opinion", is_article, lambda u: False)
    assert area == "section.cluster.cluster--list"  # div.row is not unique on the page
    alone = html.document_fromstring(f"<html><body><main>{items}</main></body></html>")
    assert listing_area(alone, "https://x.org/opinion", is_article, lambda u: False) is None
