"""Site profiles: bundled ones load; broken ones fail early, naming file and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.profile import ProfileError, load_profile, load_profiles, select_profiles

VALID = """
name = "{name}"
domains = ["example.test"]
start_urls = ["http://www.example.test/opinion/"]
[articles]
allow = ['^http://www\\.example\\.test/opinion/\\d+$']
"""

REAL_ARTICLES = {
    "moscowtimes": (
        "https://www.themoscowtimes.com/2024/05/14/why-the-kremlin-fears-a-quiet-summer-a85123",
        "https://www.themoscowtimes.com/news/2024/05/14/a-news-story-a85124",
    ),
    "guardian-commentisfree": (
        "https://www.theguardian.com/commentisfree/2024/may/14/the-case-for-slower-cities",
        "https://www.theguardian.com/world/2024/may/14/a-news-story",
    ),
    "aljazeera-opinion": (
        "https://www.aljazeera.com/opinions/2024/5/14/what-the-election-means",
        "https://www.aljazeera.com/news/2024/5/14/a-news-story",
    ),
    "nytimes-opinion": (
        "https://www.nytimes.com/2024/05/14/opinion/housing-policy-cities.html",
        "https://www.nytimes.com/2024/05/14/us/politics/a-news-story.html",
    ),
    "washingtonpost-opinions": (
        "https://www.washingtonpost.com/opinions/2024/05/14/budget-deal-congress/",
        "https://www.washingtonpost.com/politics/2024/05/14/a-news-story/",
    ),
}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_profiles_load_with_real_and_demo_sites():
    profiles = load_profiles()
    assert set(REAL_ARTICLES) <= set(profiles)
    assert {"demo-ledger", "demo-courier", "demo-gazette"} <= set(profiles)
    assert all(not p.enabled for n, p in profiles.items() if n.startswith("demo-"))


@pytest.mark.parametrize("name", sorted(REAL_ARTICLES))
def test_real_profiles_tell_opinion_from_news(name):
    profile = load_profiles()[name]
    opinion, news = REAL_ARTICLES[name]
    assert profile.is_article(opinion)
    assert not profile.is_article(news)
    assert not profile.is_article(opinion.replace("https://www.", "https://www.evil-"))


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (VALID.replace('domains = ["example.test"]\n', ""), "domains"),
        (VALID.replace("allow = ['^http", "allow = ['(unclosed^http"), "articles.allow"),
        (VALID + 'colour = "red"\n', "articles.colour"),
        ('colour = "red"\n' + VALID, "colour"),
        (VALID + "[strip]\nselectors = ['div[[']\n", "strip.selectors"),
        (VALID + "[listings]\nmaxpages = 3\n", "listings.maxpages"),
        (VALID + "[politeness]\nconcurrency = 'four'\n", "politeness.concurrency"),
        (VALID.replace("http://www.example.test/opinion/", "ftp://x.test/"), "start_urls"),
        (VALID.replace("http://www.example.test/opinion/", "http://elsewhere.test/"), "start_urls"),
        ("name = [", "<file>"),
    ],
)
def test_broken_profiles_name_file_and_field(tmp_path, text, field):
    path = write(tmp_path, "broken", text.format(name="broken"))
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    assert info.value.field == field
    assert str(path) in str(info.value)


def test_name_must_match_file_name(tmp_path):
    path = write(tmp_path, "one", VALID.format(name="two"))
    with pytest.raises(ProfileError, match="'name'"):
        load_profile(path)


def test_site_selection():
    profiles = load_profiles()
    assert {p.name for p in select_profiles(profiles, "all")} == set(REAL_ARTICLES)
    assert [p.name for p in select_profiles(profiles, None)] == [
        p.name for p in select_profiles(profiles, "all")
    ]
    chosen = select_profiles(profiles, "demo-ledger,moscowtimes")
    assert [p.name for p in chosen] == ["demo-ledger", "moscowtimes"]
    with pytest.raises(ProfileError, match="unknown site 'nope'"):
        select_profiles(profiles, "nope")


def test_a_url_is_judged_once_however_often_sources_list_it(monkeypatch):
    # a listing's menu links recur on every listing page; each verdict parses the URL and
    # runs the patterns, which the crawl's single main thread pays for
    import crawler.profile as profile_module

    profile = load_profiles()["demo-ledger"]
    calls: list[str] = []
    real_clean_url = profile_module.clean_url
    monkeypatch.setattr(profile_module, "clean_url", lambda u: calls.append(u) or real_clean_url(u))
    url = "http://127.0.0.1:8123/ledger/opinion/some-column-1"
    verdicts = {(profile.is_article(url), profile.is_listing(url)) for _ in range(50)}
    assert len(verdicts) == 1
    assert calls == [url]


def test_the_verdicts_a_profile_remembers_are_bounded(monkeypatch):
    import crawler.profile as profile_module

    monkeypatch.setattr(profile_module, "_VERDICTS_KEPT", 100)
    profile = load_profiles()["demo-ledger"]
    for n in range(1000):
        profile.is_article(f"https://www.example.org/page-{n}")
    assert len(profile._verdicts) <= 100
    assert profile.is_article("https://www.example.org/page-1") is False
