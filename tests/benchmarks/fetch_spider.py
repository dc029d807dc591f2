"""The crawl's least cost: fetch a list of article URLs and do nothing with the responses.

Run by the throughput benchmark with `scrapy runspider fetch_spider.py -a urls=FILE`.
"""

from __future__ import annotations

import scrapy

from tests.benchmarks.naive_spider import NaiveSpider


class FetchSpider(NaiveSpider):
    """The naive spider's URLs and requests; no parsing, no items."""

    name = "fetch"

    def parse(self, response: scrapy.http.Response) -> None:  # type: ignore[override]
        return None
