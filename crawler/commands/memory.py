"""`scrapy memory SITE`: what the site memory learned about a site's repeated blocks."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.commands import add_dataset_option, dataset_root
from crawler.dataset.memory import MemoryStore, SiteMemory
from crawler.profile import load_profiles
from pipelines.memory import pinned_keys, thresholds_from

__all__ = ["Command", "format_memory"]


def _verdict(memory: SiteMemory, key: str, pinned: frozenset[str], enabled: bool) -> str:
    if key in pinned:
        return "pinned"
    if not memory.is_boilerplate(key):
        return "kept"
    return "stripped" if enabled else "off"


def memory_rows(memory: SiteMemory, pinned: frozenset[str], enabled: bool, top: int) -> list[dict]:
    """The most repeated blocks with their counts, share, dates and verdict."""
    rows = []
    for key, tally in memory.top(top):
        window = max(1, memory.counted(tally.lang) - tally.since)
        rows.append({"key": key, "articles": tally.articles,
                     "share": round(tally.articles / window, 3), "first_seen": tally.first_seen,
                     "last_seen": tally.last_seen, "status": _verdict(memory, key, pinned, enabled),
                     "text": tally.text})  # fmt: skip
    return rows


def format_memory(memory: SiteMemory, rows: list[dict], path: Path) -> str:
    """A plain-text view of one site's memory."""
    size = path.stat().st_size if path.exists() else 0
    judged = len(memory.boilerplate())
    head = (f"site {memory.site}: {memory.articles} articles observed, {judged} blocks judged "
            f"boilerplate; {path} ({size} bytes)")  # fmt: skip
    lines = [head, f"{'articles':>8}  {'share':>5}  {'first seen':10}  {'last seen':10}  "
                   f"{'status':8}  text"]  # fmt: skip
    for r in rows:
        text = r["text"] if len(r["text"]) <= 90 else r["text"][:87] + "..."
        lines.append(f"{r['articles']:>8}  {r['share']:>5.2f}  {r['first_seen']:10}  "
                     f"{r['last_seen']:10}  {r['status']:8}  {text}")  # fmt: skip
    return "\n".join(lines)


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "SITE [-o DIR] [--top N] [--json]"

    def short_desc(self) -> str:
        return "Show a site's memory: its most repeated blocks and whether each is stripped"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        add_dataset_option(parser)
        parser.add_argument("--top", type=int, default=20, help="blocks to show (default: 20)")
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        if len(args) != 1:
            raise UsageError("give one site name")
        store = MemoryStore(dataset_root(opts, self.settings), thresholds_from(self.settings))
        if args[0] not in store.sites():
            known = ", ".join(store.sites()) or "none"
            raise UsageError(f"no memory for site {args[0]!r} in {store.directory}; known: {known}")
        memory = store.load(args[0])
        profile = load_profiles(Path(self.settings["SITE_PROFILES_DIR"])).get(args[0])
        enabled = self.settings.getbool("SITE_MEMORY_ENABLED", True) and (
            profile is None or profile.memory_enabled
        )
        rows = memory_rows(memory, pinned_keys(profile), enabled, opts.top)
        if opts.json:
            print(json.dumps({"site": memory.site, "articles": memory.articles, "blocks": rows},
                             ensure_ascii=False, indent=1))  # fmt: skip
        else:
            print(format_memory(memory, rows, store.path(args[0])))
