"""Tests of the pure extraction layer on small pages written for these tests."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.dataset.identity import normalize_url
from crawler.dataset.schema import ArticleRecord, RejectReason
from pipelines.extraction import (
    EXTRACTOR_VERSION,
    REMOVED_KINDS,
    ExtractRules,
    Page,
    Rejection,
    extract,
)
from pipelines.extraction.canonical import canonical_url
from pipelines.extraction.hashing import content_hash

DEFAULT_RULES = ExtractRules()
URL = "https://www.example-ledger.test/opinion/2024/05/the-quiet-bridge"

BODY = [
    "The old footbridge over the canal has been closed for three winters now, and the town "
    "has quietly learned to walk the long way round, past the bakery and the shuttered mill.",
    "Nobody decided this in a meeting. The council minutes show a temporary closure notice, "
    "renewed every autumn, each time with the same careful wording about inspections.",
    "What the closure has done is split a neighbourhood in two. Children who once crossed in "
    "two minutes now ride a bus for twenty, and the market on the far bank has lost its Saturday.",
    "A bridge is not a luxury. It is the cheapest piece of public transport a town can own, and "
    "the least glamorous, which is exactly why it gets forgotten when budgets are drawn up.",
    "The repair estimate is modest. The council should publish it, fund it and reopen the crossing "
    "before a fourth winter makes the detour feel permanent to everyone who lives here.",
]
APPEAL = (
    "If you value independent journalism, please consider making a donation today. "
    "Your support helps keep our reporting free for everyone."
)
NEWSLETTER = "Sign up for our weekly opinion newsletter, delivered straight to your inbox."
DISCLAIMER = "The views expressed in this article are the author's own."


def page_html(
    paragraphs: list[str],
    head: str = "",
    before: str = "",
    after: str = "",
    title: str = "The quiet bridge",
    lang: str = "en",
) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>"
        f"<title>{title} | The Ledger</title>{head}</head><body>"
        "<nav class='site-nav'><a href='/'>Home</a> <a href='/opinion'>Opinion</a></nav>"
        f"<main><article><h1>{title}</h1>{before}<div class='article-body'>{body}</div>{after}"
        "</article></main><footer>Copyright The Ledger</footer></body></html>"
    )


def run(
    html: str | bytes,
    content_type: str | None = "text/html; charset=utf-8",
    rules: ExtractRules = DEFAULT_RULES,
    url: str = URL,
) -> ArticleRecord | Rejection:
    body = html.encode("utf-8") if isinstance(html, str) else html
    return extract(Page(url=url, body=body, content_type=content_type, site="ledger"), rules)


def record(html: str | bytes, **kwargs: object) -> ArticleRecord:
    result = run(html, **kwargs)  # type: ignore[arg-type]
    assert isinstance(result, ArticleRecord), f"expected a record, got {result}"
    return result


# --- boilerplate -------------------------------------------------------------------------


def test_appeals_outside_inside_and_mid_article_are_removed_and_listed() -> None:
    paragraphs = [*BODY[:2], APPEAL, *BODY[2:], NEWSLETTER, DISCLAIMER]
    html = page_html(
        paragraphs,
        before=f"<div class='donate-box'><p>{APPEAL}</p><button>Once</button></div>",
        after="<aside class='newsletter-signup'><p>Get the morning briefing by email.</p></aside>",
    )
    rec = record(html)
    for paragraph in BODY:
        assert paragraph in rec.text, f"text lost a body paragraph: {paragraph[:40]}"
    for boilerplate in (APPEAL, NEWSLETTER, DISCLAIMER, "morning briefing"):
        assert boilerplate not in rec.text, f"text kept boilerplate: {boilerplate[:40]}"
    kinds = [r.kind for r in rec.removed]
    assert kinds.count("appeal") >= 2, f"removed kinds: {kinds}"
    assert {"newsletter", "disclaimer"} <= set(kinds), f"removed kinds: {kinds}"
    assert rec.text.count("\n\n") == len(BODY) - 1, "paragraphs must be separated by blank lines"


def test_payment_widget_lines_inside_the_container_are_removed() -> None:
    widget = "<p>Once / Monthly / Annual</p><p>$5 $10 $25 Other</p><p>Remind me later</p>"
    rec = record(page_html(BODY[:3], after=f"<div>{widget}</div>"))
    for line in ("Monthly", "Remind me", "$25"):
        assert line not in rec.text, f"widget line leaked: {line}"


def test_article_about_donations_and_paywalls_keeps_its_body() -> None:
    about = [
        "Newspapers that ask readers to donate have discovered something awkward: the people most "
        "willing to make a donation are already the ones who subscribe, so the appeal mostly moves "
        "money between two pockets of the same loyal reader rather than finding new supporters.",
        "Paywalls have the opposite problem. A hard paywall that asks every visitor to "
        "subscribe to continue reading protects revenue but shrinks the audience, while a "
        "metered one leaks articles to casual readers who were never going to pay for a "
        "subscription in any case.",
        "Neither model is obviously right. Editors who say that donations keep their journalism "
        "free for everyone are describing a choice, not a law of nature, and the numbers they "
        "publish suggest the choice works best for outlets with a strong sense of mission.",
    ]
    rec = record(page_html(about, title="Who pays for the news"))
    for paragraph in about:
        assert paragraph in rec.text, f"a paragraph about donations was removed: {paragraph[:50]}"
    assert not rec.paywalled
    assert not [r for r in rec.removed if r.kind in ("appeal", "paywall")], rec.removed


def test_paywall_notice_sets_paywalled_and_is_removed() -> None:
    notice = "<div class='paywall-notice'><p>Subscribe to continue reading this article.</p></div>"
    rec = record(page_html(BODY[:3], after=notice))
    assert rec.paywalled
    assert "continue reading" not in rec.text
    assert any(r.kind == "paywall" for r in rec.removed)


def test_body_marked_with_paywall_class_is_kept() -> None:
    body = "".join(f"<p class='paywall'>{p}</p>" for p in BODY)
    html = page_html([], after=body)
    rec = record(html)
    assert all(p in rec.text for p in BODY), "paragraphs marked `paywall` are the article"


def test_profile_selectors_and_patterns_are_applied() -> None:
    rules = ExtractRules(strip_selectors=(".ledger-kicker",), strip_patterns=(r"^Ledger tip:",))
    html = page_html(
        [*BODY, "Ledger tip: try our crossword."],
        before="<div class='ledger-kicker'><p>Opinion desk special feature</p></div>",
    )
    rec = record(html, rules=rules)
    assert "crossword" not in rec.text and "special feature" not in rec.text
    assert [r.kind for r in rec.removed].count("profile") == 2


def test_invalid_profile_selector_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="selector"):
        ExtractRules(strip_selectors=("div[[",))
    with pytest.raises(ValueError, match="pattern"):
        ExtractRules(strip_patterns=("(unclosed",))


def test_title_byline_and_date_lines_stay_out_of_the_text() -> None:
    before = (
        "<p class='byline'>By Mara Quill</p><p><time datetime='2024-05-02'>May 2, 2024</time></p>"
    )
    rec = record(page_html(BODY, before=before))
    first = rec.text.split("\n\n")[0]
    assert first == BODY[0], f"first block should be the first paragraph, got {first[:60]}"
    assert "Mara Quill" not in rec.text and "May 2, 2024" not in rec.text


def test_kicker_and_foreign_dateline_next_to_the_header_are_dropped() -> None:
    before = "<p>Opinions · Tribune</p><p class='date'>Publié le 14/03/2026 à 07h00</p>"
    rec = record(page_html(BODY, before=before, title="Le pont tranquille"))
    assert rec.text.split("\n\n")[0] == BODY[0], rec.text[:80]


def test_signup_form_and_appeal_widget_are_removed_by_their_controls() -> None:
    signup = (
        "<div><p>The Commute</p><p>Everything about getting around, twice a week.</p>"
        "<form><input type='email'><button>Go</button></form></div>"
    )
    appeal = (
        "<div><div>Support us</div><div>We need your help to keep reporting.</div>"
        "<button>$5</button><button>$10</button></div>"
    )
    rec = record(page_html([*BODY[:2], signup, *BODY[2:4], appeal, BODY[4]]))
    assert "The Commute" not in rec.text and "getting around" not in rec.text
    assert "need your help" not in rec.text
    assert {"newsletter", "appeal"} <= {r.kind for r in rec.removed}, rec.removed


def test_pull_quote_and_skipped_sub_heading_stay_in_the_text() -> None:
    quote = (
        "<aside class='pullquote'><blockquote><p>A bridge is not a luxury.</p></blockquote></aside>"
    )
    rec = record(page_html([*BODY[:3], quote, *BODY[3:]]))
    assert rec.text.count("A bridge is not a luxury.") == 2, rec.text


def test_page_not_found_served_with_200_is_no_article() -> None:
    body = [
        "The story you are looking for may have been moved, renamed or removed. Check the "
        "address for typos, or try searching our archive of reporting and opinion."
    ]
    result = run(page_html(body, title="Sorry, we can't find that page"))
    assert isinstance(result, Rejection) and result.reason == RejectReason.NO_ARTICLE, result


def test_headline_part_of_a_prefixed_title_tag() -> None:
    html = (
        "<html><head><title>The Ledger - Opinion - The quiet bridge needs fixing</title></head>"
        "<body><p><b>The quiet bridge needs fixing</b></p>"
        + "".join(f"<p>{p}</p>" for p in BODY)
        + "</body></html>"
    )
    assert record(html).title == "The quiet bridge needs fixing"


# --- encodings ---------------------------------------------------------------------------

RU_TITLE = "Тихий мост"
RU_BODY = [
    "Старый пешеходный мост через канал закрыт уже третью зиму, и жители района привыкли ходить "
    "в обход, мимо пекарни и закрытой мельницы, не задавая лишних вопросов.",
    "Никто не принимал этого решения на заседании. В протоколах совета есть лишь уведомление о "
    "временном закрытии, которое каждую осень продлевают с одной и той же формулировкой.",
    "Мост — это не роскошь, а самый дешёвый общественный транспорт, который может иметь город. "
    "Совету пора опубликовать смету ремонта и открыть переправу до следующей зимы.",
    "Мнение автора может не совпадать с позицией редакции.",
]


def ru_page(meta: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in RU_BODY)
    return (
        f"<html lang='ru'><head>{meta}<title>{RU_TITLE}</title></head><body><article>"
        f"<h1>{RU_TITLE}</h1>{body}</article></body></html>"
    )


@pytest.mark.parametrize(
    ("meta", "content_type"),
    [
        ("<meta charset='windows-1251'>", "text/html"),
        ("<meta http-equiv='Content-Type' content='text/html; charset=windows-1251'>", None),
        ("", "text/html; charset=windows-1251"),
        ("", None),  # no label at all: detection
        ("", "text/html; charset=utf-8"),  # mislabelled: the label must lose
    ],
)
def test_windows_1251_pages_decode_to_clean_cyrillic(meta: str, content_type: str | None) -> None:
    body = ru_page(meta).encode("windows-1251")
    rec = record(body, content_type=content_type)
    assert RU_BODY[0] in rec.text, f"Cyrillic garbled: {rec.text[:80]!r}"
    assert "\ufffd" not in rec.text and "Ð" not in rec.text
    assert rec.language == "ru"
    assert RU_BODY[3] not in rec.text, "the Russian opinion disclaimer must be removed"


def test_utf8_bytes_labelled_windows_1251_decode_as_utf8() -> None:
    body = ru_page("<meta charset='windows-1251'>").encode("utf-8")
    rec = record(body, content_type="text/html; charset=windows-1251")
    assert RU_BODY[0] in rec.text


# --- metadata ----------------------------------------------------------------------------

JSON_LD = {
    "@context": "https://schema.org",
    "@graph": [
        {"@type": "WebSite", "name": "The Ledger"},
        {
            "@type": "OpinionNewsArticle",
            "headline": "The quiet bridge",
            "description": "Why a closed footbridge matters more than it seems.",
            "author": [
                {"@type": "Person", "name": "Mara Quill"},
                {"@type": "Organization", "name": "The Ledger"},
            ],
            "publisher": {"@type": "Organization", "name": "The Ledger"},
            "datePublished": "2024-05-02T09:30:00+02:00",
            "dateModified": "2024-05-03T10:00:00Z",
            "articleSection": "Opinion",
            "keywords": "towns, transport, budgets",
        },
    ],
}
OPEN_GRAPH = (
    "<meta property='og:title' content='OG: the quiet bridge'>"
    "<meta property='og:description' content='An OpenGraph standfirst.'>"
    "<meta property='og:site_name' content='The Ledger'>"
    "<meta property='article:published_time' content='2024-05-01T08:00:00Z'>"
    "<meta property='article:section' content='Comment'>"
    "<meta property='article:tag' content='bridges'><meta property='article:tag' content='towns'>"
    "<meta name='author' content='By Ada Rowe and Tom Field'>"
    "<link rel='canonical' href='https://example-ledger.test/opinion/2024/05/the-quiet-bridge/"
    "?utm_source=rss#top'>"
)


def test_metadata_from_json_ld_wins_over_open_graph() -> None:
    head = f"<script type='application/ld+json'>{json.dumps(JSON_LD)}</script>{OPEN_GRAPH}"
    rec = record(page_html(BODY, head=head))
    assert rec.title == "The quiet bridge"
    assert rec.description == "Why a closed footbridge matters more than it seems."
    assert rec.authors == ["Mara Quill"], "organizations are no authors"
    assert rec.published_at == datetime(2024, 5, 2, 7, 30, tzinfo=UTC)
    assert rec.modified_at == datetime(2024, 5, 3, 10, 0, tzinfo=UTC)
    assert rec.section == "Opinion"
    assert rec.tags == ["towns", "transport", "budgets"]
    assert rec.canonical_url == "https://example-ledger.test/opinion/2024/05/the-quiet-bridge"


def test_metadata_from_open_graph() -> None:
    rec = record(page_html(BODY, head=OPEN_GRAPH))
    assert rec.title == "OG: the quiet bridge"
    assert rec.description == "An OpenGraph standfirst."
    assert rec.authors == ["Ada Rowe", "Tom Field"]
    assert rec.published_at == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    assert rec.section == "Comment"
    assert rec.tags == ["bridges", "towns"]


def test_metadata_from_a_plain_page() -> None:
    before = "<p class='byline'>By Mara Quill</p><time datetime='2024-04-30'>30 April</time>"
    rec = record(page_html(BODY, before=before), rules=ExtractRules(section="opinion"))
    assert rec.title == "The quiet bridge"
    assert rec.authors == ["Mara Quill"]
    assert rec.published_at == datetime(2024, 4, 30, tzinfo=UTC)
    assert rec.section == "opinion", "the profile's default section"
    assert rec.language == "en"
    assert rec.canonical_url == URL
    assert rec.word_count == len(re.findall(r"\w+", "\n\n".join(BODY)))
    assert rec.extractor == EXTRACTOR_VERSION and rec.site == "ledger"
    assert rec.http_status == 200


# --- canonical URLs and hashes -----------------------------------------------------------


def test_normalize_url() -> None:
    url = "HTTPS://News.Example.COM:443/a/b/?utm_source=x&b=2&fbclid=z&a=1&gclid=q&ref=tw#c"
    assert normalize_url(url) == "https://news.example.com/a/b?a=1&b=2"
    assert normalize_url("http://example.com:8080/x") == "http://example.com:8080/x"
    assert normalize_url("https://example.com/x") == "https://example.com/x", "no slash added"


def test_canonical_url_must_stay_on_the_registered_domain() -> None:
    page = "https://www.example.co.uk/story?id=7"
    assert (
        canonical_url(page, ["https://amp.example.co.uk/story"])
        == "https://amp.example.co.uk/story"
    )
    assert canonical_url(page, ["https://elsewhere.co.uk/story"]) == page
    assert canonical_url(page, ["/story/"]) == "https://www.example.co.uk/story"


def test_content_hash_ignores_whitespace_and_case_but_not_words() -> None:
    text = "The bridge\n\nis closed."
    assert content_hash(text) == content_hash("  the   BRIDGE is\tclosed. ")
    assert content_hash(text) == content_hash("The bridge\u00a0is closed.")
    assert content_hash(text) != content_hash("The bridge is open.")
    rec_a = record(page_html(BODY))
    rec_b = record(page_html(BODY).replace("</p>", "</p>\n\n   "))
    assert rec_a.content_hash == rec_b.content_hash


# --- rejections --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        (b"%PDF-1.7\n1 0 obj", "application/pdf", RejectReason.NOT_HTML),
        (b"%PDF-1.7\n1 0 obj", "text/html", RejectReason.NOT_HTML),
        (b"\x89PNG\r\n\x1a\n\x00\x00", None, RejectReason.NOT_HTML),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "text/html", RejectReason.NOT_HTML),
        (b'{"headline": "not a page"}', "text/html", RejectReason.NOT_HTML),
        (b"<?xml version='1.0'?><rss><channel></channel></rss>", None, RejectReason.NOT_HTML),
        (b"<html></html>", "image/png", RejectReason.NOT_HTML),
        (b"", "text/html", RejectReason.EMPTY_PAGE),
        (b"  \n\t ", "text/html", RejectReason.EMPTY_PAGE),
        (bytes(range(256)) * 40, "text/html", RejectReason.UNDECODABLE),
        (b"<html><body><p>Too short.</p></body></html>", "text/html", RejectReason.NO_ARTICLE),
    ],
)
def test_rejections(body: bytes, content_type: str | None, reason: str) -> None:
    result = run(body, content_type=content_type)
    assert isinstance(result, Rejection), f"expected {reason}, got a record"
    assert result.reason == reason, result.detail


def test_too_large() -> None:
    result = run(page_html(BODY), rules=ExtractRules(max_bytes=100))
    assert isinstance(result, Rejection) and result.reason == RejectReason.TOO_LARGE


def test_unexpected_errors_become_extraction_failed(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_: object, **__: object) -> None:
        raise RuntimeError("parser exploded")

    monkeypatch.setattr("pipelines.extraction.core.read_metadata", boom)
    result = run(page_html(BODY))
    assert isinstance(result, Rejection)
    assert result.reason == RejectReason.EXTRACTION_FAILED
    assert result.detail == "RuntimeError: parser exploded"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    body=st.one_of(
        st.binary(max_size=2000),
        st.text(max_size=500).map(lambda t: f"<html><body><p>{t}</p></body></html>".encode()),
    ),
    content_type=st.sampled_from(
        [
            None,
            "text/html",
            "text/html; charset=utf-8",
            "text/html; charset=bogus",
            "application/octet-stream",
        ]
    ),
)
def test_arbitrary_bytes_never_raise(body: bytes, content_type: str | None) -> None:
    result = extract(Page(url="https://example.test/a", body=body, content_type=content_type))
    assert isinstance(result, ArticleRecord | Rejection)
    if isinstance(result, Rejection):
        assert result.reason in RejectReason.all()


def test_removed_kinds_come_from_the_documented_vocabulary() -> None:
    paragraphs = [*BODY, APPEAL, NEWSLETTER, DISCLAIMER, "Photo: Ada Rowe / Ledger Pictures"]
    rec = record(page_html(paragraphs, after="<div class='share-bar'>Share on Mastodon</div>"))
    assert rec.removed, "something should have been removed"
    for item in rec.removed:
        assert item.kind in REMOVED_KINDS, f"undocumented kind {item.kind}"
        assert item.text and len(item.text) <= 500


# --- standfirst ---------------------------------------------------------------------------

STANDFIRST = (
    "Three winters of detours have split a neighbourhood; the repair costs less than the bus."
)


def _with_description(html: str) -> str:
    return html.replace("</head>", f"<meta name='description' content='{STANDFIRST}'></head>")


def test_standfirst_shown_above_the_body_leads_the_text() -> None:
    page = _with_description(page_html(BODY, before=f"<p class='dek'>{STANDFIRST}</p>"))
    rec = record(page)
    assert rec.description == STANDFIRST
    assert rec.text.split("\n\n")[:2] == [STANDFIRST, BODY[0]]


def test_standfirst_outside_the_article_container_is_restored() -> None:
    page = _with_description(page_html(BODY)).replace(
        "<main>",
        f"<main><div class='hero'><h1>x</h1><div class='hero__dek'>{STANDFIRST}</div></div>",
    )
    assert record(page).text.split("\n\n")[0] == STANDFIRST


@pytest.mark.parametrize(
    "where",
    [
        "",  # only in the metadata: readers never see it
        f"<figure><img src='a.jpg'><figcaption>{STANDFIRST}</figcaption></figure>",
    ],
)
def test_description_not_shown_as_a_standfirst_stays_out(where: str) -> None:
    rec = record(_with_description(page_html(BODY, before=where)))
    assert STANDFIRST not in rec.text
    assert rec.text.split("\n\n")[0] == BODY[0]


# --- main text ----------------------------------------------------------------------------


LONG_BODY = [*BODY, *(f"Looking back, {p[0].lower()}{p[1:]}" for p in BODY)]


@pytest.mark.parametrize(("fast_paragraphs", "full_runs"), [(10, False), (3, True)])
def test_full_cascade_runs_only_when_fast_mode_misses_the_body(
    monkeypatch: pytest.MonkeyPatch, fast_paragraphs: int, full_runs: bool
) -> None:
    import trafilatura

    from pipelines.extraction import core

    calls: list[bool] = []
    real = trafilatura.bare_extraction

    def spy(tree: object, **kwargs: object) -> object:
        calls.append(bool(kwargs["fast"]))
        document = real(tree, **kwargs)
        if kwargs["fast"]:  # a fast result that found only part of the body
            body = document.body
            for p in list(body)[fast_paragraphs:]:
                body.remove(p)
        return document

    monkeypatch.setattr(core.trafilatura, "bare_extraction", spy)
    rec = record(page_html(LONG_BODY))
    assert calls == ([True, False] if full_runs else [True])
    assert rec.text.split("\n\n") == LONG_BODY


def test_full_cascade_runs_on_pages_without_paragraph_markup(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import trafilatura

    from pipelines.extraction import core

    calls: list[bool] = []
    real = trafilatura.bare_extraction

    def spy(tree: object, **kwargs: object) -> object:
        calls.append(bool(kwargs["fast"]))
        return real(tree, **kwargs)

    monkeypatch.setattr(core.trafilatura, "bare_extraction", spy)
    legacy = page_html(BODY).replace("<p>", "").replace("</p>", "<br><br>")
    record(legacy)
    assert calls == [False]


# --- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("March 6, 2026, 14:03", datetime(2026, 3, 6, 14, 3, tzinfo=UTC)),
        ("Sept 3, 2025", datetime(2025, 9, 3, tzinfo=UTC)),
        ("6 March 2026", datetime(2026, 3, 6, tzinfo=UTC)),
        ("March 6, 2026 at 2:03 pm", datetime(2026, 3, 6, 14, 3, tzinfo=UTC)),
        ("9 марта 2026 г., 16:36", datetime(2026, 3, 9, 16, 36, tzinfo=UTC)),
        ("12.03.2026 11:40", datetime(2026, 3, 12, 11, 40, tzinfo=UTC)),
        ("2026-03-12T11:40:00+0100", datetime(2026, 3, 12, 10, 40, tzinfo=UTC)),
        ("Thu, 09/25/2025 - 11:38", datetime(2025, 9, 25, 11, 38, tzinfo=UTC)),  # dateparser
        ("February 30, 2026", None),
        ("the spring of 1066", None),
    ],
)
def test_header_dates_parse_to_utc(text: str, expected: datetime | None) -> None:
    from pipelines.extraction.dates import parse_date

    assert parse_date(text, languages=["en", "ru"]) == expected


# --- language -----------------------------------------------------------------------------

GERMAN = (
    "Die alte Fußgängerbrücke über den Kanal ist seit drei Wintern gesperrt, und die Stadt hat "
    "gelernt, den langen Weg zu gehen, vorbei an der Bäckerei und der stillgelegten Mühle. "
    "Niemand hat das in einer Sitzung beschlossen. Die Protokolle des Rates zeigen eine "
    "vorläufige Sperrung, die jeden Herbst verlängert wird, jedes Mal mit denselben Worten."
)
RUSSIAN = (
    "Старый пешеходный мост через канал закрыт уже третью зиму, и город привык ходить в обход, "
    "мимо пекарни и заброшенной мельницы. Никто не принимал этого решения на заседании. "
    "В протоколах совета есть только уведомление о временном закрытии, которое продлевают "
    "каждую осень, всякий раз в одних и тех же осторожных выражениях об инспекциях."
)
UKRAINIAN = (
    "Старий пішохідний міст через канал закритий уже третю зиму, і місто звикло ходити в обхід, "
    "повз пекарню та покинутий млин. Ніхто не ухвалював цього рішення на засіданні. У "
    "протоколах ради є лише повідомлення про тимчасове закриття, яке подовжують щоосені."
)


@pytest.mark.parametrize(
    ("declared", "text", "expected"),
    [
        ("en", " ".join(BODY), "en"),
        ("en", GERMAN, "de"),  # a wrong declaration is overruled by the detector
        ("ru", RUSSIAN, "ru"),
        ("ru", UKRAINIAN, "uk"),
        (None, GERMAN, "de"),
    ],
)
def test_declared_language_is_kept_only_when_the_text_agrees(
    declared: str | None, text: str, expected: str
) -> None:
    from pipelines.extraction.language import decide_language

    assert decide_language(declared, None, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [(" ".join(BODY), "en"), (RUSSIAN, "ru"), (UKRAINIAN, "uk"), (GERMAN, "de")],
)
def test_undeclared_plain_english_or_russian_skips_the_detector(
    monkeypatch: pytest.MonkeyPatch, text: str, expected: str
) -> None:
    from pipelines.extraction import language

    calls: list[str] = []
    detect = language.detect
    monkeypatch.setattr(language, "detect", lambda t: calls.append(t) or detect(t))
    assert language.decide_language(None, None, text) == expected
    assert bool(calls) == (expected not in ("en", "ru"))


SAME_STORY = {
    "es": "El viejo puente peatonal sobre el canal lleva tres inviernos cerrado, y la ciudad ha "
    "aprendido a dar el largo rodeo, por delante de la panadería y del molino abandonado. Nadie "
    "lo decidió en una sesión. Las actas del consejo solo recogen un cierre provisional, que se "
    "prorroga cada otoño, siempre con las mismas palabras prudentes sobre inspecciones.",
    "pt": "A velha ponte pedonal sobre o canal está fechada há três invernos, e a cidade aprendeu "
    "a fazer o longo desvio, passando pela padaria e pelo moinho abandonado. Ninguém o decidiu "
    "numa sessão. As atas do conselho só registam um encerramento provisório, que é prolongado "
    "a cada outono, sempre com as mesmas palavras cautelosas sobre inspeções e relatórios.",
    "it": "Il vecchio ponte pedonale sul canale è chiuso da tre inverni, e la città ha imparato a "
    "fare il lungo giro, davanti alla panetteria e al mulino abbandonato. Nessuno lo ha deciso "
    "in una seduta. I verbali del consiglio riportano solo una chiusura provvisoria, che viene "
    "prorogata ogni autunno, sempre con le stesse parole prudenti sulle ispezioni.",
    "fr": "La vieille passerelle au-dessus du canal est fermée depuis trois hivers, et la ville a "
    "appris à faire le long détour, devant la boulangerie et le moulin abandonné. Personne ne "
    "l'a décidé lors d'une séance. Les procès-verbaux du conseil ne mentionnent qu'une "
    "fermeture provisoire, prolongée chaque automne, avec les mêmes mots prudents.",
    "de": GERMAN,
    "en": " ".join(BODY),
    # Close neighbours of the languages above, and a Germanic one: never plainly any of them
    "ca": "El vell pont per a vianants sobre el canal fa tres hiverns que està tancat, i la "
    "ciutat ha après a fer la volta llarga, per davant de la fleca i del molí abandonat. Ningú "
    "no ho va decidir en una sessió. Les actes del consell només recullen un tancament "
    "provisional, que es prorroga cada tardor, sempre amb les mateixes paraules prudents.",
    "gl": "A vella ponte peonil sobre a canle leva tres invernos pechada, e a cidade aprendeu a "
    "dar o longo rodeo, por diante da panadaría e do muíño abandonado. Ninguén o decidiu nunha "
    "sesión. As actas do consello só recollen un peche provisional, que se prorroga cada "
    "outono, sempre coas mesmas palabras prudentes sobre inspeccións e sobre informes.",
    "nl": "De oude voetgangersbrug over het kanaal is al drie winters dicht, en de stad heeft "
    "geleerd om de lange weg te nemen, langs de bakker en de stilgelegde molen. Niemand heeft "
    "dat in een vergadering besloten. In de notulen van de raad staat alleen een tijdelijke "
    "afsluiting, die elk najaar wordt verlengd, telkens met dezelfde voorzichtige woorden.",
}


@pytest.mark.parametrize("written", sorted(SAME_STORY))
def test_a_declaration_the_text_plainly_agrees_with_skips_the_detector(
    monkeypatch: pytest.MonkeyPatch, written: str
) -> None:
    from pipelines.extraction import language

    calls: list[str] = []
    detect = language.detect
    monkeypatch.setattr(language, "detect", lambda t: calls.append(t) or detect(t))
    text = SAME_STORY[written]
    for declared in sorted(SAME_STORY):
        calls.clear()
        decided = language.decide_language(declared, None, text)
        # Only a text in the language it declares (of those with function-word lists) is
        # taken at its word; any other declaration goes to the detector, which overrules it.
        agrees = declared == written and written in ("de", "en", "es", "fr", "it", "pt")
        assert bool(calls) != agrees, (declared, written)
        assert decided == (declared if agrees else detect(text)[0]), (declared, written)


def test_extracted_pages_are_not_kept_alive_between_pages():
    # The class/id cache once kept lxml's attribute strings as keys, and each of them its
    # whole parsed page: a worker's memory grew by ~20 KB with every page it extracted.
    import gc
    import weakref

    import trafilatura

    from pipelines.extraction import markup

    html = (
        "<html><body><div class='page-{n} donate-box'><p>Give today.</p></div>"
        "<article id='story-{n}'><p>{text}</p></article></body></html>"
    )
    text = "The council met again on Tuesday to discuss the ferry timetable. " * 5
    trees = []
    for n in range(20):
        tree = trafilatura.load_html(html.format(n=n, text=text))
        markup.strip_markup(tree, ())
        trees.append(weakref.ref(tree))
        del tree
    gc.collect()
    assert [ref for ref in trees if ref() is not None] == []
    assert all(type(key) is str for key in markup._kinds)


def test_class_name_cache_is_bounded(monkeypatch):
    from pipelines.extraction import markup

    monkeypatch.setattr(markup, "_KINDS_CACHED", 10)
    for n in range(50):
        assert markup.kind_of(f"story-{n}") is None
    assert markup.kind_of("newsletter-signup") == "newsletter"
    assert len(markup._kinds) <= 10


def test_the_main_text_finder_never_sees_the_elements_it_would_delete_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A legacy page: no <article> or <main>, so the finder reads the whole page, and the
    # menus, asides and footer it deletes whole would cost its copies and XPath passes.
    import trafilatura

    from pipelines.extraction.discarded import DISCARDED_TAGS

    menu = "".join(f"<li><a href='/s/{n}'>Section {n}</a></li>" for n in range(40))
    html = (
        "<html lang='en'><head><title>The quiet bridge</title></head><body>"
        f"<nav><ul>{menu}</ul></nav><div id='wrap'><h1>The quiet bridge</h1>"
        + "".join(f"<p>{p}</p>" for p in BODY)
        + "<aside><p>Our most read stories of the week, picked for you by the desk.</p></aside>"
        "<noscript><p>Turn on scripts to see the comments under this piece.</p></noscript>"
        "<button>Share</button></div><footer><p>The Ledger, 1 Quay Street. All rights"
        " reserved by the publisher and its licensors worldwide.</p></footer></body></html>"
    )
    seen: list[set[str]] = []
    bare_extraction = trafilatura.bare_extraction

    def spy(tree, **kwargs):  # type: ignore[no-untyped-def]
        seen.append({el.tag for el in tree.iter() if isinstance(el.tag, str)})
        return bare_extraction(tree, **kwargs)

    monkeypatch.setattr(trafilatura, "bare_extraction", spy)
    result = record(html)
    assert seen and not any(tags & set(DISCARDED_TAGS) for tags in seen)
    assert result.text == "\n\n".join(BODY)
