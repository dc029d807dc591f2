"""Re-extraction's verdicts: the crawl's own extract and validate pipelines over archived pages."""

from __future__ import annotations

import inspect
from dataclasses import dataclass

from crawler.dataset.schema import ArticleRecord, RejectRecord
from crawler.items import PageItem
from pipelines.drops import Rejected, reject_record
from pipelines.extract import ExtractPipeline
from pipelines.extraction import ExtractRules
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
            return self.validate.process_item(record)
        except Rejected as exc:
            return reject_record(item if record is None else record, exc, run_id)
