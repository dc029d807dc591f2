"""Source statuses: broken feeds and silent sites raise alerts; healthy ones do not."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy.exceptions import CloseSpider
from scrapy.http import HtmlResponse, Request, XmlResponse
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from crawler.monitor.sources import SourceMonitor

FEED = "http://www.example.test/opinion/rss.xml"
SITEMAP = "http://www.example.test/sitemap.xml"


def monitor(root: Path) -> SourceMonitor:
    watch = SourceMonitor(MemoryStatsCollector(get_crawler()), str(root), 5, 20, 3)
    profile = SimpleNamespace(feeds=(FEED,), sitemaps=(SITEMAP,), start_urls=())
    watch.spider_opened(SimpleNamespace(profiles={"example": profile}))
    return watch


def write_history(root: Path, accepted: int, runs: int = 3) -> None:
    (root / "runs").mkdir(parents=True)
    for i in range(runs):
        manifest = {"run_id": f"r{i}", "finish_reason": "finished",
                    "sources": {"sites": {"example": {"accepted": accepted}}}}  # fmt: skip
        (root / "runs" / f"r{i}.json").write_text(json.dumps(manifest))


def xml(url: str, body: bytes = b"<rss><channel></channel></rss>") -> XmlResponse:
    return XmlResponse(url, body=body, request=Request(url))


def test_healthy_sources_are_recorded_and_raise_nothing(tmp_path: Path) -> None:
    write_history(tmp_path, accepted=40)
    watch = monitor(tmp_path)
    watch.source_read("feed", "example", FEED, response=xml(FEED), entries=20, accepted=18)
    watch.source_read("sitemap", "example", SITEMAP, response=xml(SITEMAP), entries=50,
                      accepted=42)  # fmt: skip
    watch.spider_idle()  # no CloseSpider
    report = watch.finish()
    assert report["alerts"] == [] and report["exit_code"] == 0
    site = report["sites"]["example"]
    assert site["accepted"] == 60 and site["failed"] == 0
    assert {s["status"] for s in site["sources"]} == {"fetched"}


def test_a_feed_turned_into_a_web_page_is_a_failed_source_and_an_alert(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    watch = monitor(tmp_path)
    page = HtmlResponse(FEED, body=b"<!DOCTYPE html><html><body>Page not found</body></html>",
                        headers={"Content-Type": "text/html"}, request=Request(FEED))  # fmt: skip
    watch.source_read("feed", "example", FEED, response=page, entries=0, accepted=0)
    watch.source_read("sitemap", "example", SITEMAP, response=xml(SITEMAP), entries=5,
                      accepted=5)  # fmt: skip
    report = watch.finish()
    (feed,) = [s for s in report["sites"]["example"]["sources"] if s["kind"] == "feed"]
    assert feed["status"] == "failed" and "not a feed: an HTML page" in feed["error"]
    assert report["exit_code"] == 3 and FEED in report["alerts"][0]["message"]
    assert "source failed: example feed" in caplog.text


def test_a_site_that_suddenly_lists_no_articles_is_an_alert(tmp_path: Path) -> None:
    write_history(tmp_path, accepted=40)
    watch = monitor(tmp_path)
    watch.source_read("feed", "example", FEED, response=xml(FEED), entries=0, accepted=0)
    watch.source_read("sitemap", "example", SITEMAP, response=xml(SITEMAP, b"<urlset/>"),
                      entries=0, accepted=0)  # fmt: skip
    report = watch.finish()
    assert [a["message"] for a in report["alerts"]] == [
        "example: sources listed no article URLs (40 in previous runs)"
    ]


def test_a_small_site_that_lists_nothing_as_usual_raises_nothing(tmp_path: Path) -> None:
    write_history(tmp_path, accepted=2)
    watch = monitor(tmp_path)
    watch.source_read("feed", "example", FEED, response=xml(FEED), entries=0, accepted=0)
    assert watch.finish()["alerts"] == []


def test_every_source_failed_closes_the_crawl_as_sources_failed(tmp_path: Path) -> None:
    watch = monitor(tmp_path)
    watch.source_read("feed", "example", FEED, error="DNSLookupError: no such host")
    watch.source_read("sitemap", "example", SITEMAP, error="HTTP 404")
    with pytest.raises(CloseSpider) as stopped:
        watch.spider_idle()
    assert stopped.value.reason == "sources_failed"
    report = watch.finish("sources_failed")
    assert report["alerts"][0]["message"] == "example: all 2 sources failed"


def test_a_shared_crawl_worker_that_read_none_of_a_sites_sources_raises_nothing(
    tmp_path: Path,
) -> None:
    # the shared frontier handed every source of the site to other workers: this worker's
    # "no article URLs" for it was a false alarm that failed its exit code under load
    write_history(tmp_path, accepted=40)
    watch = SourceMonitor(MemoryStatsCollector(get_crawler()), str(tmp_path), 5, 20, 3,
                          shared=True)  # fmt: skip
    profile = SimpleNamespace(feeds=(FEED,), sitemaps=(SITEMAP,), start_urls=())
    watch.spider_opened(SimpleNamespace(profiles={"example": profile}))
    assert watch.finish()["alerts"] == []


def test_a_shared_crawl_worker_that_read_a_silent_source_still_alerts(tmp_path: Path) -> None:
    write_history(tmp_path, accepted=40)
    watch = SourceMonitor(MemoryStatsCollector(get_crawler()), str(tmp_path), 5, 20, 3,
                          shared=True)  # fmt: skip
    profile = SimpleNamespace(feeds=(FEED,), sitemaps=(SITEMAP,), start_urls=())
    watch.spider_opened(SimpleNamespace(profiles={"example": profile}))
    watch.source_read("feed", "example", FEED, response=xml(FEED), entries=0, accepted=0)
    assert [a["message"] for a in watch.finish()["alerts"]] == [
        "example: sources listed no article URLs (40 in previous runs)"
    ]


def test_a_local_crawl_that_read_none_of_a_sites_sources_still_alerts(tmp_path: Path) -> None:
    write_history(tmp_path, accepted=40)
    assert len(monitor(tmp_path).finish()["alerts"]) == 1


def test_a_shared_crawl_worker_records_no_count_for_a_site_it_read_nothing_of(
    tmp_path: Path,
) -> None:
    # a 0 in its manifest would pull the site's usual count down and hide a real silence
    watch = SourceMonitor(MemoryStatsCollector(get_crawler()), str(tmp_path), 5, 20, 3,
                          shared=True)  # fmt: skip
    profile = SimpleNamespace(feeds=(FEED,), sitemaps=(SITEMAP,), start_urls=())
    watch.spider_opened(SimpleNamespace(profiles={"example": profile, "other": profile}))
    watch.source_read("feed", "other", FEED, response=xml(FEED), entries=9, accepted=9)
    assert set(watch.finish()["sites"]) == {"other"}
