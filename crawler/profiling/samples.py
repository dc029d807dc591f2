"""Sample articles through the crawl's own section check and extraction, with rule hit counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from lxml import etree, html
from lxml.cssselect import CSSSelector

from crawler.dataset.schema import RejectReason
from crawler.profile import SiteProfile
from crawler.profiling.fetch import Fetcher
from crawler.sections import in_sections, page_sections
from pipelines import extraction
from pipelines.extract import rules_for
from pipelines.extraction import Page, Rejection
from pipelines.extraction.page import compiled_patterns

__all__ = ["SampleReport", "check_sample"]


@dataclass
class SampleReport:
    """One sample article: the verdict, its extraction summary and which rules hit."""

    url: str
    status: int
    outcome: str  # "article" or a reject reason
    detail: str = ""
    words: int = 0
    paywalled: bool = False
    removed: Counter[str] = field(default_factory=Counter)
    sections: list[str] = field(default_factory=list)
    selector_hits: dict[str, int] = field(default_factory=dict)
    pattern_hits: dict[str, int] = field(default_factory=dict)


def check_sample(url: str, profile: SiteProfile, fetcher: Fetcher) -> SampleReport:
    """Fetch one article and judge it as the crawl would."""
    fetched = fetcher.get(url)
    if not fetched.ok:
        return SampleReport(url, fetched.status, "fetch_failed", fetched.error)
    report = SampleReport(url, fetched.status, "article")
    report.sections = page_sections(fetched.body, profile.section_selector)
    report.selector_hits = _selector_hits(fetched.body, profile.strip_selectors)
    if profile.sections and report.sections and not in_sections(report.sections, profile.sections):
        report.outcome, report.detail = RejectReason.WRONG_SECTION, ", ".join(report.sections[:3])
        return report
    page = Page(url, fetched.body, fetched.content_type, fetched.status, datetime.now(UTC))
    result = extraction.extract(page, rules_for(profile, fetcher.max_bytes))
    if isinstance(result, Rejection):
        report.outcome, report.detail = result.reason, result.detail
        return report
    report.words, report.paywalled = result.word_count, result.paywalled
    report.removed = Counter(r.kind for r in result.removed)
    patterns = compiled_patterns(profile.strip_patterns)
    report.pattern_hits = {
        p.pattern: sum(1 for r in result.removed if r.kind == "profile" and p.search(r.text))
        for p in patterns
    }
    return report


def _selector_hits(body: bytes, selectors: tuple[str, ...]) -> dict[str, int]:
    try:
        tree = html.document_fromstring(body)
    except (etree.ParserError, ValueError):
        return dict.fromkeys(selectors, 0)
    return {s: len(CSSSelector(s)(tree)) for s in selectors}
