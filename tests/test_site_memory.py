"""Site memory: thresholds, stripping anywhere in a text, the stored memory, the crawl pipeline."""

from __future__ import annotations

import json
from dataclasses import fields, replace
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from crawler.dataset import files, stored_blocks
from crawler.dataset.memory import (
    MAX_BLOCKS,
    MAX_CANDIDATES,
    TEXT_CHARS,
    BlockTally,
    MemoryStore,
    SiteMemory,
)
from crawler.dataset.memory_clean import rewrite_rows, run_files
from crawler.dataset.schema import ARTICLE_SCHEMA, PARTITION_FIELDS, ArticleRecord
from crawler.dataset.stored_blocks import StoredBlocks, row_id
from crawler.dataset.writer import DatasetWriter
from crawler.profile import load_profile
from pipelines.extraction.hashing import content_hash
from pipelines.extraction.memory import (
    Judge,
    block_key,
    clean_record,
    clean_row,
    observed_pieces,
    strip_repeated,
)
from pipelines.memory import SiteMemoryPipeline

# Wording of our own, the kind of house text no generic rule knows.
APPEAL = (
    "Every column here exists because a few hundred neighbours put coins in the jar each month."
)
BIO = "The author once ran the county ferry and now writes about rivers for this paper."
QUOTE = "A harbour is not its cranes but the habits of the people who quarrel along its quays."
HEADING = "What happened next?"
NOW = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)


WORDS = ("alder", "basalt", "cobble", "dunlin", "eelgrass", "fathom", "gannet", "hawser",
         "isobar", "jetty", "kelp", "lugger", "mooring", "neap", "osprey", "pier",
         "quay")  # fmt: skip


