"""The date policy: total, windowed, timezone-aware; one policy for pages, feeds and sitemaps."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.dataset.schema import ArticleRecord
from crawler.discovery import feed_links, parse_source_date, sitemap_entries
from crawler.profile import ProfileError, load_profile, load_profiles
from pipelines.extract import rules_for
from pipelines.extraction import ExtractRules, Page, extract
from pipelines.extraction.dates import (
    FUTURE_SLACK,
    PLAUSIBLE_FROM,
    DatePolicy,
    parse_date,
)

NOW = datetime(2026, 3, 21, 6, 0, tzinfo=UTC)
LEAP_DAY = datetime(2028, 2, 29, 12, 0, tzinfo=UTC)
PARAGRAPHS = [
    "The harbour ferry used to leave every twenty minutes, and the whole waterfront was "
    "arranged around that rhythm: the kiosks, the benches, the slow queue of bicycles.",
    "Since the timetable was thinned to one boat an hour, the kiosks have closed one by one, "
    "and the benches face a pier where nobody waits for anything any more.",
    "The operator says the numbers did not justify the old service. The numbers fell because "
    "the service was cut first, which is a curious way to measure demand for anything.",
    "A ferry is a street across water. Nobody would close a street for most of the hour and "
    "then point at the empty pavement as proof that people never wanted to walk there.",
]


def article(head: str = "", body_top: str = "") -> bytes:
    """An article page written for these tests, with extra head markup or a header line."""
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>The harbour ferry | Quay Post</title>{head}</head><body><article>"
        f"<h1>The harbour ferry</h1>{body_top}{paragraphs}</article></body></html>"
    ).encode()


def extracted_dates(
    head: str = "", body_top: str = "", fetched_at: datetime = NOW, zone: str | None = None
) -> tuple[datetime | None, datetime | None]:
    page = Page(url="https://quay.test/opinion/ferry", body=article(head, body_top),
                fetched_at=fetched_at)  # fmt: skip
    record = extract(page, ExtractRules(timezone=zone))
    assert isinstance(record, ArticleRecord), record
    return record.published_at, record.modified_at


def extracted_date(
    head: str = "", body_top: str = "", fetched_at: datetime = NOW, zone: str | None = None
) -> datetime | None:
    return extracted_dates(head, body_top, fetched_at, zone)[0]


def meta_date(value: str) -> str:
    return f"<meta property='article:published_time' content='{value}'>"


# -- the window -------------------------------------------------------------------------------


def test_the_window_is_computed_on_a_leap_day():
    # the window's end was now.replace(year=now.year + 1): ValueError on Feb 29
    assert parse_date("2028-02-28T10:00:00Z", now=LEAP_DAY) == datetime(2028, 2, 28, 10, tzinfo=UTC)
    assert parse_date("29.02.2028", now=LEAP_DAY) == datetime(2028, 2, 29, tzinfo=UTC)
    # a page fetched on a leap day is extracted, not rejected as extraction_failed
    assert extracted_date(meta_date("2028-02-29T08:00:00Z"), fetched_at=LEAP_DAY) == datetime(
        2028, 2, 29, 8, tzinfo=UTC
    )


def test_dates_outside_the_window_are_null_with_a_note():
    policy = DatePolicy(now=NOW)
    assert policy.read("1989-12-31").value is None
    assert policy.read("1989-12-31").note == "implausible"
    assert policy.read("1990-01-01").value == PLAUSIBLE_FROM
    edge = NOW + FUTURE_SLACK
    assert policy.read(edge.isoformat()).value == edge
    assert policy.read((edge + timedelta(minutes=1)).isoformat()).note == "implausible"
    assert policy.read("2027-03-21").note == "implausible", "a year ahead is a typo, not news"


@pytest.mark.parametrize(
    "value",
    [
        "9999-12-31T23:00:00-05:00",
        "0001-01-01T00:00:00+05:00",
        "Fri, 31 Dec 9999 23:00:00 -0500",
        "Mon, 01 Jan 0001 00:00:00 +0500",
        "0001-01-01",
    ],
)
def test_extreme_years_with_offsets_are_implausible_not_errors(value):
    reading = DatePolicy(now=NOW).read(value)
    assert reading.value is None and reading.note == "implausible"


def test_a_future_page_date_is_judged_by_the_fetch_time():
    head = meta_date("2026-03-25T09:00:00Z")
    assert extracted_date(head, fetched_at=NOW) is None
    assert extracted_date(head, fetched_at=NOW + timedelta(days=5)) == datetime(
        2026, 3, 25, 9, tzinfo=UTC
    )


# -- nothing invented -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["yesterday", "3 hours ago", "Today, 14:30", "вчера в 10:00", "2 дня назад"]
)
def test_relative_dates_are_not_turned_into_timestamps(value):
    reading = DatePolicy(now=NOW).read(value, languages=["en", "ru"])
    assert reading.value is None and reading.note == "relative"


@pytest.mark.parametrize("value", ["March 5", "15:30", "2026", "1700000000"])
def test_incomplete_dates_are_not_completed_with_today(value):
    assert parse_date(value, now=NOW, languages=["en"]) is None


@pytest.mark.parametrize(
    "value",
    [
        "31/02/2026 25:61",
        "31/02/2026",
        "2026-02-30",
        "30.02.2026 10:00",
        "February 31, 2026",
        "31 февраля 2026 г., 10:00",
        "2026-03-06T25:61",
        "2026-03-06 14:75",
        "Mon, 30 Feb 2026 10:00:00 GMT",
        "2027-02-29",
    ],
)
def test_impossible_dates_are_not_rolled_over(value):
    reading = DatePolicy(now=NOW).read(value)
    assert reading.value is None and reading.note == "impossible"


def test_a_refused_date_is_noted_in_the_record():
    page = Page(url="https://quay.test/opinion/ferry", fetched_at=NOW,
                body=article(meta_date("31/02/2026 25:61")))  # fmt: skip
    record = extract(page)
    assert isinstance(record, ArticleRecord) and record.published_at is None
    notes = [r.text for r in record.removed if r.kind == "date"]
    assert notes == ["published_at: '31/02/2026 25:61' is impossible"]


def test_an_impossible_page_date_is_not_replaced_by_a_guess():
    # htmldate read "31/02/2026 25:61" as 2026-02-01: a declared bad date stays null
    assert extracted_date(meta_date("31/02/2026 25:61")) is None
    ld = {"@type": "NewsArticle", "datePublished": "yesterday"}
    assert extracted_date(f"<script type='application/ld+json'>{json.dumps(ld)}</script>") is None


def test_a_month_first_dotted_date_is_read_when_day_first_is_impossible():
    assert parse_date("12.18.2025", now=NOW) == datetime(2025, 12, 18, tzinfo=UTC)
    assert parse_date("06.03.2026", now=NOW) == datetime(2026, 3, 6, tzinfo=UTC)


# -- time of day and timezone -----------------------------------------------------------------


def test_a_web_page_graph_date_keeps_its_time_of_day():
    # SEO plugins put datePublished on the WebPage of a graph with no article object
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "name": "Quay Post"},
        {"@type": "WebPage", "name": "The harbour ferry",
         "datePublished": "2026-03-06T14:03:00+01:00", "dateModified": "2026-03-07T09:00:00Z"},
    ]}  # fmt: skip
    head = f"<script type='application/ld+json'>{json.dumps(graph)}</script>"
    assert extracted_date(head) == datetime(2026, 3, 6, 13, 3, tzinfo=UTC)


def test_a_date_without_a_time_is_midnight_of_the_site_zone():
    assert parse_date("2026-01-01", now=NOW, timezone="Europe/Moscow") == datetime(
        2025, 12, 31, 21, tzinfo=UTC
    )
    assert extracted_date(meta_date("2026-03-06"), zone="Europe/Moscow") == datetime(
        2026, 3, 5, 21, tzinfo=UTC
    )


def test_a_local_time_without_offset_is_read_in_the_site_zone():
    head = meta_date("2026-03-06T14:03:00")
    assert extracted_date(head) == datetime(2026, 3, 6, 14, 3, tzinfo=UTC)
    assert extracted_date(head, zone="Europe/Moscow") == datetime(2026, 3, 6, 11, 3, tzinfo=UTC)
    written = "<p>9 марта 2026 г., 16:36</p>"
    assert extracted_date(body_top=written, zone="Europe/Moscow") == datetime(
        2026, 3, 9, 13, 36, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("line", "zone", "published", "modified"),
    [
        ("20 марта 2026 г., 02:16 (обновлено 21 марта 2026 г., 00:34)", "Europe/Moscow",
         datetime(2026, 3, 19, 23, 16, tzinfo=UTC), datetime(2026, 3, 20, 21, 34, tzinfo=UTC)),
        ("March 3, 2026. Updated: March 7, 2026", None,
         datetime(2026, 3, 3, tzinfo=UTC), datetime(2026, 3, 7, tzinfo=UTC)),
        ("Last updated March 7, 2026 10:00</p><p>March 3, 2026 09:30", "America/New_York",
         datetime(2026, 3, 3, 14, 30, tzinfo=UTC), datetime(2026, 3, 7, 15, tzinfo=UTC)),
    ],
)  # fmt: skip
def test_an_updated_line_dates_the_modification_not_the_publication(
    line, zone, published, modified
):
    assert extracted_dates(body_top=f"<p>{line}</p>", zone=zone) == (published, modified)


def test_an_explicit_offset_wins_over_the_site_zone():
    assert parse_date(
        "2026-03-06T14:03:00+03:00", now=NOW, timezone="America/New_York"
    ) == datetime(2026, 3, 6, 11, 3, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "local", "utc"),
    [
        # New Year across the date line of the partition: the month changes in UTC
        ("America/New_York", "2026-12-31 23:30", datetime(2027, 1, 1, 4, 30, tzinfo=UTC)),
        ("Europe/London", "2027-01-01 00:30", datetime(2027, 1, 1, 0, 30, tzinfo=UTC)),
        # Europe/London: GMT until 01:00 UTC on 2026-03-29, BST until 01:00 UTC on 2026-10-25
        ("Europe/London", "2026-03-29 00:30", datetime(2026, 3, 29, 0, 30, tzinfo=UTC)),
        ("Europe/London", "2026-03-29 02:30", datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),
        ("Europe/London", "2026-10-24 23:30", datetime(2026, 10, 24, 22, 30, tzinfo=UTC)),
        ("Europe/London", "2026-10-25 03:00", datetime(2026, 10, 25, 3, 0, tzinfo=UTC)),
        # America/New_York: EST until 2026-03-08 02:00 local, EDT until 2026-11-01 02:00
        ("America/New_York", "2026-03-07 12:00", datetime(2026, 3, 7, 17, tzinfo=UTC)),
        ("America/New_York", "2026-03-08 03:30", datetime(2026, 3, 8, 7, 30, tzinfo=UTC)),
        ("America/New_York", "2026-11-01 03:00", datetime(2026, 11, 1, 8, tzinfo=UTC)),
        ("Europe/Moscow", "2026-02-28 23:59", datetime(2026, 2, 28, 20, 59, tzinfo=UTC)),
    ],
)
def test_calendar_and_daylight_saving_edges(zone, local, utc):
    clock = datetime(2027, 6, 1, tzinfo=UTC)
    assert parse_date(local, now=clock, timezone=zone) == utc


def test_a_nonexistent_local_time_still_yields_an_instant():
    # 02:30 does not exist in New York on 2026-03-08; it must not raise or vanish
    got = parse_date("2026-03-08 02:30", now=NOW, timezone="America/New_York")
    assert got is not None and got.tzinfo is UTC


# -- discovery uses the same policy -----------------------------------------------------------

SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>http://quay.test/opinion/a</loc><lastmod>9999-12-31T23:00:00-05:00</lastmod></url>
<url><loc>http://quay.test/opinion/b</loc><lastmod>0001-01-01T00:00:00+05:00</lastmod></url>
<url><loc>http://quay.test/opinion/c</loc></url>
<url><loc>http://quay.test/opinion/d</loc><lastmod>2026-02-30</lastmod></url>
<url><loc>http://quay.test/opinion/e</loc><lastmod>2026-03-20</lastmod></url>
</urlset>"""

FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Quay Post</title>
<item><link>http://quay.test/opinion/x</link>
  <pubDate>Mon, 01 Jan 0001 00:00:00 +0500</pubDate></item>
<item><link>http://quay.test/opinion/y</link><pubDate>yesterday</pubDate></item>
<item><link>http://quay.test/opinion/z</link>
  <pubDate>Fri, 20 Mar 2026 08:56:00 +0300</pubDate></item>
</channel></rss>"""


def test_a_sitemap_keeps_every_entry_whatever_its_lastmod():
    dates = DatePolicy("Europe/Moscow", NOW)
    problems: list[str] = []
    found = sitemap_entries(SITEMAP, "http://quay.test/s.xml", 0, dates, problems=problems)
    entries = [link for _, link in found]
    got = {link.url.rsplit("/", 1)[-1]: link.changed_at for link in entries}
    assert list(got) == ["a", "b", "c", "d", "e"]
    assert got["a"] is None and got["b"] is None and got["c"] is None and got["d"] is None
    assert got["e"] == datetime(2026, 3, 19, 21, tzinfo=UTC), "a day of the site's zone"
    assert problems == ["date_implausible", "date_implausible", "date_impossible"]


def test_a_feed_keeps_every_item_whatever_its_date():
    problems: list[str] = []
    links = feed_links(FEED, "http://quay.test/rss", DatePolicy(now=NOW), problems=problems)
    assert [link.url[-1] for link in links] == ["x", "y", "z"]
    assert problems == ["date_implausible", "date_relative"]
    assert [link.changed_at for link in links] == [
        None, None, datetime(2026, 3, 20, 5, 56, tzinfo=UTC),
    ]  # fmt: skip


def test_a_feed_entry_falls_back_to_its_good_date():
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry>
    <link href="http://quay.test/opinion/w"/><updated>2026-13-01T00:00:00Z</updated>
    <published>2026-03-01T10:00:00Z</published></entry></feed>"""
    (link,) = feed_links(atom, "http://quay.test/atom", DatePolicy(now=NOW))
    assert link.changed_at == datetime(2026, 3, 1, 10, tzinfo=UTC)


