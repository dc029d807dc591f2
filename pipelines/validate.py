"""Second pipeline: an article record must have what analysts rely on."""

from __future__ import annotations

from scrapy.crawler import Crawler

from crawler.dataset.schema import ArticleRecord, RejectReason
from pipelines.drops import rejected

__all__ = ["ValidatePipeline"]


class ValidatePipeline:
    """Rejects records without a title or body, too short, or in an unwanted language."""

    def __init__(self, min_words: int, languages: frozenset[str]) -> None:
        self.min_words = min_words
        self.languages = languages

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        settings = crawler.settings
        languages = frozenset(settings.getlist("VALIDATE_LANGUAGES"))
        return cls(settings.getint("VALIDATE_MIN_WORDS"), languages)

    def process_item(self, item: ArticleRecord) -> ArticleRecord:
        for name in ("title", "text", "canonical_url"):
            if not (getattr(item, name) or "").strip():
                raise rejected(RejectReason.MISSING_FIELD, f"no {name}")
        if item.word_count < self.min_words:
            raise rejected(RejectReason.TOO_SHORT, f"{item.word_count} words < {self.min_words}")
        if self.languages and item.language not in self.languages:
            raise rejected(
                RejectReason.WRONG_LANGUAGE,
                f"language {item.language!r} not in {sorted(self.languages)}",
            )
        return item