def body(n: int, paragraphs: int = 4) -> list[str]:
    """Distinct body paragraphs of article n (numbers alone would not make them distinct)."""

    def word(i: int) -> str:
        return WORDS[i % len(WORDS)] + WORDS[(i // len(WORDS)) % len(WORDS)]

    return [
        f"The council of {word(n)} argued about the {word(n + p + 1)} bridge, the "
        f"{word(3 * n + p)} budget and a ferry timetable for the {word(n * p + 5)} route."
        for p in range(paragraphs)
    ]


def memory_of(texts: list[list[str]]) -> SiteMemory:
    """A memory that observed one article per list of blocks."""
    memory = SiteMemory("harbour")
    for blocks in texts:
        memory.observe(observed_pieces(blocks, memory.thresholds), "2026-05-01")
    return memory


def test_block_seen_on_enough_articles_is_stripped_wherever_it_sits() -> None:
    memory = memory_of([[*body(n)[:2], APPEAL, *body(n)[2:]] for n in range(10)])
    legacy = f"{body(99)[0]}\n{APPEAL}"  # a <br>-broken paragraph holding the appeal as a line
    stripped = strip_repeated([APPEAL, *body(98), legacy], memory.is_boilerplate)
    assert stripped.kept == [*body(98), body(99)[0]]
    assert [r.text for r in stripped.removed] == [APPEAL, APPEAL]
    assert {r.kind for r in stripped.removed} == {"repeated"}


def test_removed_block_takes_the_text_rules_kind_when_they_know_it() -> None:
    appeal = "Please donate today: readers like you fund every one of our reporters and editors."
    memory = memory_of([[*body(n), appeal] for n in range(5)])
    assert strip_repeated([*body(50), appeal], memory.is_boilerplate).removed[0].kind == "appeal"


def test_short_lines_are_never_judged_however_often_they_repeat() -> None:
    memory = memory_of([[HEADING, *body(n), "Until next week."] for n in range(20)])
    blocks = [HEADING, *body(30), "Until next week."]
    assert strip_repeated(blocks, memory.is_boilerplate).kept == blocks


def test_rare_repeated_quote_stays_and_a_pinned_block_stays() -> None:
    articles = [body(n) for n in range(100)]
    for n in (10, 50, 90):  # 3 articles of 90 since it first appeared: under 5 %
        articles[n] = [*articles[n], QUOTE]
    memory = memory_of(articles)
    assert not memory.is_boilerplate(block_key(QUOTE))
    memory = memory_of([[*body(n), BIO] for n in range(10)])
    judge = Judge(memory.is_boilerplate, pinned=frozenset({block_key(BIO)}))
    assert judge.strip("\n\n".join([*body(60), BIO])).removed == []


def test_new_campaign_is_learned_from_the_articles_since_it_appeared() -> None:
    articles = [body(n) for n in range(200)] + [[*body(n), APPEAL] for n in range(200, 204)]
    memory = memory_of(articles)
    assert memory.is_boilerplate(block_key(APPEAL))  # 4 of the last 4, not 4 of 204


def test_share_is_counted_within_the_block_language() -> None:
    memory = SiteMemory("harbour")
    for n in range(120):  # a bilingual site: the bio is on 4 of its 60 English articles
        blocks = [*body(n), BIO] if n in (0, 30, 60, 90) else body(n)
        lang = "en" if n % 2 == 0 else "ru"
        memory.observe(observed_pieces(blocks, memory.thresholds), "2026-05-01", lang)
    bio = memory.blocks[block_key(BIO)]
    assert (bio.articles, bio.lang, memory.counted("en")) == (4, "en", 60)
    assert memory.is_boilerplate(block_key(BIO))  # 4 of 60, not 4 of 120
    sitewide = SiteMemory("harbour", 120, {block_key(BIO): replace(bio, lang="")})
    assert not sitewide.is_boilerplate(block_key(BIO))


def test_a_short_page_loses_its_house_texts_but_is_never_emptied() -> None:
    memory = memory_of([[*body(n, 1), APPEAL, BIO] for n in range(10)])
    short = [*body(60, 1), APPEAL, BIO]  # most of its words are house texts: still stripped
    assert strip_repeated(short, memory.is_boilerplate).kept == body(60, 1)


def test_guard_keeps_a_page_that_would_lose_most_of_its_words() -> None:
    memory = memory_of([[*body(n, 1), APPEAL, BIO] for n in range(10)])
    stripped = strip_repeated([APPEAL, BIO, "Short note on the ferry."], memory.is_boilerplate)
    assert stripped.guarded and stripped.removed == []


def test_numbers_do_not_split_a_block() -> None:
    assert block_key("Join 12,345 readers of the harbour daily") == block_key(
        "Join  9,999 readers of the Harbour daily"
    )


def test_store_round_trip_is_documented_json_and_merges_workers(tmp_path: Path) -> None:
    store = MemoryStore(tmp_path)
    one, two = memory_of([[*body(n), APPEAL] for n in range(2)]), memory_of([[APPEAL]] * 2)
    store.add(one)
    merged = store.add(two)
    assert merged.articles == 4 and merged.blocks[block_key(APPEAL)].articles == 4
    data = json.loads(store.path("harbour").read_text(encoding="utf-8"))
    assert data["format"] == "opinion-scraper/site-memory" and data["articles"] == 4
    top = data["blocks"][0]
    assert top["text"] == APPEAL and top["learned"] is True and top["articles"] == 4
    assert list(top) == ["key", *(f.name for f in fields(BlockTally))]  # every field, in order
    assert store.load("harbour").is_boilerplate(block_key(APPEAL))


def test_learned_block_stays_learned_after_its_campaign_ends(tmp_path: Path) -> None:
    store = MemoryStore(tmp_path)
    store.add(memory_of([[*body(n), APPEAL] for n in range(5)]))
    later = store.add(memory_of([body(n) for n in range(100, 400)]))
    assert later.is_boilerplate(block_key(APPEAL))


def test_store_is_bounded(tmp_path: Path) -> None:
    memory = memory_of([body(n, 20) for n in range(400)] + [body(n, 20) for n in range(150)])
    store = MemoryStore(tmp_path)
    size = store.save(memory)
    stored = store.load("harbour")
    assert len(stored.blocks) <= MAX_BLOCKS + MAX_CANDIDATES
    assert size < MAX_BLOCKS * (TEXT_CHARS + 150) + MAX_CANDIDATES * 60  # about 0.65 MB


def test_live_tally_holds_text_only_for_blocks_seen_again() -> None:
    # A crawl sees most blocks once; their texts were two thirds of the tally it held live.
    memory = memory_of([[*body(n), APPEAL] for n in range(50)])
    singles = [t for t in memory.blocks.values() if t.articles == 1]
    assert len(singles) > 100 and all(t.text == "" for t in singles)
    assert memory.blocks[block_key(APPEAL)].text == APPEAL


def spelled(n: int) -> str:
    """A word of its own for every number (block keys ignore digits)."""
    letters = ""
    while True:
        n, digit = divmod(n, len(WORDS))
        letters += WORDS[digit]
        if not n:
            return letters


def test_live_tally_of_a_site_is_bounded_and_still_counts_its_boilerplate() -> None:
    # Nearly every block a crawl sees is a body paragraph seen once: 36,000 of them here.
    memory, most = SiteMemory("harbour"), 0
    for n in range(3000):
        blocks = [f"Column {spelled(n)} says in part {spelled(p)} that the ferry, the bridge and "
                  "the budget matter more than anyone admits." for p in range(12)]  # fmt: skip
        memory.observe(observed_pieces([*blocks, APPEAL][: 12 + (n % 4 == 0)],
                                       memory.thresholds), "2026-05-01")  # fmt: skip
        most = max(most, len(memory.blocks))
    assert memory.articles == 3000 and most <= 6_000  # ~200 bytes each: ~1.2 MB at most
    assert memory.blocks[block_key(APPEAL)].articles == 750
    assert memory.is_boilerplate(block_key(APPEAL))


def test_a_site_with_many_repeated_blocks_does_not_prune_at_every_article(monkeypatch) -> None:
    # Pruned back to the limit itself, a tally with a third of it in repeated blocks was full
    # again after the next article: it was sorted and cut at every article
    import crawler.dataset.memory as site_memory

    monkeypatch.setattr(site_memory, "LIVE_LIMIT", 1500)
    memory, prunes = SiteMemory("harbour"), []
    real = SiteMemory.prune
    monkeypatch.setattr(SiteMemory, "prune", lambda self, *a: prunes.append(1) or real(self, *a))
    for n in range(1000):
        # each article repeats 12 blocks of the one before and brings 12 new ones
        blocks = [f"Column {spelled(m)} says in part {spelled(p)} that the ferry, the bridge "
                  "and the budget matter more than anyone admits."
                  for m in (n, n + 1) for p in range(12)]  # fmt: skip
        memory.observe(observed_pieces(blocks, memory.thresholds), "2026-05-01")
        assert len(memory.blocks) <= 1500 + 24
    assert len(prunes) <= 1000 * 24 // 500  # at most once per third of the limit's blocks


def test_unreadable_memory_starts_afresh(tmp_path: Path) -> None:
    store = MemoryStore(tmp_path)
    store.directory.mkdir()
    store.path("harbour").write_text("{not json", encoding="utf-8")
    assert store.load("harbour").articles == 0


def record(n: int, blocks: list[str], url: str | None = None) -> ArticleRecord:
    text = "\n\n".join(blocks)
    return ArticleRecord(
        url=url or f"https://harbour.test/opinion/{n}", canonical_url=f"https://harbour.test/opinion/{n}",
        site="harbour", title=f"Title {n}", text=text, word_count=len(text.split()),
        content_hash=content_hash(text), fetched_at=NOW, published_at=NOW, http_status=200,
        run_id="run",
    )  # fmt: skip


def pipeline(root: Path, run_id: str) -> SiteMemoryPipeline:
    store = MemoryStore(root)
    stats = MemoryStatsCollector(get_crawler())
    return SiteMemoryPipeline(store, {}, stats, str(root), f"part-{run_id}-w0")


def crawl(root: Path, run_id: str, records: list[ArticleRecord]) -> SiteMemoryPipeline:
    """What a run does with these records: memory pipeline, rows written, signals, close."""
    memory = pipeline(root, run_id)
    writer = DatasetWriter(root / "articles", ARTICLE_SCHEMA, PARTITION_FIELDS,
                           file_prefix=f"part-{run_id}-w0", flush_rows=3)  # fmt: skip
    for rec in records:
        cleaned = memory.process_item(rec)
        writer.write(cleaned.to_row())
        memory.item_scraped(cleaned)
    writer.close()
    memory.close_spider()
    return memory


def stored_rows(root: Path, run_id: str) -> list[dict]:
    return [r for p in run_files(root, "harbour", f"part-{run_id}-w0")
            for r in pq.ParquetFile(p).read().to_pylist()]  # fmt: skip


def test_first_run_rows_are_cleaned_at_the_close_including_the_first_ones(tmp_path: Path) -> None:
    records = [record(n, [*body(n)[:2], APPEAL, *body(n)[2:], BIO]) for n in range(8)]
    memory = crawl(tmp_path, "r1", records)
    rows = stored_rows(tmp_path, "r1")
    assert len(rows) == 8
    for row in rows:
        assert APPEAL not in row["text"] and BIO not in row["text"]
        n = int(row["url"].rsplit("/", 1)[1])
        assert row["text"] == "\n\n".join(body(n))  # every body paragraph, nothing else
        assert row["content_hash"] == content_hash(row["text"])
        assert {(r["kind"], r["text"]) for r in row["removed"]} >= {("repeated", APPEAL)}
    assert memory.stats.get_value("memory/rows_cleaned_at_close") == 8


def test_second_run_strips_what_the_first_learned_before_writing(tmp_path: Path) -> None:
    crawl(tmp_path, "r1", [record(n, [*body(n), APPEAL]) for n in range(8)])
    second = pipeline(tmp_path, "r2")
    cleaned = second.process_item(record(20, [APPEAL, *body(20)]))
    assert cleaned.text == "\n\n".join(body(20))
    assert cleaned.content_hash == content_hash(cleaned.text)


def test_new_block_on_a_known_site_is_reported_for_the_drift_monitor(tmp_path: Path) -> None:
    crawl(tmp_path, "r1", [record(n, [*body(n), APPEAL]) for n in range(8)])
    second = crawl(tmp_path, "r2", [record(n, [*body(n), APPEAL, BIO]) for n in range(20, 28)])
    assert second.stats.get_value("memory/new_boilerplate") == {"harbour": [BIO]}
    first_only = crawl(tmp_path / "fresh", "r1", [record(n, [*body(n), BIO]) for n in range(8)])
    assert first_only.stats.get_value("memory/new_boilerplate") is None


def test_a_block_seen_once_in_each_of_two_runs_is_stored_with_its_text(tmp_path: Path) -> None:
    crawl(tmp_path, "r1", [record(n, [*body(n), BIO if n == 3 else APPEAL]) for n in range(8)])
    crawl(
        tmp_path, "r2", [record(n, [*body(n), BIO if n == 23 else APPEAL]) for n in range(20, 28)]
    )
    data = json.loads(MemoryStore(tmp_path).path("harbour").read_text(encoding="utf-8"))
    bio = next(b for b in data["blocks"] if b["key"] == block_key(BIO))
    assert bio["articles"] == 2 and bio["text"] == BIO


def test_revisions_and_dropped_items_teach_nothing(tmp_path: Path) -> None:
    memory = pipeline(tmp_path, "r1")
    for n in range(6):
        rec = memory.process_item(record(n, [*body(n), APPEAL]))
        memory.item_scraped(replace(rec, revision=2))
    memory.item_dropped(memory.process_item(record(9, body(9))))
    assert memory.delta["harbour"].articles == 0 and not memory.pending


def test_clean_row_and_rewrite_keep_every_row(tmp_path: Path) -> None:
    memory = memory_of([[*body(n), APPEAL] for n in range(5)])
    writer = DatasetWriter(tmp_path, ARTICLE_SCHEMA, PARTITION_FIELDS, file_prefix="part-x")
    for n in range(3):
        writer.write(record(n, [*body(n), APPEAL] if n else body(n)).to_row())
    writer.close()
    paths = sorted(tmp_path.rglob("*.parquet"))
    schema = pq.ParquetFile(paths[0]).schema_arrow
    done = rewrite_rows(paths, lambda row: clean_row(row, Judge(memory.is_boilerplate)))
    assert (done.rows, done.cleaned, done.files) == (3, 2, 1)
    rows = pq.ParquetFile(paths[0]).read().to_pylist()
    assert [APPEAL in r["text"] for r in rows] == [False, False, False]
    assert pq.ParquetFile(paths[0]).schema_arrow.equals(schema, check_metadata=True)


def test_profile_pins_blocks_and_switches_the_memory_off(tmp_path: Path) -> None:
    path = tmp_path / "harbour.toml"
    path.write_text(
        'name = "harbour"\ndomains = ["harbour.test"]\nstart_urls = ["https://harbour.test/"]\n'
        '[articles]\nallow = ["/opinion/"]\n'
        f'[memory]\nenabled = false\nbody = ["{QUOTE}"]\n',
        encoding="utf-8",
    )
    profile = load_profile(path)
    assert profile.memory_body == (QUOTE,) and profile.memory_enabled is False
    stats = MemoryStatsCollector(get_crawler())
    memory = SiteMemoryPipeline(MemoryStore(tmp_path), {"harbour": profile}, stats,
                                str(tmp_path), "part-r")  # fmt: skip
    rec = record(1, [*body(1), APPEAL])
    assert memory.process_item(rec) is rec
    path.write_text(path.read_text().replace("enabled = false", "enable = false"), "utf-8")
    with pytest.raises(ValueError, match=r"memory\.enable"):
        load_profile(path)


def test_normalized_text_collapses_every_unicode_space_like_the_regex_did() -> None:
    import re
    import sys
    import unicodedata

    from pipelines.extraction.hashing import normalize_text

    spaces = "".join(chr(c) for c in range(sys.maxunicode + 1) if re.fullmatch(r"\s", chr(c)))
    text = f"{spaces}Ünïcode  Ｗｉｄｅ{spaces}text\u00a0here {spaces}"
    expected = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).lower()).strip()
    assert normalize_text(text) == expected == "ünïcode wide text here"


