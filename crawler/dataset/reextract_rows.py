"""Re-extraction's row decisions, made one bucket of rows at a time so memory stays bounded.

Three passes, each over buckets of a `Spill`:
1. by page (run_id, url): a stored row whose page was replayed is replaced, the others kept;
   the page's old row is remembered for the report and its stored revision for numbering;
2. by canonical URL: a second article of one canonical URL in one run becomes a duplicate
   reject (the crawl's per-run rule), then revisions are numbered (`number_revisions`);
3. by page again: each replayed page's old row against its new one, into `SiteChanges`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from crawler.dataset.reextract_changes import SiteChanges, article_state, reject_state
from crawler.dataset.schema import RejectReason, RejectRecord
from crawler.dataset.spill import Spill

__all__ = ["EPOCH", "REPLAYED", "STORED_ARTICLE", "STORED_REJECT", "RowCombiner",
           "RowSink", "number_revisions", "page_key"]  # fmt: skip

EPOCH = datetime.fromtimestamp(0, UTC)
# What a record in the first pass's spill is: (tag, order, row); order is the read order of
# stored rows and the replay order of replayed ones.
STORED_ARTICLE, STORED_REJECT, REPLAYED = "stored-article", "stored-reject", "replayed"
Key = tuple[str, str]
Origin = tuple[int, int]  # (0, read order) for kept rows, (1, replay order) for replayed ones


class RowSink(Protocol):
    """Where the new partitions' rows go."""

    def write(self, row: dict[str, Any]) -> None: ...


def page_key(row: dict[str, Any]) -> str:
    """The spill key of a row's fetched page, (run_id, url)."""
    return f"{row['run_id']}\n{row['url']}"


def page_key_tuple(row: dict[str, Any]) -> Key:
    """A row's fetched page, (run_id, url)."""
    return row["run_id"], row["url"]


def number_revisions(rows: list[dict], old: dict[Key, int]) -> list[dict]:
    """One row per change of text per article, revisions counted up in fetch order.

    A fetch whose text equals the article's previous row adds nothing (the crawl's
    `Unchanged`); an article's first row keeps the revision it had before, if any.
    """
    rows = sorted(rows, key=lambda r: (r["canonical_url"], r["fetched_at"] or EPOCH, r["run_id"]))
    kept: list[dict] = []
    for row in rows:
        previous = kept[-1] if kept and kept[-1]["canonical_url"] == row["canonical_url"] else None
        if previous is None:
            revision = old.get((row["run_id"], row["url"]), 1)
        elif previous["content_hash"] == row["content_hash"]:
            continue
        else:
            revision = previous["revision"] + 1
        kept.append({**row, "revision": revision})
    return kept


def _duplicate(row: dict[str, Any]) -> dict[str, Any]:
    return RejectRecord(
        url=row["url"], site=row["site"], reason=RejectReason.DUPLICATE,
        detail=f"canonical URL {row['canonical_url']} already stored this run",
        http_status=row["http_status"], fetched_at=row["fetched_at"], run_id=row["run_id"],
    ).to_row()  # fmt: skip


class RowCombiner:
    """Combines one site's stored rows with its replayed ones into the new rows and report.

    `articles` and `rejects` receive the new partitions' rows (None on a dry run).
    """

    def __init__(
        self, articles: RowSink | None, rejects: RowSink | None,
        staging: Path, buckets: int, buffer_rows: int, changes: SiteChanges,
    ) -> None:  # fmt: skip
        self.articles, self.rejects, self.changes = articles, rejects, changes
        self.by_article = Spill(staging / "by-article", buckets, buffer_rows)
        self.by_page = Spill(staging / "by-page", buckets, buffer_rows)

    def combine(self, by_page: Spill) -> None:
        """Run the three passes over the first pass's spill (see the module docstring)."""
        for bucket in by_page.drain():
            groups: dict[Key, list[tuple]] = defaultdict(list)
            for record in bucket:
                groups[page_key_tuple(record[2])].append(record)
            for key, records in groups.items():
                self._page(key, sorted(records, key=lambda r: r[1]))
        for bucket in self.by_article.drain():
            self._articles(bucket)
        for bucket in self.by_page.drain():
            self._compare(bucket)

    def _page(self, key: Key, records: list[tuple]) -> None:
        stored = [r[2] for r in records if r[0] == STORED_ARTICLE]
        old_rejects = [r[2] for r in records if r[0] == STORED_REJECT]
        replayed = [(r[1], r[2]) for r in records if r[0] == REPLAYED]
        order = [r[1] for r in records if r[0] == STORED_ARTICLE]
        self.changes.articles_before += len(stored)
        self.changes.rejects_before += len(old_rejects)
        revision = stored[-1]["revision"] if stored else None  # the last read wins, as in a dict
        if not replayed:  # no archived page: the stored rows stay as they are
            self.changes.kept_articles += len(stored)
            self.changes.kept_rejects += len(old_rejects)
            for n, row in zip(order, stored, strict=True):
                self.by_article.add(row["canonical_url"], ((0, n), row, revision))
            for row in old_rejects:
                self._reject(row)
            return
        self.changes.pages += 1
        before = article_state(stored[-1]) if stored else None
        if before is None and old_rejects:
            before = reject_state(old_rejects[-1])
        self.by_page.add(page_key(replayed[0][1]), ("before", key, before))
        for seq, row in replayed:
            if "canonical_url" in row:  # an article row; reject rows have no canonical URL
                self.by_article.add(row["canonical_url"], ((1, seq), row, revision))
            else:
                self._new_reject(seq, row)

    def _articles(self, bucket: list[tuple]) -> None:
        bucket.sort(key=lambda r: r[0])  # kept rows first, then replayed ones in replay order
        seen: set[tuple[str, str]] = set()  # (run_id, canonical URL): DedupePipeline's rule
        rows, old = [], {}
        for origin, row, revision in bucket:
            if origin[0] == 1:
                if (row["run_id"], row["canonical_url"]) in seen:
                    self._new_reject(origin[1], _duplicate(row))
                    continue
                seen.add((row["run_id"], row["canonical_url"]))
            if revision is not None:
                old[page_key_tuple(row)] = revision
            rows.append({**row, "_origin": origin})
        for row in number_revisions(rows, old):
            origin = row.pop("_origin")
            self.changes.articles_after += 1
            if self.articles is not None:
                self.articles.write(row)
            if origin[0] == 1:
                rank = (row["canonical_url"], row["fetched_at"] or EPOCH, row["run_id"], origin)
                self.by_page.add(page_key(row), ("after", page_key_tuple(row), rank,
                                                 article_state(row)))  # fmt: skip

    def _new_reject(self, seq: int, row: dict[str, Any]) -> None:
        self._reject(row)
        self.by_page.add(page_key(row), ("reject", page_key_tuple(row), seq, reject_state(row)))

    def _reject(self, row: dict[str, Any]) -> None:
        self.changes.rejects_after += 1
        if self.rejects is not None:
            self.rejects.write(row)

    def _compare(self, bucket: list[tuple]) -> None:
        """Each replayed page: its old row against its new one (the last article, else reject)."""
        pages: dict[Key, list[tuple]] = defaultdict(list)
        for record in bucket:
            pages[record[1]].append(record)
        for records in pages.values():
            before = next(r[2] for r in records if r[0] == "before")
            after = max((r for r in records if r[0] == "after"), key=lambda r: r[2], default=None)
            if after is None:
                after = max((r for r in records if r[0] == "reject"), key=lambda r: r[2],
                            default=None)  # fmt: skip
            self.changes.record(before, after[3] if after else None)
