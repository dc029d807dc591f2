"""Site memory in the crawl: strip each site's learned boilerplate, learn from new articles,
persist what was learned and clean this run's rows at the close."""

from __future__ import annotations

import copy
import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import BaseSettings
from scrapy.statscollectors import StatsCollector

from crawler.dataset.locking import DatasetBusy, shared_lock
from crawler.dataset.memory import MemoryStore, MemoryThresholds, SiteMemory
from crawler.dataset.memory_clean import rewrite_rows, run_files, site_files
from crawler.dataset.schema import ArticleRecord
from crawler.dataset.stored_blocks import StoredBlocks
from crawler.profile import SiteProfile, load_profiles
from pipelines.extraction.memory import Judge, block_key, clean_record, clean_row, observed_pieces

__all__ = ["SiteMemoryPipeline", "judges_for", "pinned_keys", "thresholds_from"]

logger = logging.getLogger(__name__)


def thresholds_from(settings: BaseSettings) -> MemoryThresholds:
    """The SITE_MEMORY_* thresholds."""
    return MemoryThresholds(
        min_words=settings.getint("SITE_MEMORY_MIN_WORDS", 8),
        min_chars=settings.getint("SITE_MEMORY_MIN_CHARS", 40),
        min_articles=settings.getint("SITE_MEMORY_MIN_ARTICLES", 3),
        min_share=settings.getfloat("SITE_MEMORY_MIN_SHARE", 0.05),
        min_kept_words=settings.getint("SITE_MEMORY_MIN_KEPT_WORDS", 20),
    )


def pinned_keys(profile: SiteProfile | None) -> frozenset[str]:
    """The block keys a profile pins as body (`[memory] body`)."""
    return frozenset(block_key(text) for text in (profile.memory_body if profile else ()))


def judges_for(
    store: MemoryStore, profiles: Mapping[str, SiteProfile], sites: list[str]
) -> dict[str, Judge]:
    """Read-only verdicts of the stored memories (re-extraction), for sites not switched off."""
    judges = {}
    for site in sites:
        profile = profiles.get(site)
        if profile is None or profile.memory_enabled:
            memory = store.load(site)
            judges[site] = Judge(memory.is_boilerplate, pinned_keys(profile), store.thresholds)
    return judges


