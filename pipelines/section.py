"""Pipeline before extraction: a page outside the profile's sections is a `wrong_section` reject."""

from __future__ import annotations

import logging
from pathlib import Path

from scrapy.crawler import Crawler

from crawler.dataset.schema import RejectReason
from crawler.items import PageItem
from crawler.profile import SiteProfile, load_profiles
from crawler.sections import in_sections, page_sections
from pipelines.drops import rejected

__all__ = ["SectionPipeline"]

logger = logging.getLogger(__name__)


class SectionPipeline:
    """Checks a fetched page's own section where news and opinion share one URL form.

    Only profiles that name `[sections] want` are checked. The page decides (its JSON-LD,
    `article:section`, breadcrumb or the profile's selector); a page that names no section
    at all is kept and counted (`sections/unknown/<site>`): its URL was the profile's.
    """

    def __init__(self, profiles: dict[str, SiteProfile], crawler: Crawler | None = None) -> None:
        self.profiles = {n: p for n, p in profiles.items() if p.sections}
        self.stats = crawler.stats if crawler is not None else None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SectionPipeline:
        return cls(load_profiles(Path(crawler.settings["SITE_PROFILES_DIR"])), crawler)

    def process_item(self, item: PageItem) -> PageItem:
        profile = self.profiles.get(item.site)
        if profile is None or item.error or not 200 <= item.status < 300 or not item.body:
            return item
        labels = page_sections(item.body, profile.section_selector)
        if not labels:
            self._count(f"sections/unknown/{item.site}")
            logger.info("section of %s unknown: kept (profile %s)", item.url, item.site)
            return item
        if in_sections(labels, profile.sections):
            return item
        raise rejected(
            RejectReason.WRONG_SECTION,
            f"page section {', '.join(labels[:3])!s} not in {list(profile.sections)}",
        )

    def _count(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)
