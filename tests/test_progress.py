"""Progress lines: pages done, rate and errors, never more often than the interval."""

from __future__ import annotations

import io

import pytest
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from crawler.monitor.progress import Progress, ProgressLog, crawl_counters, terminal


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_lines_are_rate_limited_and_carry_rate_and_counters() -> None:
    clock, lines = Clock(), []
    progress = Progress("work", lambda line, final=False: lines.append(line), 5.0, 100, clock)
    for done in range(1, 50):
        clock.now = done * 0.5  # 2 pages a second for 24.5 s
        progress.update(done, errors=done // 10)
    assert len(lines) == 4  # one per 5 s, not one per page
    assert lines[0] == "work: 10/100 pages, 2.0/s, 1 errors, elapsed 0:00:05"
    progress.finish()
    assert lines[-1].startswith("work: 49/100 pages") and lines[-1].endswith("elapsed 0:00:24")


def test_terminal_rewrites_one_line_on_a_tty_and_prints_lines_elsewhere() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty, pipe = Tty(), io.StringIO()
    for stream in (tty, pipe):
        emit = terminal(stream)
        emit("a")
        emit("b", final=True)
    assert tty.getvalue() == "\r\x1b[Ka\r\x1b[Kb\n"
    assert pipe.getvalue() == "a\nb\n"


def test_crawl_line_counts_from_the_stats() -> None:
    stats = {"response_received_count": 40, "articles/accepted": 30, "rejects/http_error": 3,
             "rejects/no_article": 2, "downloader/exception_count": 1, "log_count/ERROR": 1,
             "scheduler/enqueued": 50, "scheduler/dequeued": 45}  # fmt: skip
    done, counters = crawl_counters(stats)
    assert done == 40
    assert counters == {"articles": 30, "rejects": 5, "errors": 2, "queued": 5}


def test_crawl_extension_logs_a_final_line(caplog: pytest.LogCaptureFixture) -> None:
    stats = MemoryStatsCollector(get_crawler())
    stats.set_value("response_received_count", 7)
    extension = ProgressLog(stats, 30.0)
    with caplog.at_level("INFO", logger="crawler.monitor.progress"):
        extension.spider_closed()
    assert "progress: 7 pages" in caplog.text and "0 errors" in caplog.text