# -- fuzz: nothing raises, anything kept is inside the window ---------------------------------


def _inside(value: datetime | None, now: datetime) -> bool:
    return value is None or (
        value.tzinfo is not None and PLAUSIBLE_FROM <= value <= now + FUTURE_SLACK
    )


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.sampled_from([None, "Europe/London", "Pacific/Kiritimati"]))
def test_any_string_reads_without_raising(text, zone):
    policy = DatePolicy(zone, LEAP_DAY)
    assert _inside(policy.read(text, free_text=False).value, LEAP_DAY)
    assert _inside(parse_source_date(text, policy), LEAP_DAY)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=40))
def test_any_string_reads_without_raising_in_free_text(text):
    assert _inside(DatePolicy(None, LEAP_DAY).read(text, languages=["en", "ru"]).value, LEAP_DAY)


@settings(max_examples=150, deadline=None)
@given(
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59)),
    st.integers(min_value=-14 * 60, max_value=14 * 60),
    st.sampled_from(["iso", "rfc822", "date", "naive"]),
    st.sampled_from([None, "Europe/Moscow", "America/New_York"]),
)
def test_any_year_and_offset_reads_without_raising(moment, offset, form, zone):
    aware = moment.replace(tzinfo=timezone(timedelta(minutes=offset)))
    text = {
        "iso": aware.isoformat(),
        "rfc822": aware.strftime("%a, %d %b %Y %H:%M:%S %z"),
        "date": f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}",
        "naive": moment.isoformat(sep=" "),
    }[form]
    policy = DatePolicy(zone, LEAP_DAY)
    reading = policy.read(text, languages=["en"])
    assert _inside(reading.value, LEAP_DAY)
    if form == "iso" and PLAUSIBLE_FROM + timedelta(days=1) < aware < LEAP_DAY:
        assert reading.value == aware.astimezone(UTC), "a plausible ISO date is kept exactly"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(st.characters(exclude_categories=("Cs",)), max_size=40), max_size=5))
