"""Profiles that would hang or leak a crawl are refused at load; the real URL forms match."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from crawler.profile import ProfileError, load_profile, load_profiles
from crawler.urlpattern import PatternError, UrlPattern, nested_quantifier

VALID = """
name = "site"
domains = ["example.org"]
start_urls = ["http://www.example.org/opinion/"]
[articles]
allow = ['^http://www\\.example\\.org/opinion/\\d+$']
"""

# URL forms of each real site as the public facts describe them (see each profile's comments).
OPINION = {
    "moscowtimes": [
        "https://www.themoscowtimes.com/2024/05/14/the-quiet-summer-ahead-a85123",
        "https://www.themoscowtimes.com/2023/01/02/why-2023-will-be-different-a79841",
    ],
    "guardian-commentisfree": [
        "https://www.theguardian.com/commentisfree/2024/may/14/the-case-for-slower-cities",
        "https://www.theguardian.com/australia-news/commentisfree/2024/may/14/a-column",
        "https://www.theguardian.com/technology/commentisfree/2023/nov/02/ai-and-us",
        "https://www.theguardian.com/commentisfree/2024/jun/01/the-guardian-view-on-rain",
    ],
    "aljazeera-opinion": [
        "https://www.aljazeera.com/opinions/2024/5/4/what-the-election-means",
        "https://www.aljazeera.com/opinions/2023/12/14/a-year-of-war?traffic_source=rss",
        "https://www.aljazeera.com/opinions/2025/10/1/a-slug-with-2-digits/",
    ],
    "nytimes-opinion": [
        "https://www.nytimes.com/2024/05/14/opinion/housing-policy-cities.html",
        "https://www.nytimes.com/2024/05/14/opinion/editorials/a-board-view.html",
        "https://www.nytimes.com/2023/02/26/opinion/sunday/long-read.html",
        "https://www.nytimes.com/2022/09/01/opinion/international-world/abroad.html",
    ],
    "washingtonpost-opinions": [
        "https://www.washingtonpost.com/opinions/2024/05/14/budget-deal-congress/",
        "https://www.washingtonpost.com/opinions/2024/05/14/budget-deal-congress",
        "https://www.washingtonpost.com/opinions/2022/03/01/a-column/?utm_source=rss",
        "https://www.washingtonpost.com/opinions/interactive/2024/long-essay-on-water/",
    ],
}
NOT_OPINION = {
    "moscowtimes": [
        "https://www.themoscowtimes.com/opinion",
        "https://www.themoscowtimes.com/opinion/19",
    ],
    "guardian-commentisfree": [
        "https://www.theguardian.com/world/2024/may/14/a-news-story",
        "https://www.theguardian.com/commentisfree/picture/2024/may/14/a-cartoon",
        "https://www.theguardian.com/commentisfree",
    ],
    "aljazeera-opinion": [
        "https://www.aljazeera.com/news/2024/5/14/a-news-story?traffic_source=rss",
        "https://www.aljazeera.com/opinion/",
    ],
    "nytimes-opinion": [
        "https://www.nytimes.com/2024/05/14/us/politics/a-news-story.html",
        "https://www.nytimes.com/interactive/2024/05/14/opinion/a-chart.html",
        "https://www.nytimes.com/live/2024/05/14/opinion/debate",
    ],
    "washingtonpost-opinions": [
        "https://www.washingtonpost.com/politics/2024/05/14/a-news-story/",
        "https://www.washingtonpost.com/opinions/",
    ],
}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(OPINION))
def test_real_profiles_match_every_documented_url_form(name):
    profile = load_profiles()[name]
    for url in OPINION[name]:
        assert profile.is_article(url), url
    for url in NOT_OPINION[name]:
        assert not profile.is_article(url), url


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ("[politeness]\nconcurrency = 0\n", "politeness.concurrency"),
        ("[politeness]\nconcurrency = -2\n", "politeness.concurrency"),
        ("[politeness]\ndownload_delay = -1\n", "politeness.download_delay"),
        ("[pagination]\ntemplate = 'http://www.example.org/more/'\n", "pagination.template"),
        ("[pagination]\ntemplate = 'http://other.org/{offset}'\n", "pagination.template"),
        ("[pagination]\ntemplate = 'http://www.example.org/{offset}'\nstep = 0\n", "pagination"),
        ("[sitemap_index]\nmax_age_days = 0\n", "sitemap_index.max_age_days"),
        ("[sections]\nwant = ['opinion']\nselector = 'p[['\n", "sections.selector"),
    ],
)
def test_values_that_would_hang_are_refused(tmp_path, extra, field):
    path = write(tmp_path, VALID + extra)
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    assert info.value.field == field
    assert str(path) in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize("suffix", ["com", "co.uk", "CO.UK", "рф"])
def test_public_suffix_domains_are_refused(tmp_path, suffix):
    text = VALID.replace('["example.org"]', f'["example.org", "{suffix}"]')
    with pytest.raises(ProfileError, match="public suffix") as info:
        load_profile(write(tmp_path, text))
    assert info.value.field == "domains"


@pytest.mark.parametrize("bad", ["http://example.org", "example.org/opinion", "exa mple.org"])
def test_malformed_domains_are_refused(tmp_path, bad):
    with pytest.raises(ProfileError) as info:
        load_profile(write(tmp_path, VALID.replace('"example.org"', f'"{bad}"')))
    assert info.value.field == "domains"


IDN = """
name = "site"
domains = ["{form}"]
start_urls = ["http://www.{form}/opinion/"]
[articles]
allow = ['^http://www\\.xn--e1afmkfd\\.xn--p1ai/opinion/\\d+$']
"""


@pytest.mark.parametrize("form", ["пример.рф", "xn--e1afmkfd.xn--p1ai"])
def test_internationalized_domains_are_stored_as_punycode(tmp_path, form):
    profile = load_profile(write(tmp_path, IDN.format(form=form)))
    assert profile.domains == ("xn--e1afmkfd.xn--p1ai",)
    # Scrapy requests carry the punycode host; a Unicode URL is on the domain too.
    assert profile.on_domain("http://www.xn--e1afmkfd.xn--p1ai/opinion/1")
    assert profile.on_domain("http://www.пример.рф/opinion/1")
    assert profile.is_article("http://www.xn--e1afmkfd.xn--p1ai/opinion/1")


EVIL = """
name = "site"
domains = ["example.org"]
start_urls = ["http://www.example.org/opinion/"]
[articles]
allow = ['^http://www\\.example\\.org/([a-z0-9]+-?)+$']
"""


def test_catastrophic_pattern_is_matched_in_linear_time_or_refused(tmp_path):
    try:
        profile = load_profile(write(tmp_path, EVIL))
    except ProfileError as exc:  # no linear-time engine installed: refused at load
        assert exc.field == "articles.allow"
        return
    started = time.perf_counter()
    assert not profile.is_article("http://www.example.org/" + "a" * 40 + "!")
    assert time.perf_counter() - started < 0.5


def test_nested_quantifiers_are_detected_for_the_fallback_engine():
    assert nested_quantifier(r"([a-z0-9]+-?)+$")
    assert nested_quantifier(r"(?:\w*/)*x")
    assert nested_quantifier(r"^(a|(b+))*$")
    assert not nested_quantifier(r"^/\d{4}/\d{2}/[a-z0-9-]+-a\d+$")
    assert not nested_quantifier(r"(?:[a-z0-9-]+/)?commentisfree/")
    assert not nested_quantifier(r"(\d{4}/)+")


def test_over_long_urls_never_match():
    pattern = UrlPattern("^https://x\\.org/")
    assert pattern.search("https://x.org/a")
    assert not pattern.search("https://x.org/" + "a" * 5000)


def test_bad_regex_is_a_pattern_error():
    with pytest.raises(PatternError):
        UrlPattern("(unclosed")


def test_a_profile_may_point_at_a_local_replica(tmp_path):
    text = (
        'name = "site"\ndomains = ["127.0.0.1"]\nstart_urls = ["http://127.0.0.1:8123/opinion"]\n'
        "[articles]\n"
        r"allow = ['^http://127\.0\.0\.1:\d+/a/']"
        "\n"
    )
    profile = load_profile(write(tmp_path, text))
    assert profile.is_article("http://127.0.0.1:8123/a/1")
    assert not profile.is_article("http://127.0.0.2:8123/a/1")
