"""The crawl takes no more requests from its queue than it can work through."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy import Request, Spider
from scrapy.utils.test import get_crawler

from crawler import settings as project
from crawler.demo import generate, serve
from crawler.scheduler import LocalScheduler, backlog_limit
from tests.crawling import DEMO_SITES, crawl_demo, read_truth


def _scheduler(limit: int) -> tuple[LocalScheduler, Any]:
    # Scrapy's plain priority queue: the downloader-aware one reads the downloader's slots.
    plain = "scrapy.pqueues.ScrapyPriorityQueue"
    crawler = get_crawler(Spider, {"SCRAPE_MAX_PENDING": limit, "SCHEDULER_PRIORITY_QUEUE": plain})
    scraper = SimpleNamespace(slot=SimpleNamespace(queue=[], active=set()))
    downloader = SimpleNamespace(active=set())
    engine: Any = SimpleNamespace(downloader=downloader, scraper=scraper)
    crawler.engine = engine
    crawler.stats.open_spider()
    scheduler = LocalScheduler.from_crawler(crawler)
    scheduler.open(Spider("s"))
    return scheduler, engine


def test_a_full_backlog_keeps_the_request_in_the_queue_until_a_page_is_done():
    scheduler, engine = _scheduler(limit=3)
    scheduler.enqueue_request(Request("http://a.test/1"))
    engine.downloader.active.add(Request("http://a.test/d"))
    engine.scraper.slot.queue.append(Request("http://a.test/q"))
    engine.scraper.slot.active.add(Request("http://a.test/a"))

    assert scheduler.next_request() is None
    assert len(scheduler) == 1 and scheduler.has_pending_requests()
    assert scheduler.stats.get_value("scheduler/held_back") == 1

    engine.scraper.slot.active.clear()
    taken = scheduler.next_request()
    assert taken is not None and taken.url == "http://a.test/1"
    assert scheduler.stats.get_value("scheduler/in_hand_max") == 3


def test_the_default_limit_follows_the_downloader_and_the_extraction_pool():
    settings = get_crawler(Spider, {"CONCURRENT_REQUESTS": 8, "EXTRACT_WORKERS": 3}).settings
    assert backlog_limit(settings) == 8 + 2 * 4 * 3
    inline = get_crawler(Spider, {"CONCURRENT_REQUESTS": 8, "EXTRACT_WORKERS": 0}).settings
    assert backlog_limit(inline) == 8
    explicit = get_crawler(Spider, {"SCRAPE_MAX_PENDING": 5}).settings
    assert backlog_limit(explicit) == 5


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    site_dir = tmp_path_factory.mktemp("site")
    generate(site_dir, pages=300, seed=5)
    yield site_dir


def test_a_crawl_whose_pipelines_stall_downloads_no_more_than_its_limit(site: Path, tmp_path: Path):
    # 300 small demo pages fit in Scrapy's own 5 MB bound on responses in hand: without the
    # scheduler's count, the whole site was downloaded while the pipelines held the first page.
    report = tmp_path / "held.json"
    pipelines = {**project.ITEM_PIPELINES, "tests.stalled_pipeline.StalledPipeline": 10}
    with serve(site) as server:
        crawl_demo(tmp_path / "out", server.proxy_url, "-s", "SCRAPE_MAX_PENDING=12",
                   "-s", f"ITEM_PIPELINES={json.dumps(pipelines)}", "-s", "STALL_SECONDS=3",
                   "-s", f"STALL_REPORT={report}")  # fmt: skip
    held = json.loads(report.read_text())
    opinion = [t for t in read_truth(site) if t["kind"] == "opinion"
               and t["site"] in DEMO_SITES.split(",")]  # fmt: skip
    assert len(opinion) > 100
    assert 1 <= held["pages_held"] <= 12, held
