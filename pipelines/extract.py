"""First pipeline: turn a fetched page into an article record, or a named rejection."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from scrapy.crawler import Crawler

from crawler.items import PageItem
from crawler.profile import SiteProfile, load_profiles
from crawler.schema import ArticleRecord, RejectReason
from pipelines.extraction import ExtractRules, Page, Rejection, extract
from pipelines.rejects import rejected

__all__ = ["ExtractPipeline", "rules_for"]

logger = logging.getLogger(__name__)


def rules_for(profile: SiteProfile | None, max_bytes: int) -> ExtractRules:
    """The extraction rules a site profile implies."""
    if profile is None:
        return ExtractRules(max_bytes=max_bytes)
    return ExtractRules(
        strip_selectors=profile.strip_selectors,
        strip_patterns=profile.strip_patterns,
        section=profile.section,
        language=profile.language,
        max_bytes=max_bytes,
    )


class ExtractPipeline:
    """Runs the pure extractor on each page item; failed downloads become rejects here."""

    def __init__(self, rules: dict[str, ExtractRules], default: ExtractRules, run_id: str) -> None:
        self.rules = rules
        self.default = default
        self.run_id = run_id

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        settings = crawler.settings
        max_bytes = settings.getint("EXTRACT_MAX_BYTES")
        profiles = load_profiles(Path(settings["SITE_PROFILES_DIR"]))
        rules = {name: rules_for(p, max_bytes) for name, p in profiles.items()}
        return cls(rules, rules_for(None, max_bytes), settings["RUN_ID"])

    def process_item(self, item: PageItem) -> ArticleRecord:
        if item.error:
            reason = RejectReason.BLOCKED if item.error.startswith("blocked") else (
                RejectReason.DOWNLOAD_ERROR)  # fmt: skip
            raise rejected(reason, item.error)
        if not 200 <= item.status < 300:
            raise rejected(RejectReason.HTTP_ERROR, f"HTTP {item.status}")
        page = Page(
            url=item.url,
            body=item.body,
            content_type=item.content_type,
            status=item.status,
            fetched_at=item.fetched_at,
            site=item.site,
            run_id=self.run_id,
        )
        result = extract(page, self.rules.get(item.site, self.default))
        if isinstance(result, Rejection):
            raise rejected(result.reason, result.detail)
        return replace(result, etag=item.etag, last_modified=item.last_modified)