def test_sitemap_entries_survive_any_lastmod(lastmods):
    from xml.sax.saxutils import escape

    rows = "".join(
        f"<url><loc>http://quay.test/opinion/{i}</loc><lastmod>{escape(m)}</lastmod></url>"
        for i, m in enumerate(lastmods)
    )
    xml = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</urlset>'
    data = xml.encode("utf-8")
    entries = list(sitemap_entries(data, "http://quay.test/s.xml", 0, DatePolicy(now=NOW)))
    assert len(entries) <= len(lastmods)
    assert all(_inside(link.changed_at, NOW) for _, link in entries)


# -- the profile's timezone -------------------------------------------------------------------

PROFILE = """
name = "quay"
domains = ["quay.test"]
start_urls = ["http://quay.test/opinion/"]
{zone}
[articles]
allow = ['^http://quay\\.test/opinion/\\w+$']
"""


@pytest.mark.parametrize("zone", ['"Mars/Olympus"', '"+03:00"', '""', "3"])
def test_a_profile_timezone_must_be_an_iana_name(tmp_path, zone):
    path = tmp_path / "quay.toml"
    path.write_text(PROFILE.format(zone=f"timezone = {zone}"), encoding="utf-8")
    with pytest.raises(ProfileError) as error:
        load_profile(path)
    assert error.value.field == "timezone" and str(path) in str(error.value)