def test_word_count_of_a_cleaned_record_counts_as_the_extractor_does() -> None:
    import re

    memory = memory_of([[*body(n), APPEAL] for n in range(5)])
    rec = record(7, [*body(7), f"{body(8)[0]}\n{APPEAL}"])
    rec = replace(rec, word_count=len(re.findall(r"\w+", rec.text)))
    cleaned, _ = clean_record(rec, Judge(memory.is_boilerplate))
    assert cleaned.word_count == len(re.findall(r"\w+", cleaned.text))


def test_block_learned_in_a_later_run_is_cleaned_from_earlier_rows_too(tmp_path: Path) -> None:
    first = [record(n, [*body(n), BIO] if n < 2 else body(n)) for n in range(6)]
    crawl(tmp_path, "r1", first)
    assert sum(BIO in r["text"] for r in stored_rows(tmp_path, "r1")) == 2  # 2 carriers: not yet
    crawl(tmp_path, "r2", [record(n, [*body(n), BIO]) for n in range(10, 12)])
    rows = stored_rows(tmp_path, "r1") + stored_rows(tmp_path, "r2")
    assert len(rows) == 8 and not any(BIO in r["text"] for r in rows)


def learned_store(root: Path) -> MemoryStore:
    store = MemoryStore(root)
    store.add(memory_of([[*body(n), APPEAL] for n in range(6)]))
    return store