class SiteMemoryPipeline:
    """Cleans each article with what earlier runs learned; new articles teach the memory.

    Runs before validation and deduplication, so a stored article re-fetched later hashes to
    the same cleaned text. Blocks are counted once per new article (revision 1) when its row
    is stored. During the run, only earlier runs' verdicts strip anything: a half-seen run
    never decides. At the close, this run's counts are merged into `<PARQUET_DIR>/memory/`
    under the site's lock, and this run's rows are cleaned again with the merged memory: the
    first articles of a site's first run are cleaned of what the later ones revealed.
    """

    def __init__(self, store: MemoryStore, profiles: Mapping[str, SiteProfile],
                 stats: StatsCollector, root: str, file_prefix: str,
                 compression: str = "zstd") -> None:  # fmt: skip
        self.store = store
        self.profiles = profiles
        self.stats = stats
        self.root = root
        self.file_prefix = file_prefix
        self.compression = compression
        self.base: dict[str, SiteMemory] = {}
        self.online: dict[str, Judge] = {}
        self.delta: dict[str, SiteMemory] = {}
        # url: site, the blocks observed in its extracted text, the keys of its cleaned text
        self.pending: dict[str, tuple[str, list[tuple[str, str]], list[str]]] = {}
        self.stored: dict[str, StoredBlocks] = {}  # by site: the blocks of the rows stored
        # by site: files named as this process's that it did not write (a run id given twice)
        self.earlier: dict[str, frozenset[Path]] = {}
        self.guarded: set[str] = set()  # sites of which the guard kept a text whole this run

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SiteMemoryPipeline:
        s = crawler.settings
        if not s.getbool("SITE_MEMORY_ENABLED", True):
            raise NotConfigured("SITE_MEMORY_ENABLED is off")
        store = MemoryStore(s["PARQUET_DIR"], thresholds_from(s))
        profiles = load_profiles(Path(s["SITE_PROFILES_DIR"]))
        prefix = f"part-{s['RUN_ID']}-{s['WORKER_ID']}"
        pipeline = cls(store, profiles, crawler.stats, s["PARQUET_DIR"], prefix,
                       s["PARQUET_COMPRESSION"])  # fmt: skip
        crawler.signals.connect(pipeline.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        return pipeline

    def _online(self, site: str) -> Judge | None:
        """The verdicts of earlier runs, fixed for this run (None: memory off for the site)."""
        profile = self.profiles.get(site)
        if profile is not None and not profile.memory_enabled:
            return None
        if site not in self.online:
            self.base[site] = self.store.load(site)
            self.delta[site] = SiteMemory(site, thresholds=self.store.thresholds)
            self.stored[site] = StoredBlocks()
            self.earlier[site] = frozenset(run_files(self.root, site, self.file_prefix))
            known = frozenset(self.base[site].boilerplate())
            self.online[site] = Judge(known.__contains__, pinned_keys(profile),
                                      self.store.thresholds)  # fmt: skip
        return self.online[site]

    def _judge(self, site: str, memory: SiteMemory) -> Judge:
        return Judge(memory.is_boilerplate, pinned_keys(self.profiles.get(site)),
                     self.store.thresholds)  # fmt: skip

    def process_item(self, item: Any) -> Any:
        judge = self._online(item.site) if isinstance(item, ArticleRecord) else None
        if judge is None:
            return item
        t = self.store.thresholds
        pieces = list(observed_pieces(item.text.split("\n\n"), t))
        keys = {text: key for key, text in pieces}
        cleaned, stripped = clean_record(item, judge, keys)
        kept = pieces if cleaned is item else observed_pieces(cleaned.text.split("\n\n"), t, keys)
        self.pending[item.url] = (item.site, pieces, [key for key, _ in kept])
        self.stats.inc_value("memory/blocks_removed", len(stripped.removed))
        if stripped.guarded:
            self.guarded.add(item.site)
            self.stats.inc_value("memory/guarded")
        return cleaned

    def item_scraped(self, item: Any, **_: Any) -> None:
        found = self.pending.pop(getattr(item, "url", ""), None)
        if found is None or not isinstance(item, ArticleRecord):
            return
        site, pieces, kept = found
        self.stored[site].add(item.url, item.content_hash, kept, item.month)
        if item.revision != 1:
            return  # a revision of a stored article was counted when it was new
        day = (item.fetched_at or datetime.now(UTC)).date().isoformat()
        self.delta[site].observe(pieces, day, item.language or "", self.base[site].blocks)

    def item_dropped(self, item: Any, **_: Any) -> None:
        self.pending.pop(getattr(item, "url", ""), None)

    def close_spider(self) -> None:
        # The articles writer closed before us (pipelines close in reverse order): every row
        # of this run is in its files.
        for site in sorted(self.delta):
            self._close_site(site)

    def _close_site(self, site: str) -> None:
        try:
            # One closer per site at a time: no two workers rewrite the same file at once.
            with self.store.locked(site):
                merged = self._merged(site)
                new = merged.boilerplate() - self.base[site].boilerplate()
                self._report_new(site, merged, new)
                self._clean(site, merged, new)
        except (OSError, TimeoutError) as exc:
            logger.error("site memory of %s not saved nor applied: %s", site, exc)
            self.stats.inc_value("memory/save_failed")

    def _merged(self, site: str) -> SiteMemory:
        """The stored memory with this run's counts added (kept in memory if it cannot be saved)."""
        try:
            return self.store.merge(self.delta[site])
        except OSError as exc:
            logger.error("site memory of %s not saved: %s", site, exc)
            self.stats.inc_value("memory/save_failed")
            merged = copy.deepcopy(self.base[site])
            merged.merge(self.delta[site])
            return merged

    def _may_change(self, site: str, merged: SiteMemory, new: set[str], judge: Judge) -> bool:
        """Whether cleaning anew can change a stored row: reading back every row of the run to
        learn that it cannot took ~0.4 ms per article, alone on one core, at every close."""
        if not merged.boilerplate() - set(judge.pinned):
            return False
        # No block learned: the run's rows were cleaned as they came with a superset of the
        # merged verdicts; only a text the guard kept whole can lose less now, and so lose.
        return bool(new) or site in self.guarded

    def _report_new(self, site: str, merged: SiteMemory, new: set[str]) -> None:
        """Blocks judged boilerplate in this run, for the drift monitor and the report."""
        if self.base[site].articles and new:  # a first run's verdicts are all new: no news
            found = dict(self.stats.get_value("memory/new_boilerplate") or {})
            found[site] = [merged.blocks[k].text for k in sorted(new)]
            self.stats.set_value("memory/new_boilerplate", found)

    def _clean(self, site: str, merged: SiteMemory, new: set[str]) -> None:
        """This run's rows (every row of the site when a block was learned) cleaned anew."""
        judge = self._judge(site, merged)
        if not self._may_change(site, merged, new, judge):
            logger.info("site memory %s: %d articles, %d boilerplate blocks (0 new); no row "
                        "to clean at the close", site, merged.articles,
                        len(merged.boilerplate()))  # fmt: skip
            return
        try:
            with shared_lock(self.root):
                named_ours = run_files(self.root, site, self.file_prefix)
                own = set(named_ours) - self.earlier[site]
                files = site_files(self.root, site, own) if new else []
                files = files or named_ours
                candidates = len(files)
                blocks = merged.boilerplate() - set(judge.pinned)
                files = self.stored[site].files_to_clean(files, blocks, own)
                done = rewrite_rows(files, lambda row: clean_row(row, judge), self.compression)
        except (OSError, DatasetBusy) as exc:
            logger.error("rows of %s not cleaned with the site memory: %s", site, exc)
            self.stats.inc_value("memory/clean_failed")
            return
        self.stats.inc_value("memory/rows_cleaned_at_close", done.cleaned)
        self.stats.inc_value("memory/files_rewritten", done.files)
        logger.info("site memory %s: %d articles, %d boilerplate blocks (%d new); %d rows "
                    "cleaned at the close, %d of %d files read", site, merged.articles,
                    len(merged.boilerplate()), len(new), done.cleaned, len(files),
                    candidates)  # fmt: skip
