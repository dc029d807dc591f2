"""What most users write first: trafilatura in the spider callback, items to JSON lines.

Run by the throughput benchmark with `scrapy runspider naive_spider.py -a urls=FILE -o OUT`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import scrapy
import trafilatura


class NaiveSpider(scrapy.Spider):
    """Fetch a list of article URLs and extract each one inline."""

    name = "naive"

    def __init__(self, urls: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        with open(urls, encoding="utf-8") as lines:
            self.article_urls = [line.strip() for line in lines if line.strip()]

    async def start(self) -> Any:
        for url in self.article_urls:
            yield scrapy.Request(url)

    def parse(self, response: scrapy.http.Response) -> Iterator[dict[str, Any]]:
        document = trafilatura.bare_extraction(response.text, url=response.url, with_metadata=True)
        if document is not None:
            yield {"url": response.url, "title": document.title, "text": document.text,
                   "author": document.author, "date": document.date}  # fmt: skip
