"""One URL, one identity: the normalization behind keys, dedupe, incremental runs and claims."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.dataset.identity import clean_url, normalize_url, strip_credentials
from crawler.dataset.known import url_key

ARTICLE = "https://news.example.com/opinion/caf%C3%A9-~society"

EQUIVALENT = [
    "https://news.example.com/opinion/caf%c3%a9-%7Esociety",
    "https://news.example.com/opinion/café-~society",
    "https://news.example.com/opinion/caf%C3%A9-~society/",
    "HTTPS://NEWS.example.com:443/opinion/caf%C3%A9-~society#comments",
    "https://news.example.com/opinion/caf%C3%A9-~society;jsessionid=A1B2C3D4",
    "https://news.example.com/opinion/caf%C3%A9-~society?utm_source=tw&utm_medium=social",
    "https://news.example.com/opinion/caf%C3%A9-~society?fbclid=IwAR0&gclid=Cj0",
    "https://news.example.com/opinion/caf%C3%A9-~society?traffic_source=rss",
    "https://news.example.com/opinion/caf%C3%A9-~society?PHPSESSID=abc&sid=42",
    "https://reader:s3cret@news.example.com/opinion/caf%C3%A9-~society",
    "https://news.example.com./opinion/./x/../caf%C3%A9-~society",
]


@pytest.mark.parametrize("variant", EQUIVALENT)
def test_equivalent_forms_have_one_identity(variant: str) -> None:
    assert normalize_url(variant) == ARTICLE
    assert url_key(variant) == url_key(ARTICLE)


@pytest.mark.parametrize(
    "other",
    [
        "https://news.example.com/opinion/caf%C3%A9-~society?page=2",
        "https://news.example.com/opinion/caf%C3%A9-society",
        "http://news.example.com/opinion/caf%C3%A9-~society",
        "https://news.example.com:8443/opinion/caf%C3%A9-~society",
        "https://news.example.com/opinion/caf%2FC3%A9-~society",
    ],
)
def test_different_pages_keep_different_identities(other: str) -> None:
    assert normalize_url(other) != ARTICLE


def test_query_is_sorted_and_kept_apart_from_tracking() -> None:
    url = "http://example.com/a?b=2&utm_campaign=x&a=1&a=0"
    assert normalize_url(url) == "http://example.com/a?a=0&a=1&b=2"


def test_root_path_keeps_its_slash_and_an_empty_path_gets_one() -> None:
    assert normalize_url("http://example.com") == "http://example.com/"
    assert normalize_url("http://example.com/") == "http://example.com/"
    assert normalize_url("http://example.com//") == "http://example.com/"


def test_clean_url_keeps_the_trailing_slash_for_pattern_matching() -> None:
    assert (
        clean_url("http://example.com/col/x-1/?traffic_source=rss") == "http://example.com/col/x-1/"
    )


def test_idna_host_becomes_punycode() -> None:
    assert normalize_url("http://Bücher.Example/a") == "http://xn--bcher-kva.example/a"
    assert url_key("http://bücher.example/a") == url_key("http://xn--bcher-kva.example/a")


def test_credentials_are_stripped() -> None:
    assert strip_credentials("http://u:p@h.test:81/x?q=1") == "http://h.test:81/x?q=1"
    assert strip_credentials("http://h.test/x@y") == "http://h.test/x@y"


def test_malformed_urls_do_not_raise() -> None:
    for url in ("http://[::1/x", "http://h.test:99999/x", "", "%", "http://h.test/%zz"):
        assert isinstance(normalize_url(url), str)


_SEGMENT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="/?#"), min_size=0, max_size=8
)
_PARAM = st.tuples(
    st.sampled_from(["id", "page", "utm_source", "fbclid", "q", "Sid", "x%5Fy", "é"]),
    st.text(alphabet="abcé %+=/~-_.", max_size=5),
)


@st.composite
def urls(draw: st.DrawFn) -> str:
    scheme = draw(st.sampled_from(["http", "HTTP", "https"]))
    host = draw(st.sampled_from(["example.com", "EXAMPLE.com.", "bücher.example", "[::1]"]))
    port = draw(st.sampled_from(["", ":80", ":443", ":8080"]))
    path = "/".join(draw(st.lists(_SEGMENT, max_size=4)))
    query = "&".join(f"{k}={v}" for k, v in draw(st.lists(_PARAM, max_size=4)))
    fragment = draw(st.sampled_from(["", "#top", "#"]))
    return f"{scheme}://{host}{port}/{path}{'?' + query if query else ''}{fragment}"


@given(urls())
def test_normalization_is_idempotent(url: str) -> None:
    once = normalize_url(url)
    assert normalize_url(once) == once
    assert clean_url(clean_url(url)) == clean_url(url)


@given(urls())
def test_percent_encoding_case_and_unreserved_escapes_do_not_change_identity(url: str) -> None:
    head, _, rest = url.partition("://")
    host, _, path = rest.partition("/")
    # Escaping every unreserved character, or lowercasing every escape, names the same page.
    escaped = re.sub(
        r"%[0-9A-Fa-f]{2}|[A-Za-z0-9]",
        lambda m: m[0].lower() if m[0][0] == "%" else f"%{ord(m[0]):02x}",
        path.split("#")[0],
    )
    assert normalize_url(f"{head}://{host}/{escaped}") == normalize_url(
        f"{head}://{host}/{path.split('#')[0]}"
    )


@given(urls(), st.sampled_from(["utm_medium=x", "fbclid=1", "gclid=2", "traffic_source=rss"]))
def test_tracking_parameters_do_not_change_identity(url: str, tracking: str) -> None:
    base = url.split("#")[0].strip()  # a URL's surrounding whitespace is no part of it
    sep = "&" if "?" in base else "?"
    assert normalize_url(f"{base}{sep}{tracking}") == normalize_url(base)


def test_profile_patterns_match_the_clean_url(tmp_path) -> None:
    from crawler.profile import load_profile

    (tmp_path / "wire.toml").write_text(
        'name = "wire"\ndomains = ["wire.test"]\nfeeds = ["https://wire.test/rss"]\n'
        "[articles]\nallow = ['^https://wire\\.test/opinions/\\d{4}/[a-z-]+/?$']\n"
        "[listings]\nallow = ['^https://wire\\.test/opinion\\?page=\\d+$']\n",
        encoding="utf-8",
    )
    profile = load_profile(tmp_path / "wire.toml")
    assert profile.is_article("https://wire.test/opinions/2026/tax-and-rent?traffic_source=rss")
    assert profile.is_article("https://u:p@WIRE.test/opinions/2026/tax-and-rent/#c")
    assert profile.is_listing("https://wire.test/opinion?utm_medium=x&page=3")