def test_the_profile_timezone_reaches_extraction(tmp_path):
    path = tmp_path / "quay.toml"
    path.write_text(PROFILE.format(zone='timezone = "Europe/Moscow"'), encoding="utf-8")
    profile = load_profile(path)
    assert profile.timezone == "Europe/Moscow"
    assert rules_for(profile, 1_000_000).timezone == "Europe/Moscow"
    gazette = load_profiles()["demo-gazette"]
    assert gazette.timezone == "Europe/Moscow", "the demo gazette prints Moscow time"


@pytest.fixture
def asked(monkeypatch) -> list[object]:
    """The languages each call hands the date parser, in order."""
    import pipelines.extraction.dates as dates

    calls: list[object] = []
    real = dates._free_text

    def free_text(text, languages):
        calls.append(languages)
        return real(text, languages)

    monkeypatch.setattr(dates, "_free_text", free_text)
    return calls


ITALIAN = [
    "Il traghetto del porto partiva ogni venti minuti, e tutto il lungomare viveva a quel "
    "ritmo: le edicole, le panchine, la lenta fila di biciclette accanto al molo.",
    "Da quando l'orario è stato ridotto a una corsa all'ora, le edicole hanno chiuso una "
    "dopo l'altra, e le panchine guardano un molo dove nessuno aspetta più niente.",
    "La società dice che i numeri non giustificavano il vecchio servizio. I numeri sono scesi "
    "perché prima è stato tagliato il servizio, un modo curioso di misurare la domanda.",
]


def test_a_page_without_a_declared_language_has_its_written_date_read_in_its_own(asked):
    # Given no language, the date parser loads and tries all of its ~200: ~1 s and ~34 MB of
    # an extraction worker at its first such page, again after every recycle.
    paragraphs = "".join(f"<p>{p}</p>" for p in ITALIAN)
    body = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>Il traghetto</title>"
            "</head><body><article><h1>Il traghetto</h1><p>Pubblicato il 3 marzo 2026</p>"
            f"{paragraphs}</article></body></html>").encode()  # fmt: skip
    record = extract(Page(url="https://molo.test/opinion/traghetto", body=body, fetched_at=NOW))
    assert isinstance(record, ArticleRecord), record
    assert record.published_at == datetime(2026, 3, 3, tzinfo=UTC)
    assert asked and all(languages and "it" in languages for languages in asked), asked


def test_a_language_the_date_parser_does_not_know_still_gives_it_one(asked):
    head = meta_date("Tuesday, 3 March 2026")
    page = article(head).replace(b"lang='en'", b"lang='xx'")  # no such language
    record = extract(Page(url="https://quay.test/opinion/ferry", body=page, fetched_at=NOW))
    assert isinstance(record, ArticleRecord), record
    assert record.published_at == datetime(2026, 3, 3, tzinfo=UTC)
    assert asked and all(asked), asked


def test_an_exact_date_of_a_page_without_a_declared_language_needs_no_language_guess(
    monkeypatch,
):
    # the guess reads every paragraph and may run the detector: only the date parser needs it
    def guess(_tree):
        raise AssertionError("language guessed for an exact date")

    monkeypatch.setattr("pipelines.extraction.pagedates._reads_as", guess)
    page = article(meta_date("2026-03-03T10:00:00Z")).replace(b" lang='en'", b"")
    record = extract(Page(url="https://quay.test/opinion/ferry", body=page, fetched_at=NOW))
    assert isinstance(record, ArticleRecord), record
    assert record.published_at == datetime(2026, 3, 3, 10, tzinfo=UTC)


def test_the_date_parser_is_given_only_languages_it_knows():
    from pipelines.extraction.dates import parser_languages

    assert parser_languages(["zxx", None, "es", "en", "es"]) == ["es", "en"]
