"""Site memory, the stored part: per site, how many articles carried each block (one JSON file)."""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import time
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawler.dataset.writer import atomic_write_bytes

__all__ = [
    "FORMAT",
    "BlockTally",
    "MemoryStore",
    "MemoryThresholds",
    "SiteMemory",
    "is_repeated",
]

logger = logging.getLogger(__name__)

FORMAT = "opinion-scraper/site-memory"
VERSION = 1
MAX_BLOCKS = 1000  # blocks seen on 2+ articles kept on disk, the most frequent first
MAX_CANDIDATES = 5000  # blocks seen once kept on disk (no text), the most recent first
# Entries of one site held while crawling before singletons are pruned to the most recent
# third (~200 bytes each: ~1.2 MB; at 15,000 a crawl of three sites held ~3 MB more at N, at
# 30,000 ~10 MB more at 4N). Nearly all are body paragraphs, each seen once. The third kept
# holds the blocks of the last ~80-180 articles (12-25 blocks each): a block carried by
# MIN_SHARE (5%) of the articles comes back within ~20 on average, and one pruned before its
# second carrier starts counting from that (site_memory benchmark, 4,000 pages: the same
# leaks and kept lines at 6,000 as at 15,000).
LIVE_LIMIT = 6_000
TEXT_CHARS = 200
LOCK_TIMEOUT = 600.0  # another worker may be cleaning a large site meanwhile


@dataclass(frozen=True, slots=True)
class MemoryThresholds:
    """When a block seen across a site's articles counts as its boilerplate (README: Site memory).

    min_words/min_chars keep short lines (sub-headings such as "What happened?", a column's
    sign-off) out of the memory altogether; min_articles and min_share ask for a block carried
    by several distinct articles and by a share of the articles the site published since the
    block first appeared, so a campaign that started last week is learned from last week's
    articles (in the block's language: a bilingual site's halves are judged apart);
    min_kept_words is the last guard: a page the memory would leave with fewer words keeps
    everything, so the memory never empties an article.
    """

    min_words: int = 8
    min_chars: int = 40
    min_articles: int = 3
    min_share: float = 0.05
    min_kept_words: int = 20


def is_repeated(carriers: int, since: int, site_articles: int, t: MemoryThresholds) -> bool:
    """Whether `carriers` distinct articles, out of those the site had after its first
    `since` articles, make a block the site's boilerplate."""
    window = max(1, site_articles - since)
    return carriers >= t.min_articles and carriers >= t.min_share * window


@dataclass(slots=True)
class BlockTally:
    """One block of a site: its text, how many articles carried it, since when."""

    text: str  # the block (cut at TEXT_CHARS); "" for a singleton (see SiteMemory.observe)
    articles: int  # distinct articles that carried it
    since: int  # articles the site had (in `lang`) before the first one carrying it
    first_seen: str  # day (YYYY-MM-DD) of the first and last carrier
    last_seen: str
    learned: bool = False  # judged boilerplate when a memory was saved: stays so
    lang: str = ""  # the language of its first carrier ("" unknown: counted site-wide)


