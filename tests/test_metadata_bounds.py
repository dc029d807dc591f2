"""Extraction never fails on metadata: bounded JSON-LD, charset declarations that cannot be true."""

from __future__ import annotations

import json

import pytest

from crawler.dataset.schema import ArticleRecord
from pipelines.extraction import Page, extract, jsonld

PARAGRAPHS = [
    "The library on the hill opens at nine, and by ten the reading room is full of people "
    "who have nowhere else warm to sit: students, pensioners, a man who writes letters daily.",
    "The council wants to cut its hours to three afternoons a week. On paper the saving is "
    "small; in the life of the town it is the difference between a public room and none.",
    "Nobody measures what a reading room prevents. The loneliness it absorbs, the homework it "
    "rescues, the job applications typed on its two old computers: none of it is in a budget.",
    "Keep the doors open in the morning. C++ classes and a+b-c sums on the whiteboard are what "
    "a town looks like when it still believes that learning is worth a heated room.",
]
TITLE = "The library on the hill"


def page(head: str = "", extra: str = "") -> str:
    """An article page written for these tests (ASCII unless `extra` says otherwise)."""
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    # `extra` closes a sentence: a bare word or two at the very end is a dangling label
    closing = f"<p>The librarian signs every notice the same way: {extra}.</p>" if extra else ""
    return (
        f"<!DOCTYPE html><html lang='en'><head>{head}<title>{TITLE} | Hill Courier</title>"
        f"</head><body><article><h1>{TITLE}</h1>{body}{closing}</article></body></html>"
    )


def extracted(body: bytes, content_type: str | None = "text/html") -> ArticleRecord:
    record = extract(Page(url="https://hill.test/opinion/library", body=body,
                          content_type=content_type))  # fmt: skip
    assert isinstance(record, ArticleRecord), record
    return record


def ld_script(text: str) -> str:
    return f"<script type='application/ld+json'>{text}</script>"


# -- JSON-LD ----------------------------------------------------------------------------------

AUTHOR = {"@type": "Person", "name": "Ines Harrow"}
AUTHOR_LD = ld_script(
    json.dumps({"@type": "OpinionNewsArticle", "headline": TITLE, "author": AUTHOR})
)


@pytest.mark.parametrize("depth", [40, 900, 5000, 100_000])
def test_json_ld_nested_thousands_deep_is_ignored_and_the_article_kept(depth):
    deep = '{"@type": "NewsArticle", "about": ' + "[" * depth + "]" * depth + "}"
    record = extracted(page(ld_script(deep) + AUTHOR_LD).encode())
    assert record.title == TITLE
    assert record.authors == ["Ines Harrow"], "the page's other, sane block is still read"


def test_a_deep_value_in_a_read_field_is_ignored():
    deep = '{"@type": "NewsArticle", "headline": ' + "[" * 900 + '"x"' + "]" * 900 + "}"
    assert extracted(page(ld_script(deep)).encode()).title == TITLE


def test_json_ld_bigger_than_the_limit_is_ignored(monkeypatch):
    monkeypatch.setattr(jsonld, "MAX_JSONLD_CHARS", 500)
    big = json.dumps({"@type": "NewsArticle", "headline": "Not this one", "x": "y" * 600})
    assert extracted(page(ld_script(big)).encode()).title == TITLE
    small = json.dumps({"@type": "NewsArticle", "headline": "This one"})
    assert extracted(page(ld_script(small)).encode()).title == "This one"


# -- charsets ---------------------------------------------------------------------------------


@pytest.mark.parametrize("label", ["utf-16", "UTF-16LE", "utf-16be"])
@pytest.mark.parametrize("extra", ["", "x", "Café naïve"])  # odd and even byte counts
def test_a_meta_declared_utf16_means_utf8(label, extra):
    record = extracted(page(f'<meta charset="{label}">', extra).encode("utf-8"), None)
    assert record.title == TITLE
    assert extra in record.text


def test_an_http_utf16_label_on_bytes_without_nul_is_ignored():
    record = extracted(page().encode("ascii"), "text/html; charset=utf-16")
    assert record.title == TITLE


def test_a_real_utf16_page_still_decodes():
    body = page(extra="Café naïve").encode("utf-16-le")
    record = extracted(body, "text/html; charset=utf-16le")
    assert "Café naïve" in record.text


def test_x_user_defined_is_windows_1252():
    body = page('<meta charset="x-user-defined">', "Café naïve — “quoted”").encode("cp1252")
    assert "Café naïve — “quoted”" in extracted(body, None).text


@pytest.mark.parametrize("label", ["undefined", "idna", "utf-7", "rot13", "base64", "punycode"])
def test_labels_that_are_no_web_encoding_are_ignored(label):
    record = extracted(page(f'<meta charset="{label}">').encode("ascii"), None)
    assert record.title == TITLE
    assert "C++ classes and a+b-c sums" in record.text