def test_reextract_applies_the_stored_memory(tmp_path: Path) -> None:
    import asyncio

    from scrapy.settings import Settings

    from crawler import settings as project_settings
    from crawler.commands.reextract import replayer_from_settings
    from crawler.items import PageItem

    learned_store(tmp_path)
    paragraphs = "".join(f"<p>{p}</p>" for p in [*body(40)[:2], APPEAL, *body(40)[2:]])
    html = f"<html><head><title>Ferries</title></head><body><article><h1>Ferries</h1>{paragraphs}"
    item = PageItem(url="https://harbour.test/opinion/40", site="harbour", status=200,
                    body=f"{html}</article></body></html>".encode(), fetched_at=NOW,
                    content_type="text/html; charset=utf-8")  # fmt: skip
    settings = Settings({**{k: getattr(project_settings, k) for k in dir(project_settings)
                            if k.isupper()}, "VALIDATE_MIN_WORDS": 10})  # fmt: skip
    replayer = replayer_from_settings(settings, tmp_path)
    verdict = asyncio.run(replayer.verdict(item, "rx"))
    assert isinstance(verdict, ArticleRecord) and APPEAL not in verdict.text
    assert ("repeated", APPEAL) in {(r.kind, r.text) for r in verdict.removed}
    settings.set("SITE_MEMORY_ENABLED", False)
    plain = asyncio.run(replayer_from_settings(settings, tmp_path).verdict(item, "rx"))
    assert isinstance(plain, ArticleRecord) and APPEAL in plain.text


