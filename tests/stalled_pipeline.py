"""An item pipeline that holds every page until a few seconds after the first (tests only).

It stands for an extraction pool that is slow to start or to keep up: while it holds the
pages, how many the crawl has in hand shows whether the scheduler holds back.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler


class StalledPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.seconds = crawler.settings.getfloat("STALL_SECONDS")
        self.report = Path(crawler.settings["STALL_REPORT"])
        self.release: float | None = None
        self.waiting = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StalledPipeline:
        return cls(crawler)

    async def process_item(self, item: Any) -> Any:
        loop = asyncio.get_running_loop()
        if self.release is None:
            self.release = loop.time() + self.seconds
        self.waiting += 1
        await asyncio.sleep(max(0.0, self.release - loop.time()))
        if not self.report.exists():
            stats = self.crawler.stats
            assert stats is not None
            held = {"pages_held": self.waiting,
                    "responses": stats.get_value("downloader/response_count", 0)}  # fmt: skip
            self.report.write_text(json.dumps(held))
        self.waiting -= 1
        return item
