"""Third pipeline: one row per article and text within a run."""

from __future__ import annotations

import xxhash

from crawler.schema import ArticleRecord, RejectReason
from pipelines.rejects import rejected

__all__ = ["DedupePipeline"]


class DedupePipeline:
    """Drops a record whose canonical URL was already stored in this run.

    Only 8-byte digests are kept, so memory stays small on very large crawls.
    """

    def __init__(self) -> None:
        self.seen: set[int] = set()

    def process_item(self, item: ArticleRecord) -> ArticleRecord:
        key = xxhash.xxh64_intdigest(item.canonical_url.encode("utf-8"))
        if key in self.seen:
            raise rejected(
                RejectReason.DUPLICATE,
                f"canonical URL {item.canonical_url} already stored this run",
            )
        self.seen.add(key)
        return item