def test_memory_command_lists_blocks_with_counts_dates_and_verdicts(tmp_path: Path) -> None:
    from crawler.commands.memory import format_memory, memory_rows

    store = learned_store(tmp_path)
    memory = store.load("harbour")
    rows = memory_rows(memory, frozenset(), enabled=True, top=5)
    assert rows[0]["text"] == APPEAL and rows[0]["articles"] == 6
    assert rows[0]["status"] == "stripped" and rows[0]["first_seen"] == "2026-05-01"
    pinned = memory_rows(memory, frozenset({block_key(APPEAL)}), enabled=True, top=5)
    assert pinned[0]["status"] == "pinned"
    assert memory_rows(memory, frozenset(), enabled=False, top=5)[0]["status"] == "off"
    text = format_memory(memory, rows, store.path("harbour"))
    assert "6 articles observed, 1 blocks judged boilerplate" in text and APPEAL[:40] in text


def test_drift_section_and_report_show_new_repeated_blocks(tmp_path: Path) -> None:
    from crawler.monitor.drift import DriftMonitor, Thresholds
    from crawler.monitor.report import ReportData, _alerts

    stats = MemoryStatsCollector(get_crawler())
    stats.set_value("memory/new_boilerplate", {"harbour": [BIO]})
    monitor = DriftMonitor(str(tmp_path), "r1", Thresholds(), 3, stats)
    report = monitor.finish()
    assert report["new_boilerplate"] == {"harbour": [BIO]} and report["exit_code"] == 0
    data = ReportData(str(tmp_path), *([None] * 4), new_boilerplate=report["new_boilerplate"])  # type: ignore[arg-type]
    assert "New repeated blocks" in _alerts(data) and BIO in _alerts(data)


