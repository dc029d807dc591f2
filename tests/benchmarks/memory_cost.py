"""Site memory's cost: CPU per page against extraction's, and the stored bytes per site.

    python -m tests.benchmarks.memory_cost [--pages 300] [--site-pages 20000]

CPU: the demo's article pages (house texts on) are extracted once; then, per page, what the
crawl adds (the blocks' keys, the lookup and strip, the observation) is timed against a
memory that knows the site. Store: one publisher's articles (`--site-pages` URLs, generated
in memory, its house texts between the paragraphs) are observed and the memory file saved.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from crawler.dataset.memory import MemoryStore, SiteMemory
from crawler.dataset.schema import ArticleRecord
from crawler.demo.articles import build_article, plan_page
from crawler.demo.generator import PUBLISHERS, publisher_of
from pipelines.extract import rules_for
from pipelines.extraction import Page, extract
from pipelines.extraction.memory import Judge, clean_record, observed_pieces

SEED = 5


def _pages(pages: int) -> list[Page]:
    """The demo's content pages as served (house texts on), rendered in memory."""
    found = []
    for index in range(pages):
        pub, n = publisher_of(index)
        meta = plan_page(pub, n, SEED)
        if not meta.broken:
            served = pub.article_file(build_article(pub, meta, SEED, (), site_texts=True))
            found.append(Page(url=meta.url, body=served.body, content_type=served.content_type,
                              site=pub.name))  # fmt: skip
    return found


def cpu(pages: list[Page], repeats: int = 3) -> tuple[float, float]:
    """CPU seconds per page of extraction and of what the memory adds (the best of `repeats`:
    other processes on a shared machine only ever add time)."""
    rules = rules_for(None, 10 * 1024 * 1024)
    extraction, added = float("inf"), float("inf")
    for _ in range(repeats):
        start = time.process_time()
        records = [r for r in (extract(p, rules) for p in pages) if isinstance(r, ArticleRecord)]
        extraction = min(extraction, (time.process_time() - start) / max(1, len(pages)))
        added = min(added, _memory_cpu(records))
    return extraction, added


def _memory_cpu(records: list[ArticleRecord]) -> float:
    """Per article: what SiteMemoryPipeline does, against a memory that has seen the site."""
    memories: dict[str, SiteMemory] = {}
    for record in records * 2:
        memory = memories.setdefault(record.site, SiteMemory(record.site))
        memory.observe(observed_pieces(record.text.split("\n\n"), memory.thresholds), "2026-05-01")
    judges = {s: Judge(frozenset(m.boilerplate()).__contains__) for s, m in memories.items()}
    start = time.process_time()
    for record in records:
        memory = memories[record.site]
        pieces = list(observed_pieces(record.text.split("\n\n"), memory.thresholds))
        clean_record(record, judges[record.site], {t: k for k, t in pieces})
        memory.observe(pieces, "2026-05-02")
    return (time.process_time() - start) / max(1, len(records))


def store_bytes(site_pages: int, root: Path) -> tuple[int, int, int]:
    """Bytes of one publisher's memory file after `site_pages` URLs; articles; blocks learned."""
    pub = PUBLISHERS[0]
    memory = SiteMemory(pub.name)
    for n in range(site_pages):
        meta = plan_page(pub, n, SEED)
        if meta.broken:
            continue
        article = build_article(pub, meta, SEED, (), site_texts=True)
        blocks = []
        for index, block in enumerate(article.blocks):
            blocks += list(block.texts) + list(article.inserts.get(index, ()))
        memory.observe(
            observed_pieces(blocks, memory.thresholds), meta.published.date().isoformat()
        )
    size = MemoryStore(root).save(memory)
    return size, memory.articles, len(memory.boilerplate())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--site-pages", type=int, default=20000)
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="memory-cost-") as tmp:
        pages = _pages(opts.pages)
        extraction, added = cpu(pages)
        print(f"{len(pages)} pages: extraction {extraction * 1000:.2f} ms/page, site memory "
              f"{added * 1000:.3f} ms/page ({added / extraction:.1%} of extraction)")  # fmt: skip
        size, articles, learned = store_bytes(opts.site_pages, Path(tmp) / "out")
        print(f"one site, {opts.site_pages} URLs ({articles} articles): memory file {size:,} "
              f"bytes, {learned} blocks judged boilerplate")  # fmt: skip


if __name__ == "__main__":
    main()
