"""Re-extraction: rebuild a site's articles and rejects from the raw archive, swapped in whole."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import pyarrow.dataset as ds

from crawler.dataset.compaction import exchange_paths, quarantine, remove_stale_staging
from crawler.dataset.files import table_files
from crawler.dataset.loader import open_dataset, with_defaults
from crawler.dataset.locking import exclusive_lock
from crawler.dataset.raw import RawArchive
from crawler.dataset.reextract_changes import SiteChanges, state_of
from crawler.dataset.runid import new_run_id
from crawler.dataset.schema import (
    ARTICLE_SCHEMA,
    PARTITION_FIELDS,
    REJECT_SCHEMA,
    ArticleRecord,
    RejectReason,
    RejectRecord,
)  # fmt: skip
from crawler.dataset.writer import DatasetWriter
from crawler.items import PageItem

__all__ = ["Replayer", "reextract_site"]

EPOCH = datetime.fromtimestamp(0, UTC)
Tick = Callable[[int, dict[str, int]], None]


class Replayer(Protocol):
    """The crawl's extract and validate steps, applied to one archived page (pipelines.replay)."""

    async def verdict(self, item: PageItem, run_id: str) -> ArticleRecord | RejectRecord: ...


def _duplicate(record: ArticleRecord, run_id: str) -> RejectRecord:
    return RejectRecord(
        url=record.url, site=record.site, reason=RejectReason.DUPLICATE,
        detail=f"canonical URL {record.canonical_url} already stored this run",
        http_status=record.http_status, fetched_at=record.fetched_at, run_id=run_id,
    )  # fmt: skip


async def _replay(
    archive: RawArchive, site: str, replayer: Replayer, tick: Tick
) -> tuple[list[dict], list[dict], set[tuple[str, str]]]:
    articles, rejects, keys = [], [], set()
    seen: set[tuple[str, str]] = set()  # (run_id, canonical URL): DedupePipeline's per-run rule
    counts = {"rejects": 0, "failed": 0}
    for done, (page, body) in enumerate(archive.pages(site), start=1):
        result = await replayer.verdict(page.to_item(body), page.run_id)
        if isinstance(result, ArticleRecord) and (page.run_id, result.canonical_url) in seen:
            result = _duplicate(result, page.run_id)
        if isinstance(result, ArticleRecord):
            seen.add((page.run_id, result.canonical_url))
            articles.append(result.to_row())
        else:
            rejects.append(result.to_row())
            counts["rejects"] += 1
            counts["failed"] += result.reason == RejectReason.EXTRACTION_FAILED
        keys.add((page.run_id, page.url))
        tick(done, counts)
    return articles, rejects, keys


def number_revisions(rows: list[dict], old: dict[tuple[str, str], int]) -> list[dict]:
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


def _stored(root: Path, table: str, site: str) -> list[dict]:
    stored = open_dataset(root, table, [site]).to_table(filter=ds.field("site") == site)
    return with_defaults(stored, table).to_pylist()


def _write(rows: list[dict], target: Path, schema: Any, run_id: str) -> None:
    writer = DatasetWriter(target, schema, PARTITION_FIELDS, f"part-{run_id}-reextract",
                           flush_rows=10_000, flush_seconds=float("inf"))  # fmt: skip
    for row in rows:
        writer.write(row)
    writer.close()


def _swap(root: Path, table: str, site: str, rows: list[dict], schema: Any, run_id: str) -> None:
    """Write the site's new partition beside the live one, then exchange them in one step."""
    staging = root / table / f".reextract-{run_id}"
    _write(rows, staging, schema, run_id)
    new_site, live = staging / f"site={site}", root / table / f"site={site}"
    new_site.mkdir(parents=True, exist_ok=True)
    live.mkdir(parents=True, exist_ok=True)
    exchange_paths(new_site, live)
    shutil.rmtree(staging)  # now holds the old files


async def reextract_site(
    root: Path | str, site: str, replayer: Replayer, *, dry_run: bool = False,
    tick: Tick | None = None,
) -> SiteChanges:  # fmt: skip
    """Rebuild one site's rows from its archived pages; rows with no raw page are kept as is.

    Holds the dataset's exclusive lock (refused while a crawl writes). Articles and rejects
    are each swapped in with one atomic exchange; `dry_run` only reports.
    """
    root = Path(root)
    run_id = new_run_id()
    with exclusive_lock(root):
        remove_stale_staging(root)
        new_articles, new_rejects, keys = await _replay(
            RawArchive(root), site, replayer, tick or (lambda done, counts: None)
        )
        old_articles, old_rejects = _stored(root, "articles", site), _stored(root, "rejects", site)
        kept_articles = [r for r in old_articles if (r["run_id"], r["url"]) not in keys]
        kept_rejects = [r for r in old_rejects if (r["run_id"], r["url"]) not in keys]
        revisions = {(r["run_id"], r["url"]): r["revision"] for r in old_articles}
        articles = number_revisions(kept_articles + new_articles, revisions)
        rejects = kept_rejects + new_rejects
        changes = SiteChanges(site, len(keys), len(kept_articles), len(kept_rejects))
        changes.articles_before, changes.articles_after = len(old_articles), len(articles)
        changes.rejects_before, changes.rejects_after = len(old_rejects), len(rejects)
        changes.compare(keys, state_of(old_articles, old_rejects), state_of(articles, rejects))
        if not dry_run:
            # The swap removes the old partition: files that are not ours are moved aside first.
            for table, schema in (("articles", ARTICLE_SCHEMA), ("rejects", REJECT_SCHEMA)):
                foreign = table_files(root / table, schema, [site], warn=False).skipped
                quarantine(root, table, foreign, run_id)
            _swap(root, "articles", site, articles, ARTICLE_SCHEMA, run_id)
            _swap(root, "rejects", site, rejects, REJECT_SCHEMA, run_id)
    return changes