@dataclass(slots=True)
class SiteMemory:
    """The blocks of one site's articles and how often they repeat."""

    site: str
    articles: int = 0
    blocks: dict[str, BlockTally] = field(default_factory=dict)
    thresholds: MemoryThresholds = field(default_factory=MemoryThresholds)
    languages: dict[str, int] = field(default_factory=dict)  # articles per language

    def counted(self, lang: str) -> int:
        """Articles observed in a language (all of them for an unknown one)."""
        return self.languages.get(lang, 0) if lang else self.articles

    def is_boilerplate(self, key: str) -> bool:
        """Whether the block with this key repeats enough to be the site's boilerplate."""
        tally = self.blocks.get(key)
        if tally is None:
            return False
        return tally.learned or is_repeated(
            tally.articles, tally.since, self.counted(tally.lang), self.thresholds
        )

    def boilerplate(self) -> set[str]:
        """The keys of every block judged boilerplate."""
        return {key for key in self.blocks if self.is_boilerplate(key)}

    def observe(
        self,
        pieces: Iterable[tuple[str, str]],
        day: str,
        lang: str = "",
        keep_text: Container[str] = (),
    ) -> None:
        """Count one article's (key, text) blocks.

        A block seen for the first time keeps its text only when its key is in `keep_text`
        (the stored memory's blocks, which a merge makes repeated) or when one article is
        enough to judge it; any other gets its text from its second carrier. Most blocks are
        never seen again, and their texts were two thirds of a crawl's live tally.
        """
        single_judged = self.thresholds.min_articles <= 1
        for key, text in dict(pieces).items():
            tally = self.blocks.get(key)
            if tally is None:
                kept = text[:TEXT_CHARS] if single_judged or key in keep_text else ""
                self.blocks[key] = BlockTally(kept, 1, self.counted(lang), day, day, lang=lang)
                continue
            tally.articles += 1
            tally.last_seen = max(tally.last_seen, day)
            tally.text = tally.text or text[:TEXT_CHARS]
        self.articles += 1
        if lang:
            self.languages[lang] = self.languages.get(lang, 0) + 1
        if len(self.blocks) > LIVE_LIMIT:
            # a third of the limit each: pruned to the limit itself, a site with that many
            # repeated blocks would prune (and sort its tally) again at every article
            self.prune(LIVE_LIMIT // 3, LIVE_LIMIT // 3)

    def settle(self) -> None:
        """Make today's verdicts stick: a retired campaign stays known after its share fades."""
        for key in self.boilerplate():
            self.blocks[key].learned = True

    def merge(self, delta: SiteMemory) -> None:
        """Add another memory's counts, whose articles came after this one's."""
        for key, d in delta.blocks.items():
            tally = self.blocks.get(key)
            if tally is None:
                # Not dataclasses.replace: ~3 us each, for every block of a run, at its close.
                since = self.counted(d.lang) + d.since
                self.blocks[key] = BlockTally(d.text, d.articles, since, d.first_seen,
                                              d.last_seen, d.learned, d.lang)  # fmt: skip
                continue
            tally.articles += d.articles
            tally.learned = tally.learned or d.learned
            tally.text = tally.text or d.text
            tally.first_seen = min(tally.first_seen, d.first_seen)
            tally.last_seen = max(tally.last_seen, d.last_seen)
        self.articles += delta.articles
        for lang, count in delta.languages.items():
            self.languages[lang] = self.languages.get(lang, 0) + count

    def prune(self, max_blocks: int = MAX_BLOCKS, max_candidates: int = MAX_CANDIDATES) -> None:
        """Keep the most frequent repeated blocks and the most recent singletons."""
        repeated = sorted(((k, t) for k, t in self.blocks.items() if t.articles > 1),
                          key=lambda kt: (not kt[1].learned, -kt[1].articles,
                                                kt[1].since))[:max_blocks]  # fmt: skip
        singles = sorted(((k, t) for k, t in self.blocks.items() if t.articles == 1),
                         key=lambda kt: -kt[1].since)[:max_candidates]  # fmt: skip
        self.blocks = dict(repeated + singles)

    def top(self, limit: int = 20) -> list[tuple[str, BlockTally]]:
        """The blocks carried by the most articles."""
        # Singletons, most of a memory, are never shown: leave them out of the sort.
        repeated = [(k, t) for k, t in self.blocks.items() if t.articles > 1]
        repeated.sort(key=lambda kt: (-kt[1].articles, kt[1].since))
        return repeated[:limit]

    def to_json(self) -> dict[str, Any]:
        """The documented file form (README: Site memory)."""
        # Not asdict(): it deep-copies each field, ~40% of a save at every close.
        repeated = [{"key": k, "text": t.text, "articles": t.articles, "since": t.since,
                     "first_seen": t.first_seen, "last_seen": t.last_seen,
                     "learned": t.learned, "lang": t.lang}
                    for k, t in self.top(len(self.blocks))]  # fmt: skip
        single = [[k, t.since, t.first_seen, t.lang] for k, t in self.blocks.items()
                  if t.articles == 1]  # fmt: skip
        return {"format": FORMAT, "version": VERSION, "site": self.site, "articles": self.articles,
                "languages": self.languages,
                "updated_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "blocks": repeated, "candidates": single}  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, Any], thresholds: MemoryThresholds) -> SiteMemory:
        """Read the file form back; raises ValueError on anything else."""
        if data.get("format") != FORMAT or data.get("version") != VERSION:
            raise ValueError(f"not a version {VERSION} site memory file")
        languages = {str(k): int(v) for k, v in data["languages"].items()}
        memory = cls(str(data["site"]), int(data["articles"]), thresholds=thresholds,
                     languages=languages)  # fmt: skip
        for b in data["blocks"]:
            memory.blocks[str(b["key"])] = BlockTally(
                str(b["text"]), int(b["articles"]), int(b["since"]),
                str(b["first_seen"]), str(b["last_seen"]), bool(b["learned"]), str(b["lang"]),
            )  # fmt: skip
        for key, since, day, lang in data["candidates"]:
            memory.blocks[str(key)] = BlockTally("", 1, int(since), str(day), str(day),
                                                 lang=str(lang))  # fmt: skip
        return memory


class MemoryStore:
    """The memories of a dataset's sites: `<root>/memory/<site>.json`, replaced atomically."""

    def __init__(self, root: Path | str, thresholds: MemoryThresholds | None = None) -> None:
        self.directory = Path(root) / "memory"
        self.thresholds = thresholds or MemoryThresholds()

    def path(self, site: str) -> Path:
        return self.directory / f"{site}.json"

    def sites(self) -> list[str]:
        """Sites with a stored memory."""
        return sorted(p.stem for p in self.directory.glob("*.json"))

    def load(self, site: str) -> SiteMemory:
        """The site's memory; an empty one when there is none (or it cannot be read: logged)."""
        path = self.path(site)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return SiteMemory.from_json(data, self.thresholds)
        except FileNotFoundError:
            return SiteMemory(site, thresholds=self.thresholds)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            logger.error("site memory %s unreadable, starting it afresh: %s", path, exc)
            return SiteMemory(site, thresholds=self.thresholds)

    def save(self, memory: SiteMemory) -> int:
        """Write the memory (pruned to its bounds) atomically; the file's size in bytes."""
        memory.settle()
        memory.prune()
        data = json.dumps(memory.to_json(), ensure_ascii=False, separators=(",", ":"))
        encoded = data.encode("utf-8")
        atomic_write_bytes(self.path(memory.site), encoded)
        return len(encoded)

    def add(self, delta: SiteMemory) -> SiteMemory:
        """Merge one run's observations into the stored memory, one writer at a time."""
        with self.locked(delta.site):
            return self.merge(delta)

    def merge(self, delta: SiteMemory) -> SiteMemory:
        """Merge one run's observations into the stored memory; hold `locked(site)` around it."""
        memory = self.load(delta.site)
        memory.merge(delta)
        self.save(memory)
        return memory

    @contextlib.contextmanager
    def locked(self, site: str) -> Iterator[None]:
        """An exclusive lock on one site's memory, waited for up to LOCK_TIMEOUT seconds."""
        self.directory.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.directory / f".{site}.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            deadline = time.monotonic() + LOCK_TIMEOUT
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"site memory of {site} locked") from None
                    time.sleep(0.05)
            yield
        finally:
            os.close(fd)
