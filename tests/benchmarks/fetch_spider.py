"""The crawl's least cost: fetch a list of article URLs and do nothing with the responses.

Run by the throughput benchmark with `scrapy runspider fetch_spider.py -a urls=FILE`.
"""

from __future__ import annotations

from typing import Any

import scrapy


class FetchSpider(scrapy.Spider):
    """Fetch a list of URLs; no parsing, no items."""

    name = "fetch"

    def __init__(self, urls: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        with open(urls, encoding="utf-8") as lines:
            self.article_urls = [line.strip() for line in lines if line.strip()]

    async def start(self) -> Any:
        for url in self.article_urls:
            yield scrapy.Request(url)

    def parse(self, response: scrapy.http.Response) -> None:
        return None
