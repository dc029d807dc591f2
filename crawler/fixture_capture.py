"""Capturing a page as an extraction fixture: fetch it, write page.html and expected.json."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.fixtures import contains, load_case, validate_case
from crawler.profile import SiteProfile
from crawler.schema import ArticleRecord
from pipelines.extraction import Rejection
from pipelines.parquet_writer import atomic_write_bytes

__all__ = ["CaptureSpider", "Captured", "baseline", "case_name", "describe", "write_case"]

# Record fields a baseline pins: what a reader of the fixture can verify by eye.
PINNED = ("title", "description", "authors", "published_at", "modified_at", "language",
          "paywalled", "section", "tags", "canonical_url")  # fmt: skip
SNIPPET_WORDS = 8
MAX_NOT_CONTAIN = 10


@dataclass(frozen=True, slots=True)
class Captured:
    """A fetched page as the fixture keeps it."""

    url: str
    body: bytes
    content_type: str
    status: int = 200


class CaptureSpider(scrapy.Spider):
    """Fetches one URL with the project's settings and hands the response to `sink`."""

    name = "fixture-capture"

    def __init__(self, url: str, sink: list[Captured | str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.url = url
        self.sink = sink
        # The crawl's domain guard (ProfileDomainsMiddleware) lets through what `profiles`
        # covers: here, the one host asked for.
        host = urlsplit(url).hostname or ""
        self.profiles = {self.name: SiteProfile(self.name, (host,), article_allow=())}

    async def start(self) -> AsyncIterator[scrapy.Request]:
        # handle_httpstatus_all: a 404 page may be exactly the case worth keeping.
        meta = {"handle_httpstatus_all": True}
        yield scrapy.Request(self.url, self.keep, errback=self.failed, meta=meta, dont_filter=True)

    def keep(self, response: Response) -> None:
        content_type = response.headers.get("Content-Type") or b"text/html"
        self.sink.append(
            Captured(response.url, response.body, content_type.decode("latin-1"), response.status)
        )

    def failed(self, failure: Failure) -> None:
        self.sink.append(f"{type(failure.value).__name__}: {failure.getErrorMessage()}")


def case_name(url: str) -> str:
    """A case directory name from a URL's last path segment: lower-case, dashes."""
    path = urlsplit(url).path.rstrip("/")
    last = path.rsplit("/", 1)[-1].rsplit(".", 1)[0] or urlsplit(url).hostname or "page"
    slug = re.sub(r"[^a-z0-9]+", "-", last.lower()).strip("-")
    return slug[:60].strip("-") or "page"


def profile_rules(profile: SiteProfile | None) -> dict[str, Any]:
    """The `rules` entry of a case captured for a site profile (empty without one)."""
    if profile is None:
        return {}
    rules: dict[str, Any] = {
        "strip_selectors": list(profile.strip_selectors),
        "strip_patterns": list(profile.strip_patterns),
        "section": profile.section,
        "language": profile.language,
    }
    return {k: v for k, v in rules.items() if v}


def _snippet(text: str) -> str:
    words = text.split()
    return " ".join(words[:SNIPPET_WORDS])


def _must_contain(text: str) -> list[str]:
    blocks = [b for b in text.split("\n\n") if len(b.split()) >= 3]
    picks = [blocks[0], blocks[len(blocks) // 2], blocks[-1]] if blocks else []
    return list(dict.fromkeys(_snippet(b) for b in picks))


def _must_not_contain(record: ArticleRecord) -> list[str]:
    candidates = [record.title or ""] + [r.text for r in record.removed]
    found = [_snippet(c) for c in candidates if len(c.split()) >= 2]
    kept = [s for s in dict.fromkeys(found) if not contains(record.text, s)]
    return kept[:MAX_NOT_CONTAIN]


def _pinned(record: ArticleRecord, names: list[str]) -> dict[str, Any]:
    expect = {}
    for name in names:
        value = getattr(record, name)
        expect[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return expect


def _kept_snippets(
    old: list[str], text: str, present: bool, notes: list[str], key: str
) -> list[str]:
    kept = [s for s in old if contains(text, s) == present]
    why = "no longer in the text" if present else "the text now contains it"
    notes += [f"{key}: dropped {s!r}: {why}" for s in old if s not in kept]
    return kept


def baseline(
    page: Captured, rules: dict[str, Any], result: ArticleRecord | Rejection,
    keep: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], list[str]]:  # fmt: skip
    """The expected.json of a case whose current extraction a person has reviewed.

    `keep` is the previous case when re-baselining: the fields it pins and its hand-written
    snippets are kept wherever the new text still agrees; each dropped snippet is a note.
    """
    old, notes = keep or {}, list[str]()
    case: dict[str, Any] = {"url": page.url, "content_type": page.content_type}
    if rules:
        case["rules"] = rules
    if isinstance(result, Rejection):
        case["reject"] = result.reason
        return case, notes
    case["expect"] = _pinned(result, list(old.get("expect") or PINNED))
    case["text"] = result.text
    must = _kept_snippets(old.get("must_contain", []), result.text, True, notes, "must_contain")
    case["must_contain"] = must or _must_contain(result.text)
    old_not = old.get("must_not_contain", [])
    must_not = _kept_snippets(old_not, result.text, False, notes, "must_not_contain")
    case["must_not_contain"] = must_not or _must_not_contain(result)
    case["removed_kinds"] = sorted({r.kind for r in result.removed})
    validate_case(case)
    return case, notes


def write_case(directory: Path, page: Captured, case: dict[str, Any]) -> Path:
    """Write `page.html` and `expected.json` atomically; returns the expected.json path."""
    atomic_write_bytes(directory / "page.html", page.body)
    text = json.dumps(case, indent=2, ensure_ascii=False) + "\n"
    expected = directory / "expected.json"
    atomic_write_bytes(expected, text.encode("utf-8"))
    load_case(expected)
    return expected


def describe(case: dict[str, Any], result: ArticleRecord | Rejection) -> str:
    """What a person reviews before trusting a baseline: fields, text, what was stripped."""
    if isinstance(result, Rejection):
        return f"REJECTED: {result.reason}: {result.detail}"
    lines = [f"{k}: {v!r}" for k, v in case.get("expect", {}).items()]
    lines += [f"words: {result.word_count}", "", "--- text ---", result.text, "--- removed ---"]
    lines += [f"[{r.kind}] {' '.join(r.text.split())[:120]}" for r in result.removed]
    return "\n".join(lines)