def test_workers_of_one_round_agree_and_every_row_ends_clean(tmp_path: Path) -> None:
    workers = [pipeline(tmp_path, run) for run in ("ra", "rb")]  # both start before either ends
    writers = [DatasetWriter(tmp_path / "articles", ARTICLE_SCHEMA, PARTITION_FIELDS,
                             file_prefix=f"part-{run}-w0") for run in ("ra", "rb")]  # fmt: skip
    for n in range(8):  # each worker sees the appeal on 2 articles: too few alone
        worker, writer = workers[n % 2], writers[n % 2]
        cleaned = worker.process_item(record(n, [*body(n), APPEAL] if n < 4 else body(n)))
        writer.write(cleaned.to_row())
        worker.item_scraped(cleaned)
    for worker, writer in zip(workers, writers, strict=True):
        writer.close()
        worker.close_spider()
    rows = stored_rows(tmp_path, "ra") + stored_rows(tmp_path, "rb")
    assert len(rows) == 8 and not any(APPEAL in r["text"] for r in rows)
    assert MemoryStore(tmp_path).load("harbour").articles == 8


def rewrites_seen(monkeypatch: pytest.MonkeyPatch) -> list[list[Path]]:
    """The file lists the close hands to rewrite_rows (which still runs)."""
    seen: list[list[Path]] = []

    def recording(paths: list[Path], *args: object, **kwargs: object) -> object:
        seen.append(list(paths))
        return rewrite_rows(paths, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("pipelines.memory.rewrite_rows", recording)
    return seen


def test_a_close_that_can_change_no_row_reads_none_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = rewrites_seen(monkeypatch)
    crawl(tmp_path, "r1", [record(n, body(n)) for n in range(8)])  # nothing repeats
    crawl(tmp_path, "r2", [record(n, [*body(n), APPEAL]) for n in range(20, 28)])
    assert len(seen) == 1  # r2 learned APPEAL: its rows and r1's are cleaned
    third = crawl(tmp_path, "r3", [record(n, [*body(n), APPEAL]) for n in range(40, 48)])
    assert len(seen) == 1  # r3 learned nothing: its rows were cleaned as they came
    assert all(APPEAL not in row["text"] for row in stored_rows(tmp_path, "r3"))
    assert third.stats.get_value("memory/rows_cleaned_at_close") is None


def test_a_run_whose_guard_kept_a_text_whole_is_cleaned_again_at_the_close(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    crawl(tmp_path, "r1", [record(n, [*body(n, 1), APPEAL, BIO]) for n in range(10)])
    seen = rewrites_seen(monkeypatch)
    second = crawl(tmp_path, "r2", [record(30, [APPEAL, BIO, "Short note on the ferry."])])
    assert second.stats.get_value("memory/guarded") == 1
    assert len(seen) == 1 and seen[0] == run_files(tmp_path, "harbour", "part-r2-w0")


def test_a_first_run_close_reads_only_the_files_holding_a_learned_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = rewrites_seen(monkeypatch)
    # Three rows a file (flush_rows=3): only the middle file's rows carry the appeal.
    crawl(tmp_path, "r1", [record(n, [*body(n), APPEAL] if 3 <= n < 6 else body(n))
                           for n in range(8)])  # fmt: skip
    files = run_files(tmp_path, "harbour", "part-r1-w0")
    assert len(files) == 3 and seen == [[files[1]]]
    rows = stored_rows(tmp_path, "r1")
    assert len(rows) == 8
    assert all(row["text"] == "\n\n".join(body(int(row["url"].rsplit("/", 1)[1])))
               for row in rows)  # fmt: skip


def test_the_close_reads_every_file_holding_a_row_this_process_did_not_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another worker of the same run (no memory pipeline here) stored a row with the appeal.
    other = DatasetWriter(tmp_path / "articles", ARTICLE_SCHEMA, PARTITION_FIELDS,
                          file_prefix="part-r1-w1")  # fmt: skip
    other.write(record(90, [*body(90), APPEAL]).to_row())
    other.close()
    seen = rewrites_seen(monkeypatch)
    crawl(tmp_path, "r1", [record(n, [*body(n), APPEAL] if n < 3 else body(n)) for n in range(9)])
    theirs = run_files(tmp_path, "harbour", "part-r1-w1")
    ours = run_files(tmp_path, "harbour", "part-r1-w0")
    assert len(seen) == 1 and sorted(seen[0]) == sorted([*theirs, ours[0]])
    rows = [r for p in [*theirs, *ours] for r in pq.ParquetFile(p).read().to_pylist()]
    assert len(rows) == 10 and not any(APPEAL in row["text"] for row in rows)


def in_month(rec: ArticleRecord, month: int) -> ArticleRecord:
    return replace(rec, published_at=datetime(2026, month, 10, tzinfo=UTC))


def test_a_close_reads_none_of_its_own_files_of_months_no_carrier_is_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[Path] = []
    inspected: list[Path] = []
    row_ids, inspect = stored_blocks._row_ids, files._inspect
    monkeypatch.setattr(stored_blocks, "_row_ids", lambda p: read.append(p) or row_ids(p))
    monkeypatch.setattr(files, "_inspect", lambda p, s: inspected.append(p) or inspect(p, s))
    # A file a month for five months; only May's articles carry the appeal (a campaign of
    # the last weeks), learned at the first run's close.
    crawl(tmp_path, "r1", [in_month(record(n, [*body(n), APPEAL] if n >= 12 else body(n)),
                                    1 + n // 3) for n in range(15)])  # fmt: skip
    ours = run_files(tmp_path, "harbour", "part-r1-w0")
    assert len(ours) == 5 and read == [ours[-1]] and inspected == []
    rows = stored_rows(tmp_path, "r1")
    assert len(rows) == 15 and not any(APPEAL in row["text"] for row in rows)


def test_files_under_this_process_s_name_it_did_not_write_are_read_at_the_close(
    tmp_path: Path,
) -> None:
    # The same run id given to two processes one after the other: the first one's rows are
    # not the second's, whatever their files are named.
    crawl(tmp_path, "r1", [in_month(record(n, [*body(n), BIO] if n == 0 else body(n)), 1)
                           for n in range(3)])  # fmt: skip
    crawl(tmp_path, "r1", [in_month(record(n, [*body(n), BIO] if n < 23 else body(n)), 3)
                           for n in range(20, 26)])  # fmt: skip
    rows = stored_rows(tmp_path, "r1")
    assert len(rows) == 9 and not any(BIO in row["text"] for row in rows)


def test_the_rows_a_close_reads_are_known_by_the_text_they_hold(tmp_path: Path) -> None:
    stored = StoredBlocks()
    text = "\n\n".join([*body(1), APPEAL])
    keys = [key for key, _ in observed_pieces(text.split("\n\n"), MemoryStore(tmp_path).thresholds)]
    stored.add("https://harbour.test/opinion/1", content_hash(text), keys)
    stored.add("https://harbour.test/opinion/2", content_hash("other"), [block_key(BIO)])
    assert stored.carriers({block_key(APPEAL)}) == {
        row_id("https://harbour.test/opinion/1", content_hash(text))
    }
    assert stored.carriers({block_key(QUOTE)}) == set()
    writer = DatasetWriter(tmp_path / "articles", ARTICLE_SCHEMA, PARTITION_FIELDS, "part-x")
    writer.write(record(1, [*body(1), APPEAL]).to_row())
    writer.close()
    (path,) = writer.files_written
    assert stored.files_to_clean([path], {block_key(APPEAL)}) == [path]
    assert stored.files_to_clean([path], {block_key(QUOTE)}) == []
    # The same URL holding another text (revised, or another run's) is not a row seen here.
    changed = StoredBlocks()
    changed.add("https://harbour.test/opinion/1", content_hash("older text"), keys)
    assert changed.files_to_clean([path], {block_key(QUOTE)}) == [path]
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"not parquet")
    assert stored.files_to_clean([broken], {block_key(QUOTE)}) == [broken]
