"""Re-extraction's verdicts: the crawl's own section, extract, site memory and validate steps."""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field

from crawler.dataset.schema import ArticleRecord, RejectRecord
from crawler.items import PageItem
from pipelines.drops import Rejected, reject_record
from pipelines.extract import ExtractPipeline
from pipelines.extraction import ExtractRules
from pipelines.extraction.memory import Judge, clean_record
from pipelines.section import SectionPipeline
from pipelines.validate import ValidatePipeline

__all__ = ["Replayer"]


@dataclass(frozen=True, slots=True)
class Replayer:
    """The crawl's section, extract and validate steps, applied to archived page items."""

    rules: dict[str, ExtractRules]
    default: ExtractRules
    validate: ValidatePipeline
    section: SectionPipeline | None = None
    memory: dict[str, Judge] = field(default_factory=dict)  # per site, the stored memory

    async def verdict(self, item: PageItem, run_id: str) -> ArticleRecord | RejectRecord:
        """The article or reject a crawl with today's code would have made of this page."""
        # The crawl's own pipeline object, inline (no process pool): the same decisions.
        extractor = ExtractPipeline(self.rules, self.default, run_id)
        record: ArticleRecord | None = None
        try:
            if self.section is not None:
                item = self.section.process_item(item)
            pending = extractor.process_item(item)
            record = await pending if inspect.isawaitable(pending) else pending
            judge = self.memory.get(record.site)
            if judge is not None:
                record = clean_record(record, judge)[0]
            return self.validate.process_item(record)
        except Rejected as exc:
            return reject_record(item if record is None else record, exc, run_id)
